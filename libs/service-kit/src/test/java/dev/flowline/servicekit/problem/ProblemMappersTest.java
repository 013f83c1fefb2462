package dev.flowline.servicekit.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.UUID;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class ProblemMappersTest {

    private final ObjectMapper json = new ObjectMapper();
    private final ProblemMappers mappers = new ProblemMappers();

    {
        mappers.objectMapper = json;
    }

    private JsonNode body(Response response) throws Exception {
        return json.readTree((String) response.getEntity());
    }

    @Test
    void anUnexpectedFailureAnswers500WithAnIncidentIdAndNothingOfWhatHappened() throws Exception {
        Response response = mappers.unexpected(new IllegalStateException(
                "password=s3cret for jdbc:postgresql://db.internal:5432/flowline"), null);

        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(response.getMediaType().toString()).isEqualTo(Problem.MEDIA_TYPE);
        JsonNode problem = body(response);
        assertThat(problem.path("type").asText()).endsWith("/internal-error");
        String incident = problem.path("incident").asText();
        assertThat(UUID.fromString(incident)).isNotNull();
        assertThat(problem.path("detail").asText()).isEqualTo("unexpected error; incident " + incident);
        assertThat(response.getEntity().toString()).doesNotContain("s3cret", "db.internal", "IllegalState");
    }

    @Test
    void aTransientFailureAnswers503WithRetryAfterAndAnIncidentId() throws Exception {
        Response response = mappers.unexpected(new RuntimeException(new ConnectException(
                "Connection refused: db.internal/10.0.0.7:5432")), null);

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo("5");
        JsonNode problem = body(response);
        assertThat(problem.path("type").asText()).endsWith("/unavailable");
        assertThat(UUID.fromString(problem.path("incident").asText())).isNotNull();
        assertThat(response.getEntity().toString()).doesNotContain("db.internal", "10.0.0.7", "Connection");
    }

    @Test
    void aClientMistakeCarriesNoIncident() throws Exception {
        JsonNode problem = body(mappers.problem(ProblemException.notFound("no such step"), null));
        assertThat(problem.path("status").asInt()).isEqualTo(404);
        assertThat(problem.has("incident")).isFalse();
    }
}
