package dev.flowline.servicekit.problem;

import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An RFC 9457 problem details document ({@code application/problem+json}).
 *
 * @param errors the offending places, each with a JSON pointer into the request (empty when the whole request is
 *        at fault)
 * @param incident for a server-side failure (5xx), the id under which the service logged what happened; the answer
 *        itself says nothing more about it
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@RegisterForReflection
public record Problem(URI type, String title, int status, String detail, URI instance, List<FieldError> errors,
        String incident) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /**
     * One offending place.
     *
     * @param pointer RFC 6901 JSON pointer into the request body ({@code /schema/type}), or {@code #name} for a
     *        query, path or header parameter
     * @param detail what is wrong there
     */
    @RegisterForReflection
    public record FieldError(String pointer, String detail) {
    }

    public static Problem of(ProblemType type, String detail, List<FieldError> errors) {
        return new Problem(type.uri(), type.title(), type.status(), detail, null, errors == null ? List.of() : errors,
                null);
    }
}
