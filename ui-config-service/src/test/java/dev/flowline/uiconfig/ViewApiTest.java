package dev.flowline.uiconfig;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import dev.flowline.servicekit.security.Roles;
import dev.flowline.testkit.Tokens;

/**
 * The views API on real PostgreSQL and OIDC: drafts checked when saved, the shared lifecycle, the one validation, and
 * a task's screen (its configured view, or its type's default for a task older than the view).
 */
@QuarkusTest
class ViewApiTest {

    static final String TYPE = "validate_settings:MISSING_XERO_NAME";
    static final String VIEW = """
            {"title": "Fix the Xero name", "taskTypes": ["validate_settings:MISSING_XERO_NAME"],
             "schema": {"type": "object", "required": ["xero_name"],
                        "properties": {"xero_name": {"type": "string", "minLength": 1}, "archived": {"type": "boolean"},
                                       "note": {"type": "string"}}},
             "initial": {"rental": "$.task.errorData.rental_name"},
             "layout": [{"type": "field", "label": "Rental", "path": "$.task.errorData.rental_name"},
                        {"type": "text", "label": "Xero name", "bind": "/xero_name"},
                        {"type": "checkbox", "label": "Archived", "bind": "/archived"},
                        {"type": "textarea", "label": "Note", "bind": "/note", "show": {"data.archived": true},
                         "require": {"data.archived": true}},
                        {"type": "button", "action": "retry", "label": "Save and retry"}]}""";

    static String task(String id, Instant created) {
        return """
                {"id": "%s", "title": "Missing Xero name for Old Mill Cottage", "status": "claimed",
                 "taskType": "validate_settings:MISSING_XERO_NAME", "errorCode": "MISSING_XERO_NAME",
                 "errorData": {"rental_id": "r-2", "rental_name": "Old Mill Cottage"},
                 "stepInput": {"payout_id": "P-1001"}, "createdAt": "%s", "history": [{"action": "create"}]}"""
                .formatted(id, created);
    }

    /** task-service knows the demo's task type (as its catalog cache would). */
    static void knowTheType() {
        TaskServiceStandIn.TYPES.put(TYPE, """
                {"id": "validate_settings:MISSING_XERO_NAME", "code": "MISSING_XERO_NAME",
                 "message": "Missing Xero name for rental", "allowedActions": ["abort", "retry"],
                 "dataSchema": {"type": "object", "properties": {"rental_id": {"type": "string"},
                                                               "rental_name": {"type": "string"}}},
                 "inputSchema": {"type": "object", "required": ["payout_id"],
                                 "properties": {"payout_id": {"type": "string"}}}}""");
    }

    @Test
    void aViewIsCheckedWhenSavedPublishedOnceAndThenImmutable() {
        knowTheType();
        String editor = Tokens.forUser("edna", Roles.EDITOR);
        String viewer = Tokens.forUser("vera", Roles.VIEWER);
        String name = "xero-" + UUID.randomUUID().toString().substring(0, 8);
        String url = "/api/views/" + name + "/versions/1";

        Response broken = given().auth().oauth2(editor).contentType("application/json").body(VIEW.replace(
                "\"bind\": \"/note\"", "\"bind\": \"/notes\"").replace("\"action\": \"retry\"", "\"action\": \"skip\""))
                .put(url);
        assertThat(broken.statusCode()).isEqualTo(422);
        assertThat(broken.contentType()).isEqualTo("application/problem+json");
        assertThat(broken.jsonPath().getList("errors.pointer", String.class)).containsExactly("/layout/3/bind",
                "/layout/4/action");
        Response unknownType = given().auth().oauth2(editor).contentType("application/json").body(VIEW.replace(
                "\"taskTypes\": [\"validate_settings:MISSING_XERO_NAME\"]", "\"taskTypes\": [\"nope:NOPE\"]"))
                .put(url);
        assertThat(unknownType.statusCode()).isEqualTo(422);
        assertThat(unknownType.jsonPath().getList("errors.pointer", String.class)).containsExactly("/taskTypes/0");
        given().auth().oauth2(editor).get(url).then().statusCode(404);

        given().auth().oauth2(viewer).contentType("application/json").body(VIEW).put(url).then().statusCode(403);
        given().auth().oauth2(editor).contentType("application/json").body(VIEW).put(url).then().statusCode(201);
        given().auth().oauth2(editor).contentType("application/json").body(VIEW).put(url).then().statusCode(200);
        assertThat(given().auth().oauth2(viewer).get(url).jsonPath().getString("status")).isEqualTo("draft");
        given().auth().oauth2(viewer).post(url + "/publish").then().statusCode(403);
        assertThat(given().auth().oauth2(editor).post(url + "/publish").jsonPath().getString("status")).isEqualTo(
                "published");
        Response immutable = given().auth().oauth2(editor).contentType("application/json").body(VIEW).put(url);
        assertThat(immutable.statusCode()).isEqualTo(409);
        assertThat(immutable.jsonPath().getString("detail")).contains("create a new version");
        given().auth().oauth2(editor).post(url + "/publish").then().statusCode(409);
        given().auth().oauth2(viewer).get("/api/views/Not A Name/versions/1").then().statusCode(400);
        given().auth().oauth2(viewer).get("/api/views/" + name + "/versions/0").then().statusCode(400);
        given().get(url).then().statusCode(401);
    }

