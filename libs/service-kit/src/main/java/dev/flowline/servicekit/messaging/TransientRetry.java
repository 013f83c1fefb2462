package dev.flowline.servicekit.messaging;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;

/**
 * Runs a consumer's work again, with backoff and for as long as it takes, when it failed for a reason that goes away
 * on its own (the database unreachable or restarting, a serialization failure, a timeout). The record waits, and with
 * it its partition: the consumer stops requesting records, so consumption pauses instead of turning valid messages
 * into dead letters. Any other failure is the caller's to handle (it is permanent: retrying it would stall the
 * partition for nothing).
 *
 * <p>
 * The delay resumes on the Vert.x context the work started on: Hibernate Reactive sessions are bound to it, and a
 * retry on another thread would fail for that reason alone.
 *
 * <p>
 * Each failed attempt counts in {@code flowline.consumer.transient.failures} (tag {@code channel}); the first failure
 * and every tenth after it are logged at WARN with the cause, the recovery at INFO with how long it took.
 */
public final class TransientRetry {

    private static final Logger LOG = Logger.getLogger(TransientRetry.class);

    /** Log every Nth failed attempt of one outage (the first always). */
    private static final int LOG_EVERY = 10;

    /**
     * SQLSTATE classes and codes that describe the server or the connection, not the statement: 08 connection
     * exception, 53 insufficient resources, 57P0x shutdown, 57014 statement timeout / cancel, 58 system error, 40001
     * serialization failure, 40P01 deadlock, 55P03 lock not available.
     */
    private static final Set<String> TRANSIENT_SQL_CLASSES = Set.of("08", "53", "58");
    private static final Set<String> TRANSIENT_SQL_STATES = Set.of("40001", "40P01", "55P03", "57014", "57P01",
            "57P02", "57P03");

    private final String channel;
    private final Counter failures;
    private final Predicate<Throwable> retryable;
    private final Duration initialDelay;
    private final Duration maxDelay;

    private TransientRetry(String channel, Counter failures, Predicate<Throwable> retryable, Duration initialDelay,
            Duration maxDelay) {
        this.channel = channel;
        this.failures = failures;
        this.retryable = retryable;
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
    }

    /** Retries the transient failures of {@code channel}'s work: 100 ms, doubling up to 5 s between attempts. */
    public static TransientRetry forChannel(String channel, MeterRegistry registry) {
        Counter failures = Counter.builder("flowline.consumer.transient.failures").description(
                "attempts of a consumer's work that failed for a transient reason and were retried")
                .tag("channel", channel).register(registry);
        return new TransientRetry(channel, failures, TransientRetry::isTransient, Duration.ofMillis(100), Duration
                .ofSeconds(5));
    }

    /** This retry, also retrying what {@code alsoRetryable} accepts (a service's own "not yet" conditions). */
    public TransientRetry alsoRetrying(Predicate<Throwable> alsoRetryable) {
        return new TransientRetry(channel, failures, retryable.or(alsoRetryable), initialDelay, maxDelay);
    }

    /** This retry with other delays (tests). */
    public TransientRetry withDelays(Duration initial, Duration max) {
        return new TransientRetry(channel, failures, retryable, initial, max);
    }

    /**
     * Subscribes to {@code work} until it succeeds or fails permanently; a fresh Uni is taken from the supplier for
     * each attempt.
     */
    public <T> Uni<T> run(Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> attempt(work, Vertx.currentContext(), 1, System.nanoTime()));
    }

    private <T> Uni<T> attempt(Supplier<Uni<T>> work, Context context, int attempt, long outageStart) {
        return Uni.createFrom().<T>deferred(work::get).onItem().invoke(item -> {
            if (attempt > 1) {
                LOG.infof("%s: recovered after %d attempts in %d ms", channel, attempt, (System.nanoTime()
                        - outageStart) / 1_000_000);
            }
        }).onFailure(retryable).recoverWithUni(failure -> {
            failures.increment();
            Duration delay = delay(attempt);
            if (attempt == 1 || attempt % LOG_EVERY == 0) {
                LOG.warnf("%s: attempt %d failed for a transient reason, retrying in %d ms (consumption waits): %s",
                        channel, attempt, delay.toMillis(), describe(failure));
            }
            return sleep(context, delay).flatMap(ignored -> attempt(work, context, attempt + 1, outageStart));
        });
    }

    Duration delay(int attempt) {
        long millis = initialDelay.toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(millis, maxDelay.toMillis()));
    }

    private static Uni<Void> sleep(Context context, Duration delay) {
        if (context == null) {
            return Uni.createFrom().voidItem().onItem().delayIt().by(delay);
        }
        return Uni.createFrom().emitter(emitter -> context.owner().setTimer(delay.toMillis(), id -> context
                .runOnContext(ignored -> emitter.complete(null))));
    }

    /**
     * Whether a failure (anywhere in its cause chain) is one that goes away on its own: a transient SQLSTATE, a lost
     * or refused connection, a timeout.
     */
    public static boolean isTransient(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable e = failure; e != null && seen.put(e, Boolean.TRUE) == null; e = e.getCause()) {
            String state = sqlStateOf(e);
            if (state != null && (TRANSIENT_SQL_STATES.contains(state) || state.length() >= 2
                    && TRANSIENT_SQL_CLASSES.contains(state.substring(0, 2)))) {
                return true;
            }
            if (e instanceof ClosedConnectionException || e instanceof ConnectException
                    || e instanceof SocketException || e instanceof ClosedChannelException
                    || e instanceof TimeoutException || e instanceof java.net.SocketTimeoutException) {
                return true;
            }
            if (e instanceof IOException && e.getClass().getName().startsWith("io.netty.")) {
                return true;
            }
            if (state == null && e.getClass().getName().startsWith("io.vertx.")
                    && mentionsConnection(e.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** Whether the database answered {@code sqlState} somewhere in the failure's cause chain. */
    public static boolean hasSqlState(Throwable failure, String sqlState) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable e = failure; e != null && seen.put(e, Boolean.TRUE) == null; e = e.getCause()) {
            if (sqlState.equals(sqlStateOf(e))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The SQLSTATE the reactive client reported, or the one Hibernate Reactive copied into the {@link SQLException}
     * it converts the client's error to (without keeping the original as its cause).
     */
    private static String sqlStateOf(Throwable e) {
        if (e instanceof DatabaseException database) {
            return database.getSqlState();
        }
        if (e instanceof SQLException sql) {
            return sql.getSQLState();
        }
        return null;
    }

    /**
     * Vert.x reports a pool that lost its connections (or timed out waiting for one) with untyped exceptions, whose
     * messages are all that tells them apart.
     */
    private static boolean mentionsConnection(String message) {
        if (message == null) {
            return false;
        }
        String lower = message.toLowerCase(Locale.ROOT);
        return lower.contains("connection") || lower.contains("timeout") || lower.contains("timed out");
    }

    private static String describe(Throwable failure) {
        StringBuilder out = new StringBuilder(failure.toString());
        Throwable cause = failure.getCause();
        for (int i = 0; cause != null && i < 3; i++, cause = cause.getCause()) {
            out.append(" <- ").append(cause);
        }
        return out.toString();
    }
}
