package dev.flowline.testkit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.flowline.contracts.Topics;

/**
 * What every Flowline service promises, whatever it does: open health, metrics and OpenAPI; {@code /api/**} behind a
 * bearer token and a role; errors as problem details. A service's test extends this class and is annotated
 * {@code @QuarkusTest}.
 */
public abstract class ServiceContractTests {

    private static final String VIEWER = "flowline-viewer";

    @Test
    void everyTopicTheServiceConfiguresIsAFlowlineTopic() {
        Config config = ConfigProvider.getConfig();
        Set<String> known = new HashSet<>();
        Topics.ALL.forEach(t -> known.add(t.name()));
        Pattern connector = Pattern.compile("mp\\.messaging\\.(incoming|outgoing)\\.([^.]+)\\.connector");
        for (String property : config.getPropertyNames()) {
            Matcher m = connector.matcher(property);
            if (m.matches()) {
                String prefix = "mp.messaging." + m.group(1) + "." + m.group(2);
                // A channel without a topic property reads or writes the topic of its own name.
                String topic = config.getOptionalValue(prefix + ".topic", String.class).orElse(m.group(2));
                assertThat("the topic of channel " + prefix + " is one of Topics.ALL", known, hasItem(topic));
            }
        }
    }

    @Test
    void healthIsOpenAndUp() {
        given().when().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void metricsAndOpenApiAreOpen() {
        given().when().get("/q/metrics").then().statusCode(200);
        given().when().get("/q/openapi?format=json").then().statusCode(200)
                .body("components.securitySchemes.SecurityScheme.scheme", equalTo("bearer"));
    }

    @Test
    void apiWithoutTokenIs401ProblemWithBearerChallenge() {
        given().when().get("/api/me").then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("type", equalTo("https://flowline.dev/problems/unauthorized"));
    }

    @Test
    void tokenWithAForgedSignatureIs401() {
        String token = Tokens.forUser("vera", VIEWER);
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + parts[1] + ".AAAA" + parts[2].substring(4);
        given().auth().oauth2(forged).when().get("/api/me").then().statusCode(401);
    }

    @Test
    void noLogLineCarriesABearerTokenWhetherItIsValidForgedOrUnknown() {
        String token = Tokens.forUser("vera", VIEWER);
        String signature = token.substring(token.lastIndexOf('.') + 1);
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + signature.substring(4);
        java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                StringBuilder line = new StringBuilder(String.valueOf(record.getMessage()));
                if (record.getParameters() != null) {
                    for (Object parameter : record.getParameters()) {
                        line.append(' ').append(parameter);
                    }
                }
                for (Throwable e = record.getThrown(); e != null; e = e.getCause()) {
                    line.append(' ').append(e);
                }
                lines.add(line.toString());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(capture);
        try {
            org.jboss.logging.Logger.getLogger(ServiceContractTests.class).info("log capture canary");
            given().auth().oauth2(token).when().get("/api/me").then().statusCode(200);
            given().auth().oauth2(token).when().get("/api/does-not-exist").then().statusCode(404);
            given().auth().oauth2(forged).when().get("/api/me").then().statusCode(401);
            given().auth().oauth2("not-a-jwt-" + signature).when().get("/api/me").then().statusCode(401);
        } finally {
            root.removeHandler(capture);
        }
        assertThat("the capture sees the service's log", lines, hasItem("log capture canary"));
        for (String line : lines) {
            assertThat("a log line names no token: " + line, line.contains(signature), equalTo(false));
        }
    }

    @Test
    void noLogLineCarriesAConfiguredPasswordSecretOrKey() throws java.io.IOException {
        Config config = ConfigProvider.getConfig();
        Pattern secretName = Pattern.compile("(?i).*(password|secret|signing-key|event-key|api-key).*");
        java.util.Map<String, String> secrets = new java.util.TreeMap<>();
        for (String name : config.getPropertyNames()) {
            if (secretName.matcher(name).matches()) {
                // Short values ("", "dev") would match ordinary words; every real secret is longer.
                config.getOptionalValue(name, String.class).filter(v -> v.length() >= 8).ifPresent(v -> secrets
                        .put(name, v));
            }
        }
        assertThat("the database password is among the secrets looked for", secrets.keySet(),
                hasItem("quarkus.datasource.password"));
        java.nio.file.Path file = java.nio.file.Path.of(config.getValue("quarkus.log.file.path", String.class));
        // Everything logged since the module's first test started a service: boot, configuration dumps, failures.
        String[] lines = new String(java.nio.file.Files.readAllBytes(file), java.nio.charset.StandardCharsets.UTF_8)
                .split("\n");
        assertThat("the log file has the service's start", java.util.Arrays.stream(lines).anyMatch(l -> l.contains(
                "Profile test activated")), equalTo(true));
        for (String line : lines) {
            for (java.util.Map.Entry<String, String> secret : secrets.entrySet()) {
                assertThat("a log line prints " + secret.getKey() + ": " + line, line.contains(secret.getValue()),
                        equalTo(false));
            }
        }
    }

    @Test
    void viewerSeesItsIdentityAndRolesAreExpanded() {
        String service = ConfigProvider.getConfig().getValue("quarkus.application.name", String.class);
        given().auth().oauth2(Tokens.forUser("vera", VIEWER)).when().get("/api/me").then().statusCode(200)
                .body("subject", equalTo("vera")).body("roles", contains(VIEWER)).body("service", equalTo(service));
        given().auth().oauth2(Tokens.forUser("ada", "flowline-admin")).when().get("/api/me").then().statusCode(200)
                .body("roles", containsInAnyOrder("flowline-admin", "flowline-editor", "flowline-operator", VIEWER));
    }

    @Test
    void aTokenWithoutAFlowlineRoleIs403Problem() {
        given().auth().oauth2(Tokens.forUser("nobody")).when().get("/api/me").then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("https://flowline.dev/problems/forbidden"));
    }

    @Test
    void unknownApiPathIs404Problem() {
        given().auth().oauth2(Tokens.forUser("vera", VIEWER)).when().get("/api/does-not-exist").then()
                .statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aPathWithEncodedCharactersIsAProblemNamingThePathAsSent() {
        given().auth().oauth2(Tokens.forUser("vera", VIEWER)).urlEncodingEnabled(false).when().get(
                "/api/no%20such%20thing/x%2Fy").then().statusCode(404).contentType("application/problem+json").body(
                        "instance", org.hamcrest.Matchers.equalTo("/api/no%20such%20thing/x%2Fy"));
    }

    @Test
    void aBrowserPreflightFromAnAllowedOriginMayCallWithABearerTokenAndOthersMayNot() {
        // The local run allows the Next.js dev server and the renderer's own origin (ui-config-service).
        given().header("Origin", "http://localhost:3000").header("Access-Control-Request-Method", "POST").header(
                "Access-Control-Request-Headers", "authorization,content-type").when().options("/api/me").then()
                .statusCode(200).header("Access-Control-Allow-Origin", equalTo("http://localhost:3000")).header(
                        "Access-Control-Allow-Headers", org.hamcrest.Matchers.containsStringIgnoringCase(
                                "authorization"))
                .header("Access-Control-Allow-Credentials", org.hamcrest.Matchers.not(equalTo("true")));
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "GET").when()
                .options("/api/me").then().header("Access-Control-Allow-Origin", org.hamcrest.Matchers.nullValue());
        given().auth().oauth2(Tokens.forUser("vera", VIEWER)).header("Origin", "http://localhost:3000").when().get(
                "/api/me").then().statusCode(200).header("Access-Control-Allow-Origin", equalTo(
                        "http://localhost:3000"));
    }
}
