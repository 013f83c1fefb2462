package dev.flowline.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.flowline.servicekit.problem.ProblemType;
import dev.flowline.servicekit.security.Roles;
import dev.flowline.testkit.Tokens;

@QuarkusTest
class SecurityAndProblemsTest {

    private static final String DRAFT = "/api/event-types/booking.created/versions/1.0.0";
    private static final String VALID = "{\"category\":\"entity\",\"schema\":{\"type\":\"object\"}}";

    @Test
    void viewerCannotWrite() {
        given().auth().oauth2(Tokens.forUser("vera", Roles.VIEWER)).contentType(ContentType.JSON).body(VALID)
                .when().put(DRAFT).then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo(ProblemType.FORBIDDEN.uri().toString()));
        given().auth().oauth2(Tokens.forUser("otto", Roles.OPERATOR)).when().post(DRAFT + "/publish").then()
                .statusCode(403);
    }

    @Test
    void malformedJsonIs400Problem() {
        given().auth().oauth2(Tokens.forUser("eddie", Roles.EDITOR)).contentType(ContentType.JSON)
                .body("{\"schema\": {\"type\": \"object\"")
                .when().put("/api/event-types/booking.malformed/versions/1.0.0").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo(ProblemType.MALFORMED_JSON.uri().toString()))
                .body("detail", containsString("not valid JSON"))
                .body("instance", equalTo("/api/event-types/booking.malformed/versions/1.0.0"));
        // Nothing was stored.
        given().auth().oauth2(Tokens.forUser("vera", Roles.VIEWER))
                .when().get("/api/event-types/booking.malformed/versions/1.0.0").then().statusCode(404);
    }

    @Test
    void invalidContentNamesTheOffendingField() {
        String editor = Tokens.forUser("eddie", Roles.EDITOR);
        given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"schema\": 42}")
                .when().put("/api/event-types/booking.invalid/versions/1.0.0").then().statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo(ProblemType.VALIDATION_FAILED.uri().toString()))
                .body("errors.pointer", hasItem("/schema"));
        given().auth().oauth2(editor).contentType(ContentType.JSON).body("[1,2]")
                .when().put("/api/event-types/booking.invalid/versions/1.0.0").then().statusCode(422)
                .body("errors.pointer", contains(""));
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(VALID)
                .when().put("/api/event-types/booking.created/versions/1.0").then().statusCode(422)
                .body("errors.pointer", contains("#version"));
        given().auth().oauth2(editor).contentType(ContentType.JSON).body(VALID)
                .when().put("/api/event-types/Booking/versions/1.0.0").then().statusCode(422)
                // One error for one bad name, naming the pattern and the form it stands for.
                .body("errors.pointer", contains("/type"))
                .body("errors.detail", contains("must match ^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$: entity.verb in "
                        + "the past tense, e.g. booking.created"));
        given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body("{\"type\":\"booking.other\",\"schema\":{}}")
                .when().put("/api/event-types/booking.invalid/versions/1.0.0").then().statusCode(422)
                .body("errors.pointer", contains("/type"));
    }

    @Test
    void unknownResourceIs404Problem() {
        given().auth().oauth2(Tokens.forUser("vera", Roles.VIEWER))
                .when().get("/api/event-types/booking.unknown/versions/9.9.9").then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo(ProblemType.NOT_FOUND.uri().toString()))
                .body("detail", containsString("booking.unknown"));
    }

    @Test
    void wrongMediaTypeAndMethodAreProblemsToo() {
        String editor = Tokens.forUser("eddie", Roles.EDITOR);
        given().auth().oauth2(editor).contentType(ContentType.TEXT).body("hello")
                .when().put(DRAFT).then().statusCode(415)
                .contentType("application/problem+json")
                .body("type", equalTo(ProblemType.UNSUPPORTED_MEDIA_TYPE.uri().toString()));
        given().auth().oauth2(editor).when().delete(DRAFT).then().statusCode(405)
                .contentType("application/problem+json")
                .body("type", equalTo(ProblemType.METHOD_NOT_ALLOWED.uri().toString()));
    }

    @Test
    void healthChecksTheDatabaseAndOpenApiListsTheApi() {
        given().when().get("/q/health").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Database")));
        given().when().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/{collection}/{name}/versions/{version}"));
    }
}