    @Test
    void theValidationAnswersMessagesPerPointerAndTheDataAsSubmitted() {
        knowTheType();
        String editor = Tokens.forUser("edna", Roles.EDITOR);
        String viewer = Tokens.forUser("vera", Roles.VIEWER);
        String name = "xero-" + UUID.randomUUID().toString().substring(0, 8);
        String url = "/api/views/" + name + "/versions/1";
        given().auth().oauth2(editor).contentType("application/json").body(VIEW).put(url).then().statusCode(201);

        Response invalid = given().auth().oauth2(viewer).contentType("application/json").body(
                "{\"data\": {\"archived\": true}}").post(url + "/validate");
        assertThat(invalid.statusCode()).isEqualTo(200);
        assertThat(invalid.jsonPath().getBoolean("valid")).isFalse();
        assertThat(invalid.jsonPath().getList("errors.pointer", String.class)).contains("/note");
        assertThat(invalid.jsonPath().getList("errors.message", String.class)).anyMatch(m -> m.contains("xero_name"));
        Response valid = given().auth().oauth2(viewer).contentType("application/json").body(
                "{\"data\": {\"xero_name\": \"OLD-MILL\", \"archived\": false, \"note\": \"dropped\"}}").post(
                        url
                                + "/validate");
        assertThat(valid.jsonPath().getBoolean("valid")).isTrue();
        assertThat(valid.jsonPath().getMap("data")).doesNotContainKey("note");
        given().auth().oauth2(viewer).contentType("application/json").body("{\"data\": [1]}").post(url + "/validate")
                .then().statusCode(422);
    }

    @Test
    void aTaskDrawsTheViewPublishedForItsTypeByTheTimeItOpenedElseItsTypesDefault() throws Exception {
        knowTheType();
        String editor = Tokens.forUser("edna", Roles.EDITOR);
        String viewer = Tokens.forUser("vera", Roles.VIEWER);
        String older = UUID.randomUUID().toString();
        TaskServiceStandIn.TASKS.put(older, task(older, Instant.parse("2020-01-01T00:00:00Z")));
        String name = "xero-" + UUID.randomUUID().toString().substring(0, 8);
        String url = "/api/views/" + name + "/versions/1";
        given().auth().oauth2(editor).contentType("application/json").body(VIEW).put(url).then().statusCode(201);
        given().auth().oauth2(editor).post(url + "/publish").then().statusCode(200);
        String newer = UUID.randomUUID().toString();
        TaskServiceStandIn.TASKS.put(newer, task(newer, Instant.now().plusSeconds(1)));

        Response screen = given().auth().oauth2(viewer).get("/api/task-views/" + newer);
        assertThat(screen.statusCode()).as(screen.asString()).isEqualTo(200);
        assertThat(screen.jsonPath().getString("name")).isEqualTo(name);
        assertThat(screen.jsonPath().getBoolean("generated")).isFalse();
        assertThat(screen.jsonPath().getString("data.rental")).isEqualTo("Old Mill Cottage");
        assertThat(screen.jsonPath().getString("task.errorData.rental_name")).isEqualTo("Old Mill Cottage");
        assertThat(screen.jsonPath().getMap("task")).doesNotContainKey("history");

        Response fallback = given().auth().oauth2(viewer).get("/api/task-views/" + older);
        assertThat(fallback.jsonPath().getBoolean("generated")).isTrue();
        assertThat(fallback.jsonPath().getString("view.title")).isEqualTo("Missing Xero name for rental");
        assertThat(fallback.jsonPath().getString("data.input.payout_id")).isEqualTo("P-1001");
        assertThat(fallback.jsonPath().getList("view.layout.action", String.class)).contains("abort", "retry");

        Response messages = given().auth().oauth2(viewer).contentType("application/json").body(
                "{\"data\": {\"archived\": true}}").post("/api/task-views/" + newer + "/validate");
        assertThat(messages.jsonPath().getList("errors.pointer", String.class)).contains("/note", "/xero_name");
        given().auth().oauth2(viewer).get("/api/task-views/" + UUID.randomUUID()).then().statusCode(404);
    }
}
