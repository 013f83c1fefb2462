package dev.flowline.devexecutor;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import org.flywaydb.core.Flyway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The embedded Inngest dev executor: the Inngest server's side of the SDK protocol on port 8288 (the dev server's),
 * with its state in PostgreSQL schema {@code inngest_dev}.
 *
 * <ul>
 * <li>{@code POST /e/<key>}: the Event API (one event or a list; answers the executor's ids of them, as Inngest
 * does, not the senders' ids);</li>
 * <li>{@code POST /fn/register}: app sync from an SDK;</li>
 * <li>Inngest's REST API v1 in its shapes ({@link RestApi}): {@code GET /v1/events}, {@code GET /v1/events/<id>},
 * {@code GET /v1/events/<id>/runs}, {@code GET /v1/runs/<id>}, {@code DELETE /v1/runs/<id>} (cancel),
 * {@code GET /v1/apps/<app>/functions};</li>
 * <li>this executor's own detail, which Inngest has no REST shape for, under {@code /dev}: {@code GET
 * /dev/runs[?function=&status=&event=]}, {@code GET /dev/runs/<id>} (steps, outputs, request version),
 * {@code POST /dev/runs/<id>/rerun} ({@code fromStep}, optional {@code input}: a new run reusing the results of the
 * steps before it, as the server's GraphQL rerun), {@code GET /dev/events/<id>} (by internal or sender's id),
 * {@code GET /dev/functions/<id>};</li>
 * <li>{@code GET /v0/runs/<id>/batch|actions}: the state of a run for an SDK given a trimmed call request.</li>
 * </ul>
 * Cron triggers (five fields or Quartz's form, optionally prefixed {@code TZ=<zone>}) start a run per slot from
 * the executor's start on; slots missed while it was down are not made up.
 */
public final class DevExecutor implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DevExecutor.class.getName());

    /** How to run; {@link #defaults} for the local run. */
    public record Config(int port, String jdbcUrl, String user, String password, List<String> appUrls,
            int workers, int leaseSeconds, long pollMillis, Duration backoffBase, Duration callTimeout) {

        public Config {
            // A lease shorter than a call would let a second worker call the same run while the first still waits.
            if (leaseSeconds <= callTimeout.toSeconds()) {
                throw new IllegalArgumentException("the lease (" + leaseSeconds + " s) must outlive a call ("
                        + callTimeout.toSeconds() + " s)");
            }
        }

        public static Config defaults(int port, String jdbcUrl, String user, String password) {
            return new Config(port, jdbcUrl, user, password, List.of(), 2, 150, 50, Duration.ofSeconds(1),
                    Duration.ofMinutes(2));
        }

        public Config withAppUrls(List<String> urls) {
            return new Config(port, jdbcUrl, user, password, List.copyOf(urls), workers, leaseSeconds, pollMillis,
                    backoffBase, callTimeout);
        }

        public Config withBackoffBase(Duration base) {
            return new Config(port, jdbcUrl, user, password, appUrls, workers, leaseSeconds, pollMillis, base,
                    callTimeout);
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final Store store;
    private final RestApi rest;
    private final List<Worker> workers = new ArrayList<>();
    private final ExecutorService threads;
    private final HikariDataSource data;
    private final ScheduledExecutorService syncer = Executors.newSingleThreadScheduledExecutor();

    private DevExecutor(Config config) throws IOException {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(config.jdbcUrl());
        pool.setUsername(config.user());
        pool.setPassword(config.password());
        pool.setSchema("inngest_dev");
        // The workers, the HTTP threads, the syncer and the cron and timeout sweeps.
        pool.setMaximumPoolSize(config.workers() + 6);
        pool.setMinimumIdle(2);
        pool.setPoolName("inngest-dev-executor");
        data = new HikariDataSource(pool);
        Flyway.configure().dataSource(config.jdbcUrl(), config.user(), config.password())
                .schemas("inngest_dev").locations("classpath:db/devexecutor").load().migrate();
        store = new Store(data, json);
        rest = new RestApi(store, json);
        store.releaseLeases();
        // The JDK server writes headers and body separately; without TCP_NODELAY each small answer waits for the
        // client's delayed ACK (~40 ms). Read once, when the first server in this JVM is made.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        server = HttpServer.create(new InetSocketAddress(config.port()), 64);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        threads = Executors.newFixedThreadPool(config.workers());
        for (int i = 0; i < config.workers(); i++) {
            Worker worker = new Worker(store, json, config);
            workers.add(worker);
            threads.submit(worker);
        }
        server.start();
        syncer.scheduleWithFixedDelay(this::tickCrons, 1, 1, TimeUnit.SECONDS);
        syncer.scheduleWithFixedDelay(this::enforceTimeouts, 1, 1, TimeUnit.SECONDS);
        for (String app : config.appUrls()) {
            syncer.schedule(() -> syncApp(app, 0), 0, TimeUnit.MILLISECONDS);
        }
    }

    /** The last slot seen per function and cron expression; a new one starts at the first tick. */
    private final Map<String, java.time.Instant> lastSlots = new java.util.concurrent.ConcurrentHashMap<>();

    private void tickCrons() {
        try {
            java.time.Instant now = java.time.Instant.now();
            store.cronFunctions().forEach((function, crons) -> {
                for (String text : crons) {
                    dev.flowline.expression.Cron parsed;
                    try {
                        parsed = parseCron(text);
                    } catch (RuntimeException e) {
                        // Refused at sync; one that slipped through does not stop the other functions' slots.
                        LOG.warning("function " + function + ": cron '" + text + "' cannot be read: " + e);
                        continue;
                    }
                    String key = function + " " + text;
                    java.time.Instant last = lastSlots.computeIfAbsent(key, k -> now);
                    java.time.Instant next = parsed.next(last);
                    while (next != null && !next.isAfter(now)) {
                        store.startCronRun(function, text, next);
                        last = next;
                        next = parsed.next(next);
                    }
                    lastSlots.put(key, last);
                }
            });
        } catch (RuntimeException e) {
            LOG.warning("cron tick failed: " + e);
        }
    }

    private void enforceTimeouts() {
        try {
            store.enforceTimeouts();
        } catch (RuntimeException e) {
            LOG.warning("timeout sweep failed: " + e);
        }
    }

    public static DevExecutor start(Config config) throws IOException {
        return new DevExecutor(config);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Asks the app to sync (PUT on its serve URL), as the dev server does for {@code -u <url>}; retried until up. */
    private void syncApp(String url, int tries) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).header("X-Inngest-Server-Kind", "dev")
                    .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                LOG.info("synced " + url);
                return;
            }
        } catch (IOException e) {
            // Not up yet.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (tries < 600) {
            syncer.schedule(() -> syncApp(url, tries + 1), 1, TimeUnit.SECONDS);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String[] parts = path.split("/");
            if (method.equals("POST") && path.startsWith("/e/")) {
                JsonNode body = json.readTree(exchange.getRequestBody().readAllBytes());
                List<ObjectNode> events = new ArrayList<>();
                for (JsonNode event : body.isArray() ? body : json.createArrayNode().add(body)) {
                    if (!event.isObject() || !event.path("name").isTextual()) {
                        send(exchange, 400, json.createObjectNode().put("error", "every event needs a name"));
                        return;
                    }
                    events.add(((ObjectNode) event).deepCopy());
                }
                ObjectNode answer = json.createObjectNode();
                store.acceptEvents(events).forEach(answer.putArray("ids")::add);
                answer.put("status", 200);
                send(exchange, 200, answer);
            } else if (method.equals("POST") && path.equals("/fn/register")) {
                JsonNode body = json.readTree(exchange.getRequestBody().readAllBytes());
                if (!body.path("appName").isTextual() || !body.path("url").isTextual()) {
                    send(exchange, 400, json.createObjectNode().put("error", "appName and url are required"));
                    return;
                }
                String refused = refusedExpression(body.path("functions"));
                if (refused != null) {
                    send(exchange, 400, json.createObjectNode().put("error", refused));
                    return;
                }
                store.syncApp(body.path("appName").asText(), body.path("url").asText(), body.path("sdk").asText(null),
                        body.path("functions"));
                send(exchange, 200, json.createObjectNode().put("ok", true).put("modified", true));
            } else if (path.startsWith("/v1/") && answerRest(exchange, method, parts, query)) {
                return;
            } else if (method.equals("GET") && path.equals("/dev/runs")) {
                send(exchange, 200, json.createObjectNode().set("data", store.runs(query.get("function"),
                        query.get("status"), query.get("event"))));
            } else if (method.equals("GET") && path.startsWith("/dev/runs/") && parts.length == 4) {
                ObjectNode run = store.run(parts[3]);
                send(exchange, run == null ? 404 : 200, run == null
                        ? json.createObjectNode().put("error", "no run " + parts[3])
                        : run);
            } else if (method.equals("POST") && path.startsWith("/dev/runs/") && path.endsWith("/rerun")
                    && parts.length == 5) {
                JsonNode body = json.readTree(exchange.getRequestBody().readAllBytes());
                if (!body.path("fromStep").isTextual()) {
                    send(exchange, 400, json.createObjectNode().put("error", "fromStep is required"));
                    return;
                }
                JsonNode input = body.get("input");
                if (input != null && !input.isNull() && !input.isArray()) {
                    send(exchange, 400, json.createObjectNode().put("error", "input is a list of arguments"));
                    return;
                }
                Store.Rerun rerun = store.rerun(parts[3], body.path("fromStep").asText(), input);
                if (rerun == null) {
                    send(exchange, 404, json.createObjectNode().put("error", "no run " + parts[3]));
                } else if (rerun.problem() != null) {
                    send(exchange, 422, json.createObjectNode().put("error", rerun.problem()));
                } else {
                    send(exchange, 200, json.createObjectNode().put("runId", rerun.runId()));
                }
            } else if (method.equals("GET") && path.startsWith("/dev/functions/") && parts.length == 4) {
                Store.Function function = store.function(parts[3]);
                send(exchange, function == null ? 404 : 200, function == null
                        ? json.createObjectNode().put("error", "no function " + parts[3])
                        : json.createObjectNode().put("id", function.id()).put("url", function.url())
                                .put("maxAttempts", function.maxAttempts()));
            } else if (method.equals("GET") && path.startsWith("/dev/events/")) {
                // The id may hold a '/' (inngest/function.failed:<run>), so it is read from the raw path.
                String raw = exchange.getRequestURI().getRawPath().substring("/dev/events/".length());
                JsonNode event = store.event(URLDecoder.decode(raw, StandardCharsets.UTF_8));
                send(exchange, event == null ? 404 : 200, event == null
                        ? json.createObjectNode().put("error", "no event " + raw)
                        : event);
            } else if (method.equals("GET") && path.startsWith("/v0/runs/") && path.endsWith("/batch")) {
                send(exchange, 200, store.events(parts[3]));
            } else if (method.equals("GET") && path.startsWith("/v0/runs/") && path.endsWith("/actions")) {
                send(exchange, 200, store.memo(parts[3]).steps());
            } else if (method.equals("GET") && path.equals("/health")) {
                send(exchange, 200, json.createObjectNode().put("status", "UP"));
            } else {
                send(exchange, 404, json.createObjectNode().put("error", method + " " + path + " is not served"));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warning("request failed: " + e);
            try {
                // Unreadable JSON or a malformed query or path (bad percent-encoding) is the client's mistake.
                boolean client = e instanceof com.fasterxml.jackson.core.JsonProcessingException
                        || e instanceof IllegalArgumentException;
                send(exchange, client ? 400 : 500,
                        json.createObjectNode().put("error", String.valueOf(e.getMessage())));
            } catch (IOException ignored) {
                // The client is gone.
            }
        }
    }

    /** Answers a request of Inngest's REST API v1 it serves; false for any other. */
    private boolean answerRest(HttpExchange exchange, String method, String[] parts, Map<String, String> query)
            throws IOException {
        RestApi.Answer answer = null;
        if (method.equals("GET") && parts.length == 3 && parts[2].equals("events")) {
            answer = rest.events(query);
        } else if (method.equals("GET") && parts.length == 4 && parts[2].equals("events")) {
            answer = rest.event(parts[3]);
        } else if (method.equals("GET") && parts.length == 5 && parts[2].equals("events") && parts[4].equals(
                "runs")) {
            answer = rest.eventRuns(parts[3]);
        } else if (method.equals("GET") && parts.length == 4 && parts[2].equals("runs")) {
            answer = rest.run(parts[3]);
        } else if (method.equals("DELETE") && parts.length == 4 && parts[2].equals("runs")) {
            answer = rest.cancel(parts[3]);
        } else if (method.equals("POST") && parts.length == 5 && parts[2].equals("checkpoint") && parts[4].equals(
                "async")) {
            answer = rest.checkpoint(parts[3], json.readTree(exchange.getRequestBody().readAllBytes()));
        } else if (method.equals("GET") && parts.length == 5 && parts[2].equals("apps") && parts[4].equals(
                "functions")) {
            answer = rest.appFunctions(parts[3]);
        }
        if (answer == null) {
            return false;
        }
        if (answer.body() == null) {
            exchange.getResponseHeaders().set("X-Inngest-Server-Kind", "dev");
            exchange.sendResponseHeaders(answer.status(), -1);
        } else {
            send(exchange, answer.status(), answer.body());
        }
        return true;
    }

    /**
     * Why a function's trigger expression or concurrency cannot be used, or null: refused at sync, not at every later
     * event.
     */
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Why a duration string (absent is fine) cannot be read, or null. */
    private static String badDuration(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        try {
            dev.flowline.inngest.protocol.TimeStrings.parse(value.asText());
            return null;
        } catch (RuntimeException e) {
            return "'" + value.asText() + "' is not a duration";
        }
    }

    /** A cron trigger, optionally prefixed {@code TZ=<zone> }, as the ticker reads it. */
    private static dev.flowline.expression.Cron parseCron(String text) {
        java.time.ZoneId zone = java.time.ZoneOffset.UTC;
        String cron = text.trim();
        if (cron.startsWith("TZ=") || cron.startsWith("CRON_TZ=")) {
            int space = cron.indexOf(' ');
            if (space < 0) {
                throw new IllegalArgumentException("a time zone prefix needs a cron after it");
            }
            zone = java.time.ZoneId.of(cron.substring(cron.indexOf('=') + 1, space));
            cron = cron.substring(space + 1).trim();
        }
        return dev.flowline.expression.Cron.parse(cron, zone);
    }

    private static String refusedExpression(JsonNode functions) {
        for (JsonNode fn : functions) {
            List<JsonNode> limits = Store.concurrencyLimits(fn.path("concurrency"));
            if (limits.size() > Store.MAX_CONCURRENCY_LIMITS) {
                return "function " + fn.path("id").asText() + ": at most " + Store.MAX_CONCURRENCY_LIMITS
                        + " concurrency limits";
            }
            if (fn.path("idempotency").isTextual()) {
                try {
                    Expressions.checkKey(fn.path("idempotency").asText());
                } catch (IllegalArgumentException e) {
                    return "function " + fn.path("id").asText() + ", idempotency: " + e.getMessage();
                }
            }
            JsonNode cancels = fn.path("cancel").isArray() ? fn.path("cancel") : JSON.createArrayNode();
            for (int i = 0; i < cancels.size(); i++) {
                String problem = badDuration(cancels.get(i).path("timeout"));
                if (problem != null) {
                    return "function " + fn.path("id").asText() + ", cancel " + i + " timeout: " + problem;
                }
                if (cancels.get(i).path("if").isTextual()) {
                    try {
                        Expressions.check(cancels.get(i).path("if").asText());
                    } catch (IllegalArgumentException e) {
                        return "function " + fn.path("id").asText() + ", cancel " + i + ": " + e.getMessage();
                    }
                }
            }
            for (JsonNode limit : limits) {
                if (!limit.path("limit").isIntegralNumber() || !limit.path("limit").canConvertToInt() || limit.path(
                        "limit").asInt() < 1) {
                    return "function " + fn.path("id").asText() + ": a concurrency limit is an integer of at least 1";
                }
                if (limit.path("key").isTextual()) {
                    try {
                        Expressions.checkKey(limit.path("key").asText());
                    } catch (IllegalArgumentException e) {
                        return "function " + fn.path("id").asText() + ", concurrency key: " + e.getMessage();
                    }
                }
            }
            for (String bound : List.of("start", "finish")) {
                String problem = badDuration(fn.path("timeouts").path(bound));
                if (problem != null) {
                    return "function " + fn.path("id").asText() + ", timeouts." + bound + ": " + problem;
                }
            }
            JsonNode triggers = fn.path("triggers").isArray() ? fn.path("triggers") : JSON.createArrayNode();
            for (int i = 0; i < triggers.size(); i++) {
                if (triggers.get(i).path("cron").isTextual()) {
                    try {
                        parseCron(triggers.get(i).path("cron").asText());
                    } catch (RuntimeException e) {
                        return "function " + fn.path("id").asText() + ", trigger " + i + ": cron '" + triggers
                                .get(i).path("cron").asText() + "' cannot be read: " + e.getMessage();
                    }
                }
                String expression = triggers.get(i).path("expression").asText(null);
                if (expression != null) {
                    try {
                        Expressions.check(expression);
                    } catch (IllegalArgumentException e) {
                        return "function " + fn.path("id").asText() + ", trigger " + i + ": " + e.getMessage();
                    }
                }
            }
        }
        return null;
    }

    private void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("X-Inngest-Server-Kind", "dev");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw != null) {
            for (String part : raw.split("&")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    query.put(URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    @Override
    public void close() {
        workers.forEach(Worker::stop);
        syncer.shutdownNow();
        server.stop(0);
        threads.shutdownNow();
        try {
            threads.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ((ExecutorService) server.getExecutor()).shutdownNow();
        data.close();
    }

    /**
     * {@code DevExecutor <port> <jdbc url> <user> <password> [app serve URL...]}; stops on SIGTERM. The
     * {@code FLOWLINE_PARENT_PID} environment variable makes it exit when that process dies (as the local run's
     * children do).
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: DevExecutor <port> <jdbc url> <user> <password> [app serve URL...]");
            System.exit(2);
        }
        Config config = Config.defaults(Integer.parseInt(args[0]), args[1], args[2], args[3])
                .withAppUrls(List.of(args).subList(4, args.length));
        String backoff = System.getenv("FLOWLINE_EXECUTOR_BACKOFF_MS");
        if (backoff != null && !backoff.isBlank()) {
            config = config.withBackoffBase(Duration.ofMillis(Long.parseLong(backoff.trim())));
        }
        DevExecutor executor = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(executor::close, "dev-executor-shutdown"));
        String parent = System.getenv("FLOWLINE_PARENT_PID");
        if (parent != null && !parent.isBlank()) {
            ProcessHandle.of(Long.parseLong(parent.trim())).ifPresent(p -> p.onExit().thenRun(() -> System.exit(0)));
        }
        System.out.println("inngest dev executor listening on " + executor.port());
        Thread.currentThread().join();
    }
}
