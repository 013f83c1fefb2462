package dev.flowline.trigger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;

import dev.flowline.contracts.CatalogChange;
import dev.flowline.contracts.CatalogKind;
import dev.flowline.contracts.Topics;
import dev.flowline.contracts.WorkflowRunUpdate;
import dev.flowline.servicekit.security.Roles;
import dev.flowline.testkit.KafkaTestClient;
import dev.flowline.testkit.Tokens;
import dev.flowline.trigger.domain.ScheduleRunner;

@QuarkusTest
class SchedulesTest {

    @Inject
    ScheduleRunner runner;

    @Inject
    ObjectMapper json;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    private final String editor = Tokens.forUser("eddie", Roles.EDITOR);
    private final String viewer = Tokens.forUser("vera", Roles.VIEWER);

    @BeforeEach
    void workflowInCatalog() throws Exception {
        CatalogChange change = new CatalogChange(UUID.nameUUIDFromBytes("schedules-wf".getBytes()),
                CatalogKind.WORKFLOW, "nightly_payouts", "1", CatalogChange.Status.PUBLISHED, json.readTree("""
                        {"name": "nightly_payouts", "version": 1, "command": "payouts.nightly", "start": "A",
                         "end": ["A"], "steps": {"A": {"uses": "pay@^1"}},
                         "input": {"type": "object", "required": ["region"],
                                   "properties": {"region": {"type": "string"}, "dry": {"type": "boolean"}}}}"""),
                Instant.parse("2026-11-27T00:00:00Z"));
        KafkaTestClient.sendMessage(Topics.CATALOG_CHANGES, change.key(), json.writeValueAsString(change),
                CatalogChange.MESSAGE_TYPE, change.messageId());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(viewer)
                .when().get("/api/catalog-cache/workflow/nightly_payouts/versions/1").then().statusCode(200));
    }

    private String create(String cron, String misfire) {
        return create(cron, misfire, "allow");
    }

    private String create(String cron, String misfire, String overlap) {
        return given().auth().oauth2(editor).contentType(ContentType.JSON).body("""
                {"cron": "%s", "timeZone": "Europe/London", "workflow": "nightly_payouts",
                 "parameters": {"region": "uk"}, "misfire": "%s", "overlap": "%s"}""".formatted(cron, misfire,
                overlap))
                .when().post("/api/schedules").then().statusCode(201).extract().path("id");
    }

    @Test
    void overlapSkipWaitsForThePreviousRunToFinish() throws Exception {
        Instant start = Instant.now();
        String skip = create("* * * * *", "skip", "skip");
        String allow = create("* * * * *", "skip", "allow");
        fireDue(start.plus(Duration.ofSeconds(65)));
        fireDue(start.plus(Duration.ofSeconds(125)));
        // No run update yet: the first run counts as active, so the second slot is skipped (and recorded).
        assertThat(count("select count(*) from schedule_firing where schedule_id = ? and outcome = 'fired'", skip))
                .isEqualTo(1);
        assertThat(count("select count(*) from schedule_firing where schedule_id = ? and outcome = "
                + "'skipped-overlap'", skip)).isEqualTo(1);
        assertThat(count("select count(*) from schedule_firing where schedule_id = ? and outcome = 'fired'", allow))
                .isEqualTo(2);

        UUID first = UUID.fromString(text("select command_id::text from schedule_firing where schedule_id = ? "
                + "and outcome = 'fired'", skip));
        WorkflowRunUpdate done = new WorkflowRunUpdate(UUID.randomUUID(), first, "run-1",
                WorkflowRunUpdate.RunStatus.COMPLETED, null, Instant.now());
        KafkaTestClient.sendMessage(Topics.WORKFLOW_LIFECYCLE, first.toString(), json.writeValueAsString(done),
                WorkflowRunUpdate.MESSAGE_TYPE, done.messageId());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(viewer)
                .when().get("/api/commands/" + first).then().statusCode(200)
                .body("runStatus", equalTo("COMPLETED")).body("runId", equalTo("run-1")));
        // A late, older STARTED does not reopen the finished run.
        WorkflowRunUpdate late = new WorkflowRunUpdate(UUID.randomUUID(), first, "run-1",
                WorkflowRunUpdate.RunStatus.STARTED, null, done.at().minusSeconds(5));
        KafkaTestClient.sendMessage(Topics.WORKFLOW_LIFECYCLE, first.toString(), json.writeValueAsString(late),
                WorkflowRunUpdate.MESSAGE_TYPE, late.messageId());

        fireDue(start.plus(Duration.ofSeconds(185)));
        assertThat(count("select count(*) from schedule_firing where schedule_id = ? and outcome = 'fired'", skip))
                .isEqualTo(2);
        given().auth().oauth2(viewer).when().get("/api/commands/" + first).then()
                .body("runStatus", equalTo("COMPLETED"));
    }

    @Test
    void schedulesAreValidatedWhenSaved() {
        given().auth().oauth2(editor).contentType(ContentType.JSON).body("""
                {"cron": "0 6 * *", "timeZone": "Mars/Olympus", "workflow": "nightly_payouts",
                 "parameters": {"region": 7}}""").when().post("/api/schedules").then().statusCode(422)
                .body("errors.pointer", hasItems("/timeZone", "/parameters/region"));
        given().auth().oauth2(editor).contentType(ContentType.JSON).body("""
                {"cron": "0 6 * *", "workflow": "nightly_payouts", "parameters": {"region": "uk"}}""")
                .when().post("/api/schedules").then().statusCode(422).body("errors.pointer", hasItem("/cron"));
        given().auth().oauth2(editor).contentType(ContentType.JSON).body("""
                {"cron": "0 6 * * *", "workflow": "no_such_flow"}""")
                .when().post("/api/schedules").then().statusCode(422).body("errors.pointer", hasItem("/workflow"));
        given().auth().oauth2(editor).contentType(ContentType.JSON)
                .body("""
                        {"cron": "0 6 * * *", "workflow": "nightly_payouts", "parameters": {"region": "uk"}, "misfire": "later"}""")
                .when().post("/api/schedules").then().statusCode(400).body("errors.pointer", hasItem("/misfire"));
        given().auth().oauth2(viewer).contentType(ContentType.JSON).body("""
                {"cron": "0 6 * * *", "workflow": "nightly_payouts", "parameters": {"region": "uk"}}""")
                .when().post("/api/schedules").then().statusCode(403);
    }

    @Test
    void nextPreviewsFireTimes() {
        String id = create("0 6 * * 1-5", "fire-once");
        List<String> next = given().auth().oauth2(viewer).queryParam("count", 5).when()
                .get("/api/schedules/" + id + "/next").then().statusCode(200).extract().jsonPath()
                .getList("", String.class);
        assertThat(next).hasSize(5);
        List<Instant> times = next.stream().map(Instant::parse).toList();
        for (int i = 1; i < times.size(); i++) {
            assertThat(times.get(i)).isAfter(times.get(i - 1));
        }
    }

    /**
     * Two runners (standing for two instances on one database) tick concurrently over a minute of an every-second
     * schedule: each slot fires once, with one command.
     */
    @Test
    void concurrentRunnersFireEachSlotOnce() throws Exception {
        String id = create("* * * * * ?", "skip");
        Instant start = Instant.now().plusSeconds(1);
        for (int second = 0; second < 60; second++) {
            Instant now = start.plusSeconds(second);
            CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> fireDue(now));
            CompletableFuture<Integer> b = CompletableFuture.supplyAsync(() -> fireDue(now));
            a.get();
            b.get();
        }
        // Every whole second after the schedule was created, up to the last call: each once (how many depends on
        // how long the create took, so it is computed, not guessed).
        Instant created = Instant.parse(given().auth().oauth2(viewer).when().get("/api/schedules/" + id).then()
                .statusCode(200).extract().path("createdAt"));
        long slots = start.plusSeconds(59).getEpochSecond() - created.getEpochSecond();
        int firings = count("select count(*) from schedule_firing where schedule_id = ?", id);
        assertThat(firings).isEqualTo((int) slots);
        assertThat(count("select count(*) from command where schedule_id = ?", id)).isEqualTo(firings);
        assertThat(count("select count(distinct slot) from command where schedule_id = ?", id)).isEqualTo(firings);
        var records = KafkaTestClient.readAll(Topics.WORKFLOW_COMMANDS, r -> r.value().contains(id),
                Duration.ofSeconds(5));
        assertThat(records.stream().map(r -> r.key()).distinct().count()).isEqualTo(firings);
    }

    @Test
    void missedSlotsFollowTheMisfirePolicy() throws Exception {
        String once = create("* * * * *", "fire-once");
        String skip = create("* * * * *", "skip");
        // Ten minutes later (an outage): nine slots are older than the threshold, one is recent.
        fireDue(Instant.now().plus(Duration.ofMinutes(10)));
        assertThat(count("select count(*) from schedule_firing where schedule_id = ?", once)).isEqualTo(2);
        assertThat(count("select count(*) from schedule_firing where schedule_id = ?", skip)).isEqualTo(1);
    }

    /** Runs the runner as its scheduler would: on a Vert.x context. */
    @Test
    void aScheduleThatCannotFireSaysWhyInItsApiLogsItAndCountsIt() throws Exception {
        String id = create("* * * * *", "skip");
        // Broken behind the API's back (a zone the JVM does not know): every firing of it fails.
        update("update schedule set time_zone = 'Mars/Olympus_Mons' where id = ?", id);
        double before = registry.counter("flowline.schedules.failures").count();
        try {
            fireDue(Instant.now().plus(Duration.ofMinutes(2)));
            JsonNode schedule = json.readTree(given().auth().oauth2(viewer).when().get("/api/schedules/" + id).then()
                    .statusCode(200).extract().asString());
            assertThat(schedule.path("lastFailure").asText()).contains("Mars/Olympus_Mons");
            assertThat(schedule.path("lastFailureAt").asText()).isNotEmpty();
            assertThat(registry.counter("flowline.schedules.failures").count()).isGreaterThan(before);
            assertThat(count("select count(*) from schedule_firing where schedule_id = ?", id)).isZero();
        } finally {
            update("update schedule set status = 'inactive' where id = ?", id);
        }
    }

    private static void update(String sql, String id) throws Exception {
        var config = ConfigProvider.getConfig();
        try (Connection c = DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class))) {
            c.setSchema("trigger");
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setObject(1, UUID.fromString(id));
                s.executeUpdate();
            }
        }
    }

    private int fireDue(Instant now) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> runner.fireDue(now));
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static int count(String sql, String id) throws Exception {
        return Integer.parseInt(text(sql, id));
    }

    private static String text(String sql, String id) throws Exception {
        var config = ConfigProvider.getConfig();
        try (Connection c = DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class))) {
            c.setSchema("trigger");
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setObject(1, UUID.fromString(id));
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        }
    }

}
