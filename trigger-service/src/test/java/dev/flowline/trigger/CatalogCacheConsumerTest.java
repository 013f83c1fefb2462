package dev.flowline.trigger;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;

import dev.flowline.contracts.CatalogChange;
import dev.flowline.contracts.CatalogKind;
import dev.flowline.contracts.MessageHeaders;
import dev.flowline.contracts.Topics;
import dev.flowline.servicekit.security.Roles;
import dev.flowline.testkit.KafkaTestClient;
import dev.flowline.testkit.Tokens;

@QuarkusTest
class CatalogCacheConsumerTest {

    @Inject
    ObjectMapper json;

    @Test
    void aPublishedDefinitionLandsInTheCacheAndOlderOrDuplicateRecordsChangeNothing() throws Exception {
        Instant t0 = Instant.parse("2026-11-27T10:00:00Z");
        CatalogChange published = change("booking.confirmed", CatalogChange.Status.PUBLISHED, t0, "v1");
        send(published);
        String viewer = Tokens.forUser("vera", Roles.VIEWER);
        String path = "/api/catalog-cache/event-type/booking.confirmed/versions/1.0.0";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(viewer).when().get(path)
                .then().statusCode(200).body("status", equalTo("PUBLISHED"))
                .body("definition.description", equalTo("v1")));

        // A newer deprecation replaces it.
        CatalogChange deprecated = change("booking.confirmed", CatalogChange.Status.DEPRECATED, t0.plusSeconds(60),
                "v2");
        send(deprecated);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(viewer).when().get(path)
                .then().statusCode(200).body("status", equalTo("DEPRECATED")));

        // A late, older record and a redelivery of an applied one are ignored; a marker after them shows they were
        // consumed (the topic is read in order).
        send(change("booking.confirmed", CatalogChange.Status.PUBLISHED, t0.plusSeconds(30), "stale"));
        send(published);
        send(deprecated);
        // A tombstone, a foreign record and an unreadable one are skipped; they do not stop the channel.
        KafkaTestClient.send(Topics.CATALOG_CHANGES, "event-type/gone/1.0.0", null, Map.of());
        KafkaTestClient.sendMessage(Topics.CATALOG_CHANGES, "x", "{\"kind\": \"event-type\"}", "other/v1", UUID
                .randomUUID());
        KafkaTestClient.send(Topics.CATALOG_CHANGES, "event-type/broken/1.0.0", "{not json", Map.of(
                MessageHeaders.MESSAGE_TYPE, CatalogChange.MESSAGE_TYPE));
        send(change("booking.marker", CatalogChange.Status.PUBLISHED, t0, "marker"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(viewer)
                .when().get("/api/catalog-cache/event-type/booking.marker/versions/1.0.0").then().statusCode(200));
        given().auth().oauth2(viewer).when().get(path).then().statusCode(200)
                .body("status", equalTo("DEPRECATED")).body("definition.description", equalTo("v2"));
    }

    @Test
    void unknownEntriesAndKindsAre404AndTheCacheNeedsAToken() {
        given().when().get("/api/catalog-cache/event-type/nothing.here/versions/1.0.0").then().statusCode(401);
        String viewer = Tokens.forUser("vera", Roles.VIEWER);
        given().auth().oauth2(viewer).when().get("/api/catalog-cache/event-type/nothing.here/versions/1.0.0").then()
                .statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(viewer).when().get("/api/catalog-cache/widget/x/versions/1.0.0").then()
                .statusCode(404).body("detail", org.hamcrest.Matchers.containsString("widget"));
    }

    private CatalogChange change(String name, CatalogChange.Status status, Instant at, String description) {
        return new CatalogChange(UUID.randomUUID(), CatalogKind.EVENT_TYPE, name, "1.0.0", status,
                json.createObjectNode().put("type", name).put("description", description), at);
    }

    private void send(CatalogChange change) throws Exception {
        KafkaTestClient.sendMessage(Topics.CATALOG_CHANGES, change.key(), json.writeValueAsString(change),
                CatalogChange.MESSAGE_TYPE, change.messageId());
    }
}
