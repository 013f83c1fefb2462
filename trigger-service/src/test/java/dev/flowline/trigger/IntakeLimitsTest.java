package dev.flowline.trigger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.flowline.servicekit.security.Roles;
import dev.flowline.testkit.Tokens;

/** The HTTP intake's limits: each is answered before the events are checked, and nothing is accepted. */
@QuarkusTest
class IntakeLimitsTest {

    private final String operator = Tokens.forUser("otto", Roles.OPERATOR);
    private final String viewer = Tokens.forUser("vera", Roles.VIEWER);

    private static String event(String id) {
        return """
                {"specversion": "1.0", "id": "%s", "type": "booking.created", "source": "/api",
                 "data": {"booking_id": "b-1", "status": "confirmed"}}""".formatted(id);
    }

    @Test
    void aBatchOfMoreEventsThanTheCapIsRefusedWholeWith413() {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 501; i++) {
            batch.append(i == 0 ? "" : ",").append(event("over-cap-" + i));
        }
        given().auth().oauth2(operator).contentType(ContentType.JSON).body(batch.append("]").toString())
                .when().post("/api/events").then().statusCode(413).contentType("application/problem+json")
                .body("type", endsWith("/payload-too-large"))
                .body("detail", containsString("at most 500 events; this one has 501"));
        given().auth().oauth2(viewer).when().get("/api/events/over-cap-0/evaluation").then().statusCode(404);
    }

    @Test
    void aBodyNestedDeeperThanTheParserAllowsIsMalformedJsonNamingTheLimit() {
        String deep = "{\"a\":".repeat(150) + "1" + "}".repeat(150);
        given().auth().oauth2(operator).contentType(ContentType.JSON).body(event("too-deep-1").replace(
                "\"status\": \"confirmed\"", "\"status\": \"confirmed\", \"x\": " + deep)).when().post("/api/events")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", endsWith("/malformed-json")).body("detail", containsString("nesting depth"));
        given().auth().oauth2(viewer).when().get("/api/events/too-deep-1/evaluation").then().statusCode(404);
    }

    @Test
    void aBodyLargerThanTheServiceReadsIsRefusedWith413BeforeItIsSent() throws Exception {
        // A raw request announcing 9 MiB and sending none of it: the answer comes from the announced length alone
        // (a client that streams the whole body meets a closed connection once the server has answered).
        try (java.net.Socket socket = new java.net.Socket("localhost", io.restassured.RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /api/events HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + operator + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (9 * 1024 * 1024) + "\r\n\r\n[").getBytes(
                            java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            java.io.BufferedReader answer = new java.io.BufferedReader(new java.io.InputStreamReader(socket
                    .getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            org.assertj.core.api.Assertions.assertThat(answer.readLine()).startsWith("HTTP/1.1 413");
            // A problem document like every other refusal (the connection closes after it: the body stays unread).
            StringBuilder rest = new StringBuilder();
            int length = 0;
            for (String line = answer.readLine(); line != null && !line.isEmpty(); line = answer.readLine()) {
                rest.append(line).append('\n');
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring("content-length:".length()).trim());
                }
            }
            char[] body = new char[length];
            for (int read = 0; read < length;) {
                read += answer.read(body, read, length - read);
            }
            rest.append(body);
            org.assertj.core.api.Assertions.assertThat(rest.toString().toLowerCase(java.util.Locale.ROOT))
                    .contains("content-type: application/problem+json").contains("/payload-too-large")
                    .contains("this service reads at most 8388608");
        }
    }
}
