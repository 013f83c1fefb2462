package dev.flowline.outbox;

import java.time.Instant;
import java.util.UUID;

/** An outbox message serialised and ready for {@link Outbox#insertAll}; {@code headers} is a JSON object or null. */
public record OutboxRow(UUID messageId, String topic, String key, String messageType, String payload, String headers,
        Instant createdAt) {
}
