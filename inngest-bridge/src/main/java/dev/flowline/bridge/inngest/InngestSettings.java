package dev.flowline.bridge.inngest;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.StartupEvent;

/**
 * Where Inngest is and how to talk to it, from Inngest's own environment variables (MicroProfile Config maps
 * {@code INNGEST_SIGNING_KEY} to {@code inngest.signing-key}), so one build runs against Inngest Cloud, a
 * self-hosted Inngest or the dev server: {@code INNGEST_DEV} (1 or the dev server's origin) selects dev mode, which
 * skips signatures; {@code INNGEST_BASE_URL} overrides both origins.
 */
@ApplicationScoped
public class InngestSettings {

    public static final String CLOUD_API = "https://api.inngest.com";
    public static final String CLOUD_EVENTS = "https://inn.gs";
    public static final String DEV_ORIGIN = "http://localhost:8288";

    @ConfigProperty(name = "inngest.dev")
    Optional<String> dev;

    @ConfigProperty(name = "inngest.base-url")
    Optional<String> baseUrl;

    @ConfigProperty(name = "inngest.signing-key")
    Optional<String> signingKey;

    @ConfigProperty(name = "inngest.signing-key-fallback")
    Optional<String> signingKeyFallback;

    @ConfigProperty(name = "inngest.event-key")
    Optional<String> eventKey;

    @ConfigProperty(name = "inngest.serve-origin")
    Optional<String> serveOrigin;

    @ConfigProperty(name = "inngest.serve-path", defaultValue = "/api/inngest")
    String servePath;

    @ConfigProperty(name = "inngest.env")
    Optional<String> env;

    @ConfigProperty(name = "inngest.app-id", defaultValue = "flowline")
    String appId;

    @ConfigProperty(name = "flowline.inngest.checkpointing.enabled")
    boolean checkpointing;

    @ConfigProperty(name = "flowline.inngest.checkpointing.buffered-steps")
    int bufferedSteps;

    @ConfigProperty(name = "flowline.inngest.checkpointing.max-runtime")
    java.time.Duration maxRuntime;

    /** Dev mode: signatures are neither required nor checked, and the dev server is the default target. */
    public boolean devMode() {
        return dev.map(String::trim).filter(v -> !v.isEmpty() && !v.equals("0") && !v.equalsIgnoreCase("false"))
                .isPresent();
    }

    public String mode() {
        return devMode() ? "dev" : "cloud";
    }

    public String apiOrigin() {
        return baseUrl.map(InngestSettings::trimSlash).orElseGet(() -> devMode() ? devOrigin() : CLOUD_API);
    }

    public String eventOrigin() {
        return baseUrl.map(InngestSettings::trimSlash).orElseGet(() -> devMode() ? devOrigin() : CLOUD_EVENTS);
    }

    private String devOrigin() {
        String value = dev.orElse("").trim();
        if (value.startsWith("http://") || value.startsWith("https://")) {
            return trimSlash(URI.create(value).toString());
        }
        return DEV_ORIGIN;
    }

    /** The keys that may sign requests: the current one, then the fallback during a rotation. */
    public List<String> signingKeys() {
        List<String> keys = new ArrayList<>();
        signingKey.filter(k -> !k.isBlank()).ifPresent(keys::add);
        signingKeyFallback.filter(k -> !k.isBlank()).ifPresent(keys::add);
        return keys;
    }

    public Optional<String> signingKey() {
        return signingKey.filter(k -> !k.isBlank());
    }

    public Optional<String> signingKeyFallback() {
        return signingKeyFallback.filter(k -> !k.isBlank());
    }

    /** The dev server accepts any event key. */
    public String eventKey() {
        return eventKey.filter(k -> !k.isBlank()).orElse(devMode() ? "dev" : "");
    }

    public boolean hasEventKey() {
        return eventKey.filter(k -> !k.isBlank()).isPresent();
    }

    public Optional<String> env() {
        return env.filter(e -> !e.isBlank());
    }

    public String appId() {
        return appId;
    }

    /** Whether, and how, a call runs several steps and checkpoints them ({@link CheckpointPolicy}). */
    public CheckpointPolicy checkpointPolicy() {
        return checkpointing ? new CheckpointPolicy(true, bufferedSteps, maxRuntime) : CheckpointPolicy.OFF;
    }

    /**
     * The URL Inngest calls. In cloud mode always {@code INNGEST_SERVE_ORIGIN} (a Host header is the client's to choose,
     * so a sync request must not pick where Inngest sends signed runs); in dev mode the origin of the sync request
     * when it is not set.
     */
    public String serveUrl(String requestOrigin) {
        Optional<String> configured = serveOrigin.filter(o -> !o.isBlank());
        if (!devMode() && configured.isEmpty()) {
            throw new IllegalStateException(MISSING_SERVE_ORIGIN);
        }
        return trimSlash(configured.orElse(requestOrigin)) + servePath;
    }

    static final String MISSING_SERVE_ORIGIN = "INNGEST_SERVE_ORIGIN is required in cloud mode (the origin Inngest "
            + "calls this app at, e.g. https://bridge.example.com)";

    static final String MISSING_SIGNING_KEY = "INNGEST_SIGNING_KEY is required in cloud mode (it signs and checks "
            + "every call between Inngest and this app); set INNGEST_DEV for the dev server";

    /**
     * Cloud mode without a serve origin or a signing key is refused at start-up, not at the first sync or call: a
     * deployment whose Secret is missing fails its rollout instead of refusing every run.
     */
    void check(@Observes StartupEvent started) {
        if (!devMode() && serveOrigin.filter(o -> !o.isBlank()).isEmpty()) {
            throw new IllegalStateException(MISSING_SERVE_ORIGIN);
        }
        if (!devMode() && signingKey().isEmpty()) {
            throw new IllegalStateException(MISSING_SIGNING_KEY);
        }
    }

    private static String trimSlash(String value) {
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }
}
