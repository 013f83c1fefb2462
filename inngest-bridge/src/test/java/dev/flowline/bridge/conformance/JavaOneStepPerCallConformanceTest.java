package dev.flowline.bridge.conformance;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The conformance scenarios with the Java API and checkpointing off: every step that runs ends its call, and the
 * executor calls again with it memoized (what a checkpoint Inngest refuses falls back to as well).
 */
@QuarkusTest
@TestProfile(JavaOneStepPerCallConformanceTest.WithoutCheckpointing.class)
class JavaOneStepPerCallConformanceTest extends JavaConformanceTest {

    @Override
    protected boolean checkpointing() {
        return false;
    }

    public static class WithoutCheckpointing extends DevModeProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("flowline.inngest.checkpointing.enabled", "false");
            return config;
        }
    }
}
