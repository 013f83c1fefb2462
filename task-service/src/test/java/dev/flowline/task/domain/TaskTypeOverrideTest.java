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

    static final String DATA = """
            {"type": "object", "properties": {"rental_id": {}, "rental_name": {}, "approver": {"type": "string"},
             "teams": {"type": "array", "items": {"type": "string"}}, "count": {"type": "integer"}}}""";
    static final String OUTPUT = "{\"type\": \"object\", \"required\": [\"matched\"]}";

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
            new Object[]{"{\"escalate\": true}", List.of("/escalate")},
            new Object[]{"{\"description\": \"{{rental_name}} has no Xero name; the push waits\"}", List.of()},
            new Object[]{"{\"description\": \"Ask {{owner}}\"}", List.of("/description")},
            new Object[]{"{\"candidateUsers\": [\"fiona\", \"ops.lead@example.com\"]}", List.of()},
            new Object[]{"{\"candidateUsers\": [\"fiona\", \" \"]}", List.of("/candidateUsers/1")},
            new Object[]{"{\"candidateUsersFrom\": \"$.approver\", \"candidateRolesFrom\": \"$.teams\"}", List.of()},
            new Object[]{"{\"candidateUsersFrom\": \"$.count\"}", List.of("/candidateUsersFrom")},
            new Object[]{"{\"candidateUsersFrom\": \"$.owner\"}", List.of("/candidateUsersFrom")},
            new Object[]{"{\"candidateRolesFrom\": \"approver\"}", List.of("/candidateRolesFrom")},
            new Object[]{"""
                    {"escalations": [{"after": "PT2H", "raisePriorityTo": 80},
                                     {"after": "PT8H", "reassignTo": "flowline-finance-leads", "notify": true}]}""",
                    List.of()},
            new Object[]{"{\"escalations\": []}", List.of("/escalations")},
            new Object[]{"""
                    {"escalations": [{"after": "PT8H", "notify": true}, {"after": "PT2H", "notify": true},
                                     {"after": "P1D"}, {"after": "P2D", "raisePriorityTo": 101, "page": true}]}""",
                    List.of("/escalations/1/after", "/escalations/2", "/escalations/3/page",
                            "/escalations/3/raisePriorityTo")},
            new Object[]{"{\"onExpiry\": {\"action\": \"skip\", \"output\": {\"matched\": 0}}}", List.of()},
            new Object[]{"{\"onExpiry\": {\"action\": \"skip\", \"output\": {}}}", List.of("/onExpiry/output")},
            new Object[]{"{\"onExpiry\": {\"action\": \"skip\"}}", List.of("/onExpiry/output")},
            new Object[]{"{\"onExpiry\": {\"action\": \"abort\", \"reason\": \"nobody fixed it\"}}", List.of()},
            new Object[]{"{\"onExpiry\": {\"action\": \"later\"}}", List.of("/onExpiry/action")});

    @Test
    void eachOverrideOfTheTableHasExactlyItsProblems() throws Exception {
        for (Object[] row : CASES) {
            List<FieldError> problems = TaskTypeOverride.problems(json((String) row[0]), json(DATA), json(OUTPUT));
            assertThat(problems).as((String) row[0]).extracting(FieldError::pointer).isEqualTo(row[1]);
        }
    }

    @Test
    void aTemplateOverErrorDataWithoutPropertiesCanNameNoField() throws Exception {
        assertThat(TaskTypeOverride.problems(json("{\"title\": \"{{x}}\"}"), null, null))
                .extracting(FieldError::pointer)
                .containsExactly("/title");
        assertThat(TaskTypeOverride.problems(json("[]"), null, null)).hasSize(1);
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

    @Test
    void candidatesComeFromTheTypeAndFromThePathsIntoTheErrorData() throws Exception {
        TaskTypeOverride read = TaskTypeOverride.read(json("""
                {"candidateUsers": ["fiona"], "candidateUsersFrom": "$.approver", "candidateRolesFrom": "$.teams"}"""));
        TaskTypes.TaskType type = new TaskTypes.TaskType("s:CODE", "s@1.0.0", "CODE", "m", json(DATA), null, null,
                List.of("flowline-operator"), java.util.Set.of(TaskResolved.Resolution.values()), 1, read);
        TaskTypes.Candidates candidates = type.candidatesFor(json("""
                {"approver": "gus", "teams": ["flowline-finance", "Not A Role", 3]}"""));
        assertThat(candidates.roles()).containsExactly("flowline-finance", "flowline-operator");
        assertThat(candidates.users()).containsExactly("fiona", "gus");
        // No data, or data without the members: the type's own candidates.
        assertThat(type.candidatesFor(null).users()).containsExactly("fiona");
        assertThat(type.candidatesFor(json("{}")).roles()).containsExactly("flowline-operator");
    }

    @Test
    void escalationRulesAndTheExpiryOutcomeReadBackInOrder() throws Exception {
        TaskTypeOverride read = TaskTypeOverride.read(json("""
                {"escalations": [{"after": "PT2H", "raisePriorityTo": 80},
                                 {"after": "PT8H", "reassignTo": "flowline-finance-leads", "notify": true}],
                 "onExpiry": {"action": "skip", "output": {"matched": 0}}}"""));
        assertThat(read.escalations()).containsExactly(new TaskTypeOverride.Escalation(Duration.ofHours(2), null, 80,
                false), new TaskTypeOverride.Escalation(Duration.ofHours(8), "flowline-finance-leads", null, true));
        assertThat(read.onExpiry().action()).isEqualTo(TaskResolved.Resolution.SKIP);
        assertThat(read.onExpiry().output()).isEqualTo(json("{\"matched\": 0}"));
        assertThat(TaskTypeOverride.read(json("{}")).onExpiry()).isEqualTo(TaskTypeOverride.ExpiryOutcome.ABORT);
        assertThat(TaskTypeOverride.read(json("{}")).escalations()).isEmpty();
    }
}
