package dev.flowline.bridge.api;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.flowline.bridge.inngest.InngestSettings;
import dev.flowline.inngest.protocol.Signatures;

/**
 * Refuses a call request to the open serve endpoint whose signature header is missing, malformed or stale before the
 * body is read, so an unauthenticated client cannot make the bridge buffer a body (the announced length is refused
 * by the HTTP limit in the same way). The HMAC over the body is checked by {@link InngestServeResource} once read.
 */
public class InngestSignatureGate {

    private static final Logger LOG = Logger.getLogger(InngestSignatureGate.class);

    @Inject
    InngestSettings settings;

    Clock clock = Clock.systemUTC();

    // Pre-matching: runs before routing, so before any handler reads the entity.
    @ServerRequestFilter(preMatching = true)
    public Optional<Response> refuseUnsignedCalls(ContainerRequestContext request) {
        if (settings.devMode() || !HttpMethod.POST.equals(request.getMethod())
                || !InngestServeResource.PATH.equals(stripSlash(request.getUriInfo().getPath()))
                || settings.signingKeys().isEmpty()) {
            return Optional.empty();
        }
        try {
            Signatures.stamp(request.getHeaderString(InngestServeResource.SIGNATURE_HEADER), Instant.now(clock));
            return Optional.empty();
        } catch (Signatures.Rejected e) {
            LOG.debugf("refused an Inngest call before reading its body: %s", e.getMessage());
            return Optional.of(InngestServeResource.refusal(401, InngestServeResource.NOT_SIGNED));
        }
    }

    private static String stripSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
