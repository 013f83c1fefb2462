package dev.flowline.bridge.inngest;

import java.util.List;
import java.util.Objects;

/**
 * A function the bridge serves: its id (unique in the app), triggers, retry count and concurrency limit, and the code.
 * Declare one as a CDI bean and the serve endpoint registers and runs it.
 *
 * @param retries retries after the first attempt (Inngest's default is 3)
 * @param concurrency the most runs at once, or 0 for no limit
 */
public record InngestFunction(String id, String name, List<Trigger> triggers, int retries, int concurrency,
        Handler handler) {

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
        name = name == null ? id : name;
    }

    public static InngestFunction of(String id, Trigger trigger, Handler handler) {
        return new InngestFunction(id, id, List.of(trigger), 3, 0, handler);
    }

    public InngestFunction withRetries(int count) {
        return new InngestFunction(id, name, triggers, count, concurrency, handler);
    }

    public InngestFunction withConcurrency(int limit) {
        return new InngestFunction(id, name, triggers, retries, limit, handler);
    }
}
