package dev.flowline.bridge.inngest;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.flowline.inngest.protocol.TimeStrings;

/**
 * Syncs this app with Inngest: when Inngest asks (a {@code PUT} on the serve endpoint) and when the functions change
 * (a workflow was published or deprecated), with the serve URL the last sync used.
 */
@ApplicationScoped
public class AppSync {

    private static final Logger LOG = Logger.getLogger(AppSync.class);

    @Inject
    InngestSettings settings;

    @Inject
    FunctionRegistry functions;

    @Inject
    InngestClient client;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "quarkus.http.port", defaultValue = "8085")
    int port;

    private volatile String serveUrl;
    /** The function ids (bare) the last successful sync registered. */
    private volatile java.util.Set<String> registered = java.util.Set.of();

    /** Registers the functions served at {@code url}; answers Inngest's reply. */
    public JsonNode sync(String url, String deployId, String serverKind) throws IOException, InterruptedException {
        java.util.List<InngestFunction> all = functions.all();
        JsonNode answer = client.register(registration(url, all), deployId, serverKind);
        serveUrl = url;
        registered = all.stream().map(InngestFunction::id).collect(java.util.stream.Collectors.toUnmodifiableSet());
        return answer;
    }

    /**
     * Whether the last successful sync registered {@code functionId}: an event sent for a function Inngest does not
     * have yet starts no run.
     */
    public boolean registered(String functionId) {
        return registered.contains(functionId);
    }

    /**
     * Registers the functions again at the URL of the last sync (or the configured origin's, or this host's port),
     * after they changed. A failure is logged: Inngest's next sync (or the next change) registers them.
     *
     * @return whether Inngest took the registration
     */
    public boolean resync() {
        String url = serveUrl;
        if (url == null) {
            url = settings.serveUrl("http://localhost:" + port);
        }
        try {
            sync(url, null, null);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warnf("could not sync the functions with Inngest at %s: %s", url, e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The sync payload: the app and each function with its triggers, step URL, retries and concurrency. */
    public ObjectNode registration(String url) {
        return registration(url, functions.all());
    }

    private ObjectNode registration(String url, java.util.List<InngestFunction> all) {
        ObjectNode payload = json.createObjectNode();
        payload.put("url", url);
        payload.put("deployType", "ping");
        payload.put("appName", settings.appId());
        payload.put("sdk", Execution.SDK);
        payload.put("v", "0.1");
        payload.put("framework", "quarkus");
        ArrayNode list = payload.putArray("functions");
        for (InngestFunction function : all) {
            String id = functions.compositeId(function);
            ObjectNode fn = list.addObject();
            fn.put("id", id);
            fn.put("name", function.name());
            ArrayNode triggers = fn.putArray("triggers");
            for (InngestFunction.Trigger trigger : function.triggers()) {
                ObjectNode t = triggers.addObject();
                if (trigger.cron() != null) {
                    t.put("cron", trigger.cron());
                } else {
                    t.put("event", trigger.event());
                    if (trigger.expression() != null) {
                        t.put("expression", trigger.expression());
                    }
                }
            }
            ObjectNode step = fn.putObject("steps").putObject("step");
            step.put("id", "step");
            step.put("name", "step");
            ObjectNode runtime = step.putObject("runtime");
            runtime.put("type", "http");
            runtime.put("url", url + "?fnId=" + id + "&stepId=step");
            // Inngest reads "attempts" as the number of retries (attempts in all: one more), as the official SDK sends
            // it.
            step.putObject("retries").put("attempts", function.retries());
            InngestFunction.FlowControl flow = function.flow();
            if (flow.idempotency() != null) {
                fn.put("idempotency", flow.idempotency());
            }
            if (!flow.cancelOn().isEmpty()) {
                ArrayNode cancel = fn.putArray("cancel");
                for (InngestFunction.CancelOn on : flow.cancelOn()) {
                    ObjectNode entry = cancel.addObject().put("event", on.event());
                    if (on.ifExpression() != null) {
                        entry.put("if", on.ifExpression());
                    }
                    if (on.timeout() != null) {
                        entry.put("timeout", TimeStrings.format(on.timeout()));
                    }
                }
            }
            if (flow.startTimeout() != null || flow.finishTimeout() != null) {
                ObjectNode timeouts = fn.putObject("timeouts");
                if (flow.startTimeout() != null) {
                    timeouts.put("start", TimeStrings.format(flow.startTimeout()));
                }
                if (flow.finishTimeout() != null) {
                    timeouts.put("finish", TimeStrings.format(flow.finishTimeout()));
                }
            }
            if (!function.concurrency().isEmpty()) {
                ArrayNode limits = fn.putArray("concurrency");
                for (InngestFunction.Concurrency limit : function.concurrency()) {
                    ObjectNode entry = limits.addObject().put("limit", limit.limit());
                    if (limit.key() != null) {
                        entry.put("key", limit.key());
                    }
                    if (limit.scope() != null) {
                        entry.put("scope", limit.scope());
                    }
                }
            }
        }
        return payload;
    }
}
