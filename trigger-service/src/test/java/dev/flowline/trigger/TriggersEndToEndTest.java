package dev.flowline.trigger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.flowline.contracts.CatalogChange;
import dev.flowline.contracts.CatalogKind;
import dev.flowline.contracts.Topics;
import dev.flowline.contracts.WorkflowCommand;
import dev.flowline.servicekit.security.Roles;
import dev.flowline.testkit.KafkaTestClient;
import dev.flowline.testkit.Tokens;

/** The seed examples, end to end: catalog state from Kafka, a trigger, events in, commands out. */
@QuarkusTest
class TriggersEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SEED_CONDITIONS = """
            {"status": ["confirmed","pending"], "amount": {"gt": 1000}, "source": "channel_manager"}""";
    private static final String SEED_PARAMETERS = """
            {"notify": true, "booking_id": "$.data.booking_id",
             "metadata": {"source": "$.data.metadata.source", "processed_at": "NOW()"}}""";

    @Inject
    ObjectMapper json;

    private final String editor = Tokens.forUser("eddie", Roles.EDITOR);
    private final String operator = Tokens.forUser("otto", Roles.OPERATOR);
    private final String viewer = Tokens.forUser("vera", Roles.VIEWER);

    @BeforeEach
    void catalog() throws Exception {
        publish(CatalogKind.EVENT_TYPE, "booking.created", "1.0.0", """
                {"type": "booking.created", "version": "1.0.0", "category": "entity",
                 "schema": {"type": "object", "required": ["booking_id", "status"],
                   "properties": {"booking_id": {"type": "string"}, "status": {"type": "string"},
                     "amount": {"type": "number"}, "source": {"type": "string"},
                     "metadata": {"type": "object", "properties": {"source": {"type": "string"}}}}}}""");
        publish(CatalogKind.WORKFLOW, "notify_booking", "1", """
                {"name": "notify_booking", "version": 1, "command": "bookings.notify", "start": "A", "end": ["A"],
                 "steps": {"A": {"uses": "notify@^1"}},
                 "input": {"type": "object", "required": ["booking_id"],
                   "properties": {"notify": {"type": "boolean"}, "booking_id": {"type": "string"},
                     "metadata": {"type": "object"}}}}""");
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(viewer)
                .when().get("/api/catalog-cache/workflow/notify_booking/versions/1").then().statusCode(200));
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(viewer)
                .when().get("/api/catalog-cache/event-type/booking.created/versions/1.0.0").then().statusCode(200));
    }

    private void publish(CatalogKind kind, String name, String version, String definition) throws Exception {
        CatalogChange change = new CatalogChange(UUID.nameUUIDFromBytes((kind + name + version).getBytes()), kind,
                name, version, CatalogChange.Status.PUBLISHED, json.readTree(definition),
                Instant.parse("2026-11-27T00:00:00Z"));
        KafkaTestClient.sendMessage(Topics.CATALOG_CHANGES, change.key(), json.writeValueAsString(change),
                CatalogChange.MESSAGE_TYPE, change.messageId());
    }

    private String createSeedTrigger(String workflowHint) {
        return given().auth().oauth2(editor).contentType(ContentType.JSON).body("""
                {"eventType": "booking.created", "workflow": "notify_booking", "description": "%s",
                 "conditions": %s, "parameters": %s}""".formatted(workflowHint, SEED_CONDITIONS, SEED_PARAMETERS))
                .when().post("/api/triggers").then().statusCode(201).extract().path("id");
    }

    private static void sendBinary(String id, String data) {
        KafkaTestClient.send(Topics.DOMAIN_EVENTS, "subject-1", data, Map.of(
                "ce_specversion", "1.0", "ce_id", id, "ce_type", "booking.created",
                "ce_source", "/channel-manager", "content-type", "application/json"));
    }

    @Test
    void theSeedTriggerTurnsAKafkaEventIntoACommandExactlyOnce() throws Exception {
        String triggerId = createSeedTrigger("seed");
        String eventId = "evt-" + UUID.randomUUID();
        String data = """
                {"booking_id": "b-42", "status": "confirmed", "amount": 1500.10, "source": "channel_manager",
                 "metadata": {"source": "airbnb"}}""";
        sendBinary(eventId, data);
        UUID commandId = WorkflowCommand.triggerCommandId(UUID.fromString(triggerId), eventId);
        ConsumerRecord<String, String> record = KafkaTestClient.awaitRecord(Topics.WORKFLOW_COMMANDS,
                r -> r.key().equals(commandId.toString()), WAIT);
        WorkflowCommand command = json.readValue(record.value(), WorkflowCommand.class);
        assertThat(command.workflow()).isEqualTo("notify_booking");
        assertThat(command.source().eventId()).isEqualTo(eventId);
        assertThat(command.parameters().get("notify").asBoolean()).isTrue();
        assertThat(command.parameters().get("booking_id").asText()).isEqualTo("b-42");
        assertThat(command.parameters().at("/metadata/source").asText()).isEqualTo("airbnb");
        assertThat(Instant.parse(command.parameters().at("/metadata/processed_at").asText()))
                .isBefore(Instant.now().plusSeconds(1));

        given().auth().oauth2(viewer).when().get("/api/events/" + eventId + "/evaluation").then().statusCode(200)
                .body("outcome", equalTo("evaluated"))
                .body("evaluation.triggers.find { it.triggerId == '" + triggerId + "' }.fired", equalTo(true))
                .body("evaluation.triggers.find { it.triggerId == '" + triggerId + "' }.commandId",
                        equalTo(commandId.toString()));
        given().auth().oauth2(viewer).when().get("/api/commands/" + commandId).then().statusCode(200)
                .body("source", equalTo("trigger")).body("triggerId", equalTo(triggerId));

        // The same event again (a redelivery) starts nothing new.
        sendBinary(eventId, data);
        String marker = "evt-" + UUID.randomUUID();
        sendBinary(marker, "{\"booking_id\": \"b-0\", \"status\": \"cancelled\"}");
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(viewer)
                .when().get("/api/events/" + marker + "/evaluation").then().statusCode(200));
        List<ConsumerRecord<String, String>> all = KafkaTestClient.readAll(Topics.WORKFLOW_COMMANDS,
                r -> r.key().equals(commandId.toString()), Duration.ofSeconds(3));
        assertThat(all).hasSize(1);

        // The marker did not match: its evaluation names the first failing condition.
        given().auth().oauth2(viewer).when().get("/api/events/" + marker + "/evaluation").then()
                .body("evaluation.triggers.find { it.triggerId == '" + triggerId + "' }.fired", equalTo(false))
                .body("evaluation.triggers.find { it.triggerId == '" + triggerId + "' }.failure.path",
                        equalTo("$.data.status"));
    }

    @Inject
    dev.flowline.trigger.domain.EventProcessor processor;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    @Test
    void aFullBatchOfEventsIsProcessedWholeWithACommandEach() throws Throwable {
        String triggerId = createSeedTrigger("full-batch");
        String prefix = "evt-" + UUID.randomUUID() + "-";
        List<dev.flowline.trigger.domain.EventProcessor.Received> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            JsonNode data = json.readTree("""
                    {"booking_id": "b-%d", "status": "confirmed", "amount": 2000, "source": "channel_manager",
                     "metadata": {"source": "airbnb"}}""".formatted(i));
            batch.add(new dev.flowline.trigger.domain.EventProcessor.Received(
                    new dev.flowline.trigger.domain.DomainEvent(prefix + i, "booking.created", "/channel-manager", null,
                            null, null, data, 200),
                    data.toString(), null));
        }
        double fallbacks = registry.counter(dev.flowline.trigger.domain.EventProcessor.BATCH_FALLBACKS).count();
        // A poll's worth at once, as the consumer hands it over; before InOrder this never completed.
        io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> processor.processBatch(batch).ifNoItem()
                .after(WAIT).fail());
        // Whole, on the batched path: not record by record after the batch failed.
        assertThat(registry.counter(dev.flowline.trigger.domain.EventProcessor.BATCH_FALLBACKS).count()).isEqualTo(
                fallbacks);
        for (int i : List.of(0, 99, 199)) {
            UUID commandId = WorkflowCommand.triggerCommandId(UUID.fromString(triggerId), prefix + i);
            given().auth().oauth2(viewer).when().get("/api/commands/" + commandId).then().statusCode(200)
                    .body("triggerId", equalTo(triggerId));
        }
        List<ConsumerRecord<String, String>> sent = KafkaTestClient.readAll(Topics.WORKFLOW_COMMANDS,
                r -> r.value().contains(prefix) && r.value().contains(triggerId), Duration.ofSeconds(5));
        assertThat(sent).hasSize(200);
    }

    @Test
    void invalidKafkaEventsGoToTheDeadLetterTopicWithTheReason() {
        String bad = "evt-" + UUID.randomUUID();
        sendBinary(bad, "{\"booking_id\": 42, \"status\": \"confirmed\"}");
        ConsumerRecord<String, String> letter = KafkaTestClient.awaitRecord(Topics.DOMAIN_EVENTS_DLQ,
                r -> r.key().equals(bad), WAIT);
        assertThat(KafkaTestClient.header(letter, "flowline-dlq-reason")).isEqualTo("schema-violation");
        assertThat(letter.value()).contains("/data/booking_id");

        KafkaTestClient.send(Topics.DOMAIN_EVENTS, "x", "not a cloud event", Map.of());
        ConsumerRecord<String, String> unreadable = KafkaTestClient.awaitRecord(Topics.DOMAIN_EVENTS_DLQ,
                r -> r.value().contains("not a cloud event"), WAIT);
        assertThat(KafkaTestClient.header(unreadable, "flowline-dlq-reason")).isEqualTo("unreadable");

        String unknown = "evt-" + UUID.randomUUID();
        KafkaTestClient.send(Topics.DOMAIN_EVENTS, "x", "{}", Map.of("ce_specversion", "1.0", "ce_id", unknown,
                "ce_type", "payout.exploded", "ce_source", "/x", "content-type", "application/json"));
        assertThat(KafkaTestClient.header(KafkaTestClient.awaitRecord(Topics.DOMAIN_EVENTS_DLQ,
                r -> r.key().equals(unknown), WAIT), "flowline-dlq-reason")).isEqualTo("unknown-type");
    }

    @Test
    void aDeadLetterEmbedsAtMost64KiBOfTheRejectedEventAndSaysWhatWasCut() throws Exception {
        String big = "evt-" + UUID.randomUUID();
        String data = "{\"booking_id\": \"b-big\", \"status\": \"confirmed\", \"notes\": \"" + "n".repeat(300_000)
                + "\"}";
        sendBinary(big, data);
        ConsumerRecord<String, String> letter = KafkaTestClient.awaitRecord(Topics.DOMAIN_EVENTS_DLQ,
                r -> r.key().equals(big), WAIT);
        // Over the event size limit: the very case whose dead letter would otherwise outgrow a Kafka record.
        assertThat(KafkaTestClient.header(letter, "flowline-dlq-reason")).isEqualTo("oversize");
        com.fasterxml.jackson.databind.JsonNode body = json.readTree(letter.value());
        assertThat(body.path("eventTruncated").asBoolean()).isTrue();
        assertThat(body.path("eventBytes").asInt()).isGreaterThan(300_000);
        assertThat(body.path("eventSha256").asText()).matches("[0-9a-f]{64}");
        assertThat(body.path("event").asText()).hasSize(64 * 1024).startsWith(data.substring(0, 20));
        assertThat(letter.value().length()).isLessThan(80 * 1024);
    }

    @Test
    void structuredCloudEventsAndHttpBatchesAreAccepted() throws Exception {
        String triggerId = createSeedTrigger("structured");
        String structured = "evt-" + UUID.randomUUID();
        KafkaTestClient.send(Topics.DOMAIN_EVENTS, "s", """
                {"specversion": "1.0", "id": "%s", "type": "booking.created", "source": "/cm",
                 "datacontenttype": "application/json",
                 "data": {"booking_id": "b-7", "status": "pending", "amount": 2000, "source": "channel_manager"}}"""
                .formatted(structured), Map.of("content-type", "application/cloudevents+json"));
        UUID commandId = WorkflowCommand.triggerCommandId(UUID.fromString(triggerId), structured);
        KafkaTestClient.awaitRecord(Topics.WORKFLOW_COMMANDS, r -> r.key().equals(commandId.toString()), WAIT);

        String good = "evt-" + UUID.randomUUID();
        String batch = """
                [{"specversion": "1.0", "id": "%s", "type": "booking.created", "source": "/api",
                  "data": {"booking_id": "b-1", "status": "confirmed", "amount": 5000, "source": "channel_manager"}},
                 {"specversion": "1.0", "id": "bad-1", "type": "booking.created", "source": "/api",
                  "data": {"status": "confirmed", "amount": "lots"}}]""".formatted(good);
        given().auth().oauth2(operator).contentType(ContentType.JSON).body(batch).when().post("/api/events")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.pointer", hasItems("/1/data", "/1/data/amount"));
        given().auth().oauth2(viewer).when().get("/api/events/" + good + "/evaluation").then().statusCode(404);

        given().auth().oauth2(viewer).contentType(ContentType.JSON).body("[]").when().post("/api/events").then()
                .statusCode(403);
        String service = Tokens.forUser("channel-manager", Roles.SERVICE);
        given().auth().oauth2(service).contentType(ContentType.JSON)
                .body(batch.substring(0, batch.indexOf(",\n {\"specversion\"")) + "]")
                .when().post("/api/events").then().statusCode(202)
                .body("events[0].id", equalTo(good)).body("events[0].accepted", equalTo(true))
                .body("events[0].commandIds", hasItem(WorkflowCommand.triggerCommandId(UUID.fromString(triggerId),
                        good).toString()));

        // The legacy events.trigger envelope is normalised.
        given().auth().oauth2(operator).contentType(ContentType.JSON).body("""
                {"name": "events.trigger", "data": {"id": "legacy-1", "event_type": "booking.created",
                  "source_workflow": "booking_sync", "data": {"booking_id": "b-9", "status": "pending"}}}""")
                .when().post("/api/events").then().statusCode(202).body("events[0].id", equalTo("legacy-1"));
        given().auth().oauth2(viewer).when().get("/api/events/legacy-1/evaluation").then().statusCode(200)
                .body("source", equalTo("booking_sync"));
    }

    @Test
    void triggersAreValidatedWhenSaved() {
        String body = """
                {"eventType": "booking.created", "workflow": "notify_booking", "conditions": %s, "parameters": %s}""";
        given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body(body.formatted("{\"amout\": {\"gt\": 1}, \"amount\": {\"prefix\": \"x\"}, \"status\": 7}",
                        "{\"booking_id\": \"$.data.bookingId\"}"))
                .when().post("/api/triggers").then().statusCode(422)
                .body("errors.pointer", hasItems("/conditions/amout/gt", "/conditions/amount/prefix",
                        "/conditions/status", "/parameters/booking_id"));
        // A condition that does not parse is reported as such (its paths are checked once it parses).
        given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body(body.formatted("{\"status\": {\"prefix\": 3}}", "{\"booking_id\": \"$.data.booking_id\"}"))
                .when().post("/api/triggers").then().statusCode(422)
                .body("errors.pointer", hasItems("/conditions/status/prefix"));
        given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body(body.formatted("{}", "{\"notify\": \"$.data.status\"}"))
                .when().post("/api/triggers").then().statusCode(422)
                .body("errors.pointer", hasItems("/parameters", "/parameters/notify"));
        given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body("{\"eventType\": \"booking.vanished\", \"workflow\": \"nothing\"}")
                .when().post("/api/triggers").then().statusCode(422)
                .body("errors.pointer", hasItems("/eventType", "/workflow"));
        given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"workflow\": \"notify_booking\"}")
                .when().post("/api/triggers").then().statusCode(400)
                .body("errors.pointer", hasItem("/eventType"));
        given().auth().oauth2(viewer).contentType(ContentType.JSON)
                .body(body.formatted(SEED_CONDITIONS, SEED_PARAMETERS)).when().post("/api/triggers").then()
                .statusCode(403);
    }

    @Test
    void aDryRunSaysWhatWouldFireAndEmitsNothing() {
        String event = "dry-" + UUID.randomUUID();
        given().auth().oauth2(viewer).contentType(ContentType.JSON).body("""
                {"event": {"specversion": "1.0", "id": "%s", "type": "booking.created", "source": "/t",
                  "data": {"booking_id": "b-3", "status": "confirmed", "amount": 1001, "source": "channel_manager",
                           "metadata": {"source": "vrbo"}}},
                 "trigger": {"eventType": "booking.created", "workflow": "notify_booking",
                             "conditions": %s, "parameters": %s}}""".formatted(event, SEED_CONDITIONS,
                SEED_PARAMETERS))
                .when().post("/api/triggers/dry-run").then().statusCode(200)
                .body("accepted", equalTo(true))
                .body("triggers.find { it.draft }.fired", equalTo(true))
                .body("triggers.find { it.draft }.parameters.metadata.source", equalTo("vrbo"));
        given().auth().oauth2(viewer).when().get("/api/events/" + event + "/evaluation").then().statusCode(404);
    }

    @Test
    void concurrentRetriesOfOneRequestAnswerOneCommandAndAKeyIsTheCallersOwn() throws Exception {
        String key = "race-" + UUID.randomUUID();
        String body = "{\"booking_id\": \"b-race\", \"notify\": true}";
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<io.restassured.response.Response>> retries = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                retries.add(pool.submit(() -> given().auth().oauth2(operator).contentType(ContentType.JSON).header(
                        "Idempotency-Key", key).body(body).when().post("/api/commands/notify_booking")));
            }
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (var retry : retries) {
                io.restassured.response.Response answer = retry.get();
                assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(202);
                ids.add(answer.path("id"));
            }
            assertThat(ids).hasSize(1);
        } finally {
            pool.shutdown();
        }
        // The same key for another request by the same caller: refused, naming the header.
        given().auth().oauth2(operator).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body("{\"booking_id\": \"b-other\", \"notify\": true}").when().post("/api/commands/notify_booking")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.pointer", hasItems("#Idempotency-Key"));
        // Another caller's key is its own: the same key makes that caller's own command.
        String others = given().auth().oauth2(editor).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(body).when().post("/api/commands/notify_booking").then().statusCode(202).extract().path("id");
        String mine = given().auth().oauth2(operator).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(body).when().post("/api/commands/notify_booking").then().statusCode(202).extract().path("id");
        assertThat(others).isNotEqualTo(mine);
    }

    @Test
    void commandsAreValidatedAndIdempotent() throws Exception {
        String key = "req-" + UUID.randomUUID();
        String first = given().auth().oauth2(operator).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body("{\"booking_id\": \"b-5\", \"notify\": false}").when().post("/api/commands/notify_booking")
                .then().statusCode(202).body("source", equalTo("api")).body("requestedBy", equalTo("otto"))
                .extract().path("id");
        String again = given().auth().oauth2(operator).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body("{\"booking_id\": \"b-5\", \"notify\": false}").when().post("/api/commands/notify_booking")
                .then().statusCode(202).extract().path("id");
        assertThat(again).isEqualTo(first);
        JsonNode sent = readJson(KafkaTestClient.awaitRecord(Topics.WORKFLOW_COMMANDS, r -> r.key().equals(first),
                WAIT).value());
        assertThat(sent.at("/parameters/booking_id").asText()).isEqualTo("b-5");

        given().auth().oauth2(operator).contentType(ContentType.JSON).body("{\"notify\": \"yes\"}")
                .when().post("/api/commands/notify_booking").then().statusCode(422)
                .body("errors.pointer", hasItems("", "/notify"));
        given().auth().oauth2(operator).contentType(ContentType.JSON).body("{}")
                .when().post("/api/commands/no_such_workflow").then().statusCode(404);
        given().auth().oauth2(viewer).contentType(ContentType.JSON).body("{\"booking_id\": \"b\"}")
                .when().post("/api/commands/notify_booking").then().statusCode(403);
        given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"booking_id\": \"b\"}")
                .when().post("/api/commands/notify_booking").then().statusCode(202);
    }

    @Inject
    dev.flowline.trigger.domain.EventRetention retention;

    @Test
    void eventsAreForgottenAfterTheRetentionWindow() throws Throwable {
        String id = "old-" + UUID.randomUUID();
        given().auth().oauth2(operator).contentType(ContentType.JSON).body("""
                {"specversion": "1.0", "id": "%s", "type": "booking.created", "source": "/t",
                 "data": {"booking_id": "b", "status": "pending"}}""".formatted(id)).when().post("/api/events")
                .then().statusCode(202).body("events[0].duplicate", equalTo(false));
        given().auth().oauth2(operator).contentType(ContentType.JSON).body("""
                {"specversion": "1.0", "id": "%s", "type": "booking.created", "source": "/t",
                 "data": {"booking_id": "b", "status": "pending"}}""".formatted(id)).when().post("/api/events")
                .then().statusCode(202).body("events[0].duplicate", equalTo(true));
        long purged = io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(
                () -> retention.purgeBefore(Instant.now().plusSeconds(1)));
        assertThat(purged).isPositive();
        given().auth().oauth2(viewer).when().get("/api/events/" + id + "/evaluation").then().statusCode(404);
    }

    private JsonNode readJson(String text) throws Exception {
        return json.readTree(text);
    }
}
