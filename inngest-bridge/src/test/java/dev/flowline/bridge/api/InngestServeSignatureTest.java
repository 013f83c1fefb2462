package dev.flowline.bridge.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;

import dev.flowline.bridge.inngest.InngestFunction;
import dev.flowline.inngest.protocol.Signatures;

/** The serve endpoint in cloud mode (the test profile has signing keys and no INNGEST_DEV). */
@QuarkusTest
class InngestServeSignatureTest {

    private static final String KEY = "signkey-test-0123456789abcdef0123456789abcdef";
    private static final String FALLBACK = "signkey-test-fedcba9876543210fedcba9876543210";
    private static final String BODY = """
            {"event": {"name": "test/greet", "data": {"name": "Ada"}}, "events": [], "steps": {},
             "ctx": {"run_id": "run-1", "attempt": 0, "disable_immediate_execution": false}}""";

    private Response call(String signature) {
        var request = given().contentType("application/json").body(BODY.getBytes(StandardCharsets.UTF_8))
                .queryParam("fnId", "flowline-greet").queryParam("stepId", "step");
        if (signature != null) {
            request.header("X-Inngest-Signature", signature);
        }
        return request.when().post("/api/inngest");
    }

    private static String sign(String key, Instant at) {
        return Signatures.header(BODY.getBytes(StandardCharsets.UTF_8), key, at);
    }

    @Test
    void aSignedCallRunsTheFunctionAndTheAnswerIsSigned() throws Exception {
        Response response = call(sign(KEY, Instant.now()));
        response.then().statusCode(200).body("greeting", equalTo("hello Ada"))
                .header("X-Inngest-Req-Version", "2");
        byte[] answer = response.asByteArray();
        assertThat(Signatures.verify(response.header("X-Inngest-Signature"), answer, List.of(KEY), Instant.now()))
                .isEqualTo(KEY);
    }

    @Test
    void theFallbackKeySignsDuringARotation() {
        call(sign(FALLBACK, Instant.now())).then().statusCode(200).body("greeting", equalTo("hello Ada"));
    }

    @Test
    void unsignedForgedAndStaleCallsAreRefusedBeforeAnyCodeRuns() {
        call(null).then().statusCode(401);
        call(sign("signkey-test-00112233445566778899aabbccddeeff", Instant.now())).then().statusCode(401);
        call(sign(KEY, Instant.now().minus(Duration.ofMinutes(6)))).then().statusCode(401);
        String valid = sign(KEY, Instant.now());
        char last = valid.charAt(valid.length() - 1);
        String tampered = valid.substring(0, valid.length() - 1) + (last == '0' ? '1' : '0');
        call(tampered).then().statusCode(401);
    }

    /** The status line answered to a raw call announcing {@code length} bytes of body and sending none of them. */
    private static String answerBeforeTheBody(String signature, int length) throws Exception {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            // Without the gate the server waits for the body and this read times out.
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /api/inngest?fnId=flowline-greet&stepId=step HTTP/1.1\r\n"
                    + "Host: localhost\r\nContent-Type: application/json\r\n"
                    + (signature == null ? "" : "X-Inngest-Signature: " + signature + "\r\n")
                    + "Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }

    @Test
    void anUnsignedMalformedOrStaleCallIsRefusedBeforeItsBodyIsRead() throws Exception {
        int threeMiB = 3 * 1024 * 1024;
        assertThat(answerBeforeTheBody(null, threeMiB)).startsWith("HTTP/1.1 401");
        assertThat(answerBeforeTheBody("t=now&s=00", threeMiB)).startsWith("HTTP/1.1 401");
        assertThat(answerBeforeTheBody(sign(KEY, Instant.now().minus(Duration.ofMinutes(6))), threeMiB))
                .startsWith("HTTP/1.1 401");
    }

    @Test
    void aCallAnnouncingMoreThanTheBodyLimitIsRefusedBeforeItIsSent() throws Exception {
        // A fresh header passes the gate; the 4 MiB limit answers from the announced length alone.
        assertThat(answerBeforeTheBody(sign(KEY, Instant.now()), 5 * 1024 * 1024)).startsWith("HTTP/1.1 413");
    }

    @Test
    void anUnknownFunctionIsAnError() {
        given().contentType("application/json").body(BODY.getBytes(StandardCharsets.UTF_8))
                .header("X-Inngest-Signature", sign(KEY, Instant.now())).queryParam("fnId", "flowline-nope")
                .when().post("/api/inngest").then().statusCode(500);
    }

    @Inject
    Instance<InngestFunction> beans;

    private int expectedFunctionCount() {
        return beans.stream().mapToInt(f -> f.onFailure() == null ? 1 : 2).sum();
    }

    @Test
    void introspectionShowsKeyHashesOnlyToASignedRequest() {
        given().when().get("/api/inngest").then().statusCode(200).body("mode", equalTo("cloud"))
                // every function bean of the app and test sources, and each failure handler as a function of its own
                .body("function_count", equalTo(expectedFunctionCount())).body("has_signing_key", equalTo(true))
                .body("$", not(hasKey("signing_key_hash")));
        given().header("X-Inngest-Signature", Signatures.header(new byte[0], KEY, Instant.now()))
                .when().get("/api/inngest").then().statusCode(200)
                // 12 hex characters of the hash, never the whole hash (it is the API's bearer token)
                .body("signing_key_hash", equalTo(Signatures.hashedSigningKey(KEY).substring("signkey-test-"
                        .length(), "signkey-test-".length() + 12)))
                .body("signing_key_fallback_hash", equalTo(Signatures.hashedSigningKey(FALLBACK).substring(
                        "signkey-test-".length(), "signkey-test-".length() + 12)))
                .body(not(org.hamcrest.Matchers.containsString(Signatures.hashedSigningKey(KEY))));
    }
}
