package dev.flowline.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Access tokens from the running test issuer, obtained over HTTP exactly as a client would. The issuer is the one
 * {@link OidcTestResource} started, found through {@code quarkus.oidc.auth-server-url}.
 */
public final class Tokens {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Tokens() {
    }

    /** A token for {@code subject} with exactly {@code roles} (none is allowed: an authenticated user without roles). */
    public static String forUser(String subject, String... roles) {
        String issuer = ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class);
        return fetch(issuer, subject, String.join(",", roles));
    }

    public static String fetch(String issuerUrl, String subject, String roles) {
        String form = "grant_type=password&username=" + URLEncoder.encode(subject, StandardCharsets.UTF_8)
                + "&roles=" + URLEncoder.encode(roles, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(issuerUrl + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("token endpoint answered " + response.statusCode() + ": "
                        + response.body());
            }
            return JSON.readTree(response.body()).get("access_token").asText();
        } catch (IOException e) {
            throw new IllegalStateException("token endpoint unreachable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
