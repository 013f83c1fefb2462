package dev.flowline.catalog;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.flowline.servicekit.security.Roles;
import dev.flowline.testkit.Tokens;

@QuarkusTest
class CatalogApiTest {

    private final String editor = Tokens.forUser("eddie", Roles.EDITOR);
    private final String viewer = Tokens.forUser("vera", Roles.VIEWER);
    private final String admin = Tokens.forUser("ada", Roles.ADMIN);

    private static String step(String name, String version) {
        return """
                {"name": "%s", "version": "%s", "binding": {"type": "http", "url": "https://steps.example/%s"},
                 "input": {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]},
                 "output": {"type": "object", "properties": {"ok": {"type": "boolean"}}},
                 "errors": [{"code": "NOT_FOUND", "message": "no such thing", "data": {"type": "object"}}]}"""
                .formatted(name, version, name);
    }

    private void put(String path, String body, int status) {
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(body).when().put(path).then()
                .statusCode(status);
    }

    private void publish(String path, int status) {
        given().auth().oauth2(editor).when().post(path + "/publish").then().statusCode(status);
    }

    @Test
    void stepVersionsResolveByRangeAndListWithPaging() {
        for (String version : List.of("1.0.0", "1.2.0", "1.3.0-rc.1", "2.0.0")) {
            put("/api/steps/fetch_rental/versions/" + version, step("fetch_rental", version), 201);
        }
        for (String version : List.of("1.0.0", "1.2.0", "2.0.0")) {
            publish("/api/steps/fetch_rental/versions/" + version, 200);
        }
        given().auth().oauth2(viewer).queryParam("range", "^1.0").when().get("/api/steps/fetch_rental").then()
                .statusCode(200).body("version", equalTo("1.2.0"));
        given().auth().oauth2(viewer).queryParam("range", ">=2").when().get("/api/steps/fetch_rental").then()
                .statusCode(200).body("version", equalTo("2.0.0"));
        given().auth().oauth2(viewer).queryParam("range", "^3").when().get("/api/steps/fetch_rental").then()
                .statusCode(404);
        given().auth().oauth2(viewer).queryParam("range", "not a range!").when().get("/api/steps/fetch_rental")
                .then().statusCode(400).body("errors.pointer", hasItem("#range"));
        given().auth().oauth2(viewer).when().get("/api/steps/fetch_rental").then().statusCode(200)
                .body("version", equalTo(List.of("1.0.0", "1.2.0", "1.3.0-rc.1", "2.0.0")));
        given().auth().oauth2(viewer).queryParam("q", "FETCH_REN").queryParam("size", 2).queryParam("page", 1)
                .when().get("/api/steps").then().statusCode(200)
                .body("total", equalTo(4)).body("items.size()", equalTo(2)).body("page", equalTo(1));
        given().auth().oauth2(viewer).queryParam("size", 0).when().get("/api/steps").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void theListNarrowsToAStatusAndToTheNewestVersionOfEachNameBySemanticVersion() {
        for (String version : List.of("1.0.0", "1.9.0", "1.10.0", "2.0.0")) {
            put("/api/steps/listing_a/versions/" + version, step("listing_a", version), 201);
        }
        for (String version : List.of("1.0.0", "1.9.0", "1.10.0")) {
            publish("/api/steps/listing_a/versions/" + version, 200);
        }
        put("/api/steps/listing_b/versions/0.1.0", step("listing_b", "0.1.0"), 201);
        publish("/api/steps/listing_b/versions/0.1.0", 200);
        put("/api/steps/listing_c/versions/1.0.0", step("listing_c", "1.0.0"), 201);

        // 1.10.0 is newer than 1.9.0 though it sorts before it as text; 2.0.0 is a draft.
        given().auth().oauth2(viewer).queryParam("q", "listing_").queryParam("status", "published").queryParam(
                "newest", true).when().get("/api/steps").then().statusCode(200).body("total", equalTo(2)).body(
                        "items.name", equalTo(List.of("listing_a", "listing_b")))
                .body("items.version", equalTo(List
                        .of("1.10.0", "0.1.0")));
        given().auth().oauth2(viewer).queryParam("q", "listing_").queryParam("status", "published").queryParam(
                "newest", true).queryParam("size", 1).queryParam("page", 1).when().get("/api/steps").then()
                .statusCode(200).body("total", equalTo(2)).body("items.name", equalTo(List.of("listing_b")));
        given().auth().oauth2(viewer).queryParam("q", "listing_").queryParam("status", "DRAFT").queryParam(
                "newest", true).when().get("/api/steps").then().statusCode(200).body("items.name", equalTo(List.of(
                        "listing_a", "listing_c")))
                .body("items.version", equalTo(List.of("2.0.0", "1.0.0")));
        given().auth().oauth2(viewer).queryParam("q", "listing_").queryParam("status", "published").when().get(
                "/api/steps").then().statusCode(200).body("total", equalTo(4)).body("items.status", equalTo(List.of(
                        "PUBLISHED", "PUBLISHED", "PUBLISHED", "PUBLISHED")));
        given().auth().oauth2(viewer).queryParam("status", "retired").when().get("/api/steps").then().statusCode(
                400).contentType("application/problem+json").body("errors.pointer", hasItem("#status"));
        given().auth().oauth2(viewer).queryParam("newest", "maybe").when().get("/api/steps").then().statusCode(400)
                .body("errors.pointer", hasItem("#newest"));
    }

    @Test
    void deprecationIsForAdminsAndOnlyOfPublishedVersions() {
        put("/api/steps/old_step/versions/1.0.0", step("old_step", "1.0.0"), 201);
        given().auth().oauth2(admin).when().post("/api/steps/old_step/versions/1.0.0/deprecate").then()
                .statusCode(409);
        publish("/api/steps/old_step/versions/1.0.0", 200);
        given().auth().oauth2(editor).when().post("/api/steps/old_step/versions/1.0.0/deprecate").then()
                .statusCode(403);
        given().auth().oauth2(admin).when().post("/api/steps/old_step/versions/1.0.0/deprecate").then()
                .statusCode(200).body("status", equalTo("DEPRECATED"));
        // A deprecated version no longer resolves for new workflows.
        given().auth().oauth2(viewer).queryParam("range", "^1").when().get("/api/steps/old_step").then()
                .statusCode(404);
    }

    @Test
    void draftsAreValidatedWhenSaved() {
        put("/api/steps/bad_schema/versions/1.0.0", step("bad_schema", "1.0.0").replace(
                "\"input\": {\"type\": \"object\"", "\"input\": {\"type\": \"objekt\""), 422);
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(step("bad_schema", "1.0.0")
                .replace("\"input\": {\"type\": \"object\"", "\"input\": {\"type\": \"objekt\""))
                .when().put("/api/steps/bad_schema/versions/1.0.0").then().statusCode(422)
                .body("errors.pointer", hasItem("/input/type"));
        given().auth().oauth2(editor).contentType(ContentType.JSON).body("""
                {"category": "entity", "schema": {"type": "object", "required": ["booking_id"],
                  "properties": {"booking_id": {"type": "string"}}},
                 "examples": [{"booking_id": "b-1"}, {"booking_id": 7}]}""")
                .when().put("/api/event-types/booking.imported/versions/1.0.0").then().statusCode(422)
                .body("errors.pointer", hasItem("/examples/1/booking_id"));
        given().auth().oauth2(editor).contentType(ContentType.JSON).body("""
                {"command": "x.run", "start": "A", "end": ["A"],
                 "steps": {"A": {"uses": "fetch_rental@^1", "with": {"id": "$..id"},
                                 "next": [{"when": {"a": {"between": 1}}, "to": "A"}, {"to": "A"}]}}}""")
                .when().put("/api/workflows/bad_expressions/versions/1").then().statusCode(422)
                .body("errors.pointer", hasItems("/steps/A/with/id", "/steps/A/next/0/when/a/between"));
    }

    @Test
    void aWorkflowPublishesOnlyWhenItsStepsResolveAndItsDataFlows() {
        put("/api/steps/lookup_host/versions/1.0.0", step("lookup_host", "1.0.0"), 201);
        String workflow = """
                {"command": "hosts.lookup", "input": {"type": "object", "properties": {"host": {"type": "string"}}},
                 "start": "FIND", "end": ["FIND"],
                 "steps": {"FIND": {"uses": "lookup_host@^1", "with": {"id": "$.input.host"},
                                    "onError": {"NOT_FOUND": "task"}}}}""";
        put("/api/workflows/host_lookup/versions/1", workflow, 201);
        given().auth().oauth2(editor).when().post("/api/workflows/host_lookup/versions/1/publish").then()
                .statusCode(422).body("errors.pointer", equalTo(List.of("/steps/FIND/uses")))
                .body("errors.detail[0]", containsString("none is published"));
        publish("/api/steps/lookup_host/versions/1.0.0", 200);
        publish("/api/workflows/host_lookup/versions/1", 200);

        put("/api/workflows/host_lookup/versions/2", workflow.replace("$.input.host", "$.input.hostname"), 201);
        given().auth().oauth2(editor).when().post("/api/workflows/host_lookup/versions/2/publish").then()
                .statusCode(422).body("errors.pointer", equalTo(List.of("/steps/FIND/with/id")));
    }

    @Test
    void incompatibleEventTypeChangesNeedAMajorVersion() {
        String v1 = """
                {"category": "entity", "schema": {"type": "object", "properties": {"id": {"type": "string"},
                  "channel": {"enum": ["airbnb", "vrbo"]}}, "required": ["id"]}}""";
        put("/api/event-types/rental.listed/versions/1.0.0", v1, 201);
        publish("/api/event-types/rental.listed/versions/1.0.0", 200);
        String breaking = """
                {"category": "entity", "schema": {"type": "object", "properties": {"id": {"type": "string"},
                  "channel": {"enum": ["airbnb"]}, "host": {"type": "string"}}, "required": ["id", "host"]}}""";
        put("/api/event-types/rental.listed/versions/1.1.0", breaking, 201);
        var problem = given().auth().oauth2(editor).when().post("/api/event-types/rental.listed/versions/1.1.0/publish")
                .then().statusCode(422).extract().jsonPath();
        List<String> details = new ArrayList<>(problem.getList("errors.detail", String.class));
        assertThat(details).anySatisfy(d -> assertThat(d).startsWith("required-added at $.host"));
        assertThat(details).anySatisfy(d -> assertThat(d).startsWith("enum-value-removed at $.channel"));
        assertThat(problem.getString("detail")).contains("BACKWARD").contains("major");
        put("/api/event-types/rental.listed/versions/2.0.0", breaking, 201);
        publish("/api/event-types/rental.listed/versions/2.0.0", 200);
        // A compatible change is fine as a minor version.
        put("/api/event-types/rental.listed/versions/2.1.0", breaking.replace("\"required\": [\"id\", \"host\"]",
                "\"required\": [\"id\", \"host\"], \"description\": \"x\""), 201);
        publish("/api/event-types/rental.listed/versions/2.1.0", 200);
    }

    @Test
    void twoConcurrentPublishesOfOneVersionGiveOne200AndOne409() throws Exception {
        for (int round = 0; round < 3; round++) {
            String path = "/api/steps/race_step/versions/1.0." + round;
            put(path, step("race_step", "1.0." + round), 201);
            CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> given().auth().oauth2(editor)
                    .when().post(path + "/publish").then().extract().statusCode());
            CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> given().auth().oauth2(editor)
                    .when().post(path + "/publish").then().extract().statusCode());
            assertThat(List.of(first.get(), second.get())).containsExactlyInAnyOrder(200, 409);
            given().auth().oauth2(viewer).when().get(path).then().statusCode(200).body("status",
                    equalTo("PUBLISHED"));
        }
    }
}
