package dev.flowline.task.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.flowline.contracts.TaskResolved;
import dev.flowline.servicekit.problem.Problem.FieldError;

/** Overrides are checked against the type's error data when saved; templates render the data as text. */
class TaskTypeOverrideTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    static final String DATA = "{\"type\": \"object\", \"properties\": {\"rental_id\": {}, \"rental_name\": {}}}";

    /** (override, the pointers of its problems). */
    static final List<Object[]> CASES = List.of(
            new Object[]{"{}", List.of()},
            new Object[]{"{\"title\": \"Missing Xero name for {{rental_name}} ({{ rental_id }})\"}", List.of()},
            new Object[]{"{\"title\": \"For {{host}}\"}", List.of("/title")},
            new Object[]{"{\"title\": \"\"}", List.of("/title")},
            new Object[]{"{\"candidates\": []}", List.of("/candidates")},
            new Object[]{"{\"candidates\": [\"flowline-finance\", \"Not A Role\"]}", List.of("/candidates/1")},
            new Object[]{"{\"allowedActions\": [\"retry\", \"later\"]}", List.of("/allowedActions/1")},
            new Object[]{"{\"priority\": 100}", List.of()},
            new Object[]{"{\"priority\": -1}", List.of("/priority")},
            new Object[]{"{\"priority\": 5.5}", List.of("/priority")},
            new Object[]{"{\"dueIn\": \"P2D\"}", List.of()},
            new Object[]{"{\"dueIn\": \"PT0S\"}", List.of("/dueIn")},
            new Object[]{"{\"dueIn\": \"2 days\"}", List.of("/dueIn")},
            new Object[]{"{\"escalate\": true}", List.of("/escalate")});

    @Test
    void eachOverrideOfTheTableHasExactlyItsProblems() throws Exception {
        for (Object[] row : CASES) {
            List<FieldError> problems = TaskTypeOverride.problems(json((String) row[0]), json(DATA));
            assertThat(problems).as((String) row[0]).extracting(FieldError::pointer).isEqualTo(row[1]);
        }
    }

    @Test
    void aTemplateOverErrorDataWithoutPropertiesCanNameNoField() throws Exception {
        assertThat(TaskTypeOverride.problems(json("{\"title\": \"{{x}}\"}"), null)).extracting(FieldError::pointer)
                .containsExactly("/title");
        assertThat(TaskTypeOverride.problems(json("[]"), null)).hasSize(1);
    }

    @Test
    void aSavedOverrideReadsBackAsWhatItSays() throws Exception {
        TaskTypeOverride read = TaskTypeOverride.read(json("""
                {"title": "t", "candidates": ["flowline-finance"], "allowedActions": ["retry", "abort"],
                 "priority": 80, "dueIn": "PT4H"}"""));
        assertThat(read.allowedActions()).containsExactlyInAnyOrder(TaskResolved.Resolution.RETRY,
                TaskResolved.Resolution.ABORT);
        assertThat(read.dueIn()).isEqualTo(Duration.ofHours(4));
        assertThat(read.candidates()).containsExactly("flowline-finance");
        assertThat(TaskTypeOverride.read(json("{}")).allowedActions()).isNull();
    }

    @Test
    void aTemplateRendersTheDataAsTextAndAnAbsentFieldAsAQuestionMark() throws Exception {
        JsonNode data = json("{\"rental_name\": \"Old Mill Cottage\", \"count\": 3, \"$x\": \"y\"}");
        assertThat(TitleTemplate.render("Missing Xero name for {{rental_name}}", data)).isEqualTo(
                "Missing Xero name for Old Mill Cottage");
        assertThat(TitleTemplate.render("{{count}} of {{ total }}", data)).isEqualTo("3 of ?");
        // Not a field reference: left as text; a value with $ or \\ is inserted as it is.
        assertThat(TitleTemplate.render("{{ 1 + 1 }} {x}", data)).isEqualTo("{{ 1 + 1 }} {x}");
        assertThat(TitleTemplate.render("{{rental_name}}", json("{\"rental_name\": \"a$1\\\\b\"}"))).isEqualTo(
                "a$1\\b");
        assertThat(TitleTemplate.fields("{{a}} and {{ b }} and {{a}}")).containsExactly("a", "b", "a");
    }
}
