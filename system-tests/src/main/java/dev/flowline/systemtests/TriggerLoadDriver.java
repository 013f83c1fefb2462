package dev.flowline.systemtests;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.flowline.contracts.Topics;
import dev.flowline.deploy.ServiceProcess;
import dev.flowline.embedded.Ports;

/**
 * Sends events through Kafka at a fixed rate to a running trigger-service and measures, per event, the time from
 * handing it to the producer until its command is read from {@code workflow-commands}: the whole path of consumer,
 * validation, matching, the database commit and the outbox relay. Every event matches one trigger, so every event
 * must produce exactly one command; a missing one is reported as lost.
 *
 * <p>
 * Run it with {@code system-tests/load-driver [events=30000] [rate=1000] [warmup=3000]}; it starts its own stack.
 */
public final class TriggerLoadDriver {

    /** What one run measured; latencies in milliseconds. */
    public record Report(int events, int rate, int received, int lost, double sendRate, double throughput,
            double p50, double p90, double p99, double max, String cpu) {

        public String format() {
            return (String.format("""
                    trigger-service load: %d events through Kafka at a target of %d/s (sent at %.0f/s)
                      commands received: %d, lost: %d
                      event -> command latency (ms): p50 %.1f  p90 %.1f  p99 %.1f  max %.1f
                      throughput: %.0f commands/s (first send to last command)""", events, rate, sendRate,
                    received, lost, p50, p90, p99, max, throughput)) + (cpu == null ? "" : "\n" + cpu);
        }
    }

    private final TriggerStack stack;
    private final String tag;
    private CpuSplit cpu;

    /** {@code tag} marks this driver's events; its trigger only matches those. */
    public TriggerLoadDriver(TriggerStack stack, String tag) {
        this.stack = stack;
        this.tag = tag;
    }

    /** Reports the CPU split of {@code service} and the stack with each run. */
    public TriggerLoadDriver measuringCpu(ServiceProcess service) {
        this.cpu = new CpuSplit(service.pid(), stack.kafka().pid(), stack.postgres().port());
        return this;
    }

    /** Creates the one trigger every event of this driver matches (the seed example's conditions). */
    public void createTrigger(ServiceProcess service) {
        String editor = stack.token("eddie", "flowline-editor");
        stack.send("POST", service.baseUrl() + "/api/triggers", editor, """
                {"eventType": "booking.created", "workflow": "notify_booking",
                 "conditions": {"status": ["confirmed","pending"], "amount": {"gt": 1000},
                   "source": "channel_manager", "rental_id": {"prefix": "%s-"}},
                 "parameters": {"notify": true, "booking_id": "$.data.booking_id",
                   "metadata": {"source": "$.data.metadata.source", "processed_at": "NOW()"}}}""".formatted(tag));
    }

