package dev.flowline.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.flowline.contracts.Topics;
import dev.flowline.contracts.WorkflowCommand;
import dev.flowline.deploy.ServiceProcess;

/**
 * trigger-service as separate processes on one database and broker: killed (SIGKILL) in the middle of a stream, run
 * twice for one schedule, and driven by the load driver.
 */
class TriggerServiceSystemTest {

    /** A dead member must leave the consumer group quickly, or the restarted instance waits 45 s for its partitions. */
    private static final Map<String, String> FAST_GROUPS = Map.of(
            "mp.messaging.incoming.domain-events.session.timeout.ms", "6000",
            "mp.messaging.incoming.domain-events.heartbeat.interval.ms", "1000",
            "mp.messaging.incoming.catalog-changes.session.timeout.ms", "6000",
            "mp.messaging.incoming.catalog-changes.heartbeat.interval.ms", "1000");

    private static TriggerStack stack;
    private static ServiceProcess service;

    @BeforeAll
    static void start() {
        stack = TriggerStack.start(TriggerStack.repositoryRoot());
        service = stack.startTriggerService("trigger-a", FAST_GROUPS);
        stack.publishBookingCatalog(service);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private enum Kind {
        VALID, DUPLICATE, SCHEMA_VIOLATION, UNKNOWN_TYPE, UNREADABLE
    }

    @Test
    void aRestartInTheMiddleOfTenThousandEventsLosesNothingAndDuplicatesNothing() {
        String editor = stack.token("eddie", "flowline-editor");
        UUID seed = UUID.fromString(stack.send("POST", service.baseUrl() + "/api/triggers", editor, """
                {"eventType": "booking.created", "workflow": "notify_booking",
                 "conditions": {"status": ["confirmed","pending"], "amount": {"gt": 1000},
                   "source": "channel_manager", "rental_id": {"prefix": "restart-"}},
                 "parameters": {"notify": true, "booking_id": "$.data.booking_id",
                   "metadata": {"source": "$.data.metadata.source", "processed_at": "NOW()"}}}""")
                .path("id").asText());
        UUID small = UUID.fromString(stack.send("POST", service.baseUrl() + "/api/triggers", editor, """
                {"eventType": "booking.created", "workflow": "notify_booking",
                 "conditions": {"rental_id": {"prefix": "restart-"}, "amount": {"lte": 100}},
                 "parameters": {"booking_id": "$.data.booking_id"}}""").path("id").asText());

        Random random = new Random(20261127);
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        List<ProducerRecord<String, byte[]>> valid = new ArrayList<>();
        Set<UUID> expectedCommands = new HashSet<>();
        Set<String> expectedDeadLetters = new HashSet<>();
        Set<String> expectedUnreadable = new HashSet<>();
        String[] statuses = {"confirmed", "pending", "cancelled"};
        String[] amounts = {"50.10", "100", "500", "1000", "1000.01", "5000"};
        String[] sources = {"channel_manager", "direct"};
        for (int i = 0; i < 10_000; i++) {
            int roll = random.nextInt(100);
            Kind kind = roll < 4
                    ? Kind.UNREADABLE
                    : roll < 10
                            ? Kind.SCHEMA_VIOLATION
                            : roll < 12
                                    ? Kind.UNKNOWN_TYPE
                                    : roll < 15 && !valid.isEmpty() ? Kind.DUPLICATE : Kind.VALID;
            String id = "restart-" + i;
            switch (kind) {
                case UNREADABLE -> {
                    String marker = "garbage #" + i;
                    records.add(new ProducerRecord<>(Topics.DOMAIN_EVENTS, id,
                            marker.getBytes(StandardCharsets.UTF_8)));
                    expectedUnreadable.add(marker);
                }
                case SCHEMA_VIOLATION -> {
                    ObjectNode data = TriggerStack.JSON.createObjectNode().put("status", "confirmed")
                            .put("rental_id", "restart-1");
                    records.add(TriggerStack.cloudEvent(id, "booking.created", data));
                    expectedDeadLetters.add(id);
                }
                case UNKNOWN_TYPE -> {
                    records.add(TriggerStack.cloudEvent(id, "booking.exploded",
                            TriggerStack.JSON.createObjectNode().put("booking_id", "B" + i)));
                    expectedDeadLetters.add(id);
                }
                case DUPLICATE -> records.add(valid.get(random.nextInt(valid.size())));
                case VALID -> {
                    String status = statuses[random.nextInt(statuses.length)];
                    BigDecimal amount = new BigDecimal(amounts[random.nextInt(amounts.length)]);
                    String source = sources[random.nextInt(sources.length)];
                    ObjectNode data = TriggerStack.JSON.createObjectNode().put("booking_id", "B" + i)
                            .put("status", status).put("amount", amount).put("source", source)
                            .put("rental_id", "restart-" + random.nextInt(50));
                    data.putObject("metadata").put("source", "system-test");
                    ProducerRecord<String, byte[]> record = TriggerStack.cloudEvent(id, "booking.created", data);
                    records.add(record);
                    valid.add(record);
                    // The expected firings, computed independently of the service's expression language.
                    if (!status.equals("cancelled") && amount.compareTo(new BigDecimal("1000")) > 0
                            && source.equals("channel_manager")) {
                        expectedCommands.add(WorkflowCommand.triggerCommandId(seed, id));
                    }
                    if (amount.compareTo(new BigDecimal("100")) <= 0) {
                        expectedCommands.add(WorkflowCommand.triggerCommandId(small, id));
                    }
                }
            }
        }

        Map<UUID, Set<String>> commands = new HashMap<>();
        Set<String> deadEventIds = new HashSet<>();
        Set<String> deadUnreadable = new HashSet<>();
        try (KafkaConsumer<String, String> commandReader = stack.consumerFromStart(Topics.WORKFLOW_COMMANDS);
                KafkaConsumer<String, String> deadLetterReader = stack.consumerFromStart(Topics.DOMAIN_EVENTS_DLQ)) {
            records.subList(0, 5_000).forEach(stack.producer()::send);
            stack.producer().flush();
            // Kill while the first half is being processed: some commands are out, most are not yet.
            awaitUntil(Duration.ofSeconds(60), () -> {
                readCommands(commandReader, commands, "restart-");
                return commands.size() >= 100;
            });
            service.kill();
            int atKill = commands.size();
            assertThat(atKill).as("killed in the middle, not after the first half").isLessThan(
                    expectedCommands.size() / 2);
            records.subList(5_000, records.size()).forEach(stack.producer()::send);
            stack.producer().flush();
            service = stack.startTriggerService("trigger-a-restarted", FAST_GROUPS);

            awaitUntil(Duration.ofSeconds(180), () -> {
                readCommands(commandReader, commands, "restart-");
                readDeadLetters(deadLetterReader, deadEventIds, deadUnreadable);
                return commands.keySet().containsAll(expectedCommands) && deadEventIds.containsAll(
                        expectedDeadLetters) && deadUnreadable.containsAll(expectedUnreadable);
            });
            // Anything extra would arrive right behind the expected records.
            TriggerStack.sleep(3_000);
            readCommands(commandReader, commands, "restart-");
            readDeadLetters(deadLetterReader, deadEventIds, deadUnreadable);
        }

        assertThat(commands.keySet()).as("exactly the expected command ids").isEqualTo(expectedCommands);
        assertThat(commands.values()).as("a duplicate record carries the same command")
                .allSatisfy(origins -> assertThat(origins).hasSize(1));
        assertThat(deadEventIds).isEqualTo(expectedDeadLetters);
        assertThat(deadUnreadable).isEqualTo(expectedUnreadable);
    }

    @Test
    void twoInstancesFireAScheduleOncePerSlot() {
        ServiceProcess second = stack.startTriggerService("trigger-b", FAST_GROUPS);
        String editor = stack.token("eddie", "flowline-editor");
        String body = """
                {"cron": "* * * * * ?", "timeZone": "Europe/Paris", "workflow": "notify_booking",
                 "parameters": {"booking_id": "every-second"}, "status": "%s", "misfire": "fire-once"}""";
        UUID id = UUID.fromString(stack.send("POST", service.baseUrl() + "/api/schedules", editor,
                body.formatted("active")).path("id").asText());
        Instant started = Instant.now();
        TriggerStack.sleep(62_000);
        stack.send("PUT", second.baseUrl() + "/api/schedules/" + id, editor, body.formatted("inactive"));
        Instant stopped = Instant.now();
        TriggerStack.sleep(3_000);

        Map<Instant, Set<UUID>> bySlot = new TreeMap<>();
        try (KafkaConsumer<String, String> reader = stack.consumerFromStart(Topics.WORKFLOW_COMMANDS)) {
            int empty = 0;
            while (empty < 5) {
                var polled = reader.poll(Duration.ofMillis(500));
                empty = polled.isEmpty() ? empty + 1 : 0;
                for (ConsumerRecord<String, String> record : polled) {
                    JsonNode command = json(record.value());
                    if (command.path("source").path("scheduleId").asText().equals(id.toString())) {
                        bySlot.computeIfAbsent(Instant.parse(command.path("source").path("slot").asText()),
                                slot -> new HashSet<>()).add(UUID.fromString(command.path("commandId").asText()));
                    }
                }
            }
        } finally {
            second.close();
        }

        assertThat(bySlot.size()).as("one slot per second for a minute").isBetween(58,
                (int) Duration.between(started, stopped).toSeconds() + 2);
        bySlot.forEach((slot, ids) -> assertThat(ids).as("commands of slot " + slot)
                .containsExactly(WorkflowCommand.scheduleCommandId(id, slot)));
        List<Instant> slots = new ArrayList<>(bySlot.keySet());
        for (int i = 1; i < slots.size(); i++) {
            assertThat(Duration.between(slots.get(i - 1), slots.get(i))).as("no slot skipped")
                    .isEqualTo(Duration.ofSeconds(1));
        }
    }

    @Test
    void theLoadDriverSeesOneCommandPerEvent() {
        TriggerLoadDriver driver = new TriggerLoadDriver(stack, "smoke");
        driver.createTrigger(service);
        TriggerLoadDriver.Report report = driver.run(1_000, 250, Duration.ofSeconds(60));
        System.out.println(report.format());
        assertThat(report.received()).isEqualTo(1_000);
        assertThat(report.lost()).isZero();
        assertThat(report.p99()).isGreaterThanOrEqualTo(report.p50()).isGreaterThan(0);
    }

    private static void readCommands(KafkaConsumer<String, String> reader, Map<UUID, Set<String>> commands,
            String eventPrefix) {
        for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(200))) {
            JsonNode command = json(record.value());
            String eventId = command.path("source").path("eventId").asText("");
            if (eventId.startsWith(eventPrefix)) {
                commands.computeIfAbsent(UUID.fromString(command.path("commandId").asText()), k -> new HashSet<>())
                        .add(eventId + "/" + command.path("source").path("triggerId").asText());
            }
        }
    }

    /** Dead letters of events with an id go to {@code eventIds}; unreadable records, by their text, to the other. */
    private static void readDeadLetters(KafkaConsumer<String, String> reader, Set<String> eventIds,
            Set<String> unreadable) {
        for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(200))) {
            Header reason = record.headers().lastHeader("flowline-dlq-reason");
            assertThat(reason).as("every dead letter says why in a header").isNotNull();
            JsonNode letter = json(record.value());
            assertThat(letter.path("reason").asText()).isEqualTo(new String(reason.value(), StandardCharsets.UTF_8));
            if (letter.path("eventId").isTextual()) {
                eventIds.add(letter.path("eventId").asText());
            } else {
                unreadable.add(letter.path("event").asText());
            }
        }
    }

    private static JsonNode json(String value) {
        try {
            return TriggerStack.JSON.readTree(value);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + value, e);
        }
    }

    private static void awaitUntil(Duration timeout, java.util.function.BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not reached within " + timeout);
            }
        }
    }
}
