package dev.flowline.servicekit.security;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.identity.SecurityIdentity;

/** Who the caller is to this service: the frontend uses it to decide what to show. */
@Path("/api/me")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    /** The caller's identity as this service sees it (roles include the implied ones). */
    @RegisterForReflection
    public record Me(String subject, List<String> roles, String service) {
    }

    @Inject
    SecurityIdentity identity;

    @ConfigProperty(name = "quarkus.application.name")
    String service;

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "The caller's subject and effective roles")
    public Me me() {
        return new Me(identity.getPrincipal().getName(), identity.getRoles().stream().sorted().toList(), service);
    }
}