    /** Sends {@code events} events at {@code rate} per second and waits (at most {@code patience}) for the commands. */
    public Report run(int events, int rate, Duration patience) {
        String runId = tag + "-" + System.nanoTime();
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, Long> latencies = new ConcurrentHashMap<>();
        AtomicBoolean done = new AtomicBoolean();
        long[] lastReceived = new long[1];
        Thread reader = new Thread(() -> {
            try (KafkaConsumer<String, String> consumer = stack.consumerFromStart(Topics.WORKFLOW_COMMANDS)) {
                while (!done.get()) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(5))) {
                        long now = System.nanoTime();
                        String eventId = eventId(record.value());
                        Long sent = eventId == null ? null : sentAt.get(eventId);
                        if (sent != null && latencies.putIfAbsent(eventId, now - sent) == null) {
                            lastReceived[0] = now;
                        }
                    }
                }
            }
        }, "load-driver-reader");
        reader.start();

        CpuSplit.Sample cpuBefore = cpu == null ? null : cpu.sample();
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        for (int i = 0; i < events; i++) {
            long due = start + i * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            String id = runId + "-" + i;
            ObjectNode data = TriggerStack.JSON.createObjectNode();
            data.put("booking_id", "B-" + i);
            data.put("rental_id", tag + "-" + (i % 500));
            data.put("status", i % 2 == 0 ? "confirmed" : "pending");
            data.put("amount", new java.math.BigDecimal("1500.25"));
            data.put("source", "channel_manager");
            data.putObject("metadata").put("source", "load-driver");
            var record = TriggerStack.cloudEvent(id, "booking.created", data);
            sentAt.put(id, System.nanoTime());
            stack.producer().send(record);
        }
        stack.producer().flush();
        double sendSeconds = (System.nanoTime() - start) / 1e9;

        long deadline = System.nanoTime() + patience.toNanos();
        while (latencies.size() < events && System.nanoTime() < deadline) {
            TriggerStack.sleep(50);
        }
        // Up to the last command: the idle wait for missing ones would dilute the figures.
        String cpuReport = cpu == null ? null : CpuSplit.format(cpuBefore, cpu.sample());
        done.set(true);
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return report(events, rate, sendSeconds, start, lastReceived[0], latencies, cpuReport);
    }

    private static Report report(int events, int rate, double sendSeconds, long start, long lastReceived,
            Map<String, Long> latencies, String cpu) {
        double[] millis = latencies.values().stream().mapToDouble(n -> n / 1e6).sorted().toArray();
        int received = millis.length;
        double span = received == 0 ? 0 : (lastReceived - start) / 1e9;
        return new Report(events, rate, received, events - received, events / sendSeconds,
                span == 0 ? 0 : received / span, percentile(millis, 50), percentile(millis, 90),
                percentile(millis, 99), received == 0 ? 0 : millis[received - 1], cpu);
    }

    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static String eventId(String command) {
        try {
            JsonNode source = TriggerStack.JSON.readTree(command).path("source");
            return source.path("eventId").isTextual() ? source.path("eventId").asText() : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    public static void main(String[] args) {
        Map<String, Integer> options = new HashMap<>(Map.of("events", 30_000, "rate", 1_000, "warmup", 3_000,
                "quick", 0, "debug", 0));
        for (String arg : args) {
            String[] pair = arg.split("=", 2);
            if (pair.length != 2 || !options.containsKey(pair[0])) {
                System.err.println(
                        "usage: load-driver [events=N] [rate=N] [warmup=N] [quick=0|1] [debug=0|1]; unknown: " + arg
                                + "; known: " + Arrays.toString(options.keySet().toArray()));
                System.exit(2);
            }
            options.put(pair[0], Integer.parseInt(pair[1]));
        }
        int lost;
        try (TriggerStack stack = TriggerStack.start(TriggerStack.repositoryRoot())) {
            // Full JIT: the figure is about steady state, not the local run's quick start.
            // quick=1 runs the service as the local run does (C1 only, small heap) instead.
            Map<String, String> properties = options.get("debug") == 1
                    ? Map.of("quarkus.log.category.\"dev.flowline\".level", "DEBUG")
                    : Map.of();
            ServiceProcess service = stack.startTriggerService("trigger-service", Ports.free(), properties,
                    options.get("quick") == 1 ? ServiceProcess.QUICK_START : ServiceProcess.THROUGHPUT);
            stack.publishBookingCatalog(service);
            TriggerLoadDriver driver = new TriggerLoadDriver(stack, "load").measuringCpu(service);
            driver.createTrigger(service);
            if (options.get("warmup") > 0) {
                Report warmup = driver.run(options.get("warmup"), options.get("rate"), Duration.ofMinutes(2));
                System.out.println("warm-up (not counted):\n" + warmup.format());
            }
            Report report = driver.run(options.get("events"), options.get("rate"), Duration.ofMinutes(5));
            System.out.println(report.format());
            lost = report.lost();
        }
        // After the stack is closed: System.exit inside the try would skip stopping the service processes.
        System.exit(lost == 0 ? 0 : 1);
    }
}
