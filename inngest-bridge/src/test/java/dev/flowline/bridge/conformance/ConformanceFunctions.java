package dev.flowline.bridge.conformance;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.flowline.bridge.inngest.InngestFunction;
import dev.flowline.bridge.inngest.InngestFunction.Trigger;
import dev.flowline.bridge.inngest.NonRetriableException;

/**
 * The conformance scenarios written with the Java API; the TypeScript app under {@code src/test/conformance-app}
 * has the same functions with the official SDK, and {@link Scenarios} asserts the same outcomes for both.
 */
public class ConformanceFunctions {

    /** How often each step body ran, by "function/step": a completed step must never run again. */
    public static final Map<String, AtomicInteger> EXECUTIONS = new ConcurrentHashMap<>();

    static int count(String function, String step) {
        return EXECUTIONS.computeIfAbsent(function + "/" + step, k -> new AtomicInteger()).incrementAndGet();
    }

    @Produces
    @Singleton
    InngestFunction steps() {
        return InngestFunction.of("steps", Trigger.event("conformance/steps"), ctx -> {
            String run = ctx.runId();
            String a = ctx.step().run("a", String.class, () -> "A" + count("steps", "a-" + run));
            String b = ctx.step().run("b", String.class, () -> a + "B" + count("steps", "b-" + run));
            ctx.step().sleep("pause", Duration.ofSeconds(ctx.event().path("data").path("pause").asInt(1)));
            String c = ctx.step().run("c", String.class, () -> b + "C" + count("steps", "c-" + run));
            return Map.of("result", c);
        });
    }

    @Produces
    @Singleton
    InngestFunction waits() {
        return InngestFunction.of("wait", Trigger.event("conformance/wait"), ctx -> {
            var approval = ctx.step().waitForEvent("approval", "conformance/approved",
                    Duration.ofSeconds(ctx.event().path("data").path("timeoutSeconds").asInt(30)),
                    "async.data.ref == event.data.ref");
            return Map.of("approved", approval.isPresent(), "by", approval.map(e -> e.path("data").path("by")
                    .asText()).orElse("nobody"));
        });
    }

    @Produces
    @Singleton
    InngestFunction sends() {
        return InngestFunction.of("send", Trigger.event("conformance/send"), ctx -> {
            List<String> ids = ctx.step().sendEvent("announce", List.of(Map.of("name", "conformance/announced",
                    "id", "announced-" + ctx.event().path("data").path("ref").asText(), "data", Map.of("ref",
                            ctx.event().path("data").path("ref").asText()))));
            return Map.of("sent", ids);
        });
    }

    @Produces
    @Singleton
    InngestFunction flaky() {
        return InngestFunction.of("flaky", Trigger.event("conformance/flaky"), ctx -> {
            String ref = ctx.event().path("data").path("ref").asText();
            String value = ctx.step().run("call-xero", String.class, () -> {
                int attempt = count("flaky", "call-xero-" + ref);
                if (attempt == 1) {
                    throw new IllegalStateException("Xero is down");
                }
                return "pushed on attempt " + attempt;
            });
            return Map.of("xero", value);
        }).withRetries(2);
    }

    /** Every two seconds (Quartz's form, with seconds): the executor starts a run per slot. */
    @Produces
    @Singleton
    InngestFunction tick() {
        return InngestFunction.of("tick", Trigger.cron("*/2 * * * * ?"), ctx -> Map.of("cron", ctx.event().path("data")
                .path("cron").asText()));
    }

    @Produces
    @Singleton
    InngestFunction refusing() {
        return InngestFunction.of("refusing", Trigger.event("conformance/refusing"), ctx -> {
            ctx.step().run("validate", () -> {
                int attempt = count("refusing", "validate-" + ctx.event().path("data").path("ref").asText());
                throw new NonRetriableException("booking does not exist (attempt " + attempt + ")");
            });
            return Map.of("unreachable", true);
        });
    }
}
