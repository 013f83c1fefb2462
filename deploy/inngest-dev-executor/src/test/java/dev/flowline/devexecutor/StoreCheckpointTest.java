package dev.flowline.devexecutor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.flowline.embedded.EmbeddedPostgresServer;

/** Checkpoints against the executor's own tables on a real PostgreSQL: saved in order, fenced by the call's lease. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StoreCheckpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EmbeddedPostgresServer postgres;
    private HikariDataSource data;
    private Store store;

    @BeforeAll
    void start() {
        postgres = EmbeddedPostgresServer.start(null, 0);
        Flyway.configure().dataSource(postgres.jdbcUrl(), EmbeddedPostgresServer.USER,
                EmbeddedPostgresServer.PASSWORD).schemas("inngest_dev").locations("classpath:db/devexecutor").load()
                .migrate();
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(postgres.jdbcUrl());
        pool.setUsername(EmbeddedPostgresServer.USER);
        pool.setPassword(EmbeddedPostgresServer.PASSWORD);
        pool.setSchema("inngest_dev");
        pool.setMaximumPoolSize(4);
        data = new HikariDataSource(pool);
        store = new Store(data, JSON);
        ObjectNode fn = JSON.createObjectNode().put("id", "app-steps").put("name", "steps");
        fn.putArray("triggers").addObject().put("event", "test/steps");
        fn.putObject("steps").putObject("step").putObject("runtime").put("url", "http://localhost:1/api/inngest");
        store.syncApp("app", "http://localhost:1/api/inngest", "test", JSON.createArrayNode().add(fn));
    }

    @AfterAll
    void stop() {
        if (data != null) {
            data.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private Store.Run claimedRun() {
        ObjectNode event = JSON.createObjectNode().put("name", "test/steps").put("id", UUID.randomUUID().toString());
        store.acceptEvents(List.of(event));
        Store.Run run = store.claim(60);
        assertThat(run).as("the event's run is due and claimed").isNotNull();
        return run;
    }

    private static Store.StepMemo step(String id, int value) {
        return new Store.StepMemo(id, "StepRun", id, id, JSON.createObjectNode().put("data", value), Instant.now(),
                null);
    }

    @Test
    void aCheckpointOfSeveralStepsFromTheCallHoldingTheRunMemoizesThemInOrderAsCheckpointed() {
        Store.Run run = claimedRun();

        assertThat(store.checkpoint(run.runId(), run.lease(), List.of(step("first", 1), step("second", 2),
                step("third", 3)))).isEqualTo(Store.Checkpointed.SAVED);

        List<String> steps = new ArrayList<>();
        for (JsonNode step : store.run(run.runId()).path("steps")) {
            steps.add(step.path("id").asText() + "=" + step.path("output").asInt() + "/" + step.path("checkpointed")
                    .asBoolean());
        }
        assertThat(steps).containsExactly("first=1/true", "second=2/true", "third=3/true");
        assertThat(store.memo(run.runId()).stack()).containsExactly("first", "second", "third");
    }

    @Test
    void aCheckpointFromACallWithoutTheLeaseIsStaleAndOneForNoRunIsUnknownAndNeitherChangesAnything() {
        Store.Run run = claimedRun();

        assertThat(store.checkpoint(run.runId(), UUID.randomUUID(), List.of(step("stray", 1)))).isEqualTo(
                Store.Checkpointed.STALE);
        assertThat(store.checkpoint(run.runId(), null, List.of(step("stray", 1)))).isEqualTo(
                Store.Checkpointed.STALE);
        assertThat(store.checkpoint("no-such-run", run.lease(), List.of(step("stray", 1)))).isEqualTo(
                Store.Checkpointed.UNKNOWN_RUN);
        assertThat(store.run(run.runId()).path("steps").size()).isZero();
    }

    @Test
    void aStepMemoizedBeforeKeepsItsResult() {
        Store.Run run = claimedRun();
        store.checkpoint(run.runId(), run.lease(), List.of(step("once", 1)));

        assertThat(store.checkpoint(run.runId(), run.lease(), List.of(step("once", 2)))).isEqualTo(
                Store.Checkpointed.SAVED);
        assertThat(store.run(run.runId()).path("steps").get(0).path("output").asInt()).isEqualTo(1);
    }
}
