package dev.flowline.uiconfig.domain;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

import dev.flowline.contracts.CatalogKind;
import dev.flowline.definitions.VersionLifecycle;
import dev.flowline.expression.JsonPath;
import dev.flowline.servicekit.problem.Problem.FieldError;
import dev.flowline.servicekit.problem.ProblemException;
import dev.flowline.servicekit.problem.ProblemType;
import dev.flowline.uiconfig.client.CatalogClient;
import dev.flowline.uiconfig.persistence.DataSourceEntity;

/**
 * Named data sources of lookups and tables, queried on the server with search, filters, sort and paging; what they
 * call and with which credential stays here. Three kinds: {@code static} ({@code items: [{value, label, ...}]},
 * filtered by its declared {@code params}, each a member of the items), {@code http} (a GET of a URL template with
 * {@code {q}}, {@code {page}}, {@code {size}}, {@code {sort}} and declared {@code params}, its answer read by paths:
 * {@code items}, {@code value}, {@code label}, optional {@code next}), guarded by {@link UrlGuard}, with its answer's
 * time and size capped, and {@code catalog} (the names of one catalog collection, each with its newest version in a
 * status, asked of catalog-service with the caller's own token). A {@code credential} names an {@code Authorization}
 * header value configured as {@code flowline.ui.credentials.<name>} (a secret from the environment).
 */
@ApplicationScoped
public class DataSources {

    /** One page of a query. */
    public record Page(List<Item> items, boolean next) {

        /** The page without the items' rows: what lookups and selects need. */
        public Page withoutRows() {
            return new Page(items.stream().map(item -> item.row() == null
                    ? item
                    : new Item(item.value(), item
                            .label()))
                    .toList(), next);
        }
    }

    /**
     * An item of a source: the value a component binds, the label it shows, and the source's whole item ({@code row},
     * what a table's columns read), sent only to a caller that asks for rows.
     */
    @RegisterForReflection
    public record Item(JsonNode value, String label, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode row) {

        public Item(JsonNode value, String label) {
            this(value, label, null);
        }
    }

    /**
     * The order a caller asks for: by one member of the source's items, ascending unless {@code descending}. A static
     * source sorts itself; an HTTP source is handed {@code member} or {@code -member} in its URL's {@code {sort}}.
     */
    public record Sort(String member, boolean descending) {

        private static final Pattern SPEC = Pattern.compile("(-?)([A-Za-z_][A-Za-z0-9_]{0,99})");

        /** {@code member} or {@code -member}; null for none. */
        public static Sort parse(String spec) {
            if (spec == null) {
                return null;
            }
            Matcher m = SPEC.matcher(spec);
            if (!m.matches()) {
                throw ProblemException.badParameter("sort", "a member of the items, with - before it for "
                        + "descending order (label, -label)");
            }
            return new Sort(m.group(2), !m.group(1).isEmpty());
        }

        String spec() {
            return (descending ? "-" : "") + member;
        }
    }

    public static final String NAME = "[a-z][a-z0-9_-]{0,99}";
    static final String STATIC = "static";
    static final String HTTP = "http";
    static final String CATALOG = "catalog";
    static final Map<String, Set<String>> MEMBERS = Map.of(STATIC, Set.of("kind", "items", "params"), HTTP, Set.of(
            "kind", "url", "items", "value", "label", "next", "params", "credential"), CATALOG,
            Set.of("kind",
                    "collection", "status"));
    /** The placeholders every URL may hold. */
    static final Set<String> BUILT_IN = Set.of("q", "page", "size", "sort");
    /** The query's own parameters, which no source may declare as its own. */
    static final Set<String> RESERVED = Set.of("q", "page", "size", "sort", "rows");
    static final Pattern PARAM = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    static final Pattern PLACEHOLDER = Pattern.compile("\\{(" + PARAM.pattern() + ")}");
    /** What a catalog source lists when it names no status. */
    static final VersionLifecycle.Status CATALOG_STATUS = VersionLifecycle.Status.PUBLISHED;
    /** The one order of a catalog source: catalog-service lists by name. */
    static final Sort CATALOG_ORDER = new Sort("name", false);

    @ConfigProperty(name = "flowline.ui.data-sources.allowed-hosts")
    Optional<List<String>> allowedHosts;

    @ConfigProperty(name = "flowline.ui.data-sources.private-hosts")
    Optional<List<String>> privateHosts;

    @ConfigProperty(name = "flowline.ui.data-sources.timeout", defaultValue = "5s")
    Duration timeout;

    @ConfigProperty(name = "flowline.ui.data-sources.max-bytes", defaultValue = "1048576")
    int maxBytes;

    @Inject
    ObjectMapper json;

