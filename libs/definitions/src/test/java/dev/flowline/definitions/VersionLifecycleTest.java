package dev.flowline.definitions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.flowline.definitions.VersionLifecycle.Action;
import dev.flowline.definitions.VersionLifecycle.Status;

/** The shared version lifecycle, cell by cell, as its Javadoc and docs/views.md show it. */
class VersionLifecycleTest {

    /** Rows: no version yet, draft, published, deprecated; columns: save, publish, deprecate; null: refused. */
    static final Status[][] TABLE = {
            {Status.DRAFT, null, null},
            {Status.DRAFT, Status.PUBLISHED, null},
            {null, null, Status.DEPRECATED},
            {null, null, null}};

    @Test
    void everyCellOfTheLifecycleIsAsDocumented() {
        List<Status> rows = Arrays.asList(null, Status.DRAFT, Status.PUBLISHED, Status.DEPRECATED);
        for (int row = 0; row < rows.size(); row++) {
            for (Action action : Action.values()) {
                Status expected = TABLE[row][action.ordinal()];
                assertThat(VersionLifecycle.next(rows.get(row), action).orElse(null)).as(rows.get(row) + " + "
                        + action).isEqualTo(expected);
                assertThat(VersionLifecycle.refusal("view v", rows.get(row), action) == null).as(rows.get(row)
                        + " + " + action).isEqualTo(expected != null);
            }
        }
    }

    @Test
    void aRefusalSaysWhatToDoInstead() {
        assertThat(VersionLifecycle.refusal("view fix_xero version 2", Status.PUBLISHED, Action.SAVE)).isEqualTo(
                "view fix_xero version 2 is published and can no longer change; create a new version");
        assertThat(VersionLifecycle.refusal("view fix_xero version 2", Status.DRAFT, Action.DEPRECATE)).contains(
                "only a published version can be deprecated");
    }
}
