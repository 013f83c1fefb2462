package dev.flowline.definitions;

import java.util.Locale;
import java.util.Optional;

/**
 * The lifecycle every versioned configuration shares (catalog definitions, task views): a version starts as an
 * editable draft; publishing makes it immutable; a published version may be deprecated (it stays readable and
 * resolvable by its exact version). As a table:
 *
 * <pre>
 *              save (edit)  publish     deprecate
 * (none)       DRAFT        -           -
 * DRAFT        DRAFT        PUBLISHED   -
 * PUBLISHED    -            -           DEPRECATED
 * DEPRECATED   -            -           -
 * </pre>
 */
public final class VersionLifecycle {

    /** Where a version is in its life. */
    public enum Status {
        DRAFT, PUBLISHED, DEPRECATED;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What can be asked of a version. */
    public enum Action {
        SAVE, PUBLISH, DEPRECATE
    }

    private VersionLifecycle() {
    }

    /** The status {@code action} leads to from {@code current} (null: the version does not exist yet). */
    public static Optional<Status> next(Status current, Action action) {
        if (current == null) {
            return action == Action.SAVE ? Optional.of(Status.DRAFT) : Optional.empty();
        }
        return Optional.ofNullable(switch (action) {
            case SAVE -> current == Status.DRAFT ? Status.DRAFT : null;
            case PUBLISH -> current == Status.DRAFT ? Status.PUBLISHED : null;
            case DEPRECATE -> current == Status.PUBLISHED ? Status.DEPRECATED : null;
        });
    }

    /**
     * Why {@code action} is refused for the version {@code what} (like "step match_bookings version 1.0.0") in
     * {@code current}, for a 409; null when it is allowed.
     */
    public static String refusal(String what, Status current, Action action) {
        if (next(current, action).isPresent()) {
            return null;
        }
        if (current == null) {
            return what + " does not exist";
        }
        if (action == Action.DEPRECATE) {
            return what + " is " + current.word() + "; only a published version can be deprecated";
        }
        return what + " is " + current.word() + " and can no longer change; create a new version";
    }
}