    @Inject
    Vertx vertx;

    @Inject
    CatalogClient catalog;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(
            Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();

    UrlGuard guard() {
        return new UrlGuard(new HashSet<>(allowedHosts.orElse(List.of())), new HashSet<>(privateHosts.orElse(List
                .of())));
    }

    /** Every problem of a data source's document, at its pointer. */
    public List<FieldError> problems(JsonNode document) {
        List<FieldError> errors = new ArrayList<>();
        if (document == null || !document.isObject()) {
            errors.add(new FieldError("", "a data source is an object with a kind: static, http or catalog"));
            return errors;
        }
        String kind = document.path("kind").asText("");
        Set<String> members = MEMBERS.get(kind);
        if (members == null) {
            errors.add(new FieldError("/kind", "static, http or catalog"));
            return errors;
        }
        for (Iterator<String> names = document.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!members.contains(name)) {
                errors.add(new FieldError("/" + name, "a " + kind + " data source has no member " + name));
            }
        }
        if (kind.equals(CATALOG)) {
            if (CatalogKind.fromCollection(document.path("collection").asText()).isEmpty()) {
                errors.add(new FieldError("/collection", "steps, workflows or event-types"));
            }
            if (document.has("status") && catalogStatus(document) == null) {
                errors.add(new FieldError("/status", "draft, published or deprecated"));
            }
            return errors;
        }
        JsonNode declared = document.path("params");
        if (document.has("params") && !declared.isArray()) {
            errors.add(new FieldError("/params", "a list of parameter names"));
        }
        for (int i = 0; declared.isArray() && i < declared.size(); i++) {
            String param = declared.get(i).asText("");
            if (!declared.get(i).isTextual() || !PARAM.matcher(param).matches() || RESERVED.contains(param)) {
                errors.add(new FieldError("/params/" + i, "a name of letters, digits and '_', other than "
                        + String.join(", ", new java.util.TreeSet<>(RESERVED))));
            }
        }
        if (kind.equals(STATIC)) {
            JsonNode items = document.path("items");
            if (!items.isArray() || items.isEmpty()) {
                errors.add(new FieldError("/items", "a non-empty list of {value, label}"));
            }
            for (int i = 0; items.isArray() && i < items.size(); i++) {
                if (!items.get(i).has("value") || !items.get(i).path("label").isTextual()) {
                    errors.add(new FieldError("/items/" + i, "an item has a value and a label (text)"));
                }
            }
            return errors;
        }
        Set<String> params = new HashSet<>(BUILT_IN);
        declared.forEach(p -> params.add(p.asText()));
        String url = document.path("url").asText("");
        Matcher placeholders = PLACEHOLDER.matcher(url);
        while (placeholders.find()) {
            if (!params.contains(placeholders.group(1))) {
                errors.add(new FieldError("/url", "{" + placeholders.group(1) + "} is neither q, page, size, sort nor "
                        + "a declared param"));
            }
        }
        try {
            String refusal = guard().refusal(URI.create(PLACEHOLDER.matcher(url).replaceAll("x")));
            if (refusal != null) {
                errors.add(new FieldError("/url", refusal));
            }
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("/url", "not a URL: " + e.getMessage()));
        }
        for (String path : List.of("items", "next")) {
            if (document.has(path)) {
                try {
                    JsonPath.parse(document.get(path).asText());
                } catch (IllegalArgumentException e) {
                    errors.add(new FieldError("/" + path, e.getMessage()));
                }
            } else if (path.equals("items")) {
                errors.add(new FieldError("/items", "the path of the answer's list, like $.items"));
            }
        }
        for (String member : List.of("value", "label")) {
            if (!document.path(member).isTextual() || document.get(member).asText().isBlank()) {
                errors.add(new FieldError("/" + member, "the member of each item that is its " + member));
            }
        }
        if (document.has("credential") && credential(document.get("credential").asText()).isEmpty()) {
            errors.add(new FieldError("/credential", "no credential flowline.ui.credentials." + document.get(
                    "credential").asText() + " is configured"));
        }
        return errors;
    }

    /** Whether the source {@code document} takes {@code param} (a catalog source takes none). */
    public static boolean declares(JsonNode document, String param) {
        for (JsonNode declared : document.path("params")) {
            if (declared.asText().equals(param)) {
                return true;
            }
        }
        return false;
    }

    public Uni<DataSourceEntity> save(String name, JsonNode document, String by) {
        checkName(name);
        List<FieldError> errors = problems(document);
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(ProblemException.invalid(errors));
        }
        return Panache.withTransaction(() -> DataSourceEntity.<DataSourceEntity>findById(name).flatMap(existing -> {
            Instant now = Instant.now();
            DataSourceEntity source = existing != null ? existing : new DataSourceEntity();
            if (existing == null) {
                source.name = name;
                source.createdAt = now;
                source.createdBy = by;
            }
            source.document = document;
            source.updatedAt = now;
            return existing == null ? source.<DataSourceEntity>persist() : Uni.createFrom().item(source);
        }));
    }

    public Uni<DataSourceEntity> get(String name) {
        checkName(name);
        return Panache.withSession(() -> DataSourceEntity.<DataSourceEntity>findById(name)).onItem().ifNull()
                .failWith(() -> ProblemException.notFound("no data source " + name));
    }

    /**
     * One page of the source's items matching {@code q} in the order {@code sort}, with {@code params} (its URL's, or
     * a static source's filters); {@code bearer} is the caller's Authorization header, what a catalog source is asked
     * with.
     */
    public Uni<Page> query(String name, String q, int page, int size, Sort sort, Map<String, String> params,
            boolean rows, String bearer) {
        return get(name).flatMap(source -> page(name, source.document, q, page, size, sort, params, bearer)).map(
                found -> rows ? found : found.withoutRows());
    }

    /** The documents of those of {@code names} that exist, read in one query. */
    public Uni<Map<String, JsonNode>> documents(Set<String> names) {
        if (names.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return Panache.withSession(() -> DataSourceEntity.<DataSourceEntity>list("name in ?1", names)).map(
                found -> found.stream().collect(java.util.stream.Collectors.toMap(s -> s.name, s -> s.document)));
    }

    /**
     * One page of the source {@code document}; needs no database session, so pages of several sources can be asked
     * at once. An HTTP source's call runs on a worker thread, unordered, so two calls of one request overlap.
     */
    public Uni<Page> page(String name, JsonNode document, String q, int page, int size, Sort sort,
            Map<String, String> params, String bearer) {
        String kind = document.path("kind").asText();
        if (kind.equals(STATIC)) {
            return Uni.createFrom().item(staticPage(document, q, page, size, sort, params));
        }
        if (kind.equals(CATALOG)) {
            if (sort != null && !sort.equals(CATALOG_ORDER)) {
                return Uni.createFrom().failure(ProblemException.badParameter("sort", "data source " + name
                        + " lists the catalog by name only"));
            }
            CatalogKind collection = CatalogKind.fromCollection(document.path("collection").asText()).orElseThrow();
            return catalog.newestByName(collection, catalogStatus(document), q, page, size, bearer).map(
                    answer -> catalogPage(answer, page, size));
        }
        if (sort != null && !document.path("url").asText().contains("{sort}")) {
            return Uni.createFrom().failure(ProblemException.badParameter("sort", "data source " + name
                    + " does not sort: its url has no {sort}"));
        }
        return vertx.executeBlocking(Uni.createFrom().item(() -> httpPage(name, document, q, page, size, sort,
                params)), false);
    }

    /**
     * The static source's items whose label contains {@code q} (any case) and whose members named by its declared
     * params equal the values given for them (as text; a param given empty or not at all does not filter).
     */
    static Page staticPage(JsonNode d, String q, int page, int size, Sort sort, Map<String, String> params) {
        String needle = q == null ? "" : q.toLowerCase(Locale.ROOT);
        Map<String, String> filters = new java.util.LinkedHashMap<>();
        d.path("params").forEach(p -> {
            String wanted = params.get(p.asText());
            if (wanted != null && !wanted.isEmpty()) {
                filters.put(p.asText(), wanted);
            }
        });
        List<Item> matching = new ArrayList<>();
        for (JsonNode item : d.path("items")) {
            String label = item.path("label").asText();
            if (label.toLowerCase(Locale.ROOT).contains(needle) && filters.entrySet().stream().allMatch(
                    f -> item.path(f.getKey()).isValueNode() && item.get(f.getKey()).asText().equals(f.getValue()))) {
                matching.add(new Item(item.get("value"), label, item));
            }
        }
        Comparator<Item> order = sort == null
                ? Comparator.comparing(Item::label, String.CASE_INSENSITIVE_ORDER)
                : Comparator.comparing((Item item) -> item.row().get(sort.member()), DataSources::compareMembers);
        matching.sort(sort != null && sort.descending() ? order.reversed() : order);
        int from = Math.min(matching.size(), page * size);
        int to = Math.min(matching.size(), from + size);
        return new Page(List.copyOf(matching.subList(from, to)), to < matching.size());
    }

    /** Numbers by value, anything else by its text in any case; an item without the member comes first. */
    static int compareMembers(JsonNode a, JsonNode b) {
        if (a == null || a.isNull() || b == null || b.isNull()) {
            return Boolean.compare(a != null && !a.isNull(), b != null && !b.isNull());
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return String.CASE_INSENSITIVE_ORDER.compare(a.isValueNode() ? a.asText() : a.toString(), b.isValueNode()
                ? b.asText()
                : b.toString());
    }

    private Page httpPage(String name, JsonNode d, String q, int page, int size, Sort sort,
            Map<String, String> params) {
        Set<String> declared = new HashSet<>();
        d.path("params").forEach(p -> declared.add(p.asText()));
        Matcher m = PLACEHOLDER.matcher(d.get("url").asText());
        StringBuilder url = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            String value = switch (key) {
                case "q" -> q == null ? "" : q;
                case "page" -> Integer.toString(page);
                case "size" -> Integer.toString(size);
                case "sort" -> sort == null ? "" : sort.spec();
                default -> declared.contains(key) ? params.getOrDefault(key, "") : "";
            };
            m.appendReplacement(url, Matcher.quoteReplacement(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        }
        m.appendTail(url);
        URI uri = URI.create(url.toString());
        String refusal = guard().refusal(uri);
        if (refusal != null) {
            throw new ProblemException(ProblemType.FORBIDDEN, "data source " + name + " is refused: " + refusal);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept",
                "application/json").GET();
        if (d.has("credential")) {
            request.header("Authorization", credential(d.get("credential").asText()).orElseThrow(
                    () -> unavailable(name, "its credential is not configured")));
        }
        HttpResponse<InputStream> response;
        byte[] body;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                body = in.readNBytes(maxBytes + 1);
            }
        } catch (HttpTimeoutException e) {
            throw unavailable(name, "no answer within " + timeout);
        } catch (IOException e) {
            throw unavailable(name, "the call failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(name, "interrupted");
        }
        if (response.statusCode() >= 300 && response.statusCode() < 400) {
            throw unavailable(name, "it answered a redirect (HTTP " + response.statusCode() + "), which is not "
                    + "followed");
        }
        if (response.statusCode() != 200) {
            throw unavailable(name, "it answered HTTP " + response.statusCode());
        }
        if (body.length > maxBytes) {
            throw unavailable(name, "its answer is larger than " + maxBytes + " bytes");
        }
        JsonNode answer;
        try {
            answer = json.readTree(body);
        } catch (IOException e) {
            throw unavailable(name, "its answer is not JSON");
        }
        List<Item> items = new ArrayList<>();
        for (JsonNode item : JsonPath.parse(d.get("items").asText()).read(answer)) {
            items.add(new Item(item.get(d.get("value").asText()), item.path(d.get("label").asText()).asText(),
                    item));
        }
        boolean next = d.has("next")
                ? JsonPath.parse(d.get("next").asText()).read(answer).asBoolean(false)
                : items.size() == size;
        return new Page(List.copyOf(items), next);
    }

    /**
     * A catalog answer as a page: each name is an item (its value), labelled by its display name or else its name;
     * the row is what a table shows of the version (not the whole definition).
     */
    static Page catalogPage(JsonNode answer, int page, int size) {
        List<Item> items = new ArrayList<>();
        for (JsonNode version : answer.path("items")) {
            com.fasterxml.jackson.databind.node.ObjectNode row = JsonNodeFactory.instance.objectNode();
            for (String member : List.of("name", "version", "status", "publishedAt")) {
                row.set(member, version.path(member).isMissingNode() ? null : version.get(member));
            }
            for (String member : List.of("displayName", "description")) {
                if (version.path("definition").path(member).isTextual()) {
                    row.set(member, version.get("definition").get(member));
                }
            }
            String name = version.path("name").asText();
            items.add(new Item(row.get("name"), row.path("displayName").asText(name), row));
        }
        return new Page(List.copyOf(items), (long) (page + 1) * size < answer.path("total").asLong());
    }

    private static VersionLifecycle.Status catalogStatus(JsonNode document) {
        if (!document.has("status")) {
            return CATALOG_STATUS;
        }
        for (VersionLifecycle.Status status : VersionLifecycle.Status.values()) {
            if (status.word().equals(document.get("status").asText())) {
                return status;
            }
        }
        return null;
    }

    private static Optional<String> credential(String name) {
        return ConfigProvider.getConfig().getOptionalValue("flowline.ui.credentials." + name, String.class);
    }

    private static ProblemException unavailable(String name, String why) {
        return new ProblemException(ProblemType.UNAVAILABLE, "data source " + name + " did not answer: " + why);
    }

    private static void checkName(String name) {
        if (name == null || !name.matches(NAME)) {
            throw ProblemException.badParameter("name", "a data source name is lower case letters, digits, '-' "
                    + "and '_'");
        }
    }
}
