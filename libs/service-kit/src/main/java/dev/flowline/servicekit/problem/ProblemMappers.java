package dev.flowline.servicekit.problem;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

import dev.flowline.servicekit.messaging.TransientRetry;

/**
 * Turns every error a Flowline API can raise into an RFC 9457 problem document. Client mistakes get a 4xx with a
 * stable type and the offending place; only our own faults become a 500, logged with an id the client can quote.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @Inject
    ObjectMapper objectMapper;

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(e.toProblem(), uri);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        return respond(jsonProblem(e), uri);
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
            errors.add(new Problem.FieldError(pointer(violation.getPropertyPath()), violation.getMessage()));
        }
        String detail = errors.size() == 1
                ? errors.get(0).pointer() + ": " + errors.get(0).detail()
                : errors.size() + " invalid values";
        return respond(Problem.of(ProblemType.INVALID_REQUEST, detail, errors), uri);
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return unauthorized(uri);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        return unauthorized(uri);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(Problem.of(ProblemType.FORBIDDEN, "your roles do not allow this operation", List.of()), uri);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return respond(jsonProblem(json), uri);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return internal(e, uri);
        }
        ProblemType type = ProblemType.forStatus(status);
        Response.ResponseBuilder builder = Response.status(status);
        // Keep the headers a client needs to recover, such as Allow on a 405.
        e.getResponse().getHeaders().forEach((name, values) -> {
            if (!HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)
                    && !HttpHeaders.CONTENT_LENGTH.equalsIgnoreCase(name)) {
                values.forEach(v -> builder.header(name, v));
            }
        });
        return write(builder, new Problem(type.uri(), type.title(), status, e.getMessage(), instance(uri), List.of(),
                null));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        return internal(e, uri);
    }

    /**
     * A server-side failure: the log gets the whole story under a new incident id, the client only the id. A failure
     * that goes away on its own (the database unreachable; see {@link TransientRetry#isTransient}) is a 503 with
     * {@code Retry-After}, so clients and proxies retry instead of reporting a bug.
     */
    Response internal(Throwable e, UriInfo uri) {
        String incident = java.util.UUID.randomUUID().toString();
        String path = uri == null ? "?" : uri.getPath();
        if (TransientRetry.isTransient(e)) {
            LOG.warnf(e, "incident %s on %s: a transient failure, answered 503", incident, path);
            Problem problem = Problem.of(ProblemType.UNAVAILABLE, "temporarily unavailable; retry in a few seconds "
                    + "(incident " + incident + ")", List.of());
            return write(Response.status(problem.status()).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS),
                    withIncident(withInstance(problem, uri), incident));
        }
        LOG.errorf(e, "incident %s on %s", incident, path);
        Problem problem = Problem.of(ProblemType.INTERNAL, "unexpected error; incident " + incident, List.of());
        return write(Response.status(problem.status()), withIncident(withInstance(problem, uri), incident));
    }

    private static final String RETRY_AFTER_SECONDS = "5";

    private static Problem withIncident(Problem p, String incident) {
        return new Problem(p.type(), p.title(), p.status(), p.detail(), p.instance(), p.errors(), incident);
    }

    private Response unauthorized(UriInfo uri) {
        return write(Response.status(401).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer"),
                withInstance(Problem.of(ProblemType.UNAUTHORIZED, "a valid bearer token is required", List.of()),
                        uri));
    }

    private static Problem jsonProblem(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String pointer = jsonPointer(mapping.getPath());
            String detail = "cannot read the value at " + pointer + ": " + e.getOriginalMessage();
            return Problem.of(ProblemType.INVALID_REQUEST, detail, List.of(new Problem.FieldError(pointer, detail)));
        }
        String location = e.getLocation() == null
                ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        return Problem.of(ProblemType.MALFORMED_JSON, "the request body is not valid JSON" + location + ": "
                + e.getOriginalMessage(), List.of());
    }

    private static String jsonPointer(List<JsonMappingException.Reference> path) {
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            pointer.append('/');
            if (ref.getFieldName() != null) {
                pointer.append(ref.getFieldName().replace("~", "~0").replace("/", "~1"));
            } else {
                pointer.append(ref.getIndex());
            }
        }
        return pointer.toString();
    }

    /** Body properties become a JSON pointer; query, path and header parameters become {@code #name}. */
    static String pointer(Path path) {
        StringBuilder body = new StringBuilder();
        String parameter = null;
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
            } else if (node.getKind() == ElementKind.PROPERTY || node.getKind() == ElementKind.CONTAINER_ELEMENT) {
                body.append('/').append(node.getName());
                if (node.getIndex() != null) {
                    body.append('/').append(node.getIndex());
                }
            }
        }
        if (body.length() > 0) {
            return body.toString();
        }
        return parameter == null ? "" : "#" + parameter;
    }

    private Response respond(Problem problem, UriInfo uri) {
        return write(Response.status(problem.status()), withInstance(problem, uri));
    }

    private Response write(Response.ResponseBuilder builder, Problem problem) {
        try {
            return builder.type(Problem.MEDIA_TYPE).entity(objectMapper.writeValueAsString(problem)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("problem document not serializable", e);
        }
    }

    private static Problem withInstance(Problem p, UriInfo uri) {
        return new Problem(p.type(), p.title(), p.status(), p.detail(), instance(uri), p.errors(), p.incident());
    }

    /** The path as the client sent it (still encoded: a decoded one with a space is no URI). */
    private static URI instance(UriInfo uri) {
        if (uri == null) {
            return null;
        }
        try {
            // getPath(false) answers the decoded path here too; the request URI keeps the raw one.
            return URI.create(uri.getRequestUri().getRawPath());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
