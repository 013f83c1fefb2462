package dev.flowline.bridge.inngest;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A function the bridge serves: its id (unique in the app), triggers, retry count and concurrency limit, and the code.
 * Declare one as a CDI bean and the serve endpoint registers and runs it.
 *
 * @param retries retries after the first attempt, 0 to 20 (Inngest's default when a function says nothing is 4, so
 *        5 attempts in all); a step that keeps failing runs {@code retries + 1} times
 * @param concurrency at most two limits on steps executing at once (a sleeping or waiting run holds no slot); empty
 *        for none
 * @param onFailure runs when a run of this function fails for good, as its own function {@code <id>-failure}
 *        triggered by {@code inngest/function.failed} (as the official SDK registers it); null for none. Its event's
 *        {@code data} has {@code function_id}, {@code run_id}, {@code error} and the original {@code event}.
 * @param flow idempotency, cancellation and timeouts; {@link FlowControl#NONE} for none
 */
public record InngestFunction(String id, String name, List<Trigger> triggers, int retries,
        List<Concurrency> concurrency, FlowControl flow, Handler onFailure, Handler handler) {

    /**
     * How Inngest controls a function's runs besides concurrency.
     *
     * @param idempotency a CEL expression over {@code event}: runs with the same value within 24 hours start once
     *        (instead of once per event id); null for none
     * @param cancelOn events that cancel a run: {@code event} name, {@code if} over {@code event} (the run's trigger)
     *        and {@code async} (the cancelling event), and for how long after the start ({@code null}: a year)
     * @param startTimeout the longest a run may wait for its first call; null for no limit
     * @param finishTimeout the longest from the first call until the run ends; null for no limit (a run that
     *        exceeds either is cancelled)
     */
    public record FlowControl(String idempotency, List<CancelOn> cancelOn, Duration startTimeout,
            Duration finishTimeout) {
        public static final FlowControl NONE = new FlowControl(null, List.of(), null, null);

        public FlowControl {
            cancelOn = cancelOn == null ? List.of() : List.copyOf(cancelOn);
        }
    }

    /** An event that cancels a run. */
    public record CancelOn(String event, String ifExpression, Duration timeout) {
    }

    /** The event Inngest emits when a run fails for good. */
    public static final String FUNCTION_FAILED = "inngest/function.failed";
    static final String FAILURE_SUFFIX = "-failure";

    /**
     * A concurrency limit: at most {@code limit} steps of this function executing at once, per value of {@code key}
     * (a CEL expression over {@code event}, e.g. {@code event.data.host_id}; null for one limit in all), counted within
     * {@code scope} ({@code fn}, {@code env} or {@code account}; null for {@code fn}).
     */
    public record Concurrency(int limit, String key, String scope) {
        public Concurrency {
            if (limit < 1) {
                throw new IllegalArgumentException("a concurrency limit is at least 1, got " + limit);
            }
            if (scope != null && !scope.equals("fn") && key == null) {
                throw new IllegalArgumentException("a " + scope + "-scoped concurrency limit needs a key");
            }
        }
    }

    /** The function's code; {@link FunctionContext#step()} gives the step tools. */
    @FunctionalInterface
    public interface Handler {
        Object handle(FunctionContext context) throws Exception;
    }

    /** An event name (with an optional expression) or a cron schedule. */
    public record Trigger(String event, String expression, String cron) {
        public static Trigger event(String name) {
            return new Trigger(name, null, null);
        }

        public static Trigger event(String name, String expression) {
            return new Trigger(name, expression, null);
        }

        public static Trigger cron(String cron) {
            return new Trigger(null, null, cron);
        }
    }

    public InngestFunction {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(handler, "handler");
        if (triggers == null || triggers.isEmpty()) {
            throw new IllegalArgumentException("function " + id + " needs at least one trigger");
        }
        triggers = List.copyOf(triggers);
        concurrency = concurrency == null ? List.of() : List.copyOf(concurrency);
        flow = flow == null ? FlowControl.NONE : flow;
        if (concurrency.size() > MAX_CONCURRENCY_LIMITS) {
            throw new IllegalArgumentException("function " + id + ": at most " + MAX_CONCURRENCY_LIMITS
                    + " concurrency limits");
        }
        name = name == null ? id : name;
        if (retries < 0 || retries > MAX_RETRIES) {
            throw new IllegalArgumentException("function " + id + ": retries must be 0 to " + MAX_RETRIES + ", got "
                    + retries);
        }
    }

    /** Inngest's default and its upper bound on retries. */
    public static final int DEFAULT_RETRIES = 4;
    public static final int MAX_RETRIES = 20;
    /** Inngest takes at most two concurrency limits per function. */
    public static final int MAX_CONCURRENCY_LIMITS = 2;

    public static InngestFunction of(String id, Trigger trigger, Handler handler) {
        return new InngestFunction(id, id, List.of(trigger), DEFAULT_RETRIES, List.of(), FlowControl.NONE, null,
                handler);
    }

    public InngestFunction withRetries(int count) {
        return new InngestFunction(id, name, triggers, count, concurrency, flow, onFailure, handler);
    }

    public InngestFunction withConcurrency(int limit) {
        return withConcurrency(new Concurrency(limit, null, null));
    }

    public InngestFunction withConcurrency(Concurrency... limits) {
        return new InngestFunction(id, name, triggers, retries, List.of(limits), flow, onFailure, handler);
    }

    public InngestFunction withOnFailure(Handler failureHandler) {
        return new InngestFunction(id, name, triggers, retries, concurrency, flow, failureHandler, handler);
    }

    public InngestFunction withFlowControl(FlowControl control) {
        return new InngestFunction(id, name, triggers, retries, concurrency, control, onFailure, handler);
    }

    /** The failure handler as a function of its own, matching the failed runs of {@code compositeId} only. */
    InngestFunction failureFunction(String compositeId) {
        return new InngestFunction(id + FAILURE_SUFFIX, name + " (failure)", List.of(Trigger.event(FUNCTION_FAILED,
                "event.data.function_id == '" + compositeId + "'")), 1, List.of(), FlowControl.NONE, null, onFailure);
    }
}
