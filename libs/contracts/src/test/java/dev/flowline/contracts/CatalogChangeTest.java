package dev.flowline.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

class CatalogChangeTest {

    private final ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void keyNamesKindNameAndVersion() {
        CatalogChange change = sample();
        assertThat(change.key()).isEqualTo("event-type/booking.created/1.2.0");
    }

    @Test
    void roundTripsThroughJsonWithWireNames() throws Exception {
        CatalogChange change = sample();
        String json = mapper.writeValueAsString(change);
        assertThat(mapper.readTree(json).get("kind").asText()).isEqualTo("event-type");
        assertThat(mapper.readTree(json).has("key")).isFalse();
        assertThat(mapper.readValue(json, CatalogChange.class)).isEqualTo(change);
    }

    @Test
    void rejectsUnknownKind() {
        assertThatThrownBy(() -> CatalogKind.fromWireName("widget")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("widget");
    }

    @Test
    void everyTopicIsDeclaredOnce() {
        assertThat(Topics.ALL).extracting(Topics.TopicSpec::name).doesNotHaveDuplicates()
                .contains(Topics.CATALOG_CHANGES);
        assertThat(Topics.ALL).filteredOn(Topics.TopicSpec::compacted).extracting(Topics.TopicSpec::name)
                .containsExactly(Topics.CATALOG_CHANGES);
    }

    private CatalogChange sample() {
        return new CatalogChange(UUID.fromString("6f1c9f5e-2f7a-4d0a-9d7e-3f0a1b2c3d4e"), CatalogKind.EVENT_TYPE,
                "booking.created", "1.2.0", CatalogChange.Status.PUBLISHED,
                mapper.createObjectNode().put("type", "booking.created"), Instant.parse("2026-11-27T01:00:00Z"));
    }
}
