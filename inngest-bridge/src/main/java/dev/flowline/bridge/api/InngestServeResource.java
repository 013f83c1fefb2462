package dev.flowline.bridge.api;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.flowline.bridge.inngest.AppSync;
import dev.flowline.bridge.inngest.CallRequest;
import dev.flowline.bridge.inngest.CallResult;
import dev.flowline.bridge.inngest.Execution;
import dev.flowline.bridge.inngest.FunctionRegistry;
import dev.flowline.bridge.inngest.InngestClient;
import dev.flowline.bridge.inngest.InngestFunction;
import dev.flowline.bridge.inngest.InngestSettings;
import dev.flowline.inngest.protocol.Signatures;

/**
 * The serve endpoint of the Inngest protocol: {@code GET} introspection, {@code PUT} sync (registers the functions
 * with Inngest), {@code POST} call requests. Inngest cannot present our OIDC tokens, so this endpoint is open to the
 * network and authenticated by Inngest's request signature instead: in cloud mode an unsigned, forged or stale
 * request is refused before any function code runs, and every answer is signed.
 */
@Path(InngestServeResource.PATH)
@PermitAll
public class InngestServeResource {

    static final String PATH = "/api/inngest";
    static final String SIGNATURE_HEADER = "X-Inngest-Signature";
    static final String NOT_SIGNED = "the request is not signed by Inngest";

    private static final Logger LOG = Logger.getLogger(InngestServeResource.class);

    @Inject
    InngestSettings settings;

    @Inject
    FunctionRegistry functions;

    @Inject
    InngestClient client;

    @Inject
    AppSync sync;

    @Inject
    ObjectMapper json;

    Clock clock = Clock.systemUTC();

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Inngest introspection (a health check); key hashes only for a signed request")
    public Response introspect(@HeaderParam(SIGNATURE_HEADER) String signature) {
        ObjectNode body = json.createObjectNode();
        body.put("function_count", functions.all().size());
        body.put("has_event_key", settings.hasEventKey());
        body.put("has_signing_key", settings.signingKey().isPresent());
        body.put("mode", settings.mode());
        if (!settings.devMode() && verified(signature, new byte[0]) != null) {
            // Fingerprints only: the full hash is the bearer token of the Inngest API.
            body.put("signing_key_hash", settings.signingKey().map(Signatures::signingKeyFingerprint).orElse(""));
            body.put("signing_key_fallback_hash", settings.signingKeyFallback().map(
                    Signatures::signingKeyFingerprint).orElse(""));
        }
        return Response.ok(body).header("X-Inngest-Sdk", Execution.SDK).build();
    }

    @PUT
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Sync: register this app's functions with Inngest")
    public Response sync(@QueryParam("deployId") String deployId,
            @HeaderParam("X-Inngest-Server-Kind") String serverKind, @Context UriInfo uri) {
        URI base = uri.getBaseUri();
        String origin = base.getScheme() + "://" + base.getAuthority();
        ObjectNode result = json.createObjectNode();
        try {
            JsonNode answer = sync.sync(settings.serveUrl(origin), deployId, serverKind);
            result.put("message", "Successfully synced.");
            result.put("modified", answer.path("modified").asBoolean(false));
            return Response.ok(result).header("X-Inngest-Sdk", Execution.SDK).build();
        } catch (IOException e) {
            result.put("message", e.getMessage());
            result.put("modified", false);
            return Response.serverError().entity(result).type(MediaType.APPLICATION_JSON)
                    .header("X-Inngest-Sdk", Execution.SDK).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A call request: run a function (or one of its steps) with the run's memoized state")
    public Response call(@QueryParam("fnId") String fnId, @QueryParam("stepId") String stepId,
            @HeaderParam(SIGNATURE_HEADER) String signature,
            @HeaderParam("X-Inngest-Server-Kind") String serverKind, byte[] body) {
        byte[] raw = body == null ? new byte[0] : body;
        String key = null;
        if (settings.devMode()) {
            if (!"dev".equals(serverKind)) {
                LOG.debugf("dev mode, but the call did not come from a dev server (X-Inngest-Server-Kind: %s)",
                        serverKind);
            }
        } else {
            if (settings.signingKeys().isEmpty()) {
                return refusal(500, "no signing key is configured (INNGEST_SIGNING_KEY)");
            }
            key = verified(signature, raw);
            if (key == null) {
                return refusal(401, NOT_SIGNED);
            }
        }
        InngestFunction function = fnId == null ? null : functions.find(fnId).orElse(null);
        if (function == null) {
            return signed(new CallResult(500, Execution.responseHeaders(true), json.createObjectNode()
                    .put("error", "no function " + fnId + " in app " + settings.appId())), key);
        }
        CallRequest request;
        try {
            request = CallRequest.parse(json.readTree(raw), function.retries() + 1);
            if (request.useApi()) {
                Map<String, JsonNode> state = client.runState(request.runId());
                List<JsonNode> events = new ArrayList<>();
                state.get("events").forEach(events::add);
                request = request.withFetched(events, CallRequest.steps(state.get("steps")));
            }
        } catch (IOException | IllegalArgumentException e) {
            return signed(new CallResult(500, Execution.responseHeaders(true), json.createObjectNode()
                    .put("error", "unreadable call request: " + e.getMessage())), key);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return signed(new Execution(function, request, stepId, json, client, client, settings.checkpointPolicy())
                .execute(), key);
    }

    /** The key that signed the request, or null. */
    private String verified(String signature, byte[] body) {
        try {
            return Signatures.verify(signature, body, settings.signingKeys(), Instant.now(clock));
        } catch (Signatures.Rejected e) {
            LOG.debugf("refused an Inngest request: %s", e.getMessage());
            return null;
        }
    }

    private Response signed(CallResult result, String key) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(result.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Response.ResponseBuilder response = Response.status(result.status()).entity(body);
        // Content-Type is set by type() below; the rest (SDK, request version, no-retry) as the result says.
        result.headers().forEach((name, value) -> {
            if (!name.equalsIgnoreCase("Content-Type")) {
                response.header(name, value);
            }
        });
        if (key != null) {
            response.header(SIGNATURE_HEADER, Signatures.header(body, key, Instant.now(clock)));
        }
        return response.type(MediaType.APPLICATION_JSON).build();
    }

    static Response refusal(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).header("X-Inngest-Sdk", Execution.SDK)
                .entity(Map.of("message", message)).build();
    }
}
