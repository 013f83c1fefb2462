package dev.flowline.servicekit.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;

class TransientRetryTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TransientRetry retry = TransientRetry.forChannel("orders", registry).withDelays(Duration.ofMillis(
            5), Duration.ofMillis(20));
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void closeVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private static DatabaseException sqlState(String state) {
        return new DatabaseException("server said " + state, 0, state) {
        };
    }

    private double failuresCounted() {
        return registry.get("flowline.consumer.transient.failures").tag("channel", "orders").counter().count();
    }

    /** Runs {@code uni} on a Vert.x event-loop context, as a Kafka consumer's handler runs. */
    private <T> CompletableFuture<T> onContext(Context context, java.util.function.Supplier<Uni<T>> uni) {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(v -> uni.get().subscribe().with(result::complete, result::completeExceptionally));
        return result;
    }

    @Test
    void aTransientFailureIsRetriedOnTheSameContextUntilTheWorkSucceeds() throws Exception {
        Context context = vertx.getOrCreateContext();
        List<Context> attemptedOn = new ArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        String result = onContext(context, () -> retry.run(() -> {
            attemptedOn.add(Vertx.currentContext());
            return attempts.incrementAndGet() < 4
                    ? Uni.createFrom().failure(new CompletionException(new ConnectException("Connection refused")))
                    : Uni.createFrom().item("done");
        })).get(10, TimeUnit.SECONDS);

        assertThat(result).isEqualTo("done");
        assertThat(attempts).hasValue(4);
        assertThat(attemptedOn).hasSize(4).allSatisfy(c -> assertThat(c).isSameAs(context));
        assertThat(failuresCounted()).isEqualTo(3.0);
    }

    @Test
    void aPermanentFailureIsNotRetriedAndReachesTheCaller() {
        AtomicInteger attempts = new AtomicInteger();
        CompletableFuture<Object> result = onContext(vertx.getOrCreateContext(), () -> retry.run(() -> {
            attempts.incrementAndGet();
            return Uni.createFrom().failure(sqlState("23505"));
        }));

        assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(DatabaseException.class);
        assertThat(attempts).hasValue(1);
        assertThat(failuresCounted()).isZero();
    }

    @Test
    void aServiceCanRetryItsOwnNotYetConditionsToo() throws Exception {
        class NotYet extends RuntimeException {
        }
        AtomicInteger attempts = new AtomicInteger();
        String result = onContext(vertx.getOrCreateContext(), () -> retry.alsoRetrying(NotYet.class::isInstance)
                .run(() -> attempts.incrementAndGet() < 3
                        ? Uni.createFrom().failure(new NotYet())
                        : Uni.createFrom().item("opened")))
                .get(10, TimeUnit.SECONDS);

        assertThat(result).isEqualTo("opened");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void workOutsideAVertxContextIsRetriedToo() {
        AtomicInteger attempts = new AtomicInteger();
        String result = retry.run(() -> attempts.incrementAndGet() < 2
                ? Uni.createFrom().<String>failure(new TimeoutException("pool"))
                : Uni.createFrom().item("done")).await().atMost(Duration.ofSeconds(10));

        assertThat(result).isEqualTo("done");
        assertThat(attempts).hasValue(2);
    }

    @Test
    void theDelayDoublesFromTheInitialDelayUpToTheCap() {
        TransientRetry standard = TransientRetry.forChannel("x", registry);
        assertThat(List.of(1, 2, 3, 6, 7, 100).stream().map(standard::delay).map(Duration::toMillis).toList())
                .containsExactly(100L, 200L, 400L, 3200L, 5000L, 5000L);
    }

    @ParameterizedTest(name = "SQLSTATE {0} is transient: {1}")
    @CsvSource({
            "08006, true", // connection failure
            "08001, true", // cannot connect now
            "57P01, true", // admin shutdown
            "57P03, true", // cannot connect now (starting up)
            "53300, true", // too many connections
            "40001, true", // serialization failure
            "40P01, true", // deadlock
            "55P03, true", // lock not available
            "57014, true", // statement timeout
            "23505, false", // unique violation: the data, not the server
            "23502, false", // not null violation
            "22001, false", // value too long
            "42P01, false", // undefined table: a bug or a missing migration
    })
    void aDatabaseErrorIsTransientByItsSqlState(String state, boolean transientFailure) {
        assertThat(TransientRetry.isTransient(sqlState(state))).isEqualTo(transientFailure);
        assertThat(TransientRetry.isTransient(new IllegalStateException("wrapped", new CompletionException(sqlState(
                state))))).as("anywhere in the cause chain").isEqualTo(transientFailure);
        // Hibernate Reactive reports the client's error as a JDBC exception over a new SQLException.
        assertThat(TransientRetry.isTransient(new RuntimeException("could not execute statement",
                new java.sql.SQLException("server said " + state, state)))).as("as Hibernate Reactive reports it")
                .isEqualTo(transientFailure);
        assertThat(TransientRetry.hasSqlState(new RuntimeException(new java.sql.SQLException("x", state)), state))
                .isTrue();
    }

    @Test
    void lostConnectionsAndTimeoutsAreTransientAndOtherFailuresAreNot() {
        assertThat(TransientRetry.isTransient(ClosedConnectionException.INSTANCE)).isTrue();
        assertThat(TransientRetry.isTransient(new CompletionException(new ConnectException("refused")))).isTrue();
        assertThat(TransientRetry.isTransient(new TimeoutException())).isTrue();
        assertThat(TransientRetry.isTransient(new VertxException("Connection is not active now"))).isTrue();
        assertThat(TransientRetry.isTransient(new VertxException("Timeout while waiting for a connection")))
                .isTrue();

        assertThat(TransientRetry.isTransient(new IllegalArgumentException("connection"))).isFalse();
        assertThat(TransientRetry.isTransient(new NullPointerException())).isFalse();
        assertThat(TransientRetry.isTransient(new VertxException("unsupported type"))).isFalse();
    }
}
