package dev.flowline.bridge.conformance;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.flowline.bridge.inngest.FunctionContext;
import dev.flowline.bridge.inngest.InngestFunction;
import dev.flowline.bridge.inngest.InngestFunction.Trigger;
import dev.flowline.bridge.inngest.NonRetriableException;
import dev.flowline.bridge.inngest.StepError;

/**
 * The conformance scenarios written with the Java API; the TypeScript app under {@code src/test/conformance-app}
 * has the same functions with the official SDK, and {@link Scenarios} asserts the same outcomes for both.
 */
public class ConformanceFunctions {

    /** How often each step body ran, by "function/step": a completed step must never run again. */
    public static final Map<String, AtomicInteger> EXECUTIONS = new ConcurrentHashMap<>();

    /** The {@code attempt} each call of a step body saw, by "function/step". */
    public static final Map<String, List<Integer>> ATTEMPTS = new ConcurrentHashMap<>();

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

    /** A step that always fails, with 2 retries: it must run 3 times, seeing attempts 0, 1 and 2. */
    @Produces
    @Singleton
    InngestFunction exhausted() {
        return InngestFunction.of("exhausted", Trigger.event("conformance/exhausted"), ctx -> {
            String ref = ctx.event().path("data").path("ref").asText();
            ctx.step().run("always-down", () -> {
                List<Integer> seen = ATTEMPTS.computeIfAbsent("exhausted/" + ref, k -> new CopyOnWriteArrayList<>());
                seen.add(ctx.attempt());
                throw new IllegalStateException("down on call " + seen.size() + ", attempts " + seen.stream().map(
                        String::valueOf).collect(Collectors.joining(",")));
            });
            return Map.of("unreachable", true);
        }).withRetries(2);
    }

    /** Steps executing at once, by group, and the most seen. */
    private static final Map<String, AtomicInteger> RUNNING = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> MOST = new ConcurrentHashMap<>();

