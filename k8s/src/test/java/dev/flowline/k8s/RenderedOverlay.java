package dev.flowline.k8s;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** An overlay as {@code kubectl kustomize} renders it: the objects a cluster would be given. */
record RenderedOverlay(String name, List<JsonNode> objects) {

    /** CI sets it ({@code .ci/run}): there a missing kubectl fails the build instead of skipping the checks. */
    static final String REQUIRE_KUBECTL = "flowline.k8s.require-kubectl";

    static final Path K8S = Path.of("").toAbsolutePath();
    static final Path ROOT = K8S.getParent();

    static RenderedOverlay render(String overlay) throws IOException, InterruptedException {
        Path dir = K8S.resolve("overlays").resolve(overlay);
        Process process;
        try {
            process = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(false).start();
        } catch (IOException e) {
            String message = "kubectl is not installed: the Kubernetes manifest checks did not run (Debian: apt-get "
                    + "install kubectl; .ci/run installs it)";
            if (Boolean.getBoolean(REQUIRE_KUBECTL)) {
                fail(message);
            }
            System.err.println("WARNING: " + message);
            Assumptions.abort(message);
            throw e;
        }
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            fail("kubectl kustomize " + dir + " failed: " + err);
        }
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = new YAMLMapper().readerFor(JsonNode.class).readValues(out)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isEmpty()) {
                    objects.add(doc);
                }
            }
        }
        return new RenderedOverlay(overlay, objects);
    }

    List<JsonNode> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    Optional<JsonNode> find(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(o.at("/metadata/name").asText())).findFirst();
    }

    JsonNode get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError(
                "overlay " + this.name + " has no " + kind + " named " + name));
    }
}
