package dev.flowline.uiconfig;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import dev.flowline.embedded.LocalHttpServer;
import dev.flowline.servicekit.security.Roles;
import dev.flowline.testkit.Tokens;

/**
 * Data sources on real HTTP: static lists and an internal endpoint queried with search, paging and a server-side
 * credential; and the SSRF guards, each proved: a host off the allow-list and one resolving to an internal address
 * are refused when saved, a redirect is not followed, an answer too large or too slow is cut off.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataSourceApiTest {

    static final List<String> RENTALS = IntStream.rangeClosed(1, 25).mapToObj(i -> String.format(Locale.ROOT,
            "Rental %02d", i)).toList();

    HttpServer endpoint;
    int port;
    final Map<String, String> seenAuthorization = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeAll
    void endpoint() throws Exception {
        endpoint = LocalHttpServer.create(0, 16);
        endpoint.createContext("/rentals", exchange -> {
            Map<String, String> query = query(exchange);
            seenAuthorization.put("rentals", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            List<String> matching = new java.util.ArrayList<>(RENTALS.stream().filter(r -> r.contains(query
                    .getOrDefault("name", ""))).toList());
            if ("-name".equals(query.get("order"))) {
                java.util.Collections.reverse(matching);
            }
            int page = Integer.parseInt(query.get("page"));
            int size = Integer.parseInt(query.get("size"));
            List<String> slice = matching.subList(Math.min(matching.size(), page * size), Math.min(matching.size(),
                    page * size + size));
            answer(exchange, 200, "{\"results\": [" + slice.stream().map(r -> "{\"id\": \"" + r.substring(7)
                    + "\", \"name\": \"" + r + "\"}").collect(Collectors.joining(", ")) + "], \"more\": "
                    + (page * size + size < matching.size()) + "}");
        });
        endpoint.createContext("/redirect", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
            answer(exchange, 302, "{}");
        });
        endpoint.createContext("/broken", exchange -> answer(exchange, 500, "{\"message\": \"down\"}"));
        endpoint.createContext("/big", exchange -> answer(exchange, 200, "{\"results\": [], \"pad\": \"" + "x".repeat(
                100_000) + "\"}"));
        endpoint.createContext("/slow", exchange -> {
            try {
                Thread.sleep(2500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, 200, "{\"results\": []}");
        });
        // A thread per exchange: the slow answer must not hold up the calls of the tests after it.
        endpoint.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        endpoint.start();
        port = endpoint.getAddress().getPort();
    }

    @AfterAll
    void stop() {
        endpoint.stop(0);
    }

    String http(String host, String path) {
        return """
                {"kind": "http", "url": "http://%s:%d%s?name={q}&page={page}&size={size}", "items": "$.results",
                 "value": "id", "label": "name", "next": "$.more", "credential": "rentals-api"}""".formatted(host, port,
                path);
    }

    @Test
    void aStaticListAndAnInternalEndpointAnswerPagesOfTheirItemsWithTheServersCredential() {
        String editor = Tokens.forUser("edna", Roles.EDITOR);
        String viewer = Tokens.forUser("vera", Roles.VIEWER);
        String statics = "modes-" + UUID.randomUUID().toString().substring(0, 6);
        given().auth().oauth2(editor).contentType("application/json").body("""
                {"kind": "static", "items": [{"value": "safe", "label": "Safe"}, {"value": "fast", "label": "Fast"},
                                             {"value": "slow", "label": "Slower"}]}""").put("/api/data-sources/"
                + statics).then().statusCode(200);
        Response modes = given().auth().oauth2(viewer).get("/api/data-sources/" + statics + "/query?q=s&size=2");
        assertThat(modes.jsonPath().getList("items.label", String.class)).containsExactly("Fast", "Safe");
        assertThat(modes.jsonPath().getBoolean("next")).isTrue();

        String rentals = "rentals-" + UUID.randomUUID().toString().substring(0, 6);
        given().auth().oauth2(viewer).contentType("application/json").body(http("localhost", "/rentals")).put(
                "/api/data-sources/" + rentals).then().statusCode(403);
        given().auth().oauth2(editor).contentType("application/json").body(http("localhost", "/rentals")).put(
                "/api/data-sources/" + rentals).then().statusCode(200);
        Response first = given().auth().oauth2(viewer).get("/api/data-sources/" + rentals + "/query?size=10");
        assertThat(first.statusCode()).as(first.asString()).isEqualTo(200);
        assertThat(first.jsonPath().getList("items")).hasSize(10);
        assertThat(first.jsonPath().getBoolean("next")).isTrue();
        Response last = given().auth().oauth2(viewer).get("/api/data-sources/" + rentals + "/query?size=10&page=2");
        assertThat(last.jsonPath().getList("items.label", String.class)).containsExactly("Rental 21", "Rental 22",
                "Rental 23", "Rental 24", "Rental 25");
        assertThat(last.jsonPath().getBoolean("next")).isFalse();
        // A table asks for rows: each item then carries the source's whole item; a lookup's items do not.
        assertThat(last.jsonPath().getList("items.row")).containsOnlyNulls();
        Response rows = given().auth().oauth2(viewer).get("/api/data-sources/" + rentals
                + "/query?size=10&page=2&rows=true");
        assertThat(rows.jsonPath().getList("items.row.name", String.class)).containsExactly("Rental 21",
                "Rental 22", "Rental 23", "Rental 24", "Rental 25");
        assertThat(rows.jsonPath().getString("items[0].row.id")).isEqualTo("21");
        assertThat(given().auth().oauth2(viewer).get("/api/data-sources/" + statics + "/query?rows=true").jsonPath()
                .getString("items.find { it.value == 'slow' }.row.label")).isEqualTo("Slower");
        given().auth().oauth2(viewer).get("/api/data-sources/" + rentals + "/query?rows=maybe").then().statusCode(400)
                .body("errors[0].pointer", org.hamcrest.Matchers.equalTo("#rows"));
        Response searched = given().auth().oauth2(viewer).get("/api/data-sources/" + rentals + "/query?q=Rental 1");
        assertThat(searched.jsonPath().getList("items.value", String.class)).hasSize(10).contains("10", "19");
        // The credential is the server's: the browser never sees it, the endpoint does.
        assertThat(seenAuthorization.get("rentals")).isEqualTo("Bearer test-rentals-key");
        assertThat(given().auth().oauth2(viewer).get("/api/data-sources/" + rentals).asString()).doesNotContain(
                "test-rentals-key");
        given().auth().oauth2(viewer).get("/api/data-sources/nope/query").then().statusCode(404);
        given().auth().oauth2(viewer).get("/api/data-sources/" + rentals + "/query?size=500").then().statusCode(400);
    }

    @Test
    void aCallerChoosesTheOrderByAMemberOfTheItemsAndASourceThatCannotSortSaysSo() {
        String editor = Tokens.forUser("edna", Roles.EDITOR);
        String viewer = Tokens.forUser("vera", Roles.VIEWER);
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        given().auth().oauth2(editor).contentType("application/json").body("""
                {"kind": "static", "items": [{"value": "a", "label": "Attic", "nights": 12},
                                             {"value": "b", "label": "barn", "nights": 3},
                                             {"value": "c", "label": "Cabin"},
                                             {"value": "d", "label": "Dacha", "nights": 7}]}""").put(
                "/api/data-sources/stays-" + suffix).then().statusCode(200);
        assertThat(given().auth().oauth2(viewer).get("/api/data-sources/stays-" + suffix + "/query").jsonPath()
                .getList("items.value", String.class)).containsExactly("a", "b", "c", "d");
        // Numbers by value (3 before 12), an item without the member first; - reverses.
        assertThat(given().auth().oauth2(viewer).get("/api/data-sources/stays-" + suffix + "/query?sort=nights")
                .jsonPath().getList("items.value", String.class)).containsExactly("c", "b", "d", "a");
        assertThat(given().auth().oauth2(viewer).get("/api/data-sources/stays-" + suffix
                + "/query?sort=-label&size=2").jsonPath().getList("items.value", String.class)).containsExactly("d",
                        "c");

        // An HTTP source is handed the order in its URL's {sort}.
        given().auth().oauth2(editor).contentType("application/json").body(http("localhost", "/rentals").replace(
                "size={size}", "size={size}&order={sort}")).put("/api/data-sources/sorted-" + suffix).then()
                .statusCode(200);
        assertThat(given().auth().oauth2(viewer).get("/api/data-sources/sorted-" + suffix
                + "/query?sort=-name&size=2").jsonPath().getList("items.label", String.class)).containsExactly(
                        "Rental 25", "Rental 24");
        given().auth().oauth2(editor).contentType("application/json").body(http("localhost", "/rentals")).put(
                "/api/data-sources/unsorted-" + suffix).then().statusCode(200);
        for (String[] bad : List.of(new String[]{"unsorted-" + suffix, "name", "does not sort"},
                new String[]{"stays-" + suffix, "1st", "a member of the items"},
                new String[]{"stays-" + suffix, "--label", "a member of the items"})) {
            Response refused = given().auth().oauth2(viewer).get("/api/data-sources/" + bad[0] + "/query?sort="
                    + bad[1]);
            assertThat(refused.statusCode()).as(bad[1]).isEqualTo(400);
            assertThat(refused.contentType()).isEqualTo("application/problem+json");
            assertThat(refused.jsonPath().getString("errors[0].pointer")).isEqualTo("#sort");
            assertThat(refused.jsonPath().getString("errors[0].detail")).as(bad[1]).contains(bad[2]);
        }
    }

    @Test
    void aStaticSourceIsFilteredByItsDeclaredParamsAndAParamGivenEmptyDoesNotFilter() {
        String editor = Tokens.forUser("edna", Roles.EDITOR);
        String viewer = Tokens.forUser("vera", Roles.VIEWER);
        String name = "areas-" + UUID.randomUUID().toString().substring(0, 6);
        given().auth().oauth2(editor).contentType("application/json").body("""
                {"kind": "static", "params": ["region"],
                 "items": [{"value": "a", "label": "Attic", "region": "north"}, {"value": "b", "label": "Barn",
                            "region": "south"}, {"value": "c", "label": "Cabin", "region": "north"},
                           {"value": "d", "label": "Dacha"}]}""").put("/api/data-sources/" + name).then().statusCode(
                200);
        for (Map.Entry<String, List<String>> asked : Map.of("?region=north", List.of("a", "c"), "?region=north&q=cab",
                List.of("c"), "?region=east", List.<String>of(), "?region=", List.of("a", "b", "c", "d"),
                "?other=north",
                List.of("a", "b", "c", "d")).entrySet()) {
            assertThat(given().auth().oauth2(viewer).get("/api/data-sources/" + name + "/query" + asked.getKey())
                    .jsonPath().getList("items.value", String.class)).as(asked.getKey()).containsExactlyElementsOf(
                            asked.getValue());
        }
        for (Map.Entry<String, String> bad : Map.of("""
                {"kind": "static", "params": ["sort"], "items": [{"value": 1, "label": "One"}]}""", "/params/0", """
                {"kind": "static", "params": "region", "items": [{"value": 1, "label": "One"}]}""", "/params")
                .entrySet()) {
            given().auth().oauth2(editor).contentType("application/json").body(bad.getKey()).put(
                    "/api/data-sources/" + name).then().statusCode(422).body("errors.pointer", org.hamcrest.Matchers
                            .hasItem(bad.getValue()));
        }
        // The source is unchanged by the refused saves.
        assertThat(given().auth().oauth2(viewer).get("/api/data-sources/" + name).jsonPath().getList(
                "definition.params", String.class)).containsExactly("region");
    }

    @Test
    void aCatalogSourceListsTheNewestVersionOfEachNameAskedWithTheCallersOwnToken() {
        String editor = Tokens.forUser("edna", Roles.EDITOR);
        String viewer = Tokens.forUser("vera", Roles.VIEWER);
        String name = "workflows-" + UUID.randomUUID().toString().substring(0, 6);
        given().auth().oauth2(editor).contentType("application/json").body("""
                {"kind": "catalog", "collection": "workflows"}""").put("/api/data-sources/" + name).then()
                .statusCode(200);
        CatalogStandIn.PAGES.put("/api/workflows", """
                {"items": [{"kind": "workflow", "name": "payouts", "version": "2.1.0", "status": "PUBLISHED",
                            "definition": {"name": "payouts", "displayName": "Process payouts", "steps": {}},
                            "publishedAt": "2026-12-01T10:00:00Z"},
                           {"kind": "workflow", "name": "payout_retry", "version": "1.0.0", "status": "PUBLISHED",
                            "definition": {"name": "payout_retry", "description": "Retries a payout"},
                            "publishedAt": "2026-12-02T10:00:00Z"}],
                 "page": 0, "size": 2, "total": 3}""");
        CatalogStandIn.CALLS.clear();
        Response page = given().auth().oauth2(viewer).get("/api/data-sources/" + name
                + "/query?q=pay&size=2&rows=true&sort=name");
        assertThat(page.statusCode()).as(page.asString()).isEqualTo(200);
        assertThat(page.jsonPath().getList("items.value", String.class)).containsExactly("payouts", "payout_retry");
        // Labelled by the display name where there is one; a table's row shows the version, not the definition.
        assertThat(page.jsonPath().getList("items.label", String.class)).containsExactly("Process payouts",
                "payout_retry");
        assertThat(page.jsonPath().getList("items.row.version", String.class)).containsExactly("2.1.0", "1.0.0");
        assertThat(page.jsonPath().getString("items[1].row.description")).isEqualTo("Retries a payout");
        assertThat(page.jsonPath().getList("items.row.steps")).containsOnlyNulls();
        assertThat(page.jsonPath().getBoolean("next")).as("3 names, 2 on the first page").isTrue();
        assertThat(CatalogStandIn.CALLS).singleElement().satisfies(call -> {
            assertThat(call.authorization()).isEqualTo("Bearer " + viewer);
            assertThat(call.pathAndQuery()).startsWith("/api/workflows?").contains("newest=true",
                    "status=published", "q=pay", "page=0", "size=2");
        });

        given().auth().oauth2(viewer).get("/api/data-sources/" + name + "/query?sort=-name").then().statusCode(400)
                .body("errors[0].pointer", org.hamcrest.Matchers.equalTo("#sort")).body("errors[0].detail",
                        org.hamcrest.Matchers.containsString("by name only"));
        for (Map.Entry<String, String> bad : Map.of("""
                {"kind": "catalog", "collection": "runs"}""", "/collection", """
                {"kind": "catalog", "collection": "steps", "status": "retired"}""", "/status", """
                {"kind": "catalog", "collection": "steps", "url": "http://localhost/"}""", "/url").entrySet()) {
            given().auth().oauth2(editor).contentType("application/json").body(bad.getKey()).put(
                    "/api/data-sources/" + name).then().statusCode(422).body("errors.pointer", org.hamcrest.Matchers
                            .hasItem(bad.getValue()));
        }
        // A view may not hand a catalog source a param it does not take.
        ViewApiTest.knowTheType();
        given().auth().oauth2(editor).contentType("application/json").body("""
                {"taskTypes": ["validate_settings:MISSING_XERO_NAME"],
                 "schema": {"type": "object", "properties": {"wf": {"type": "string"}}},
                 "layout": [{"type": "lookup", "bind": "/wf", "label": "Workflow",
                             "dataSource": {"name": "%s", "params": {"owner": "finance"}}}]}""".formatted(name))
                .put("/api/views/pick-" + name + "/versions/1").then().statusCode(422).body("errors.pointer",
                        org.hamcrest.Matchers.hasItem("/layout/0/dataSource/params/owner"));
    }

    @Test
    void theServerIsNeverSentWhereTheAllowListDoesNotSayAndNoAnswerHoldsItUp() {
        String editor = Tokens.forUser("edna", Roles.EDITOR);
        String viewer = Tokens.forUser("vera", Roles.VIEWER);
        String name = "guarded-" + UUID.randomUUID().toString().substring(0, 6);
        for (String[] bad : List.of(
                new String[]{http("evil.example", "/rentals"), "not on the data sources' allow-list"},
                // 127.0.0.1 is allowed as a host, but not to be an internal address.
                new String[]{http("127.0.0.1", "/rentals"), "internal address"},
                new String[]{http("localhost", "/rentals").replace("http://", "file://"), "only http and https"},
                new String[]{http("localhost", "/rentals").replace("{q}", "{secret}"), "{secret}"},
                new String[]{http("localhost", "/rentals").replace("rentals-api", "nobody"), "no credential"})) {
            Response refused = given().auth().oauth2(editor).contentType("application/json").body(bad[0]).put(
                    "/api/data-sources/" + name);
            assertThat(refused.statusCode()).as(bad[0]).isEqualTo(422);
            assertThat(refused.contentType()).isEqualTo("application/problem+json");
            assertThat(refused.jsonPath().getList("errors.detail", String.class)).as(bad[0]).anyMatch(d -> d.contains(
                    bad[1]));
        }
        given().auth().oauth2(viewer).get("/api/data-sources/" + name).then().statusCode(404);

        for (String[] cut : List.of(new String[]{"/redirect", "redirect"}, new String[]{"/big", "larger than"},
                new String[]{"/slow", "within"})) {
            String source = name + cut[0].substring(1);
            given().auth().oauth2(editor).contentType("application/json").body(http("localhost", cut[0])).put(
                    "/api/data-sources/" + source).then().statusCode(200);
            Response answer = given().auth().oauth2(viewer).get("/api/data-sources/" + source + "/query");
            assertThat(answer.statusCode()).as(cut[0]).isEqualTo(503);
            assertThat(answer.jsonPath().getString("detail")).as(cut[0]).contains(cut[1]);
        }
    }

    @Test
    void aViewNamingADataSourceThatDoesNotExistIsRefusedAtItsPointer() {
        ViewApiTest.knowTheType();
        String editor = Tokens.forUser("edna", Roles.EDITOR);
        String view = ViewApiTest.VIEW.replace(
                "{\"type\": \"checkbox\", \"label\": \"Archived\", \"bind\": \"/archived\"},",
                "{\"type\": \"checkbox\", \"label\": \"Archived\", \"bind\": \"/archived\"}, {\"type\": \"lookup\", "
                        + "\"label\": \"Rental\", \"bind\": \"/note\", \"dataSource\": {\"name\": \"no-such-source\"}},");
        Response refused = given().auth().oauth2(editor).contentType("application/json").body(view).put(
                "/api/views/lookups-" + UUID.randomUUID().toString().substring(0, 6) + "/versions/1");
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.jsonPath().getList("errors.pointer", String.class)).contains("/layout/3/dataSource/name");
    }

    @Test
    void aTasksScreenBringsTheFirstPageAndBoundItemOfEachLookupAndStillDrawsWhenASourceFails() throws Exception {
        ViewApiTest.knowTheType();
        String editor = Tokens.forUser("edna", Roles.EDITOR);
        String viewer = Tokens.forUser("vera", Roles.VIEWER);
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String rentals = "rentals-" + suffix;
        String near = "near-" + suffix;
        String modes = "modes-" + suffix;
        String broken = "broken-" + suffix;
        given().auth().oauth2(editor).contentType("application/json").body(http("localhost", "/rentals")).put(
                "/api/data-sources/" + rentals).then().statusCode(200);
        given().auth().oauth2(editor).contentType("application/json").body("""
                {"kind": "http", "url": "http://localhost:%d/rentals?name={prefix}&page={page}&size={size}",
                 "params": ["prefix"], "items": "$.results", "value": "id", "label": "name", "next": "$.more",
                 "credential": "rentals-api"}""".formatted(port)).put("/api/data-sources/" + near).then().statusCode(
                200);
        given().auth().oauth2(editor).contentType("application/json")
                .body("""
                        {"kind": "static", "items": [{"value": "safe", "label": "Safe"}, {"value": "fast", "label": "Fast"}]}""")
                .put("/api/data-sources/" + modes).then().statusCode(200);
        given().auth().oauth2(editor).contentType("application/json").body(http("localhost", "/broken")).put(
                "/api/data-sources/" + broken).then().statusCode(200);
        String view = """
                {"title": "Pick a rental", "taskTypes": ["validate_settings:MISSING_XERO_NAME"],
                 "schema": {"type": "object", "properties": {"rental_id": {"type": "string"},
                            "near": {"type": "string"}, "mode": {"type": "string"}, "other": {"type": "string"}}},
                 "initial": {"rental_id": "$.task.errorData.rental_id", "mode": "fast"},
                 "layout": [{"type": "lookup", "label": "Rental", "bind": "/rental_id", "pageSize": 5,
                             "dataSource": {"name": "%s"}},
                            {"type": "section", "title": "Nearby", "children": [
                              {"type": "lookup", "label": "Near", "bind": "/near",
                               "dataSource": {"name": "%s", "params": {"prefix": "$.task.errorData.area"}}}]},
                            {"type": "select", "label": "Mode", "bind": "/mode", "dataSource": {"name": "%s"}},
                            {"type": "lookup", "label": "Other", "bind": "/other", "dataSource": {"name": "%s"}},
                            {"type": "button", "action": "retry"}]}""".formatted(rentals, near, modes, broken);
        String url = "/api/views/pick-" + suffix + "/versions/1";
        Response saved = given().auth().oauth2(editor).contentType("application/json").body(view).put(url);
        assertThat(saved.statusCode()).as(saved.asString()).isEqualTo(201);
        given().auth().oauth2(editor).post(url + "/publish").then().statusCode(200);
        String taskId = UUID.randomUUID().toString();
        TaskServiceStandIn.TASKS.put(taskId, ViewApiTest.task(taskId, java.time.Instant.now().plusSeconds(1))
                .replace("\"rental_id\": \"r-2\"", "\"rental_id\": \"03\", \"area\": \"Rental 2\""));

        Response screen = given().auth().oauth2(viewer).get("/api/task-views/" + taskId);
        assertThat(screen.statusCode()).as(screen.asString()).isEqualTo(200);
        com.fasterxml.jackson.databind.JsonNode lookups = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                screen.asString()).path("lookups");
        assertThat(lookups.size()).as(lookups.toString()).isEqualTo(4);
        com.fasterxml.jackson.databind.JsonNode rental = lookups.path("/layout/0");
        assertThat(rental.path("source").asText()).isEqualTo(rentals);
        assertThat(rental.path("items").findValuesAsText("label")).as(lookups.toString()).containsExactly("Rental 01",
                "Rental 02",
                "Rental 03", "Rental 04", "Rental 05");
        assertThat(rental.path("next").asBoolean()).isTrue();
        assertThat(rental.at("/selected/value").asText()).isEqualTo("03");
        assertThat(rental.at("/selected/label").asText()).isEqualTo("Rental 03");
        // The parameter is read from the task, as the renderer reads it; nothing is bound yet.
        com.fasterxml.jackson.databind.JsonNode nearby = lookups.path("/layout/1/children/0");
        assertThat(nearby.path("items").findValuesAsText("label")).as(lookups.toString()).containsExactly("Rental 20",
                "Rental 21",
                "Rental 22", "Rental 23", "Rental 24", "Rental 25");
        assertThat(nearby.has("selected")).isFalse();
        com.fasterxml.jackson.databind.JsonNode mode = lookups.path("/layout/2");
        assertThat(mode.path("items").findValuesAsText("label")).containsExactly("Fast", "Safe");
        assertThat(mode.at("/selected/label").asText()).isEqualTo("Fast");
        com.fasterxml.jackson.databind.JsonNode other = lookups.path("/layout/3");
        assertThat(other.path("error").asText()).contains(broken).contains("HTTP 500");
        assertThat(other.path("items")).isEmpty();
        assertThat(screen.jsonPath().getString("data.rental_id")).isEqualTo("03");
    }

    static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> query = new java.util.HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(java.net.URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1
                    ? java.net.URLDecoder
                            .decode(kv[1], StandardCharsets.UTF_8)
                    : "");
        }
        return query;
    }

    static void answer(HttpExchange exchange, int status, String body) throws java.io.IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
