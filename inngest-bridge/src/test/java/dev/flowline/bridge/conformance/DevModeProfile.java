package dev.flowline.bridge.conformance;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

import dev.flowline.embedded.Ports;

/** The bridge in dev mode, pointed at a dev executor on {@link #EXECUTOR_PORT} (and Lambda at {@link #LAMBDA_PORT}). */
public class DevModeProfile implements QuarkusTestProfile {

    public static final int EXECUTOR_PORT = Ports.free();
    /** Where the workflow runner's tests serve a stand-in of the Lambda Invoke API. */
    public static final int LAMBDA_PORT = Ports.free();

    @Override
    public Map<String, String> getConfigOverrides() {
        // No configured serve origin: in dev mode the sync request's origin (the test's random port) is registered.
        return Map.of("inngest.dev", "http://localhost:" + EXECUTOR_PORT, "inngest.serve-origin", "",
                "flowline.runner.lambda.endpoint-override", "http://localhost:" + LAMBDA_PORT);
    }
}
