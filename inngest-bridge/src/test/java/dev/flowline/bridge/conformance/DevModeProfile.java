package dev.flowline.bridge.conformance;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.test.junit.QuarkusTestProfile;

import dev.flowline.devexecutor.DevExecutor;
import dev.flowline.embedded.Ports;

/** The bridge in dev mode, pointed at a dev executor on {@link #EXECUTOR_PORT} (and Lambda at {@link #LAMBDA_PORT}). */
public class DevModeProfile implements QuarkusTestProfile {

    public static final int EXECUTOR_PORT = Ports.free();
    /** Where the workflow runner's tests serve a stand-in of the Lambda Invoke API. */
    public static final int LAMBDA_PORT = Ports.free();

    /**
     * A dev executor on {@link #EXECUTOR_PORT} over the test's database, syncing the app served at {@code serve}, with
     * retries {@code backoffBase} apart (null: the executor's default).
     */
    public static DevExecutor startExecutor(java.net.URL serve, Duration backoffBase) throws java.io.IOException {
        var config = ConfigProvider.getConfig();
        DevExecutor.Config executor = DevExecutor.Config.defaults(EXECUTOR_PORT, config.getValue(
                "quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username",
                        String.class),
                config.getValue("quarkus.datasource.password", String.class))
                .withAppUrls(List.of(serve.toString()));
        return DevExecutor.start(backoffBase == null ? executor : executor.withBackoffBase(backoffBase));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        // No configured serve origin: in dev mode the sync request's origin (the test's random port) is registered.
        return Map.of("inngest.dev", "http://localhost:" + EXECUTOR_PORT, "inngest.serve-origin", "",
                "flowline.steps.lambda.endpoint-override", "http://localhost:" + LAMBDA_PORT);
    }
}