    private static int hold(String group) throws InterruptedException {
        AtomicInteger running = RUNNING.computeIfAbsent(group, k -> new AtomicInteger());
        AtomicInteger most = MOST.computeIfAbsent(group, k -> new AtomicInteger());
        most.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
            Thread.sleep(700);
        } finally {
            running.decrementAndGet();
        }
        return most.get();
    }

    /** One step at a time per group key; a run asleep between its steps holds no slot. */
    @Produces
    @Singleton
    InngestFunction limited() {
        return InngestFunction.of("limited", Trigger.event("conformance/limited"), ctx -> {
            String group = ctx.event().path("data").path("group").asText();
            int a = ctx.step().run("a", Integer.class, () -> hold(group));
            ctx.step().sleep("pause", Duration.ofSeconds(2));
            int b = ctx.step().run("b", Integer.class, () -> hold(group));
            return Map.of("most", Math.max(a, b));
        }).withConcurrency(new InngestFunction.Concurrency(1, "event.data.group", null));
    }

    /**
     * Two functions whose env-scoped limits have different key expressions: runs of both whose keys evaluate to the
     * same value share the one slot, as Inngest keys a scoped limit by its scope and the evaluated value.
     */
    @Produces
    @Singleton
    InngestFunction sharedByGroup() {
        return InngestFunction.of("shared-group", Trigger.event("conformance/shared-group"), ctx -> Map.of("most",
                ctx.step().run("hold", Integer.class, () -> hold("shared-" + ctx.event().path("data").path("group")
                        .asText()))))
                .withConcurrency(new InngestFunction.Concurrency(1, "event.data.group", "env"));
    }

    @Produces
    @Singleton
    InngestFunction sharedByTeam() {
        return InngestFunction.of("shared-team", Trigger.event("conformance/shared-team"), ctx -> Map.of("most", ctx
                .step().run("hold", Integer.class, () -> hold("shared-" + ctx.event().path("data").path("team")
                        .asText()))))
                .withConcurrency(new InngestFunction.Concurrency(1, "event.data.team", "env"));
    }

    /** Fails for good; its failure handler runs with the error. */
    @Produces
    @Singleton
    InngestFunction doomed() {
        return InngestFunction.of("doomed", Trigger.event("conformance/doomed"), ctx -> {
            ctx.step().run("charge", () -> {
                throw new NonRetriableException("card declined for " + ctx.event().path("data").path("ref").asText());
            });
            return Map.of("unreachable", true);
        }).withOnFailure(ctx -> Map.of("handled", ctx.event().path("data").path("error").path("message").asText(),
                "ref", ctx.event().path("data").path("event").path("data").path("ref").asText()));
    }

    /** One run per ref within 24 hours, whatever the event ids. */
    @Produces
    @Singleton
    InngestFunction once() {
        return InngestFunction.of("once", Trigger.event("conformance/once"), ctx -> Map.of("ref", ctx.event().path(
                "data").path("ref").asText())).withFlowControl(new InngestFunction.FlowControl("event.data.ref",
                        List.of(), null, null));
    }

    /** Waits for an event that never comes, until a matching conformance/stop cancels it. */
    @Produces
    @Singleton
    InngestFunction cancellable() {
        return InngestFunction.of("cancellable", Trigger.event("conformance/cancellable"), ctx -> {
            ctx.step().waitForEvent("never", "conformance/never", Duration.ofSeconds(60), null);
            return Map.of("finished", true);
        }).withFlowControl(new InngestFunction.FlowControl(null, List.of(new InngestFunction.CancelOn(
                "conformance/stop", "event.data.ref == async.data.ref", null)), null, null));
    }

    /** A newer run for the same user cancels the older one (cancelOn its own trigger event), never itself. */
    @Produces
    @Singleton
    InngestFunction superseding() {
        return InngestFunction.of("superseding", Trigger.event("conformance/supersede"), ctx -> {
            ctx.step().waitForEvent("never", "conformance/never", Duration.ofSeconds(60), null);
            return Map.of("finished", true);
        }).withFlowControl(new InngestFunction.FlowControl(null, List.of(new InngestFunction.CancelOn(
                "conformance/supersede", "event.data.user == async.data.user", null)), null, null));
    }

    /** Sleeps longer than its finish timeout allows. */
    @Produces
    @Singleton
    InngestFunction bounded() {
        return InngestFunction.of("bounded", Trigger.event("conformance/bounded"), ctx -> {
            ctx.step().run("a", () -> "a");
            ctx.step().sleep("long", Duration.ofSeconds(5));
            ctx.step().run("b", () -> "b");
            return Map.of("finished", true);
        }).withFlowControl(new InngestFunction.FlowControl(null, List.of(), null, Duration.ofSeconds(2)));
    }

    /** Two steps, the second with an input: a re-run from it reuses the first and may replace its input. */
    @Produces
    @Singleton
    InngestFunction rerunnable() {
        return InngestFunction.of("rerunnable", Trigger.event("conformance/rerunnable"), ctx -> {
            String ref = ctx.event().path("data").path("ref").asText();
            int fetched = ctx.step().run("fetch", Integer.class, () -> count("rerunnable", "fetch-" + ref));
            int doubled = ctx.step().run("double", Integer.class, Map.of("value", ctx.event().path("data").path(
                    "value").asInt()), input -> input.path("value").asInt() * 2);
            return Map.of("fetched", fetched, "doubled", doubled);
        });
    }

    static final long FANOUT_STEP_MILLIS = 500;

    /** Three steps in parallel, then one after them. */
    @Produces
    @Singleton
    InngestFunction fanout() {
        return InngestFunction.of("fanout", Trigger.event("conformance/fanout"), ConformanceFunctions::fanOut);
    }

    /** The same, under a concurrency limit of 1: its parallel steps run one at a time. */
    @Produces
    @Singleton
    InngestFunction fanoutLimited() {
        return InngestFunction.of("fanout-limited", Trigger.event("conformance/fanout-limited"),
                ConformanceFunctions::fanOut).withConcurrency(new InngestFunction.Concurrency(1, null, null));
    }

    private static Object fanOut(FunctionContext ctx) throws Exception {
        String run = ctx.runId();
        Map<String, java.util.concurrent.Callable<?>> bodies = new java.util.LinkedHashMap<>();
        for (String s : List.of("a", "b", "c")) {
            // Each body takes a while and says when it ran, so the scenario can see whether the three overlap.
            bodies.put(s, () -> {
                long start = System.currentTimeMillis();
                Thread.sleep(FANOUT_STEP_MILLIS);
                return Map.of("value", s.toUpperCase() + count("fanout", s + "-" + run), "start", start, "end",
                        System.currentTimeMillis());
            });
        }
        Map<String, com.fasterxml.jackson.databind.JsonNode> parts = ctx.step().parallel(bodies);
        String joined = parts.get("a").path("value").asText() + parts.get("b").path("value").asText() + parts.get("c")
                .path("value").asText();
        String d = ctx.step().run("d", String.class, () -> joined + "D" + count("fanout", "d-" + run));
        return Map.of("result", d, "spans", List.of(parts.get("a"), parts.get("b"), parts.get("c")));
    }

    /** Invoked by {@link #invoker}. */
    @Produces
    @Singleton
    InngestFunction doubler() {
        return InngestFunction.of("doubler", Trigger.event("conformance/doubler"), ctx -> Map.of("doubled", ctx
                .event().path("data").path("value").asInt() * 2));
    }

    @Produces
    @Singleton
    InngestFunction invoker() {
        return InngestFunction.of("invoker", Trigger.event("conformance/invoker"), ctx -> {
            var result = ctx.step().invoke("call", "flowline-doubler", Map.of("value", ctx.event().path("data").path(
                    "value").asInt()), Duration.ofSeconds(30));
            return Map.of("result", result.path("doubled").asInt());
        });
    }

    /** A failed step's error keeps its name, message and cause on the server; the catching code sees them. */
    @Produces
    @Singleton
    InngestFunction typed() {
        return InngestFunction.of("typed", Trigger.event("conformance/typed"), ctx -> {
            try {
                ctx.step().run("validate", () -> {
                    throw new NonRetriableException("rental r1 has no Xero name",
                            com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                                    .put("code", "MISSING_XERO_NAME").put("rental_id", "r1"),
                            new IllegalStateException("xero lookup empty"));
                });
                return Map.of("caught", false);
            } catch (StepError e) {
                return Map.of("name", e.errorName(), "message", e.getMessage(), "cause", e.errorCause().path(
                        "message").asText());
            }
        });
    }

    /** Started only by events its CEL condition accepts. */
    @Produces
    @Singleton
    InngestFunction gate() {
        return InngestFunction.of("gate", Trigger.event("conformance/gate",
                "event.data.amount > 1000 && event.data.currency == 'GBP'"),
                ctx -> Map.of("ref", ctx.event().path(
                        "data").path("ref").asText()));
    }

    /** A step that fails for good is an exception the function can catch and go on from. */
    @Produces
    @Singleton
    InngestFunction recovering() {
        return InngestFunction.of("recovering", Trigger.event("conformance/recovering"), ctx -> {
            try {
                ctx.step().run("doomed", () -> {
                    throw new IllegalStateException("Xero rejected the invoice");
                });
                return Map.of("recovered", false);
            } catch (StepError e) {
                String fallback = ctx.step().run("fallback", String.class, () -> "queued for review");
                return Map.of("recovered", true, "error", e.getMessage(), "fallback", fallback);
            }
        }).withRetries(1);
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
