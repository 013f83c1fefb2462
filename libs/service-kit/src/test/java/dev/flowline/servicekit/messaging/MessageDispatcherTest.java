package dev.flowline.servicekit.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;

import dev.flowline.contracts.MessageHeaders;

class MessageDispatcherTest {

    record Ping(String text) {
    }

    record Pong(int count) {
    }

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Object> handled = new ArrayList<>();
    private final MessageDispatcher dispatcher = new MessageDispatcher("shared", new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false), registry)
            .on("ping/v1", Ping.class, envelope -> {
                handled.add(envelope);
                return Uni.createFrom().voidItem();
            });

    private static ConsumerRecord<String, byte[]> record(String type, String value, String messageId) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("shared", 0, 0L, "k", value == null
                ? null
                : value.getBytes(StandardCharsets.UTF_8));
        if (type != null) {
            record.headers().add(MessageHeaders.MESSAGE_TYPE, type.getBytes(StandardCharsets.UTF_8));
        }
        if (messageId != null) {
            record.headers().add(MessageHeaders.MESSAGE_ID, messageId.getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    private double skipped(MessageDispatcher.SkipReason reason) {
        return dispatcher.skipped(reason).count();
    }

    @Test
    void aRecordReachesTheHandlerOfItsTypeWithItsMessageId() {
        UUID id = UUID.randomUUID();
        dispatcher.dispatch(record("ping/v1", "{\"text\": \"hi\"}", id.toString())).await().indefinitely();
        assertThat(handled).containsExactly(new MessageDispatcher.Envelope<>(id, "ping/v1", new Ping("hi")));
    }

    @Test
    void aForeignTypeBetweenTwoKnownOnesIsSkippedAndCountedNotReadAsTheKnownType() {
        dispatcher.dispatch(record("ping/v1", "{\"text\": \"one\"}", null)).await().indefinitely();
        // Read as a Ping (unknown members ignored, as the services' mapper does), a Pong would be Ping(null).
        dispatcher.dispatch(record("pong/v1", "{\"count\": 3}", null)).await().indefinitely();
        dispatcher.dispatch(record("ping/v1", "{\"text\": \"two\"}", null)).await().indefinitely();
        assertThat(handled.stream().map(e -> (Object) ((MessageDispatcher.Envelope<?>) e).message()).toList())
                .containsExactly(new Ping("one"), new Ping("two"));
        assertThat(skipped(MessageDispatcher.SkipReason.UNKNOWN_TYPE)).isEqualTo(1.0);
    }

    @Test
    void tombstonesUntypedAndUnreadableRecordsAreSkippedEachUnderItsReason() {
        dispatcher.dispatch(record("ping/v1", null, null)).await().indefinitely();
        dispatcher.dispatch(record(null, "{\"text\": \"x\"}", null)).await().indefinitely();
        dispatcher.dispatch(record("ping/v1", "{not json", null)).await().indefinitely();
        dispatcher.dispatch(record("ping/v1", "{\"text\": \"x\"}", "not-a-uuid")).await().indefinitely();
        assertThat(handled).isEmpty();
        assertThat(skipped(MessageDispatcher.SkipReason.TOMBSTONE)).isEqualTo(1.0);
        assertThat(skipped(MessageDispatcher.SkipReason.UNTYPED)).isEqualTo(1.0);
        assertThat(skipped(MessageDispatcher.SkipReason.UNREADABLE)).isEqualTo(2.0);
    }

    @Test
    void aHandlerThatFailsForATransientReasonRunsAgainUntilItSucceedsSoTheRecordIsNotLost() {
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        MessageDispatcher flaky = new MessageDispatcher("shared", new ObjectMapper(), registry).retryDelays(
                java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(5)).on("ping/v1", Ping.class,
                        envelope -> attempts.incrementAndGet() < 3
                                ? Uni.createFrom().failure(new java.net.ConnectException("database down"))
                                : Uni.createFrom().voidItem());
        flaky.dispatch(record("ping/v1", "{\"text\": \"hi\"}", null)).await().atMost(java.time.Duration.ofSeconds(
                10));
        assertThat(attempts).hasValue(3);
    }

    @Test
    void aHandlerThatFailsPermanentlyFailsTheDispatchOnceInsteadOfSkippingTheRecord() {
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        MessageDispatcher broken = new MessageDispatcher("shared", new ObjectMapper(), registry).on("ping/v1",
                Ping.class, envelope -> {
                    attempts.incrementAndGet();
                    return Uni.createFrom().failure(new IllegalStateException("a bug"));
                });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> broken.dispatch(record("ping/v1",
                "{\"text\": \"hi\"}", null)).await().atMost(java.time.Duration.ofSeconds(10)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(attempts).hasValue(1);
    }
}
