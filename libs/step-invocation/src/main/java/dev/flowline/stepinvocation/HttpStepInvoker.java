package dev.flowline.stepinvocation;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.flowline.definitions.StepDefinition;

/**
 * HTTP step bindings: the payload as JSON with an {@code Idempotency-Key} header. 2xx and 4xx answers are read by the
 * response contract (a step may answer its declared error with 422); 408, 429 and 5xx without a contract body, and
 * timeouts and connection failures, are worth another attempt (after {@code Retry-After} when given).
 */
@ApplicationScoped
public class HttpStepInvoker implements StepInvoker {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    @Inject
    ObjectMapper json;

    // HTTP/1.1: the JDK client would otherwise offer an h2c upgrade on every plain-HTTP call.
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(
            Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();

    @Override
    public String bindingType() {
        return StepDefinition.HttpBinding.TYPE;
    }

    @Override
    public StepResponse invoke(StepDefinition.Binding binding, StepCall call) {
        StepDefinition.HttpBinding http = (StepDefinition.HttpBinding) binding;
        HttpResponse<byte[]> response;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(http.url())).timeout(call.timeout())
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .header(IDEMPOTENCY_KEY, call.idempotencyKey())
                    .method(http.methodOrDefault(), HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(call
                            .payload())))
                    .build();
            response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            return new StepResponse.Unavailable("no answer from " + http.url() + " within " + call.timeout(), null);
        } catch (IOException e) {
            return new StepResponse.Unavailable("could not call " + http.url() + ": " + e, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new StepResponse.Unavailable("interrupted while calling " + http.url(), null);
        } catch (IllegalArgumentException e) {
            return new StepResponse.Invalid("cannot call " + http.url() + ": " + e.getMessage());
        }
        int status = response.statusCode();
        JsonNode body = parse(response.body());
        StepResponse read = body == null ? null : StepResponse.read(body);
        if (status >= 200 && status < 300) {
            return read != null ? read : new StepResponse.Invalid("HTTP " + status + " without a JSON body");
        }
        if (read instanceof StepResponse.Failed failed) {
            return failed;
        }
        if (status == 408 || status == 429 || status >= 500) {
            return new StepResponse.Unavailable("HTTP " + status + " from " + http.url(), retryAfter(response));
        }
        return new StepResponse.Invalid("HTTP " + status + " from " + http.url() + " without an error body");
    }

    private JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code Retry-After} in seconds or as an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(HttpResponse<?> response) {
        String value = response.headers().firstValue("Retry-After").orElse(null);
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            try {
                return Duration.between(Instant.now(), ZonedDateTime.parse(value.trim(),
                        DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (RuntimeException unreadable) {
                return null;
            }
        }
    }
}
