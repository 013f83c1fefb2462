package dev.flowline.task;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;

import dev.flowline.contracts.CatalogChange;
import dev.flowline.contracts.CatalogKind;
import dev.flowline.contracts.MessageHeaders;
import dev.flowline.contracts.StepAwaitingTask;
import dev.flowline.contracts.TaskChanged;
import dev.flowline.contracts.TaskResolved;
import dev.flowline.contracts.Topics;
import dev.flowline.contracts.WorkflowRunEvent;
import dev.flowline.embedded.LocalHttpServer;
import dev.flowline.servicekit.security.Roles;
import dev.flowline.testkit.KafkaTestClient;
import dev.flowline.testkit.Tokens;

/**
 * task-service on the real broker, database and token issuer: tasks open from the runner's awaiting steps (once per
 * key), are claimed and resolved exactly once through the API, publish what resumes the run, and are cancelled with
 * their run; bad requests change nothing.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskServiceTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String FINANCE = "flowline-finance";

    @Inject
    ObjectMapper json;

    @Inject
    Pool pool;

    HttpServer settings;
    final List<JsonNode> settingsCalls = new CopyOnWriteArrayList<>();

    String operator;
    String finance;
    String finance2;
    String viewer;
    String admin;

    @BeforeAll
    void steps() throws Exception {
        operator = Tokens.forUser("olga", Roles.OPERATOR);
        finance = Tokens.forUser("fiona", Roles.OPERATOR, FINANCE);
        finance2 = Tokens.forUser("frank", Roles.OPERATOR, FINANCE);
        viewer = Tokens.forUser("vera", Roles.VIEWER);
        admin = Tokens.forUser("ada", Roles.ADMIN);
        // validate_settings: its tasks are for finance; input needs payout_id, output needs success.
        CatalogChange change = new CatalogChange(UUID.randomUUID(), CatalogKind.STEP, "validate_settings", "1.0.0",
                CatalogChange.Status.PUBLISHED, json.readTree("""
                        {"name": "validate_settings", "version": "1.0.0",
                         "binding": {"type": "http", "url": "http://localhost:1/validate"},
                         "input": {"type": "object", "properties": {"payout_id": {"type": "string"}},
                                   "required": ["payout_id"]},
                         "output": {"type": "object", "properties": {"success": {"type": "boolean"}},
                                    "required": ["success"]},
                         "errors": [{"code": "MISSING_XERO_NAME", "message": "Missing Xero name for rental",
                                     "data": {"type": "object", "required": ["rental_id", "rental_name"]}}],
                         "permissions": ["flowline-finance"]}
                        """), Instant.now());
        KafkaTestClient.sendMessage(Topics.CATALOG_CHANGES, change.key(), json.writeValueAsString(change),
                CatalogChange.MESSAGE_TYPE, change.messageId());
        // check_host: the step whose task type the override test changes (no other test uses it).
        CatalogChange host = new CatalogChange(UUID.randomUUID(), CatalogKind.STEP, "check_host", "1.0.0",
                CatalogChange.Status.PUBLISHED, json.readTree("""
                        {"name": "check_host", "version": "1.0.0",
                         "binding": {"type": "http", "url": "http://localhost:1/host"},
                         "input": {"type": "object"}, "output": {"type": "object"},
                         "errors": [{"code": "MISSING_HOST", "message": "Missing host for rental",
                                     "data": {"type": "object", "properties": {"rental_name": {"type": "string"}}}}]}
                        """), Instant.now());
        KafkaTestClient.sendMessage(Topics.CATALOG_CHANGES, host.key(), json.writeValueAsString(host),
                CatalogChange.MESSAGE_TYPE, host.messageId());
        // update_rental_settings: the resolution step of check_xero's task type, on a real HTTP endpoint.
        settings = LocalHttpServer.create(0, 16);
        settings.createContext("/update", exchange -> {
            JsonNode body = json.readTree(exchange.getRequestBody());
            settingsCalls.add(json.createObjectNode().put("key", exchange.getRequestHeaders().getFirst(
                    "Idempotency-Key")).set("input", body.path("input")));
            String name = body.path("input").path("xero_name").asText();
            int status = name.equals("refuse") ? 422 : name.equals("outage") ? 500 : 200;
            byte[] answer = (status == 422
                    ? "{\"error\": {\"code\": \"INVALID_NAME\", \"message\": \"Xero has no such contact\"}}"
                    : status == 500 ? "down" : "{\"output\": {\"updated\": true}}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        settings.start();
        CatalogChange update = new CatalogChange(UUID.randomUUID(), CatalogKind.STEP, "update_rental_settings",
                "1.0.0", CatalogChange.Status.PUBLISHED, json.readTree("""
                        {"name": "update_rental_settings", "version": "1.0.0",
                         "binding": {"type": "http", "url": "http://localhost:%d/update"},
                         "input": {"type": "object", "required": ["rental_id", "xero_name"],
                                   "properties": {"rental_id": {"type": "string"}, "xero_name": {"type": "string"}}},
                         "output": {"type": "object"}}
                        """.formatted(settings.getAddress().getPort())), Instant.now());
        KafkaTestClient.sendMessage(Topics.CATALOG_CHANGES, update.key(), json.writeValueAsString(update),
                CatalogChange.MESSAGE_TYPE, update.messageId());
        CatalogChange xero = new CatalogChange(UUID.randomUUID(), CatalogKind.STEP, "check_xero", "1.0.0",
                CatalogChange.Status.PUBLISHED, json.readTree("""
                        {"name": "check_xero", "version": "1.0.0",
                         "binding": {"type": "http", "url": "http://localhost:1/xero"},
                         "input": {"type": "object"}, "output": {"type": "object"},
                         "errors": [{"code": "MISSING_XERO_NAME", "message": "Missing Xero name for rental",
                                     "data": {"type": "object", "properties": {"rental_id": {"type": "string"},
                                                                               "rental_name": {"type": "string"}}}}],
                         "permissions": ["flowline-finance"]}
                        """), Instant.now());
        KafkaTestClient.sendMessage(Topics.CATALOG_CHANGES, xero.key(), json.writeValueAsString(xero),
                CatalogChange.MESSAGE_TYPE, xero.messageId());
        // approve_refund: the step whose type the escalation and expiry tests override.
        CatalogChange refund = new CatalogChange(UUID.randomUUID(), CatalogKind.STEP, "approve_refund", "1.0.0",
                CatalogChange.Status.PUBLISHED, json.readTree("""
                        {"name": "approve_refund", "version": "1.0.0",
                         "binding": {"type": "http", "url": "http://localhost:1/refund"},
                         "input": {"type": "object"},
                         "output": {"type": "object", "required": ["approved"]},
                         "errors": [{"code": "NEEDS_APPROVAL", "message": "A refund needs approval",
                                     "data": {"type": "object", "properties": {
                                        "approver": {"type": "string"}, "guest": {"type": "string"},
                                        "amount": {"type": "integer"}}}}],
                         "permissions": ["flowline-refunds"]}
                        """), Instant.now());
        KafkaTestClient.sendMessage(Topics.CATALOG_CHANGES, refund.key(), json.writeValueAsString(refund),
                CatalogChange.MESSAGE_TYPE, refund.messageId());
    }

    @AfterAll
    void stopSettings() {
        settings.stop(0);
    }

    @Test
    void aResolutionStepIsCheckedWhenSavedAndCalledWithTheSubmittedDataBeforeTheRunIsToldAndItsRefusalChangesNothing()
            throws Exception {
        String editor = Tokens.forUser("edna", Roles.EDITOR);
        String override = "/api/task-types/check_xero:MISSING_XERO_NAME/override";
        // Saved once both steps are in the cache (the first tries may find neither).
        Response saved = await().atMost(WAIT).until(() -> given().auth().oauth2(editor).contentType(
                "application/json")
                .body("""
                        {"resolutionStep": {"uses": "update_rental_settings@^1.0.0",
                                            "with": {"rental_id": "$.error.rental_id", "xero_name": "$.data.xero_name"}}}
                        """)
                .put(override), r -> r.statusCode() == 201);
        assertThat(saved.jsonPath().getInt("version")).isEqualTo(1);
        for (String[] bad : List.of(
                new String[]{"{\"uses\": \"no_such_step@^1.0.0\", \"with\": {}}", "/resolutionStep/uses"},
                new String[]{
                        "{\"uses\": \"update_rental_settings@^1.0.0\", \"with\": {\"rental_id\": \"$.error.rental_id\"}}",
                        "/resolutionStep/with"},
                new String[]{
                        "{\"uses\": \"update_rental_settings@^1.0.0\", \"with\": {\"rental_id\": \"$.error.nope\", "
                                + "\"xero_name\": \"$.data.x\"}}",
                        "/resolutionStep/with/rental_id"},
                new String[]{"{\"uses\": \"update_rental_settings@^1.0.0\", \"with\": {\"rental_id\": \"$.run.id\", "
                        + "\"xero_name\": \"$.data.x\"}}", "/resolutionStep/with/rental_id"},
                new String[]{"{\"uses\": \"update_rental_settings\", \"with\": {}}", "/resolutionStep/uses"})) {
            Response refused = given().auth().oauth2(editor).contentType("application/json").body(
                    "{\"resolutionStep\": " + bad[0] + "}").put(override);
            assertThat(refused.statusCode()).as(bad[0]).isEqualTo(422);
            assertThat(refused.jsonPath().getList("errors.pointer", String.class)).as(bad[0]).contains(bad[1]);
        }

        String run = "run-" + UUID.randomUUID();
        String key = StepAwaitingTask.correlationKey(run, "XERO", 1, 0);
        send(new StepAwaitingTask(StepAwaitingTask.messageIdFor(key), key, run, "process_payout", "1", "XERO",
                "check_xero@1.0.0", 1, 0, "MISSING_XERO_NAME", null, json.createObjectNode().put("rental_id", "r-7")
                        .put("rental_name", "Old Mill Cottage"),
                json.createObjectNode(), null, Instant.now().plus(Duration.ofDays(7)), Instant.now()));
        String id = awaitTask(run).path("id").asText();
        given().auth().oauth2(finance).post("/api/tasks/" + id + "/claim").then().statusCode(200);
        String resolve = "/api/tasks/" + id + "/resolve";

        Response refused = given().auth().oauth2(finance).contentType("application/json").body(
                "{\"action\": \"retry\", \"data\": {\"xero_name\": \"refuse\"}}").post(resolve);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.jsonPath().getString("errors[0].pointer")).isEqualTo("/data");
        assertThat(refused.jsonPath().getString("errors[0].detail")).contains("INVALID_NAME");
        Response down = given().auth().oauth2(finance).contentType("application/json").body(
                "{\"action\": \"retry\", \"data\": {\"xero_name\": \"outage\"}}").post(resolve);
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.contentType()).isEqualTo("application/problem+json");
        int calls = settingsCalls.size();
        Response missing = given().auth().oauth2(finance).contentType("application/json").body(
                "{\"action\": \"retry\"}").post(resolve);
        assertThat(missing.statusCode()).isEqualTo(422);
        assertThat(missing.jsonPath().getString("errors[0].detail")).contains("xero_name");
        assertThat(settingsCalls).hasSize(calls);
        JsonNode unchanged = json.readTree(given().auth().oauth2(viewer).get("/api/tasks/" + id).asString());
        assertThat(unchanged.path("status").asText()).isEqualTo("claimed");

        given().auth().oauth2(finance).contentType("application/json").body(
                "{\"action\": \"retry\", \"data\": {\"xero_name\": \"Old Mill Cottage Ltd\"}}").post(resolve)
                .then().statusCode(200);
        JsonNode call = settingsCalls.get(settingsCalls.size() - 1);
        assertThat(call.path("input")).isEqualTo(json.readTree(
                "{\"rental_id\": \"r-7\", \"xero_name\": \"Old Mill Cottage Ltd\"}"));
        assertThat(call.path("key").asText()).isEqualTo("task:" + id + ":resolution:" + unchanged.path("version")
                .asLong());
        JsonNode resolved = json.readTree(given().auth().oauth2(viewer).get("/api/tasks/" + id).asString());
        assertThat(resolved.path("status").asText()).isEqualTo("resolved");
        JsonNode last = resolved.path("history").get(resolved.path("history").size() - 1);
        assertThat(last.path("detail").path("resolutionStep").path("output").path("updated").asBoolean()).isTrue();
        List<?> told = KafkaTestClient.readAll(Topics.TASK_EVENTS,
                r -> r.value().contains(id)
                        && TaskResolved.MESSAGE_TYPE.equals(KafkaTestClient.header(r, MessageHeaders.MESSAGE_TYPE)),
                Duration.ofSeconds(3));
        assertThat(told).hasSize(1);
    }

    @Test
    void theBadgeCountsTheDatabaseKeepsAgreeWithTheTasksThroughOpenClaimReleaseResolveAndCancel() throws Exception {
        String run = "run-" + UUID.randomUUID();
        send(awaiting(run));
        String id = awaitTask(run).path("id").asText();
        String other = "run-" + UUID.randomUUID();
        send(awaiting(other));
        String otherId = awaitTask(other).path("id").asText();
        JsonNode before = json.readTree(given().auth().oauth2(finance).get("/api/tasks/counts?candidate=mine")
                .asString());
        given().auth().oauth2(finance).post("/api/tasks/" + id + "/claim").then().statusCode(200);
        given().auth().oauth2(finance).post("/api/tasks/" + id + "/release").then().statusCode(200);
        given().auth().oauth2(finance).post("/api/tasks/" + id + "/claim").then().statusCode(200);
        given().auth().oauth2(finance).contentType("application/json").body("{\"action\": \"abort\", \"reason\": "
                + "\"test\"}").post("/api/tasks/" + id + "/resolve").then().statusCode(200);
        given().auth().oauth2(admin).contentType("application/json").body("{\"reason\": \"test\"}").post(
                "/api/tasks/" + otherId + "/cancel").then().statusCode(200);
        JsonNode after = json.readTree(given().auth().oauth2(finance).get("/api/tasks/counts?candidate=mine")
                .asString());
        assertThat(openCount(after)).isEqualTo(openCount(before) - 2);
        // Every (status, code, candidates) the kept counts hold is what counting the tasks gives, in one snapshot.
        List<String> differences = new ArrayList<>();
        pool.query("""
                SELECT coalesce(k.status, t.status), coalesce(k.error_code, t.error_code), k.n, t.n
                FROM (SELECT status, error_code, candidate_roles, candidate_users, sum(count) n FROM task.task_count
                      GROUP BY 1, 2, 3, 4 HAVING sum(count) <> 0) k
                FULL JOIN (SELECT status, error_code, candidate_roles, candidate_users, count(*) n FROM task.task
                           GROUP BY 1, 2, 3, 4) t
                USING (status, error_code, candidate_roles, candidate_users)
                WHERE k.n IS DISTINCT FROM t.n
                """).executeAndAwait().forEach(row -> differences.add(row.deepToString()));
        assertThat(differences).isEmpty();
    }

    private static long openCount(JsonNode counts) {
        long open = 0;
        for (JsonNode count : counts) {
            if (count.path("status").asText().equals("open") && count.path("errorCode").asText().equals(
                    "MISSING_XERO_NAME")) {
                open += count.path("count").asLong();
            }
        }
        return open;
    }

    @Test
    void escalationRulesRunOnceEachInOrderAndAnExpiredTaskTellsTheRunItsTypesOutcome() throws Exception {
        String editor = Tokens.forUser("edna", Roles.EDITOR);
        Response saved = await().atMost(WAIT).until(() -> given().auth().oauth2(editor).contentType(
                "application/json").body("""
                        {"description": "Refund of {{amount}} for {{guest}}; {{approver}} approves it",
                         "candidateUsersFrom": "$.approver",
                         "escalations": [{"after": "PT2S", "raisePriorityTo": 90, "notify": true},
                                         {"after": "PT5S", "reassignTo": "flowline-refund-leads"}],
                         "onExpiry": {"action": "skip", "output": {"approved": false}}}
                        """).put("/api/task-types/approve_refund:NEEDS_APPROVAL/override"), r -> r.statusCode() != 404);
        assertThat(saved.statusCode()).as(saved.asString()).isEqualTo(201);

        String run = "run-" + UUID.randomUUID();
        send(refundAwaiting(run, Instant.now().plus(Duration.ofDays(1))));
        JsonNode task = awaitTask(run);
        String id = task.path("id").asText();
        assertThat(task.path("description").asText()).isEqualTo("Refund of 120 for Ann Lee; gus approves it");
        assertThat(task.path("candidates")).extracting(JsonNode::asText).containsExactly("flowline-refunds");
        assertThat(task.path("candidateUsers")).extracting(JsonNode::asText).containsExactly("gus");
        // gus holds no candidate role; he is a candidate by name, read from the error's data.
        String gus = Tokens.forUser("gus", Roles.OPERATOR);
        given().auth().oauth2(gus).post("/api/tasks/" + id + "/claim").then().statusCode(200);

        await().atMost(WAIT).until(() -> json.readTree(given().auth().oauth2(viewer).get("/api/tasks/" + id)
                .asString()).path("escalations").asInt() == 2);
        JsonNode escalated = json.readTree(given().auth().oauth2(viewer).get("/api/tasks/" + id).asString());
        assertThat(escalated.path("priority").asInt()).isEqualTo(90);
        assertThat(escalated.path("candidates")).extracting(JsonNode::asText).containsExactly(
                "flowline-refund-leads");
        assertThat(escalated.path("candidateUsers")).isEmpty();
        assertThat(escalated.path("status").asText()).isEqualTo("open");
        assertThat(escalated.has("assignee")).isFalse();
        assertThat(escalated.has("nextEscalationAt")).isFalse();
        List<JsonNode> escalations = new ArrayList<>();
        escalated.path("history").forEach(h -> {
            if (h.path("action").asText().equals("escalate")) {
                escalations.add(h.path("detail"));
            }
        });
        assertThat(escalations).extracting(d -> d.path("rule").asInt()).containsExactly(0, 1);
        assertThat(escalations.get(1).path("previousAssignee").asText()).isEqualTo("gus");
        // Another second of the job's runs: no third escalation.
        Thread.sleep(2000);
        List<ConsumerRecord<String, String>> records = KafkaTestClient.readAll(Topics.TASK_EVENTS,
                r -> r.value().contains(id) && r.value().contains("\"ESCALATED\""), Duration.ofSeconds(3));
        assertThat(records).hasSize(2);
        assertThat(json.readTree(records.get(0).value()).path("detail").path("notify").asBoolean()).isTrue();
        given().auth().oauth2(gus).post("/api/tasks/" + id + "/claim").then().statusCode(403);

        String late = "run-" + UUID.randomUUID();
        send(refundAwaiting(late, Instant.now().plusSeconds(2)));
        String lateId = awaitTask(late).path("id").asText();
        await().atMost(WAIT).until(() -> json.readTree(given().auth().oauth2(viewer).get("/api/tasks/" + lateId)
                .asString()).path("status").asText().equals("expired"));
        List<ConsumerRecord<String, String>> told = KafkaTestClient.readAll(Topics.TASK_EVENTS, r -> r.value()
                .contains(lateId)
                && TaskResolved.MESSAGE_TYPE.equals(KafkaTestClient.header(r,
                        MessageHeaders.MESSAGE_TYPE)),
                Duration.ofSeconds(5));
        assertThat(told).hasSize(1);
        TaskResolved resolution = json.readValue(told.get(0).value(), TaskResolved.class);
        assertThat(resolution.resolution()).isEqualTo(TaskResolved.Resolution.SKIP);
        assertThat(resolution.output()).isEqualTo(json.readTree("{\"approved\": false}"));
        assertThat(resolution.resolvedBy()).isEqualTo("task-service");
    }

    @Test
    void anOverrideIsCheckedWhenSavedAndShapesTheTasksOpenedAfterItWhileOlderTasksKeepTheirVersion()
            throws Exception {
        String editor = Tokens.forUser("edna", Roles.EDITOR);
        String type = "/api/task-types/check_host:MISSING_HOST";
        String before = "run-" + UUID.randomUUID();
        send(awaiting(before, "check_host@1.0.0", "MISSING_HOST"));
        String older = awaitTask(before).path("id").asText();

        given().auth().oauth2(operator).contentType("application/json").body("{\"priority\": 80}").put(type
                + "/override").then().statusCode(403);
        Response bad = given().auth().oauth2(editor).contentType("application/json").body("""
                {"title": "Host for {{rental}}", "allowedActions": ["later"], "priority": 101, "dueIn": "soon",
                 "colour": "red"}
                """).put(type + "/override");
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(bad.jsonPath().getList("errors.pointer", String.class)).containsExactlyInAnyOrder("/title",
                "/allowedActions/0", "/priority", "/dueIn", "/colour");
        given().auth().oauth2(editor).contentType("application/json").body("{}").put(
                "/api/task-types/check_host:NO_SUCH_CODE/override").then().statusCode(404);
        Response saved = given().auth().oauth2(editor).contentType("application/json").body("""
                {"title": "Find a host for {{rental_name}}", "allowedActions": ["retry", "abort"], "priority": 80,
                 "dueIn": "PT4H", "candidates": ["flowline-finance"]}
                """).put(type + "/override");
        assertThat(saved.statusCode()).as(saved.asString()).isEqualTo(201);
        assertThat(saved.jsonPath().getInt("version")).isEqualTo(1);
        JsonNode shown = json.readTree(given().auth().oauth2(viewer).get(type).asString());
        assertThat(shown.path("allowedActions")).extracting(JsonNode::asText).containsExactly("abort", "retry");
        assertThat(shown.path("dueIn").asText()).isEqualTo("PT4H");

        String after = "run-" + UUID.randomUUID();
        send(awaiting(after, "check_host@1.0.0", "MISSING_HOST"));
        JsonNode task = awaitTask(after);
        assertThat(task.path("title").asText()).isEqualTo("Find a host for Old Mill Cottage");
        assertThat(task.path("priority").asInt()).isEqualTo(80);
        assertThat(task.path("typeVersion").asInt()).isEqualTo(1);
        assertThat(task.path("candidates")).extracting(JsonNode::asText).containsExactly("flowline-finance");
        assertThat(Instant.parse(task.path("dueAt").asText())).isBefore(Instant.now().plus(Duration.ofHours(5)));
        String id = task.path("id").asText();
        given().auth().oauth2(finance).post("/api/tasks/" + id + "/claim").then().statusCode(200);
        Response skip = given().auth().oauth2(finance).contentType("application/json").body(
                "{\"action\": \"skip\", \"output\": {}}").post("/api/tasks/" + id + "/resolve");
        assertThat(skip.statusCode()).isEqualTo(422);
        assertThat(skip.jsonPath().getString("errors[0].pointer")).isEqualTo("/action");

        // The task opened before the override keeps version 0: every action, the operators as candidates.
        JsonNode old = json.readTree(given().auth().oauth2(viewer).get("/api/tasks/" + older).asString());
        assertThat(old.path("typeVersion").asInt()).isZero();
        given().auth().oauth2(operator).post("/api/tasks/" + older + "/claim").then().statusCode(200);
        given().auth().oauth2(operator).contentType("application/json").body(
                "{\"action\": \"skip\", \"output\": {}}").post("/api/tasks/" + older + "/resolve").then().statusCode(
                        200);
    }

    @Test
    void anAwaitingStepOpensOneTaskForTheCandidateRoleWhateverTheRedeliveries() throws Exception {
        String run = "run-" + UUID.randomUUID();
        StepAwaitingTask awaiting = awaiting(run);
        send(awaiting);
        send(awaiting);
        JsonNode task = awaitTask(run);
        assertThat(task.path("status").asText()).isEqualTo("open");
        assertThat(task.path("candidates")).extracting(JsonNode::asText).containsExactly(FINANCE);
        assertThat(task.path("errorData").path("rental_name").asText()).isEqualTo("Old Mill Cottage");
        assertThat(task.path("title").asText()).isEqualTo("Missing Xero name for Old Mill Cottage");
        assertThat(task.path("links").path("run").asText()).endsWith("/api/runs/" + run);
        assertThat(task.path("links").path("view").asText()).endsWith("/api/task-views/" + task.path("id").asText());
        send(awaiting);
        // A third delivery after the task exists: still one task, and one TaskCreated.
        Thread.sleep(1000);
        assertThat(list("run=" + run, viewer).path("items")).hasSize(1);
        List<?> created = KafkaTestClient.readAll(Topics.TASK_EVENTS,
                r -> r.value().contains(run) && TaskChanged.MESSAGE_TYPE
                        .equals(KafkaTestClient.header(r, MessageHeaders.MESSAGE_TYPE)),
                Duration.ofSeconds(3));
        assertThat(created).hasSize(1);
    }

    @Test
    void aClaimedTaskResolvedWithRetryPublishesTheResolutionOnceAndASecondResolveIsAConflict() throws Exception {
        String run = "run-" + UUID.randomUUID();
        send(awaiting(run));
        String id = awaitTask(run).path("id").asText();

        // Outside the candidate roles: an operator cannot claim a finance task.
        given().auth().oauth2(operator).post("/api/tasks/" + id + "/claim").then().statusCode(403);
        Response claimed = given().auth().oauth2(finance).post("/api/tasks/" + id + "/claim");
        assertThat(claimed.statusCode()).isEqualTo(200);
        assertThat(claimed.jsonPath().getString("assignee")).isEqualTo("fiona");
        assertThat(claimed.getHeader("ETag")).isEqualTo("\"1\"");
        // Another candidate cannot resolve what fiona holds.
        given().auth().oauth2(finance2).contentType("application/json").body("{\"action\": \"retry\"}")
                .post("/api/tasks/" + id + "/resolve").then().statusCode(403);

        Response resolved = given().auth().oauth2(finance).header("If-Match", "\"1\"").contentType(
                "application/json").body("{\"action\": \"retry\", \"input\": {\"payout_id\": \"P-1001\"}}").post(
                        "/api/tasks/" + id + "/resolve");
        assertThat(resolved.statusCode()).as(resolved.asString()).isEqualTo(200);
        assertThat(resolved.jsonPath().getString("status")).isEqualTo("resolved");
        Response again = given().auth().oauth2(finance).contentType("application/json").body(
                "{\"action\": \"retry\"}").post("/api/tasks/" + id + "/resolve");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.getContentType()).startsWith("application/problem+json");

        List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> resolutions = KafkaTestClient
                .readAll(Topics.TASK_EVENTS, r -> TaskResolved.MESSAGE_TYPE.equals(KafkaTestClient.header(r,
                        MessageHeaders.MESSAGE_TYPE)) && r.value().contains(run), Duration.ofSeconds(5));
        assertThat(resolutions).hasSize(1);
        TaskResolved resolution = json.readValue(resolutions.get(0).value(), TaskResolved.class);
        assertThat(resolution.correlationKey()).isEqualTo(StepAwaitingTask.correlationKey(run, "VALIDATE", 1, 0));
        assertThat(resolution.resolution()).isEqualTo(TaskResolved.Resolution.RETRY);
        assertThat(resolution.input().path("payout_id").asText()).isEqualTo("P-1001");
        assertThat(resolution.resolvedBy()).isEqualTo("fiona");

        JsonNode detail = json.readTree(given().auth().oauth2(viewer).get("/api/tasks/" + id).asString());
        assertThat(detail.path("history")).extracting(h -> h.path("action").asText()).containsExactly("create",
                "claim", "resolve");
        assertThat(detail.path("history").get(2).path("actor").asText()).isEqualTo("fiona");
        assertThat(detail.path("history").get(2).path("from").asText()).isEqualTo("claimed");
    }

    @Test
    void twoConcurrentResolvesOfOneTaskLetOneWin() throws Exception {
        String run = "run-" + UUID.randomUUID();
        send(awaiting(run));
        String id = awaitTask(run).path("id").asText();
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Integer>> racers = List.of("abort one", "abort two").stream()
                .map(reason -> CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return given().auth().oauth2(admin).contentType("application/json").body(
                            "{\"action\": \"abort\", \"reason\": \"" + reason + "\"}").post(
                                    "/api/tasks/" + id
                                            + "/resolve")
                            .statusCode();
                })).toList();
        start.countDown();
        List<Integer> statuses = racers.stream().map(CompletableFuture::join).toList();
        assertThat(statuses).containsExactlyInAnyOrder(200, 409);
        List<?> resolutions = KafkaTestClient.readAll(Topics.TASK_EVENTS, r -> TaskResolved.MESSAGE_TYPE.equals(
                KafkaTestClient.header(r, MessageHeaders.MESSAGE_TYPE)) && r.value().contains(run), Duration
                        .ofSeconds(4));
        assertThat(resolutions).hasSize(1);
    }

    @Test
    void aRunThatEndsCancelsItsOpenTask() throws Exception {
        String run = "run-" + UUID.randomUUID();
        send(awaiting(run));
        String id = awaitTask(run).path("id").asText();
        WorkflowRunEvent cancelled = new WorkflowRunEvent(UUID.randomUUID(), WorkflowRunEvent.Kind.RUN_CANCELLED,
                run, null, "process_payout", "1", null, null, null, null, null, null, null, null, null,
                Instant.now());
        KafkaTestClient.sendMessage(Topics.WORKFLOW_LIFECYCLE, run, json.writeValueAsString(cancelled),
                WorkflowRunEvent.MESSAGE_TYPE, cancelled.messageId());
        await().atMost(WAIT).until(() -> json.readTree(given().auth().oauth2(viewer).get("/api/tasks/" + id)
                .asString()).path("status").asText().equals("cancelled"));
        given().auth().oauth2(admin).contentType("application/json").body("{\"action\": \"retry\"}").post(
                "/api/tasks/" + id + "/resolve").then().statusCode(409);
    }

    @Test
    void badRequestsAreProblemsThatChangeNothing() throws Exception {
        given().auth().oauth2(viewer).get("/api/tasks/" + UUID.randomUUID()).then().statusCode(404).contentType(
                "application/problem+json");
        given().auth().oauth2(viewer).get("/api/tasks/not-a-uuid").then().statusCode(400);
        given().auth().oauth2(viewer).get("/api/tasks?sort=sideways").then().statusCode(400);
        given().auth().oauth2(viewer).get("/api/tasks?cursor=bm9wZQ").then().statusCode(400);

        String run = "run-" + UUID.randomUUID();
        send(awaiting(run));
        String id = awaitTask(run).path("id").asText();
        given().auth().oauth2(finance).post("/api/tasks/" + id + "/claim").then().statusCode(200);
        Response badInput = given().auth().oauth2(finance).contentType("application/json").body(
                "{\"action\": \"retry\", \"input\": {\"payout_id\": 7}}").post("/api/tasks/" + id + "/resolve");
        assertThat(badInput.statusCode()).isEqualTo(422);
        assertThat(badInput.jsonPath().getString("errors[0].pointer")).startsWith("/input/payout_id");
        Response noOutput = given().auth().oauth2(finance).contentType("application/json").body(
                "{\"action\": \"skip\"}").post("/api/tasks/" + id + "/resolve");
        assertThat(noOutput.statusCode()).isEqualTo(422);
        assertThat(noOutput.jsonPath().getString("errors[0].pointer")).isEqualTo("/output");
        given().auth().oauth2(finance).contentType("application/json").body(
                "{\"action\": \"skip\", \"output\": {\"success\": \"yes\"}}").post("/api/tasks/" + id + "/resolve")
                .then().statusCode(422);
        given().auth().oauth2(finance).contentType("application/json").body("{\"action\": \"abort\"}").post(
                "/api/tasks/" + id + "/resolve").then().statusCode(422);
        given().auth().oauth2(finance).contentType("application/json").body("{\"action\": \"later\"}").post(
                "/api/tasks/" + id + "/resolve").then().statusCode(422);
        given().auth().oauth2(finance).header("If-Match", "\"0\"").post("/api/tasks/" + id + "/release").then()
                .statusCode(409);
        JsonNode unchanged = json.readTree(given().auth().oauth2(viewer).get("/api/tasks/" + id).asString());
        assertThat(unchanged.path("status").asText()).isEqualTo("claimed");
        assertThat(unchanged.path("version").asLong()).isEqualTo(1);
        assertThat(unchanged.path("history")).hasSize(2);
    }

    @Test
    void theInboxFiltersByCandidateOfMyRolesAndErrorCodeSortsAndPages() throws Exception {
        String workflow = "inbox_" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 3; i++) {
            StepAwaitingTask awaiting = awaiting("run-" + UUID.randomUUID(), workflow, Instant.now().plusSeconds(
                    3600 * (3 - i)));
            send(awaiting);
        }
        await().atMost(WAIT).until(() -> list("workflow=" + workflow, viewer).path("items").size() == 3);
        JsonNode first = list("workflow=" + workflow + "&candidate=mine&errorCode=MISSING_XERO_NAME&limit=2",
                finance);
        assertThat(first.path("items")).hasSize(2);
        Instant a = Instant.parse(first.path("items").get(0).path("dueAt").asText());
        Instant b = Instant.parse(first.path("items").get(1).path("dueAt").asText());
        assertThat(a).isBefore(b);
        JsonNode second = list("workflow=" + workflow + "&candidate=mine&limit=2&cursor=" + first.path("next")
                .asText(), finance);
        assertThat(second.path("items")).hasSize(1);
        assertThat(second.path("next").isNull()).isTrue();
        // Not a candidate: a plain operator sees none of them as "mine".
        assertThat(list("workflow=" + workflow + "&candidate=mine", operator).path("items")).isEmpty();
        JsonNode counts = json.readTree(given().auth().oauth2(viewer).get("/api/tasks/counts?workflow=" + workflow)
                .asString());
        assertThat(counts).hasSize(1);
        assertThat(counts.get(0).path("status").asText()).isEqualTo("open");
        assertThat(counts.get(0).path("count").asLong()).isEqualTo(3);
    }

    @Test
    void aBulkClaimAndResolveChangeEachTaskOnItsOwnAndSayWhatBecameOfEach() throws Exception {
        String workflow = "bulk_" + UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String run = "run-" + UUID.randomUUID();
            send(awaiting(run, workflow, Instant.now().plus(Duration.ofDays(1))));
            ids.add(awaitTask(run).path("id").asText());
        }
        // frank holds the last one already.
        given().auth().oauth2(finance2).post("/api/tasks/" + ids.get(2) + "/claim").then().statusCode(200);

        JsonNode claimed = json.readTree(given().auth().oauth2(finance).contentType("application/json").body(
                json.createObjectNode().put("action", "claim").set("taskIds", json.valueToTree(ids))).post(
                        "/api/tasks/bulk")
                .then().statusCode(200).extract().asString());
        assertThat(claimed.path("changed").asLong()).isEqualTo(2);
        assertThat(claimed.path("results")).extracting(r -> r.path("changed").asBoolean()).containsExactly(true,
                true, false);
        assertThat(claimed.path("results").get(2).path("status").asInt()).isEqualTo(409);

        String missing = UUID.randomUUID().toString();
        JsonNode resolved = json.readTree(given().auth().oauth2(finance).contentType("application/json").body("""
                {"action": "resolve", "taskIds": ["%s", "%s", "%s", "%s"],
                 "resolution": {"action": "skip", "output": {"success": true}}}
                """.formatted(ids.get(0), ids.get(1), ids.get(2), missing)).post("/api/tasks/bulk").then()
                .statusCode(200).extract().asString());
        assertThat(resolved.path("results")).extracting(r -> r.path("status").asInt(200)).containsExactly(200, 200,
                403, 404);
        // frank's task is untouched: still claimed by him, at the version his claim left.
        JsonNode franks = json.readTree(given().auth().oauth2(viewer).get("/api/tasks/" + ids.get(2)).asString());
        assertThat(franks.path("status").asText()).isEqualTo("claimed");
        assertThat(franks.path("assignee").asText()).isEqualTo("frank");
        assertThat(franks.path("version").asLong()).isEqualTo(1);
        List<?> skips = KafkaTestClient.readAll(Topics.TASK_EVENTS, r -> TaskResolved.MESSAGE_TYPE.equals(
                KafkaTestClient.header(r, MessageHeaders.MESSAGE_TYPE)) && r.value().contains("\"SKIP\"")
                && (r.value().contains(ids.get(0)) || r.value().contains(ids.get(1))),
                Duration.ofSeconds(4));
        assertThat(skips).hasSize(2);
        given().auth().oauth2(finance).contentType("application/json").body("{\"action\": \"claim\", \"taskIds\": []}")
                .post("/api/tasks/bulk").then().statusCode(422);
    }

    @Test
    void aTaskPastItsDueDateExpiresOnce() throws Exception {
        String run = "run-" + UUID.randomUUID();
        send(awaiting(run, "process_payout", Instant.now().plusSeconds(2)));
        String id = awaitTask(run).path("id").asText();
        await().atMost(WAIT).until(() -> json.readTree(given().auth().oauth2(viewer).get("/api/tasks/" + id)
                .asString()).path("status").asText().equals("expired"));
        JsonNode expired = json.readTree(given().auth().oauth2(viewer).get("/api/tasks/" + id).asString());
        assertThat(expired.path("history")).extracting(h -> h.path("action").asText()).containsExactly("create",
                "expire");
        assertThat(expired.path("history").get(1).path("actor").asText()).isEqualTo("task-service");
    }

    @Test
    void aSavedFilterListsWhatItsQuerySaysAndIsSharedWithARoleButChangedOnlyByItsOwner() throws Exception {
        String workflow = "saved_" + UUID.randomUUID().toString().substring(0, 8);
        String run = "run-" + UUID.randomUUID();
        send(awaiting(run, workflow, Instant.now().plus(Duration.ofDays(1))));
        awaitTask(run);
        Response saved = given().auth().oauth2(finance).contentType("application/json").body("""
                {"name": "My open %s", "query": {"status": "open", "candidate": "mine", "workflow": "%s"},
                 "sharedWith": "flowline-finance"}
                """.formatted(workflow, workflow)).post("/api/task-filters");
        assertThat(saved.statusCode()).as(saved.asString()).isEqualTo(201);
        String id = saved.jsonPath().getString("id");

        JsonNode listed = list("filter=" + id, finance2);
        assertThat(listed.path("items")).hasSize(1);
        assertThat(listed.path("items").get(0).path("runId").asText()).isEqualTo(run);
        // The request's own parameters override the saved ones.
        assertThat(list("filter=" + id + "&status=resolved", finance2).path("items")).isEmpty();
        assertThat(json.readTree(given().auth().oauth2(finance2).get("/api/task-filters").asString())).extracting(
                f -> f.path("id").asText()).contains(id);
        given().auth().oauth2(operator).get("/api/task-filters/" + id).then().statusCode(404);
        given().auth().oauth2(operator).get("/api/tasks?filter=" + id).then().statusCode(404);

        Response bad = given().auth().oauth2(finance).contentType("application/json").body(
                "{\"name\": \"bad\", \"query\": {\"status\": \"sideways\", \"nope\": \"x\", \"priorityMin\": 5}}")
                .post("/api/task-filters");
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(bad.jsonPath().getList("errors.pointer", String.class)).containsExactlyInAnyOrder(
                "/query/status", "/query/nope", "/query/priorityMin");
        given().auth().oauth2(finance).contentType("application/json").body(
                "{\"name\": \"x\", \"query\": {}, \"sharedWith\": \"flowline-admin\"}").post("/api/task-filters")
                .then().statusCode(422);
        given().auth().oauth2(finance).contentType("application/json").body(
                "{\"name\": \"My open " + workflow + "\", \"query\": {}}").post("/api/task-filters").then()
                .statusCode(409);
        given().auth().oauth2(finance2).delete("/api/task-filters/" + id).then().statusCode(403);
        given().auth().oauth2(finance).delete("/api/task-filters/" + id).then().statusCode(204);
        given().auth().oauth2(finance).get("/api/task-filters/" + id).then().statusCode(404);
    }

    // ---- helpers ----

    private StepAwaitingTask awaiting(String run) {
        return awaiting(run, "process_payout", Instant.now().plus(Duration.ofDays(7)));
    }

    private StepAwaitingTask awaiting(String run, String workflow, Instant due) {
        String key = StepAwaitingTask.correlationKey(run, "VALIDATE", 1, 0);
        return new StepAwaitingTask(StepAwaitingTask.messageIdFor(key), key, run, workflow, "1", "VALIDATE",
                "validate_settings@1.0.0", 1, 0, "MISSING_XERO_NAME", "Missing Xero name for Old Mill Cottage",
                json.createObjectNode().put("rental_id", "r-2").put("rental_name", "Old Mill Cottage"), json
                        .createObjectNode().put("payout_id", "P-1001"),
                null, due, Instant.now());
    }

    private StepAwaitingTask refundAwaiting(String run, Instant due) {
        String key = StepAwaitingTask.correlationKey(run, "APPROVE", 1, 0);
        return new StepAwaitingTask(StepAwaitingTask.messageIdFor(key), key, run, "refunds", "1", "APPROVE",
                "approve_refund@1.0.0", 1, 0, "NEEDS_APPROVAL", null, json.createObjectNode().put("approver", "gus")
                        .put("guest", "Ann Lee").put("amount", 120),
                json.createObjectNode(), null, due, Instant.now());
    }

    private StepAwaitingTask awaiting(String run, String step, String code) {
        String key = StepAwaitingTask.correlationKey(run, "HOST", 1, 0);
        return new StepAwaitingTask(StepAwaitingTask.messageIdFor(key), key, run, "host_check", "1", "HOST", step, 1,
                0, code, null, json.createObjectNode().put("rental_name", "Old Mill Cottage"), json.createObjectNode(),
                null, Instant.now().plus(Duration.ofDays(7)), Instant.now());
    }

    private void send(StepAwaitingTask awaiting) throws Exception {
        KafkaTestClient.sendMessage(Topics.WORKFLOW_LIFECYCLE, awaiting.runId(), json.writeValueAsString(awaiting),
                StepAwaitingTask.MESSAGE_TYPE, awaiting.messageId());
    }

    private JsonNode list(String query, String token) throws Exception {
        return json.readTree(given().auth().oauth2(token).get("/api/tasks?" + query).then().statusCode(200)
                .extract().asString());
    }

    /** The run's task once it opened and its step's candidates are known. */
    private JsonNode awaitTask(String run) throws Exception {
        String id = await().atMost(WAIT).until(() -> list("run=" + run, viewer).path("items").path(0).path("id")
                .asText(null), found -> found != null);
        return json.readTree(given().auth().oauth2(viewer).get("/api/tasks/" + id).asString());
    }
}
