package dev.flowline.trigger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.flowline.contracts.CatalogChange;
import dev.flowline.contracts.CatalogKind;
import dev.flowline.contracts.Topics;
import dev.flowline.contracts.WorkflowCommand;
import dev.flowline.servicekit.security.Roles;
import dev.flowline.testkit.KafkaTestClient;
import dev.flowline.testkit.PostgresTestResource;
import dev.flowline.testkit.Tokens;

/**
 * The database goes away under a stream of events and comes back: the intake waits for it instead of dead-lettering
 * what it could not process meanwhile.
 */
@QuarkusTest
class DatabaseOutageTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern TRANSIENT_FAILURES = Pattern.compile(
            "flowline_consumer_transient_failures_total\\{[^}]*channel=\"domain-events\"[^}]*} ([0-9.E]+)");

    @Inject
    ObjectMapper json;

    private final String viewer = Tokens.forUser("vera", Roles.VIEWER);

    private void publish(CatalogKind kind, String name, String version, String definition) throws Exception {
        CatalogChange change = new CatalogChange(UUID.nameUUIDFromBytes((kind + name + version).getBytes()), kind,
                name, version, CatalogChange.Status.PUBLISHED, json.readTree(definition),
                Instant.parse("2026-12-01T00:00:00Z"));
        KafkaTestClient.sendMessage(Topics.CATALOG_CHANGES, change.key(), json.writeValueAsString(change),
                CatalogChange.MESSAGE_TYPE, change.messageId());
    }

    private static void sendArrival(String id, String guest) {
        KafkaTestClient.send(Topics.DOMAIN_EVENTS, guest, """
                {"guest_id": "%s", "status": "arrived"}""".formatted(guest), Map.of("ce_specversion", "1.0",
                "ce_id", id, "ce_type", "guest.arrived", "ce_source", "/front-desk", "content-type",
                "application/json"));
    }

    private static double transientFailures() {
        Matcher matcher = TRANSIENT_FAILURES.matcher(given().when().get("/q/metrics").then().statusCode(200)
                .extract().asString());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    @Test
    void eventsArrivingWhileThePostgresServerIsDownAreAllEvaluatedOnceItIsBackAndNoneIsDeadLettered()
            throws Exception {
        publish(CatalogKind.EVENT_TYPE, "guest.arrived", "1.0.0", """
                {"type": "guest.arrived", "version": "1.0.0", "category": "entity",
                 "schema": {"type": "object", "required": ["guest_id", "status"],
                   "properties": {"guest_id": {"type": "string"}, "status": {"type": "string"}}}}""");
        publish(CatalogKind.WORKFLOW, "welcome_guest", "1", """
                {"name": "welcome_guest", "version": 1, "command": "guests.welcome", "start": "A", "end": ["A"],
                 "steps": {"A": {"uses": "welcome@^1"}},
                 "input": {"type": "object", "required": ["guest_id"],
                   "properties": {"guest_id": {"type": "string"}}}}""");
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(viewer)
                .when().get("/api/catalog-cache/workflow/welcome_guest/versions/1").then().statusCode(200));
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(viewer)
                .when().get("/api/catalog-cache/event-type/guest.arrived/versions/1.0.0").then().statusCode(200));
        String triggerId = given().auth().oauth2(Tokens.forUser("eddie", Roles.EDITOR)).contentType(ContentType.JSON)
                .body("""
                        {"eventType": "guest.arrived", "workflow": "welcome_guest",
                         "conditions": {"status": "arrived"}, "parameters": {"guest_id": "$.data.guest_id"}}""")
                .when().post("/api/triggers").then().statusCode(201).extract().path("id");

        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add("arrival-" + run + "-" + i);
            sendArrival(ids.get(i), "guest-" + i);
        }
        String beforeOutage = ids.get(9);
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(viewer).when().get("/api/events/"
                + beforeOutage + "/evaluation").then().statusCode(200));
        double failuresBefore = transientFailures();

        PostgresTestResource.stopServer();
        try {
            for (int i = 10; i < 40; i++) {
                ids.add("arrival-" + run + "-" + i);
                sendArrival(ids.get(i), "guest-" + i);
                Thread.sleep(100);
            }
            // The intake has met the outage (and is waiting it out) before the server comes back.
            await().atMost(WAIT).until(() -> transientFailures() >= failuresBefore + 3);
        } finally {
            PostgresTestResource.restartServer();
        }

        for (String id : ids) {
            await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(viewer).when().get("/api/events/" + id
                    + "/evaluation").then().statusCode(200).body("outcome", equalTo("evaluated")));
        }
        Set<String> expectedCommands = ids.stream().map(id -> WorkflowCommand.triggerCommandId(UUID.fromString(
                triggerId), id).toString()).collect(Collectors.toSet());
        await().atMost(WAIT).untilAsserted(() -> assertThat(KafkaTestClient.readAll(Topics.WORKFLOW_COMMANDS,
                r -> expectedCommands.contains(r.key()), Duration.ofSeconds(2)).stream().map(r -> r.key())
                .collect(Collectors.toSet())).isEqualTo(expectedCommands));
        assertThat(KafkaTestClient.readAll(Topics.DOMAIN_EVENTS_DLQ, r -> r.key() != null && r.key().startsWith(
                "arrival-" + run), Duration.ofSeconds(3))).isEmpty();
        // Health recovers too (a check that meets a connection the outage killed closes it; the next one is fresh).
        await().atMost(WAIT).untilAsserted(() -> given().when().get("/q/health").then().statusCode(200));
    }
}
