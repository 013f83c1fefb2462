package dev.flowline.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

import org.jose4j.jwk.JsonWebKey.OutputControlLevel;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A development OpenID Connect issuer: discovery document, JWKS and a token endpoint that signs RS256 access tokens.
 * It is real OIDC as far as the services can tell (they discover it and verify signatures), but it authenticates
 * nobody: it serves the local run and the tests, never production.
 *
 * <p>
 * Token endpoint: {@code POST <issuer>/protocol/openid-connect/token} with form fields {@code grant_type=password},
 * {@code username} and optionally {@code roles} (comma-separated). Without {@code roles}, the demo users
 * {@code admin}, {@code editor}, {@code operator} and {@code viewer} get the role {@code flowline-<username>}.
 */
public final class DevOidcIssuer implements AutoCloseable {

    public static final String REALM_PATH = "/realms/flowline";
    public static final String AUDIENCE = "flowline";
    public static final String ROLES_CLAIM = "groups";
    public static final List<String> DEMO_USERS = List.of("admin", "editor", "operator", "viewer");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final RsaJsonWebKey key;
    private final Duration tokenLifetime;

    private DevOidcIssuer(HttpServer server, RsaJsonWebKey key, Duration tokenLifetime) {
        this.server = server;
        this.key = key;
        this.tokenLifetime = tokenLifetime;
    }

    /**
     * @param port the port, or 0 for any free port
     * @param keyFile where the signing key is kept so tokens stay valid across restarts; {@code null} for a fresh key
     */
    public static DevOidcIssuer start(int port, Path keyFile, Duration tokenLifetime) {
        try {
            RsaJsonWebKey key = loadOrCreateKey(keyFile);
            HttpServer server = LocalHttpServer.create(port == 0 ? Ports.free() : port, 64);
            server.setExecutor(Executors.newFixedThreadPool(4, r -> {
                Thread thread = new Thread(r, "dev-oidc");
                thread.setDaemon(true);
                return thread;
            }));
            DevOidcIssuer issuer = new DevOidcIssuer(server, key, tokenLifetime);
            server.createContext(REALM_PATH, issuer::handle);
            server.start();
            return issuer;
        } catch (IOException e) {
            throw new UncheckedIOException("OIDC issuer did not start", e);
        } catch (JoseException e) {
            throw new IllegalStateException("OIDC signing key unusable", e);
        }
    }

    private static RsaJsonWebKey loadOrCreateKey(Path keyFile) throws IOException, JoseException {
        if (keyFile != null && Files.exists(keyFile)) {
            return (RsaJsonWebKey) PublicJsonWebKey.Factory.newPublicJwk(Files.readString(keyFile));
        }
        RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
        key.setKeyId("flowline-dev-" + Long.toHexString(System.currentTimeMillis()));
        key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
        key.setUse("sig");
        if (keyFile != null) {
            Files.createDirectories(keyFile.getParent());
            Files.writeString(keyFile, key.toJson(OutputControlLevel.INCLUDE_PRIVATE));
        }
        return key;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String issuerUrl() {
        return "http://localhost:" + port() + REALM_PATH;
    }

    public String tokenEndpoint() {
        return issuerUrl() + "/protocol/openid-connect/token";
    }

    /** Signs an access token for {@code subject} carrying {@code roles}. */
    public String mint(String subject, Collection<String> roles) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuerUrl());
        claims.setAudience(AUDIENCE);
        claims.setSubject(subject);
        claims.setClaim("preferred_username", subject);
        claims.setStringListClaim(ROLES_CLAIM, List.copyOf(roles));
        claims.setIssuedAtToNow();
        claims.setNotBeforeMinutesInThePast(1);
        claims.setExpirationTimeMinutesInTheFuture(tokenLifetime.toSeconds() / 60f);
        claims.setGeneratedJwtId();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("could not sign token", e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(REALM_PATH.length());
            switch (exchange.getRequestMethod() + " " + path) {
                case "GET /.well-known/openid-configuration" -> send(exchange, 200, discovery());
                case "GET /protocol/openid-connect/certs" -> send(exchange, 200,
                        JSON.readTree(new JsonWebKeySet(key).toJson(OutputControlLevel.PUBLIC_ONLY)));
                case "POST /protocol/openid-connect/token" -> token(exchange);
                default -> send(exchange, 404, Map.of("error", "not_found"));
            }
        } catch (RuntimeException e) {
            send(exchange, 500, Map.of("error", "server_error", "error_description", String.valueOf(e.getMessage())));
        }
    }

    private Map<String, Object> discovery() {
        Map<String, Object> doc = new HashMap<>();
        doc.put("issuer", issuerUrl());
        doc.put("jwks_uri", issuerUrl() + "/protocol/openid-connect/certs");
        doc.put("token_endpoint", tokenEndpoint());
        doc.put("grant_types_supported", List.of("password"));
        doc.put("response_types_supported", List.of("token"));
        doc.put("subject_types_supported", List.of("public"));
        doc.put("id_token_signing_alg_values_supported", List.of(AlgorithmIdentifiers.RSA_USING_SHA256));
        return doc;
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = parseForm(new String(exchange.getRequestBody().readAllBytes(),
                StandardCharsets.UTF_8));
        if (!"password".equals(form.get("grant_type"))) {
            send(exchange, 400, Map.of("error", "unsupported_grant_type"));
            return;
        }
        String username = form.getOrDefault("username", "").trim();
        List<String> roles;
        if (form.containsKey("roles")) {
            roles = Arrays.stream(form.get("roles").split(",")).map(String::trim).filter(r -> !r.isEmpty()).toList();
        } else if (DEMO_USERS.contains(username)) {
            roles = List.of("flowline-" + username);
        } else {
            send(exchange, 400, Map.of("error", "invalid_grant", "error_description",
                    "unknown user; demo users are " + DEMO_USERS + ", or pass roles"));
            return;
        }
        if (username.isEmpty()) {
            send(exchange, 400, Map.of("error", "invalid_request", "error_description", "username is required"));
            return;
        }
        send(exchange, 200, Map.of("access_token", mint(username, roles), "token_type", "Bearer", "expires_in",
                tokenLifetime.toSeconds()));
    }

    private static Map<String, String> parseForm(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.put(name, value);
        }
        return form;
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
