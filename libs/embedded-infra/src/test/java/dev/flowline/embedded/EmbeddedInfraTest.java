package dev.flowline.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.flowline.contracts.Topics;

class EmbeddedInfraTest {

    @TempDir
    Path temp;

    @Test
    void postgresKeepsItsDataAcrossRestarts() throws Exception {
        Path dataDir = temp.resolve("pg");
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dataDir, 0);
                Connection c = DriverManager.getConnection(pg.jdbcUrl(), EmbeddedPostgresServer.USER,
                        EmbeddedPostgresServer.PASSWORD)) {
            c.createStatement().execute("create table kept(v text); insert into kept values ('still here')");
        }
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dataDir, 0);
                Connection c = DriverManager.getConnection(pg.jdbcUrl(), EmbeddedPostgresServer.USER,
                        EmbeddedPostgresServer.PASSWORD);
                ResultSet rs = c.createStatement().executeQuery("select v from kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("still here");
        }
    }

    @Test
    void aStoppedTemporaryServerRefusesConnectionsThenRestartsOnItsPortWithItsDataAndIsDeletedOnClose()
            throws Exception {
        Path directory;
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(null, 0)) {
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), EmbeddedPostgresServer.USER,
                    EmbeddedPostgresServer.PASSWORD)) {
                c.createStatement().execute("create table kept(v text); insert into kept values ('survived')");
                try (ResultSet rs = c.createStatement().executeQuery("show data_directory")) {
                    rs.next();
                    directory = Path.of(rs.getString(1));
                }
            }
            pg.stop();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl(),
                    EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD)).isInstanceOf(
                            java.sql.SQLException.class);
            pg.restart();
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), EmbeddedPostgresServer.USER,
                    EmbeddedPostgresServer.PASSWORD);
                    ResultSet rs = c.createStatement().executeQuery("select v from kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("survived");
            }
        }
        assertThat(directory).doesNotExist();
    }

    @Test
    void kafkaBrokerStartsCreatesTopicsAndStopsItsProcess() throws Exception {
        KafkaBroker kafka = KafkaBroker.start(temp.resolve("kafka"), 0);
        try (kafka; var admin = kafka.admin()) {
            kafka.createTopics(Topics.ALL);
            kafka.createTopics(Topics.ALL); // a second call on existing topics is harmless
            Set<String> names = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            assertThat(names).containsAll(Topics.ALL.stream().map(Topics.TopicSpec::name).toList());
            var config = admin.describeConfigs(List.of(new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, Topics.CATALOG_CHANGES)))
                    .all().get(10, TimeUnit.SECONDS);
            assertThat(config.values().iterator().next().get("cleanup.policy").value()).isEqualTo("compact");
        }
        assertThat(Files.readString(kafka.logFile())).doesNotContain("FATAL");
        // close() leaves no broker JVM behind (its command line names the data directory).
        String dataDirectory = temp.resolve("kafka").toString();
        assertThat(ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(dataDirectory)).orElse(false)))
                .isEmpty();
    }

    @Test
    void oidcIssuerServesDiscoveryJwksAndVerifiableTokens() throws Exception {
        try (DevOidcIssuer issuer = DevOidcIssuer.start(0, temp.resolve("key.json"), Duration.ofMinutes(5))) {
            HttpClient http = HttpClient.newHttpClient();
            ObjectMapper json = new ObjectMapper();
            JsonNode discovery = json.readTree(http.send(HttpRequest.newBuilder(
                    URI.create(issuer.issuerUrl() + "/.well-known/openid-configuration")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(discovery.get("issuer").asText()).isEqualTo(issuer.issuerUrl());

            HttpResponse<String> tokenResponse = http.send(HttpRequest.newBuilder(URI.create(issuer.tokenEndpoint()))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&username=viewer")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(tokenResponse.statusCode()).isEqualTo(200);
            String token = json.readTree(tokenResponse.body()).get("access_token").asText();

            JwtConsumer consumer = new JwtConsumerBuilder().setExpectedIssuer(issuer.issuerUrl())
                    .setExpectedAudience(DevOidcIssuer.AUDIENCE)
                    .setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(
                            new HttpsJwks(discovery.get("jwks_uri").asText())))
                    .build();
            JwtClaims claims = consumer.processToClaims(token);
            assertThat(claims.getSubject()).isEqualTo("viewer");
            assertThat(claims.getStringListClaimValue(DevOidcIssuer.ROLES_CLAIM)).containsExactly("flowline-viewer");

            String tampered = token.substring(0, token.length() - 4) + "AAAA";
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> consumer.processToClaims(tampered))
                    .isInstanceOf(InvalidJwtException.class);

            HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(issuer.tokenEndpoint()))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&username=mallory")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(unknown.statusCode()).isEqualTo(400);
        }
    }

    @Test
    void oidcIssuerKeepsItsKeySoTokensSurviveARestart() {
        Path keyFile = temp.resolve("oidc/key.json");
        String kid1;
        try (DevOidcIssuer issuer = DevOidcIssuer.start(0, keyFile, Duration.ofMinutes(5))) {
            kid1 = header(issuer.mint("a", List.of("flowline-admin")));
        }
        try (DevOidcIssuer issuer = DevOidcIssuer.start(0, keyFile, Duration.ofMinutes(5))) {
            assertThat(header(issuer.mint("a", List.of("flowline-admin")))).isEqualTo(kid1);
        }
    }

    private static String header(String jwt) {
        return new String(java.util.Base64.getUrlDecoder().decode(jwt.substring(0, jwt.indexOf('.'))));
    }
}
