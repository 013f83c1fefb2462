package dev.flowline.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.flowline.outbox.OutboxRelay;

/** Both overlays, as kubectl renders them, checked against the Kubernetes schemas and the rules for Flowline pods. */
class ManifestsTest {

    private static final Pattern SECRET_LIKE = Pattern.compile(".*(PASSWORD|SECRET|SIGNING_KEY|EVENT_KEY|API_KEY"
            + "|ACCESS_KEY|CREDENTIALS|USERNAME).*");

    private static RenderedOverlay local;
    private static RenderedOverlay prod;
    private static List<String> services;

    @BeforeAll
    static void render() throws Exception {
        local = RenderedOverlay.render("local");
        prod = RenderedOverlay.render("prod");
        services = ServiceConfiguration.services();
    }

    private static List<RenderedOverlay> overlays() {
        return List.of(local, prod);
    }

    /** The configuration every service starts from (libs/service-kit). */
    private static Properties sharedDefaults() throws IOException {
        Properties shared = new Properties();
        try (Reader in = Files.newBufferedReader(RenderedOverlay.ROOT
                .resolve("libs/service-kit/src/main/resources/META-INF/microprofile-config.properties"))) {
            shared.load(in);
        }
        return shared;
    }

    @Test
    void everyRenderedObjectIsValidAgainstTheKubernetesSchemas() {
        List<String> problems = new ArrayList<>();
        for (RenderedOverlay overlay : overlays()) {
            assertThat(overlay.objects()).isNotEmpty();
            for (JsonNode object : overlay.objects()) {
                String problem = KubernetesSchemas.problem(object);
                if (problem != null) {
                    problems.add(overlay.name() + ": " + problem);
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theSchemaCheckRefusesAMisspelledFieldAndAMissingRequiredOne() {
        ObjectNode misspelled = prod.get("Deployment", "trigger-service").deepCopy();
        ((ObjectNode) misspelled.at("/spec/template/spec/containers/0/securityContext"))
                .put("readOnlyRootFileSystem", true);
        assertThat(KubernetesSchemas.problem(misspelled)).contains("readOnlyRootFileSystem");

        ObjectNode noContainers = prod.get("Deployment", "trigger-service").deepCopy();
        ((ObjectNode) noContainers.at("/spec/template/spec")).remove("containers");
        assertThat(KubernetesSchemas.problem(noContainers)).contains("containers");
    }

    @Test
    void everyServiceHasItsDeploymentServiceConfigMapAndDisruptionBudgetInBothOverlays() {
        assertThat(services).containsExactlyInAnyOrder("catalog-service", "trigger-service", "task-service",
                "ui-config-service", "inngest-bridge");
        for (RenderedOverlay overlay : overlays()) {
            for (String service : services) {
                JsonNode deployment = overlay.get("Deployment", service);
                overlay.get("Service", service);
                overlay.get("ConfigMap", service);
                JsonNode budget = overlay.get("PodDisruptionBudget", service);
                assertThat(budget.at("/spec/selector/matchLabels"))
                        .isEqualTo(deployment.at("/spec/selector/matchLabels"));
            }
            // and nothing deployed that is not a service of this repository
            assertThat(overlay.ofKind("Deployment")).map(d -> d.at("/metadata/name").asText())
                    .containsExactlyInAnyOrderElementsOf(services);
        }
    }

    @Test
    void everyDeploymentProbesTheQuarkusHealthEndpointsOnItsHttpPort() {
        for (RenderedOverlay overlay : overlays()) {
            for (String service : services) {
                JsonNode container = overlay.get("Deployment", service).at("/spec/template/spec/containers/0");
                assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
                assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
                assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/q/health/started");
                String port = overlay.get("ConfigMap", service).at("/data/QUARKUS_HTTP_PORT").asText();
                assertThat(container.at("/ports/0/containerPort").asText()).as(service).isEqualTo(port);
                assertThat(container.at("/ports/0/name").asText()).isEqualTo("http");
                assertThat(overlay.get("Service", service).at("/spec/ports/0/targetPort").asText()).isEqualTo("http");
            }
        }
    }

    @Test
    void everyConfigMapNamesOnlyPropertiesItsServiceReads() throws IOException {
        List<String> unknown = new ArrayList<>();
        for (String service : services) {
            ServiceConfiguration configuration = ServiceConfiguration.of(service);
            for (RenderedOverlay overlay : overlays()) {
                overlay.get("ConfigMap", service).path("data").fieldNames().forEachRemaining(key -> {
                    if (!configuration.reads(key)) {
                        unknown.add(overlay.name() + "/" + service + ": " + key);
                    }
                });
            }
        }
        assertThat(unknown).as("ConfigMap keys no property of the service answers to").isEmpty();
    }

    @Test
    void theImagesAreTheOnesTheBuildNamesAndTags() throws IOException {
        Properties shared = sharedDefaults();
        String group = shared.getProperty("quarkus.container-image.group");
        String tag = shared.getProperty("quarkus.container-image.tag");
        assertThat(shared.getProperty("quarkus.container-image.name")).isEqualTo("${quarkus.application.name}");
        for (String service : services) {
            String name = ServiceConfiguration.of(service).property("quarkus.application.name");
            assertThat(prod.get("Deployment", service).at("/spec/template/spec/containers/0/image").asText())
                    .isEqualTo(group + "/" + name + ":" + tag);
            assertThat(local.get("Deployment", service).at("/spec/template/spec/containers/0/image").asText())
                    .isEqualTo(group + "/" + name + ":local");
        }
    }

    @Test
    void everyServiceHasJvmAndNativeDockerfilesThatRunAsNonRootOnItsPort() throws IOException {
        Pattern user = Pattern.compile("(?m)^USER\\s+(\\d+)\\s*$");
        Pattern expose = Pattern.compile("(?m)^EXPOSE\\s+(\\d+)\\s*$");
        for (String service : services) {
            String port = prod.get("ConfigMap", service).at("/data/QUARKUS_HTTP_PORT").asText();
            for (String file : List.of("Dockerfile.jvm", "Dockerfile.native")) {
                String dockerfile = Files.readString(RenderedOverlay.ROOT.resolve(service).resolve("src/main/docker")
                        .resolve(file));
                java.util.regex.Matcher users = user.matcher(dockerfile);
                assertThat(users.find()).as(service + " " + file + " sets a numeric USER").isTrue();
                assertThat(Integer.parseInt(users.group(1))).as(service + " " + file + " user").isPositive();
                java.util.regex.Matcher exposed = expose.matcher(dockerfile);
                assertThat(exposed.find()).as(service + " " + file + " EXPOSE").isTrue();
                assertThat(exposed.group(1)).as(service + " " + file + " port").isEqualTo(port);
            }
        }
    }

    @Test
    void everyProductionPodRunsAsNonRootOnAReadOnlyRootFilesystemWithoutPrivileges() {
        for (String service : services) {
            JsonNode pod = prod.get("Deployment", service).at("/spec/template/spec");
            JsonNode container = pod.at("/containers/0");
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).as(service).isTrue();
            assertThat(pod.at("/securityContext/runAsUser").asInt()).as(service).isPositive();
            assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).as(service).isTrue();
            assertThat(container.at("/securityContext/allowPrivilegeEscalation").isBoolean()).isTrue();
            assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
            assertThat(container.at("/securityContext/capabilities/drop")).map(JsonNode::asText).contains("ALL");
            // /tmp is the one writable place, and it is a volume of the pod
            assertThat(container.at("/volumeMounts")).anySatisfy(m -> {
                assertThat(m.path("mountPath").asText()).isEqualTo("/tmp");
                String volume = m.path("name").asText();
                assertThat(pod.at("/volumes")).anySatisfy(v -> {
                    assertThat(v.path("name").asText()).isEqualTo(volume);
                    assertThat(v.has("emptyDir")).isTrue();
                });
            });
        }
    }

    @Test
    void secretsAreOnlyReferencedNeverWrittenIntoTheManifests() {
        for (RenderedOverlay overlay : overlays()) {
            for (JsonNode configMap : overlay.ofKind("ConfigMap")) {
                configMap.path("data").fieldNames().forEachRemaining(
                        key -> assertThat(key).as(overlay.name() + " ConfigMap key").doesNotMatch(SECRET_LIKE));
            }
            assertThat(overlay.ofKind("Secret")).as("Secrets are created out of band").isEmpty();
            for (JsonNode deployment : overlay.ofKind("Deployment")) {
                List<String> secretNames = new ArrayList<>();
                for (JsonNode env : deployment.at("/spec/template/spec/containers/0/env")) {
                    String name = env.path("name").asText();
                    if (SECRET_LIKE.matcher(name).matches()) {
                        assertThat(env.has("value")).as(name + " has a literal value").isFalse();
                        assertThat(env.at("/valueFrom/secretKeyRef/name").asText()).as(name).isNotEmpty();
                        secretNames.add(name);
                    }
                }
                assertThat(secretNames).contains("QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD");
            }
        }
        List<String> bridgeSecrets = new ArrayList<>();
        prod.get("Deployment", "inngest-bridge").at("/spec/template/spec/containers/0/env")
                .forEach(env -> bridgeSecrets.add(env.path("name").asText()));
        assertThat(bridgeSecrets).contains("INNGEST_SIGNING_KEY", "INNGEST_SIGNING_KEY_FALLBACK", "INNGEST_EVENT_KEY");
    }

    @Test
    void aStoppingPodIsGivenLongerThanTheOutboxDrainAndTheHttpShutdown() throws IOException {
        Properties shared = sharedDefaults();
        Duration drain = Duration.parse("PT" + OutboxRelay.DRAIN_TIMEOUT);
        Duration httpShutdown = Duration.parse("PT" + shared.getProperty("%prod.quarkus.shutdown.timeout"));
        for (RenderedOverlay overlay : overlays()) {
            for (JsonNode deployment : overlay.ofKind("Deployment")) {
                long grace = deployment.at("/spec/template/spec/terminationGracePeriodSeconds").asLong();
                assertThat(Duration.ofSeconds(grace)).isGreaterThan(drain.plus(httpShutdown));
            }
        }
    }

    @Test
    void triggerServiceAndTheBridgeScaleHorizontallyInProduction() {
        for (String service : List.of("trigger-service", "inngest-bridge")) {
            JsonNode autoscaler = prod.get("HorizontalPodAutoscaler", service);
            assertThat(autoscaler.at("/spec/scaleTargetRef/kind").asText()).isEqualTo("Deployment");
            assertThat(autoscaler.at("/spec/scaleTargetRef/name").asText()).isEqualTo(service);
            assertThat(autoscaler.at("/spec/minReplicas").asInt()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void everyPodIsClosedByDefaultAndTheBridgeIsReachableByInngest() {
        for (RenderedOverlay overlay : overlays()) {
            JsonNode deny = overlay.get("NetworkPolicy", "flowline-default-deny");
            assertThat(deny.at("/spec/policyTypes")).map(JsonNode::asText).containsExactlyInAnyOrder("Ingress",
                    "Egress");
            assertThat(deny.at("/spec/ingress").isMissingNode()).isTrue();
            assertThat(deny.at("/spec/egress").isMissingNode()).isTrue();
            for (JsonNode deployment : overlay.ofKind("Deployment")) {
                assertThat(deployment.at("/spec/template/metadata/labels/app.kubernetes.io~1part-of").asText())
                        .isEqualTo(deny.at("/spec/podSelector/matchLabels/app.kubernetes.io~1part-of").asText());
            }
            JsonNode fromInngest = overlay.get("NetworkPolicy", "inngest-bridge-from-inngest");
            assertThat(fromInngest.at("/spec/podSelector/matchLabels/app.kubernetes.io~1name").asText())
                    .isEqualTo("inngest-bridge");
        }
        // In production HTTPS leaves only for public addresses: not the cluster's, not the cloud's metadata service.
        JsonNode https = null;
        for (JsonNode rule : prod.get("NetworkPolicy", "flowline-infrastructure").at("/spec/egress")) {
            if (rule.at("/ports/0/port").asInt() == 443) {
                https = rule;
            }
        }
        assertThat(https).isNotNull();
        assertThat(https.at("/to/0/ipBlock/except")).map(JsonNode::asText).contains("10.0.0.0/8", "172.16.0.0/12",
                "192.168.0.0/16", "169.254.0.0/16");
        assertThat(prod.get("ConfigMap", "inngest-bridge").at("/data/INNGEST_SERVE_ORIGIN").asText())
                .startsWith("https://");
        assertThat(prod.get("ConfigMap", "inngest-bridge").has("INNGEST_DEV")).isFalse();
    }
}
