package dev.flowline.bridge.conformance;

import java.net.URL;
import java.time.Duration;
import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import dev.flowline.devexecutor.DevExecutor;

/** The conformance scenarios with the Java API, served by the bridge and run by the dev executor. */
@QuarkusTest
@TestProfile(DevModeProfile.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JavaConformanceTest {

    @TestHTTPResource("/api/inngest")
    URL serve;

    private DevExecutor executor;
    private Scenarios scenarios;

    @BeforeAll
    void startExecutor() throws Exception {
        var config = ConfigProvider.getConfig();
        executor = DevExecutor.start(DevExecutor.Config.defaults(DevModeProfile.EXECUTOR_PORT,
                config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class))
                .withAppUrls(List.of(serve.toString())).withBackoffBase(Duration.ofMillis(200)));
        ExecutorClient client = new ExecutorClient(DevModeProfile.EXECUTOR_PORT);
        scenarios = new Scenarios(client, "flowline-");
        Scenarios.awaitSynced(client, "flowline-steps");
    }

    @AfterAll
    void stopExecutor() {
        if (executor != null) {
            executor.close();
        }
    }

    @Test
    void steps() {
        scenarios.stepsRunOnceEachAcrossASleep();
    }

    @Test
    void waitResolved() {
        scenarios.waitForEventIsResolvedByAMatchingEvent();
    }

    @Test
    void waitTimedOut() {
        scenarios.waitForEventTimesOut();
    }

    @Test
    void sendEvent() {
        scenarios.sendEventReachesTheEventApi();
    }

    @Test
    void retriedFailure() {
        scenarios.aFailedStepIsRetriedAndThenSucceeds();
    }

    @Test
    void nonRetriableError() {
        scenarios.aNonRetriableErrorFailsTheRunAtOnce();
    }
}
