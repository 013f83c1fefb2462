package dev.flowline.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** What a stopping instance does with the relay round in progress, without PostgreSQL or Kafka. */
class OutboxRelayShutdownTest {

    private static OutboxRelay relay(Duration drainTimeout) {
        OutboxRelay relay = new OutboxRelay(Optional.empty());
        relay.enabled = true;
        relay.drainTimeout = drainTimeout;
        return relay;
    }

    @Test
    void shutdownWaitsForTheRoundInProgressToFinish() throws Exception {
        OutboxRelay relay = relay(Duration.ofMinutes(1));
        relay.running.set(true);
        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> {
            try {
                relay.drainOnShutdown(null);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        assertThat(shutdown).as("shutdown returned while the round was still running").isNotDone();
        relay.running.set(false);
        shutdown.get(5, TimeUnit.SECONDS);
    }

    @Test
    void shutdownGivesUpOnARoundThatOutlastsTheDrainTimeout() throws Exception {
        OutboxRelay relay = relay(Duration.ofMillis(100));
        relay.running.set(true);
        CompletableFuture.runAsync(() -> {
            try {
                relay.drainOnShutdown(null);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }).get(5, TimeUnit.SECONDS);
        assertThat(relay.running).isTrue();
    }

    @Test
    void noRoundStartsOnceShutdownBegan() throws Exception {
        OutboxRelay relay = relay(Duration.ofMillis(100));
        relay.drainOnShutdown(null);
        relay.wake(); // would need Vert.x to start a round: it must return before
        assertThat(relay.running).isFalse();
    }
}
