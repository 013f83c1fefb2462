package dev.flowline.trigger;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.flowline.contracts.CatalogChange;
import dev.flowline.contracts.CatalogKind;
import dev.flowline.contracts.MessageHeaders;
import dev.flowline.contracts.Topics;
import dev.flowline.contracts.WorkflowRunUpdate;
import dev.flowline.servicekit.security.Roles;
import dev.flowline.testkit.KafkaTestClient;
import dev.flowline.testkit.Tokens;

@QuarkusTest
class WorkflowLifecycleConsumerTest {

    @Inject
    ObjectMapper json;

    private final String viewer = Tokens.forUser("vera", Roles.VIEWER);

    @Test
    void aForeignMessageTypeBetweenTwoRunUpdatesIsSkippedNotReadAsARunUpdate() throws Exception {
        CatalogChange workflow = new CatalogChange(UUID.randomUUID(), CatalogKind.WORKFLOW, "lifecycle_probe", "1",
                CatalogChange.Status.PUBLISHED, json.readTree("""
                        {"name": "lifecycle_probe", "version": 1, "command": "probe.run", "start": "A",
                         "end": ["A"], "steps": {"A": {"uses": "pay@^1"}}}"""), Instant.now());
        KafkaTestClient.sendMessage(Topics.CATALOG_CHANGES, workflow.key(), json.writeValueAsString(workflow),
                CatalogChange.MESSAGE_TYPE, workflow.messageId());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(viewer)
                .when().get("/api/catalog-cache/workflow/lifecycle_probe/versions/1").then().statusCode(200));
        String operator = Tokens.forUser("otto", Roles.OPERATOR);
        UUID command = UUID.fromString(given().auth().oauth2(operator).contentType(ContentType.JSON).body("{}")
                .when().post("/api/commands/lifecycle_probe").then().statusCode(202).extract().path("id"));
        Instant t0 = Instant.now();

        send(new WorkflowRunUpdate(UUID.randomUUID(), command, "run-1", WorkflowRunUpdate.RunStatus.STARTED,
                "step 1 of 2", t0), WorkflowRunUpdate.MESSAGE_TYPE);
        // Read as a run update, this record would finish the run and the next update could not reopen it.
        send(new WorkflowRunUpdate(UUID.randomUUID(), command, "run-1", WorkflowRunUpdate.RunStatus.COMPLETED,
                "foreign", t0.plusSeconds(1)), "step-awaiting-task/v1");
        // A tombstone and an untyped record on the shared topic do not stop the channel either.
        KafkaTestClient.send(Topics.WORKFLOW_LIFECYCLE, command.toString(), null, Map.of());
        KafkaTestClient.send(Topics.WORKFLOW_LIFECYCLE, command.toString(), "{}", Map.of(MessageHeaders.MESSAGE_ID,
                UUID.randomUUID().toString()));
        send(new WorkflowRunUpdate(UUID.randomUUID(), command, "run-1", WorkflowRunUpdate.RunStatus.STARTED,
                "step 2 of 2", t0.plusSeconds(2)), WorkflowRunUpdate.MESSAGE_TYPE);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(viewer)
                .when().get("/api/commands/" + command).then().statusCode(200)
                .body("runStatus", equalTo("STARTED")).body("runDetail", equalTo("step 2 of 2")));
        given().when().get("/q/metrics").then().statusCode(200).body(org.hamcrest.Matchers.containsString(
                "flowline_messages_skipped_total{reason=\"unknown-type\",topic=\"workflow-lifecycle\"}"));
    }

    private void send(WorkflowRunUpdate update, String messageType) throws Exception {
        KafkaTestClient.sendMessage(Topics.WORKFLOW_LIFECYCLE, update.commandId().toString(), json
                .writeValueAsString(update), messageType, update.messageId());
    }
}
