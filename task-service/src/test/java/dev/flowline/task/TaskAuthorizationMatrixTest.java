package dev.flowline.task;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

import dev.flowline.contracts.CatalogChange;
import dev.flowline.contracts.CatalogKind;
import dev.flowline.contracts.StepAwaitingTask;
import dev.flowline.contracts.Topics;
import dev.flowline.servicekit.security.Roles;
import dev.flowline.testkit.KafkaTestClient;
import dev.flowline.testkit.Tokens;

/**
 * Every task endpoint × every kind of caller, from one table: the expected status of each cell. Each mutating cell
 * works on a task of its own in the state the row needs (open, or claimed by the candidate "carla"), so cells never
 * see each other's effects. The task's step names the role {@code flowline-ledger} as its candidates.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskAuthorizationMatrixTest {

    static final String LEDGER = "flowline-ledger";

    /** The callers, in the table's column order. */
    enum Caller {
        ANONYMOUS, VIEWER, EDITOR, OPERATOR_OUTSIDE_CANDIDATES, CANDIDATE, ADMIN
    }

    /** What a row needs of its task before the call. */
    enum Setup {
        NONE, OPEN, CLAIMED_BY_CANDIDATE
    }

    record Row(String name, String method, String path, String body, Setup setup, int... statuses) {
    }

    // anonymous, viewer, editor, operator outside the candidates, candidate, admin
    static final List<Row> TABLE = List.of(
            new Row("list", "GET", "/api/tasks", null, Setup.NONE, 401, 200, 200, 200, 200, 200),
            new Row("counts", "GET", "/api/tasks/counts", null, Setup.NONE, 401, 200, 200, 200, 200, 200),
            new Row("get", "GET", "/api/tasks/{id}", null, Setup.OPEN, 401, 200, 200, 200, 200, 200),
            new Row("claim", "POST", "/api/tasks/{id}/claim", null, Setup.OPEN, 401, 403, 403, 403, 200, 200),
            new Row("release", "POST", "/api/tasks/{id}/release", null, Setup.CLAIMED_BY_CANDIDATE, 401, 403, 403,
                    403, 200, 200),
            new Row("assign", "POST", "/api/tasks/{id}/assign", "{\"assignee\": \"someone\"}", Setup.OPEN, 401, 403,
                    403, 403, 200, 200),
            new Row("resolve", "POST", "/api/tasks/{id}/resolve", "{\"action\": \"retry\"}",
                    Setup.CLAIMED_BY_CANDIDATE, 401, 403, 403, 403, 200, 200),
            new Row("cancel", "POST", "/api/tasks/{id}/cancel", "{\"reason\": \"duplicate\"}", Setup.OPEN, 401, 403,
                    403, 403, 403, 200),
            new Row("comment", "POST", "/api/tasks/{id}/comments", "{\"body\": \"looking\"}", Setup.OPEN, 401, 403,
                    403, 403, 201, 201),
            new Row("task types", "GET", "/api/task-types", null, Setup.NONE, 401, 200, 200, 200, 200, 200),
            new Row("override a task type", "PUT", "/api/task-types/post_ledger:LEDGER_LOCKED/override",
                    "{\"priority\": 60}", Setup.NONE, 401, 403, 201, 403, 403, 201),
            new Row("saved filters", "GET", "/api/task-filters", null, Setup.NONE, 401, 200, 200, 200, 200, 200),
            new Row("save a filter", "POST", "/api/task-filters", "{\"name\": \"mine\", \"query\": {\"candidate\": "
                    + "\"mine\"}}", Setup.NONE, 401, 201, 201, 201, 201, 201),
            // The endpoint's role only: each task's own refusal is in the per-task results.
            new Row("bulk", "POST", "/api/tasks/bulk", "{\"action\": \"claim\", \"taskIds\": [\"{id}\"]}", Setup.OPEN,
                    401, 403, 403, 200, 200, 200));

    @Inject
    ObjectMapper json;

    final Map<Caller, String> tokens = new LinkedHashMap<>();
    /** The task of each cell that needs one. */
    final Map<String, String> tasks = new LinkedHashMap<>();

    /** Called first in the factory: RestAssured knows the test port there, not yet in a @BeforeAll. */
    void tasksForEveryCell() throws Exception {
        tokens.put(Caller.VIEWER, Tokens.forUser("vic", Roles.VIEWER));
        tokens.put(Caller.EDITOR, Tokens.forUser("ed", Roles.EDITOR));
        tokens.put(Caller.OPERATOR_OUTSIDE_CANDIDATES, Tokens.forUser("otto", Roles.OPERATOR));
        tokens.put(Caller.CANDIDATE, Tokens.forUser("carla", Roles.OPERATOR, LEDGER));
        tokens.put(Caller.ADMIN, Tokens.forUser("adele", Roles.ADMIN));
        CatalogChange change = new CatalogChange(UUID.randomUUID(), CatalogKind.STEP, "post_ledger", "1.0.0",
                CatalogChange.Status.PUBLISHED, json.readTree("""
                        {"name": "post_ledger", "version": "1.0.0",
                         "binding": {"type": "http", "url": "http://localhost:1/post"},
                         "input": {"type": "object"}, "output": {"type": "object"},
                         "errors": [{"code": "LEDGER_LOCKED", "message": "The ledger period is locked"}],
                         "permissions": ["flowline-ledger"]}
                        """), Instant.now());
        KafkaTestClient.sendMessage(Topics.CATALOG_CHANGES, change.key(), json.writeValueAsString(change),
                CatalogChange.MESSAGE_TYPE, change.messageId());
        String viewer = tokens.get(Caller.VIEWER);
        List<String> runs = new ArrayList<>();
        for (Row row : TABLE) {
            if (row.setup() == Setup.NONE) {
                continue;
            }
            for (Caller caller : Caller.values()) {
                String run = "matrix-" + UUID.randomUUID();
                String key = StepAwaitingTask.correlationKey(run, "POST", 1, 0);
                StepAwaitingTask awaiting = new StepAwaitingTask(StepAwaitingTask.messageIdFor(key), key, run,
                        "ledger_close", "1", "POST", "post_ledger@1.0.0", 1, 0, "LEDGER_LOCKED", null, null, json
                                .createObjectNode(),
                        null, Instant.now().plus(Duration.ofDays(1)), Instant.now());
                KafkaTestClient.sendMessage(Topics.WORKFLOW_LIFECYCLE, run, json.writeValueAsString(awaiting),
                        StepAwaitingTask.MESSAGE_TYPE, awaiting.messageId());
                tasks.put(row.name() + "/" + caller, run);
                runs.add(run);
            }
        }
        for (Map.Entry<String, String> cell : tasks.entrySet()) {
            String run = cell.getValue();
            String id = await().atMost(Duration.ofSeconds(60)).until(() -> json.readTree(given().auth().oauth2(viewer)
                    .get("/api/tasks?run=" + run).asString()).path("items").path(0).path("id").asText(null),
                    found -> found != null);
            cell.setValue(id);
        }
        for (Row row : TABLE) {
            if (row.setup() == Setup.CLAIMED_BY_CANDIDATE) {
                for (Caller caller : Caller.values()) {
                    given().auth().oauth2(tokens.get(Caller.CANDIDATE)).post("/api/tasks/" + tasks.get(row.name()
                            + "/" + caller) + "/claim").then().statusCode(200);
                }
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> everyEndpointAnswersEveryCallerAsTheTableSays() throws Exception {
        tasksForEveryCell();
        return TABLE.stream().flatMap(row -> Stream.of(Caller.values()).map(caller -> DynamicTest.dynamicTest(
                row.name() + " as " + caller.name().toLowerCase(java.util.Locale.ROOT) + " -> " + row
                        .statuses()[caller.ordinal()],
                () -> {
                    RequestSpecification request = given();
                    if (caller != Caller.ANONYMOUS) {
                        request = request.auth().oauth2(tokens.get(caller));
                    }
                    String task = row.setup() == Setup.NONE ? "" : tasks.get(row.name() + "/" + caller);
                    if (row.body() != null) {
                        request = request.contentType("application/json").body(row.body().replace("{id}", task));
                    }
                    String path = row.path().replace("{id}", task);
                    int status = switch (row.method()) {
                        case "GET" -> request.get(path).statusCode();
                        case "PUT" -> request.put(path).statusCode();
                        default -> request.post(path).statusCode();
                    };
                    assertThat(status).as(row.name() + " as " + caller).isEqualTo(row.statuses()[caller.ordinal()]);
                })));
    }
}
