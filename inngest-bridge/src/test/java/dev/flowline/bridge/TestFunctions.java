package dev.flowline.bridge;

import java.util.Map;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.flowline.bridge.inngest.InngestFunction;

/** A function served in the tests of the serve endpoint. */
public class TestFunctions {

    @Produces
    @Singleton
    InngestFunction greet() {
        return InngestFunction.of("greet", InngestFunction.Trigger.event("test/greet"), ctx -> Map.of("greeting",
                "hello " + ctx.event().path("data").path("name").asText()));
    }
}
