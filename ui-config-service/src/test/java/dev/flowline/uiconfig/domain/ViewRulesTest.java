package dev.flowline.uiconfig.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Vertx;

import dev.flowline.servicekit.problem.Problem.FieldError;

/**
 * The view language's checks when a view is saved, its one validation of submitted data, and the default view, on
 * the payout demo's MISSING_XERO_NAME screen.
 */
class ViewRulesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static Vertx vertx;
    static ViewSchemas schemas;

    /** Xero name required; a note shown only when "the rental is archived" is ticked, and then required. */
    static final String VIEW = """
            {"title": "Fix the Xero name", "taskTypes": ["validate_settings:MISSING_XERO_NAME"],
             "schema": {"type": "object", "required": ["xero_name"],
                        "properties": {"xero_name": {"type": "string", "minLength": 1, "maxLength": 100},
                                       "archived": {"type": "boolean"}, "note": {"type": "string"},
                                       "amount": {"type": "number"}}},
             "initial": {"xero_name": "$.task.errorData.rental_name"},
             "layout": [
               {"type": "alert", "level": "warning", "text": "Xero has no contact for this rental"},
               {"type": "field", "label": "Rental", "path": "$.task.errorData.rental_name"},
               {"type": "section", "title": "Fix", "children": [
                 {"type": "text", "label": "Xero name", "bind": "/xero_name"},
                 {"type": "checkbox", "label": "The rental is archived", "bind": "/archived"},
                 {"type": "textarea", "id": "note", "label": "Note", "bind": "/note",
                  "show": {"data.archived": true}, "require": {"data.archived": true}}]},
               {"type": "number", "label": "Amount", "bind": "/amount", "disable": {"task.status": "open"}},
               {"type": "button", "action": "retry", "label": "Save and retry"}],
             "checks": [{"when": {"data.archived": true}, "expect": {"data.note": {"prefix": "archived"}},
                         "pointer": "/note", "message": "say why it is archived"}]}""";

    @BeforeAll
    static void schemas() {
        vertx = Vertx.vertx();
        schemas = new ViewSchemas(vertx);
    }

    @AfterAll
    static void close() {
        vertx.close();
    }

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    static final Map<String, ViewChecks.TaskTypeFacts> RETRY_ONLY = Map.of("validate_settings:MISSING_XERO_NAME",
            new ViewChecks.TaskTypeFacts(Set.of("retry", "abort")));

    @Test
    void theDemoViewPassesItsSchemaAndItsChecks() throws Exception {
        assertThat(schemas.validateView(json(VIEW))).isEmpty();
        assertThat(ViewChecks.problems(json(VIEW), RETRY_ONLY)).isEmpty();
    }

    /** (what is changed in the demo view, the pointers of its problems). */
    static final List<Object[]> BROKEN = List.of(
            new Object[]{"\"/xero_name\"}", "\"/xero_nam\"}", List.of("/layout/2/children/0/bind")},
            new Object[]{"{\"data.archived\": true}, \"require\"", "{\"data.archivd\": true}, \"require\"",
                    List.of("/layout/2/children/2/show/data.archivd")},
            new Object[]{"\"task.status\": \"open\"", "\"task.state\": \"open\"", List.of(
                    "/layout/3/disable/task.state")},
            new Object[]{"\"path\": \"$.task.errorData.rental_name\"", "\"path\": \"$.run.id\"", List.of(
                    "/layout/1/path")},
            new Object[]{"\"action\": \"retry\"", "\"action\": \"skip\"", List.of("/layout/4/action")},
            new Object[]{"\"pointer\": \"/note\"", "\"pointer\": \"/notes\"", List.of("/checks/0/pointer")},
            new Object[]{"\"label\": \"Rental\", ", "\"label\": \"Rental\", \"bind\": \"/x\", ", List.of(
                    "/layout/1/bind")},
            new Object[]{"\"id\": \"note\"", "\"id\": \"note\", \"placeholder\": \"…\", \"options\": []", List.of(
                    "/layout/2/children/2/options")},
            // Only a source answers a search: a table drawn from a path has nothing to ask.
            new Object[]{
                    "{\"type\": \"alert\", \"level\": \"warning\", \"text\": \"Xero has no contact for this rental\"}",
                    "{\"type\": \"table\", \"path\": \"$.task.errorData.rental_name\", \"searchable\": true, "
                            + "\"columns\": [{\"field\": \"x\", \"label\": \"X\"}]}",
                    List.of(
                            "/layout/0/searchable")},
            // A schema-required field a rule can hide: its data would be dropped on submit.
            new Object[]{"\"required\": [\"xero_name\"]", "\"required\": [\"xero_name\", \"note\"]", List.of(
                    "/layout/2/children/2/bind")});

    @Test
    void eachBrokenViewOfTheTableIsRefusedAtItsPointers() throws Exception {
        for (Object[] row : BROKEN) {
            assertThat(VIEW.split(java.util.regex.Pattern.quote((String) row[0]), -1)).as("replaced once: " + row[0])
                    .hasSize(2);
            String broken = VIEW.replace((String) row[0], (String) row[1]);
            List<FieldError> problems = ViewChecks.problems(json(broken), RETRY_ONLY);
            assertThat(problems).as((String) row[1]).extracting(FieldError::pointer).isEqualTo(row[2]);
        }
        assertThat(schemas.validateView(json("{\"schema\": {}, \"layout\": [{\"type\": \"slider\"}]}"))).extracting(
                FieldError::pointer).contains("/layout/0/type");
        assertThat(schemas.validateView(json("{\"layout\": []}"))).isNotEmpty();
        assertThat(schemas.validateView(json("{\"schema\": {}, \"layout\": [{\"type\": \"text\"}]}")))
                .isNotEmpty();
    }

    static final String TASK = "{\"status\": \"claimed\", \"errorData\": {\"rental_name\": \"Old Mill Cottage\"}}";

    @Test
    void aHiddenFieldIsNotRequiredAndItsDataIsDroppedButShownItIsRequiredAndChecked() throws Exception {
        ViewValidation.Result hidden = ViewValidation.validate(json(VIEW), json(
                "{\"xero_name\": \"OLD-MILL\", \"archived\": false, \"note\": \"left over\"}"), json(TASK));
        assertThat(hidden.errors()).isEmpty();
        assertThat(hidden.data().has("note")).isFalse();

        ViewValidation.Result shown = ViewValidation.validate(json(VIEW), json(
                "{\"xero_name\": \"OLD-MILL\", \"archived\": true}"), json(TASK));
        assertThat(shown.errors()).extracting(FieldError::pointer).containsExactly("/note", "/note");
        assertThat(shown.errors()).extracting(FieldError::detail).containsExactly("Note is required",
                "say why it is archived");

        ViewValidation.Result explained = ViewValidation.validate(json(VIEW), json(
                "{\"xero_name\": \"OLD-MILL\", \"archived\": true, \"note\": \"archived in 2025\"}"), json(TASK));
        assertThat(explained.valid()).isTrue();
        assertThat(explained.data().path("note").asText()).isEqualTo("archived in 2025");
    }

    @Test
    void theDataSchemaIsCheckedWithPointers() throws Exception {
        ViewValidation.Result result = ViewValidation.validate(json(VIEW), json("{\"amount\": \"lots\"}"), json(
                TASK));
        assertThat(result.errors()).extracting(FieldError::pointer).contains("/amount");
        assertThat(result.errors()).extracting(FieldError::detail).anyMatch(d -> d.contains("xero_name"));
    }

    @Test
    void rulesReadTheTaskToo() throws Exception {
        JsonNode amount = json(VIEW).at("/layout/3");
        assertThat(ViewValidation.state(amount, ViewContext.of(null, json("{\"status\": \"open\"}")),
                ViewValidation.State.ROOT).enabled()).isFalse();
        assertThat(ViewValidation.state(amount, ViewContext.of(null, json(TASK)), ViewValidation.State.ROOT)
                .enabled()).isTrue();
    }

    @Test
    void theDefaultViewOfATypeShowsTheErrorAndTheInputAndPassesEveryCheck() throws Exception {
        JsonNode type = json("""
                {"id": "validate_settings:MISSING_XERO_NAME", "code": "MISSING_XERO_NAME",
                 "message": "Missing Xero name for rental", "allowedActions": ["abort", "retry", "skip"],
                 "dataSchema": {"type": "object", "properties": {"rental_id": {"type": "string"},
                                                               "rental_name": {"type": "string"}}},
                 "inputSchema": {"type": "object", "required": ["payout_id"],
                                 "properties": {"payout_id": {"type": "string", "description": "The payout"},
                                                "dry_run": {"type": "boolean"}, "limit": {"type": "integer"},
                                                "mode": {"enum": ["fast", "safe"]}, "filters": {"type": "object"}}},
                 "outputSchema": {"type": "object", "properties": {"success": {"type": "boolean"}}}}""");
        JsonNode view = DefaultViews.of(type);
        assertThat(schemas.validateView(view)).isEmpty();
        assertThat(ViewChecks.problems(view, Map.of(type.get("id").asText(), new ViewChecks.TaskTypeFacts(Set.of(
                "abort", "retry", "skip"))))).isEmpty();
        assertThat(view.findValuesAsText("bind")).containsExactly("/input/payout_id", "/input/dry_run",
                "/input/limit", "/input/mode", "/output/success", "/reason");
        assertThat(view.findValuesAsText("path")).contains("$.task.errorData.rental_name", "$.data.input.filters");
        assertThat(view.findValues("action")).extracting(JsonNode::asText).containsExactly("abort", "retry", "skip");
        // The input that failed is where the form starts; a retry with it changes nothing but is valid.
        ViewValidation.Result result = ViewValidation.validate(view, json(
                "{\"input\": {\"payout_id\": \"P-1001\"}}"), json(TASK));
        assertThat(result.valid()).isTrue();
    }
}
