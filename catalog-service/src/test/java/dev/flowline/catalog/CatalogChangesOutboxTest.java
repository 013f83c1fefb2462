package dev.flowline.catalog;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.flowline.contracts.CatalogChange;
import dev.flowline.contracts.MessageHeaders;
import dev.flowline.contracts.Topics;
import dev.flowline.outbox.Outbox;
import dev.flowline.outbox.OutboxRelay;
import dev.flowline.servicekit.security.Roles;
import dev.flowline.testkit.KafkaTestClient;
import dev.flowline.testkit.Tokens;

@QuarkusTest
class CatalogChangesOutboxTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    OutboxRelay relay;

    @Inject
    Outbox outbox;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    @Inject
    ObjectMapper json;

    @Test
    void publishingADraftAnnouncesItOnTheCompactedTopic() throws Exception {
        String path = "/api/event-types/booking.created/versions/1.0.0";
        String editor = Tokens.forUser("eddie", Roles.EDITOR);
        given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body("{\"category\":\"entity\",\"schema\":{\"type\":\"object\"}}")
                .when().put(path).then().statusCode(201).body("status", equalTo("DRAFT"));
        given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body("{\"category\":\"entity\",\"schema\":{\"type\":\"object\",\"required\":[\"booking_id\"]}}")
                .when().put(path).then().statusCode(200).body("status", equalTo("DRAFT"));
        given().auth().oauth2(editor).when().post(path + "/publish").then().statusCode(200)
                .body("status", equalTo("PUBLISHED")).body("publishedAt", notNullValue());

        ConsumerRecord<String, String> record = KafkaTestClient.awaitRecord(Topics.CATALOG_CHANGES,
                r -> r.key().equals("event-type/booking.created/1.0.0"), WAIT);
        CatalogChange change = json.readValue(record.value(), CatalogChange.class);
        assertThat(change.status()).isEqualTo(CatalogChange.Status.PUBLISHED);
        assertThat(change.definition().at("/schema/required/0").asText()).isEqualTo("booking_id");
        assertThat(KafkaTestClient.header(record, MessageHeaders.MESSAGE_ID))
                .isEqualTo(change.messageId().toString());
        assertThat(KafkaTestClient.header(record, MessageHeaders.MESSAGE_TYPE)).isEqualTo(CatalogChange.MESSAGE_TYPE);

        // Published versions are immutable.
        given().auth().oauth2(editor).when().post(path + "/publish").then().statusCode(409)
                .contentType("application/problem+json");
        given().auth().oauth2(editor).contentType(ContentType.JSON).body("{\"category\":\"entity\",\"schema\":{}}")
                .when().put(path).then().statusCode(409);

        // Deprecation is announced too, under the same compacted key.
        given().auth().oauth2(Tokens.forUser("ada", Roles.ADMIN)).when().post(path + "/deprecate").then()
                .statusCode(200);
        KafkaTestClient.awaitRecord(Topics.CATALOG_CHANGES, r -> r.key().equals("event-type/booking.created/1.0.0")
                && r.value().contains("\"DEPRECATED\""), WAIT);
        awaitAllSent();
    }

    /**
     * A crash between the commit and the Kafka send is the relay not running after the commit: the message waits in
     * the table and goes out once a relay runs again.
     */
    @Test
    void aCommittedChangeSurvivesARelayThatIsNotRunning() throws Exception {
        String path = "/api/event-types/payout.sent/versions/2.0.0";
        String editor = Tokens.forUser("eddie", Roles.EDITOR);
        given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body("{\"category\":\"entity\",\"schema\":{\"type\":\"object\"}}")
                .when().put(path).then().statusCode(201);
        relay.pause();
        try {
            given().auth().oauth2(editor).when().post(path + "/publish").then().statusCode(200);
            assertThat(pendingRows("payout.sent/2.0.0")).isEqualTo(1);
            assertThat(KafkaTestClient.readAll(Topics.CATALOG_CHANGES,
                    r -> r.key().equals("event-type/payout.sent/2.0.0"), Duration.ofSeconds(3))).isEmpty();
        } finally {
            relay.resume();
        }
        KafkaTestClient.awaitRecord(Topics.CATALOG_CHANGES, r -> r.key().equals("event-type/payout.sent/2.0.0"), WAIT);
        awaitAllSent();
    }

    /**
     * A crash after the send but before the row is marked sent publishes the message again: the copy carries the same
     * message id, which is what consumers deduplicate on.
     */
    @Test
    void aResentMessageKeepsItsMessageId() throws Exception {
        String path = "/api/event-types/rental.updated/versions/1.0.0";
        String editor = Tokens.forUser("eddie", Roles.EDITOR);
        given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body("{\"category\":\"entity\",\"schema\":{\"type\":\"object\"}}")
                .when().put(path).then().statusCode(201);
        given().auth().oauth2(editor).when().post(path + "/publish").then().statusCode(200);
        awaitAllSent();
        execute("update outbox set sent_at = null where message_key = 'event-type/rental.updated/1.0.0'");
        // The next relay round (the scheduled one, in production) finds the row unsent and publishes it again.
        relay.wake();

        Duration window = Duration.ofSeconds(5);
        List<ConsumerRecord<String, String>> copies = KafkaTestClient.readAll(Topics.CATALOG_CHANGES,
                r -> r.key().equals("event-type/rental.updated/1.0.0"), window);
        assertThat(copies).hasSize(2);
        assertThat(copies).extracting(r -> KafkaTestClient.header(r, MessageHeaders.MESSAGE_ID)).containsOnly(
                KafkaTestClient.header(copies.get(0), MessageHeaders.MESSAGE_ID));
        JsonNode first = json.readTree(copies.get(0).value());
        assertThat(json.readTree(copies.get(1).value())).isEqualTo(first);
    }

    /**
     * A message Kafka can never take (larger than the producer's max.request.size) used to fail every round and hold
     * back everything behind it. It is parked with its error, and the message after it is published.
     */
    @Test
    void aMessageThatCannotBePublishedIsParkedAndTheOnesAfterItStillGoOut() throws Throwable {
        String big = "x".repeat(1_200_000);
        java.util.UUID bigId = java.util.UUID.randomUUID();
        java.util.UUID nextId = java.util.UUID.randomUUID();
        relay.pause();
        try {
            io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> outbox.transaction(() -> outbox.enqueue(
                    Topics.CATALOG_CHANGES, "test/too-large", "test/v1", bigId, java.util.Map.of("blob", big))
                    .flatMap(ignored -> outbox.enqueue(Topics.CATALOG_CHANGES, "test/after-too-large", "test/v1",
                            nextId, java.util.Map.of("small", true)))));
        } finally {
            relay.resume();
        }
        KafkaTestClient.awaitRecord(Topics.CATALOG_CHANGES, r -> r.key().equals("test/after-too-large"), WAIT);
        long deadline = System.currentTimeMillis() + WAIT.toMillis();
        java.util.Map<String, String> row;
        do {
            Thread.sleep(100);
            row = row("select parked_at, last_error, attempts, sent_at from outbox where message_id = '" + bigId + "'");
        } while (row.get("parked_at") == null && System.currentTimeMillis() < deadline);
        assertThat(row.get("parked_at")).isNotNull();
        assertThat(row.get("last_error")).contains("RecordTooLargeException");
        assertThat(row.get("attempts")).isEqualTo("1");
        assertThat(row.get("sent_at")).isNull();
        assertThat(registry.counter("flowline.outbox.parked").count()).isGreaterThanOrEqualTo(1.0);
        // Parked: later rounds leave it alone.
        relay.wake();
        Thread.sleep(500);
        assertThat(row("select attempts from outbox where message_id = '" + bigId + "'").get("attempts")).isEqualTo(
                "1");
    }

    /** The first row of a query, column name to value (null for SQL null). */
    private static java.util.Map<String, String> row(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            java.util.Map<String, String> values = new java.util.HashMap<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                values.put(rs.getMetaData().getColumnName(i), rs.getString(i));
            }
            return values;
        }
    }

    private void awaitAllSent() throws Exception {
        long deadline = System.currentTimeMillis() + WAIT.toMillis();
        while (pendingRows("") > 0) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("outbox still has unsent rows");
            }
            Thread.sleep(100);
        }
    }

    private static int pendingRows(String keySuffix) throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s
                        .executeQuery("select count(*) from outbox where sent_at is null and parked_at is null"
                                + " and message_key like '%"
                                + keySuffix + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static Connection connect() throws SQLException {
        var config = ConfigProvider.getConfig();
        Connection connection = DriverManager.getConnection(
                config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
        connection.setSchema("catalog");
        return connection;
    }
}
