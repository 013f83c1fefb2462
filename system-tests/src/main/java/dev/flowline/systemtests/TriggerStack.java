package dev.flowline.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.flowline.contracts.CatalogChange;
import dev.flowline.contracts.CatalogKind;
import dev.flowline.contracts.MessageHeaders;
import dev.flowline.contracts.Topics;
import dev.flowline.deploy.ServiceProcess;
import dev.flowline.embedded.DevOidcIssuer;
import dev.flowline.embedded.EmbeddedPostgresServer;
import dev.flowline.embedded.KafkaBroker;
import dev.flowline.embedded.Ports;

/**
 * The infrastructure plus service processes (trigger-service, inngest-bridge), for tests and drivers that must kill,
 * restart or double a service: PostgreSQL, Kafka and the OIDC issuer run in this JVM (the broker as a child), each service in a
 * JVM of its own on its packaged jar. The catalog state a booking scenario needs is published straight to
 * {@code catalog-changes}, as the catalog would.
 */
public final class TriggerStack implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** The event type of the scenario: the seed example's fields. */
    public static final String BOOKING_CREATED = """
            {"type": "booking.created", "version": "1.0.0", "category": "entity",
             "schema": {"type": "object", "required": ["booking_id", "status"],
               "properties": {"booking_id": {"type": "string"}, "status": {"type": "string"},
                 "amount": {"type": "number"}, "source": {"type": "string"}, "rental_id": {"type": "string"},
                 "metadata": {"type": "object", "properties": {"source": {"type": "string"}}}}}}""";

    public static final String NOTIFY_BOOKING = """
            {"name": "notify_booking", "version": 1, "command": "bookings.notify", "start": "A", "end": ["A"],
             "steps": {"A": {"uses": "notify@^1"}},
             "input": {"type": "object", "required": ["booking_id"],
               "properties": {"notify": {"type": "boolean"}, "booking_id": {"type": "string"},
                 "metadata": {"type": "object"}}}}""";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path root;
    private final Path dir;
    private final EmbeddedPostgresServer postgres;
    private final KafkaBroker kafka;
    private final DevOidcIssuer oidc;
    private final List<ServiceProcess> services = new ArrayList<>();
    private KafkaProducer<String, byte[]> producer;
    private boolean closed;

    private TriggerStack(Path root, Path dir, EmbeddedPostgresServer postgres, KafkaBroker kafka,
            DevOidcIssuer oidc) {
        this.root = root;
        this.dir = dir;
        this.postgres = postgres;
        this.kafka = kafka;
        this.oidc = oidc;
    }

    /** Starts the infrastructure with its data in a new temporary directory. */
    public static TriggerStack start(Path root) {
        try {
            Path dir = Files.createTempDirectory("flowline-stack-");
            EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dir.resolve("postgres"), Ports.free());
            KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"), Ports.free());
            kafka.createTopics(Topics.ALL);
            DevOidcIssuer oidc = DevOidcIssuer.start(Ports.free(), dir.resolve("oidc/key.json"), Duration.ofHours(2));
            TriggerStack stack = new TriggerStack(root, dir, postgres, kafka, oidc);
            // The service JVMs are not children that die with us: a killed driver must still stop them.
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "trigger-stack-shutdown"));
            return stack;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository root: the nearest directory upwards that holds {@code mvnw}. */
    public static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("run from inside the Flowline repository");
        }
        return dir;
    }

    /** Starts a trigger-service instance on a free port and waits until it is healthy. */
    public ServiceProcess startTriggerService(String instance, Map<String, String> properties) {
        return startTriggerService(instance, Ports.free(), properties);
    }

    public ServiceProcess startTriggerService(String instance, int port, Map<String, String> properties) {
        return startTriggerService(instance, port, properties, ServiceProcess.QUICK_START);
    }

    public ServiceProcess startTriggerService(String instance, int port, Map<String, String> properties,
            List<String> jvmOptions) {
        ServiceProcess service = ServiceProcess.start(root, "trigger-service", port,
                new ServiceProcess.Infrastructure(postgres, kafka, oidc), dir.resolve("logs/" + instance + ".log"),
                properties, jvmOptions);
        services.add(service);
        service.awaitHealthy(Duration.ofSeconds(120));
        return service;
    }

    /** Starts inngest-bridge on {@code port} and waits until it is healthy. */
    public ServiceProcess startBridge(String instance, int port, Map<String, String> properties) {
        ServiceProcess service = ServiceProcess.start(root, "inngest-bridge", port,
                new ServiceProcess.Infrastructure(postgres, kafka, oidc), dir.resolve("logs/" + instance + ".log"),
                properties, ServiceProcess.QUICK_START);
        services.add(service);
        service.awaitHealthy(Duration.ofSeconds(120));
        return service;
    }

    /** The database, for a process of the test's own (the Inngest dev executor). */
    public KafkaBroker kafka() {
        return kafka;
    }

    public EmbeddedPostgresServer postgres() {
        return postgres;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String token(String subject, String... roles) {
        return oidc.mint(subject, List.of(roles));
    }

    /** Publishes the scenario's event type and workflow and waits until {@code service} has them in its cache. */
    public void publishBookingCatalog(ServiceProcess service) {
        publish(CatalogKind.EVENT_TYPE, "booking.created", "1.0.0", BOOKING_CREATED);
        publish(CatalogKind.WORKFLOW, "notify_booking", "1", NOTIFY_BOOKING);
        String viewer = token("vera", "flowline-viewer");
        awaitStatus(service, "/api/catalog-cache/event-type/booking.created/versions/1.0.0", viewer);
        awaitStatus(service, "/api/catalog-cache/workflow/notify_booking/versions/1", viewer);
    }

    private void awaitStatus(ServiceProcess service, String path, String token) {
        Instant deadline = Instant.now().plusSeconds(60);
        HttpResponse<String> response;
        while ((response = http("GET", service.baseUrl() + path, token, null)).statusCode() != 200) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(path + " never became available on " + service.baseUrl()
                        + "; the last answer was " + response.statusCode() + " " + response.body()
                        + response.headers().map());
            }
            sleep(200);
        }
    }

    public void publish(CatalogKind kind, String name, String version, String definition) {
        try {
            CatalogChange change = new CatalogChange(UUID.nameUUIDFromBytes((kind + name + version).getBytes()), kind,
                    name, version, CatalogChange.Status.PUBLISHED, JSON.readTree(definition), Instant.now());
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.CATALOG_CHANGES, change.key(),
                    JSON.writeValueAsBytes(change));
            record.headers().add(MessageHeaders.MESSAGE_ID,
                    change.messageId().toString().getBytes(StandardCharsets.UTF_8));
            record.headers().add(MessageHeaders.MESSAGE_TYPE, CatalogChange.MESSAGE_TYPE.getBytes(
                    StandardCharsets.UTF_8));
            producer().send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish " + kind + " " + name, e);
        }
    }

    /** A producer for raw records (CloudEvents are built by the caller); shared, thread-safe. */
    public synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.LINGER_MS_CONFIG, 0,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        }
        return producer;
    }

    /** A consumer reading every partition of {@code topic} from the beginning, outside any consumer group. */
    public KafkaConsumer<String, String> consumerFromStart(String topic) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /** A binary-mode CloudEvent record of {@code type} with {@code data} as its JSON payload. */
    public static ProducerRecord<String, byte[]> cloudEvent(String id, String type, JsonNode data) {
        try {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.DOMAIN_EVENTS, id,
                    JSON.writeValueAsBytes(data));
            header(record, "ce_specversion", "1.0");
            header(record, "ce_id", id);
            header(record, "ce_type", type);
            header(record, "ce_source", "/system-tests");
            header(record, "content-type", "application/json");
            return record;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    public HttpResponse<String> http(String method, String url, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** POSTs or PUTs {@code body} and answers the JSON reply; fails unless the status is 2xx. */
    public JsonNode send(String method, String url, String token, String body) {
        HttpResponse<String> response = http(method, url, token, body);
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + url + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        services.forEach(ServiceProcess::close);
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        oidc.close();
        kafka.close();
        postgres.close();
    }
}
