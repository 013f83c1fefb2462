package dev.flowline.catalog;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import dev.flowline.servicekit.security.Roles;
import dev.flowline.testkit.Tokens;

@QuarkusTest
class LegacyImportTest {

    private final ObjectMapper json = new ObjectMapper();

    private ObjectNode fixture() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/legacy/process_payout.json")) {
            return (ObjectNode) json.readTree(in);
        }
    }

    @Test
    void theFixtureImportsPublishesAndExportsBackEquivalent() throws Exception {
        String editor = Tokens.forUser("eddie", Roles.EDITOR);
        JsonPath imported = given().auth().oauth2(editor).contentType(ContentType.JSON).body(fixture().toString())
                .when().post("/api/imports/legacy-workflow").then().statusCode(201)
                .body("workflow.definition.start", equalTo("MATCH"))
                .body("workflow.definition.end", equalTo(List.of("COMPLETE")))
                .body("workflow.definition.command", equalTo("finance.payouts.process"))
                .body("workflow.status", equalTo("DRAFT"))
                .body("report.kind", hasItem("assumption"))
                .extract().jsonPath();
        List<Map<String, Object>> steps = imported.getList("steps");
        assertThat(steps).hasSize(6);
        assertThat(imported.getList("steps.definition.errors.code.flatten()")).hasSize(8);
        assertThat(imported.getList("report.message", String.class))
                .anySatisfy(m -> assertThat(m).contains("match_bookings has no binding"));
        assertThat(imported.getString("steps[0].definition.output.properties.unmatched_transaction_ids.items.format"))
                .isEqualTo("uuid");

        // Without bindings nothing publishes, and the workflow cannot resolve its steps.
        given().auth().oauth2(editor).when().post("/api/steps/match_bookings/versions/1.0.0/publish").then()
                .statusCode(422).body("errors.pointer", equalTo(List.of("/binding")));
        given().auth().oauth2(editor).when().post("/api/workflows/process_payout/versions/1/publish").then()
                .statusCode(422).body("errors.pointer", hasItem("/steps/MATCH/uses"));

        for (Map<String, Object> step : steps) {
            String name = (String) step.get("name");
            ObjectNode definition = json.valueToTree(step.get("definition"));
            definition.putObject("binding").put("type", "lambda").put("function", "flowline-" + name);
            String path = "/api/steps/" + name + "/versions/1.0.0";
            given().auth().oauth2(editor).contentType(ContentType.JSON).body(definition.toString()).when().put(path)
                    .then().statusCode(200);
            given().auth().oauth2(editor).when().post(path + "/publish").then().statusCode(200);
        }
        given().auth().oauth2(editor).when().post("/api/workflows/process_payout/versions/1/publish").then()
                .statusCode(200).body("status", equalTo("PUBLISHED"));

        String exported = given().auth().oauth2(Tokens.forUser("vera", Roles.VIEWER))
                .when().get("/api/workflows/process_payout/versions/1/legacy").then().statusCode(200)
                .extract().asString();
        assertThat(json.readTree(exported)).isEqualTo(fixture());
    }

    @Test
    void unknownFieldsAreReportedAndComeBackOnExport() throws Exception {
        ObjectNode legacy = fixture();
        legacy.put("workflow_name", "process_payout_copy");
        legacy.put("owner", "finance-ops");
        for (JsonNode state : legacy.get("states")) {
            ((ObjectNode) state).put("name", state.get("name").asText() + "_copy");
        }
        ((ObjectNode) legacy.get("states").get(0)).put("retries", 3);
        String editor = Tokens.forUser("eddie", Roles.EDITOR);
        JsonPath imported = given().auth().oauth2(editor).contentType(ContentType.JSON).body(legacy.toString())
                .when().post("/api/imports/legacy-workflow").then().statusCode(201).extract().jsonPath();
        assertThat(imported.getList("report.findAll { it.kind == 'unknown-field' }.pointer", String.class))
                .containsExactlyInAnyOrder("/owner", "/states/0/retries");
        String exported = given().auth().oauth2(editor)
                .when().get("/api/workflows/process_payout_copy/versions/1/legacy").then().statusCode(200)
                .extract().asString();
        assertThat(json.readTree(exported)).isEqualTo(legacy);
    }

    @Test
    void anInvalidLegacyDocumentIsRejectedWithPointersAndCreatesNothing() throws Exception {
        ObjectNode legacy = fixture();
        legacy.remove("initialState");
        legacy.put("workflow_name", "broken_payout");
        String editor = Tokens.forUser("eddie", Roles.EDITOR);
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(legacy.toString())
                .when().post("/api/imports/legacy-workflow").then().statusCode(422)
                .contentType("application/problem+json").body("errors.pointer", hasItem("/initialState"));
        ObjectNode badName = fixture();
        badName.put("workflow_name", "broken_payout");
        ((ObjectNode) badName.get("states").get(2)).put("name", "Apportion Transactions");
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(badName.toString())
                .when().post("/api/imports/legacy-workflow").then().statusCode(422)
                .body("errors.pointer", hasItem("/states/2/name"));
        given().auth().oauth2(editor).when().get("/api/workflows/broken_payout").then().statusCode(404);
    }

    @Test
    void aDuplicateIdentifierAndStatesThatNameNoStateAreAllRefusedAtOnceAndNothingIsCreated() throws Exception {
        ObjectNode legacy = fixture();
        legacy.put("workflow_name", "tangled_payout");
        JsonNode states = legacy.get("states");
        String firstId = states.get(0).get("identifier").asText();
        ((ObjectNode) states.get(1)).put("identifier", firstId);
        legacy.put("initialState", "NOWHERE");
        ((ObjectNode) states.get(2)).putArray("next").add("MISSING_NEXT");
        ((com.fasterxml.jackson.databind.node.ArrayNode) legacy.get("finalStates")).add("MISSING_FINAL");
        String editor = Tokens.forUser("eddie", Roles.EDITOR);
        JsonPath refused = given().auth().oauth2(editor).contentType(ContentType.JSON).body(legacy.toString())
                .when().post("/api/imports/legacy-workflow").then().statusCode(422)
                .contentType("application/problem+json").extract().jsonPath();
        assertThat(refused.getList("errors.pointer", String.class)).contains("/states/1/identifier",
                "/initialState", "/states/2/next/0", "/finalStates/" + (legacy.get("finalStates").size() - 1));
        assertThat(refused.getString("errors.find { it.pointer == '/states/1/identifier' }.detail")).contains(
                firstId, "/states/0");
        given().auth().oauth2(editor).when().get("/api/workflows/tangled_payout").then().statusCode(404);
        // The fixture itself, every state reachable by its identifier, still imports.
        ObjectNode valid = fixture();
        valid.put("workflow_name", "untangled_payout");
        for (JsonNode state : valid.get("states")) {
            ((ObjectNode) state).put("name", state.get("name").asText() + "_untangled");
        }
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(valid.toString())
                .when().post("/api/imports/legacy-workflow").then().statusCode(201);
    }
}
