package dev.flowline.servicekit.problem;

import java.net.URI;

/**
 * The stable problem types every Flowline API answers with. Clients switch on {@link #uri()}, never on the text, so a
 * type is never renamed once released; add a new one instead.
 */
public enum ProblemType {
    MALFORMED_JSON("malformed-json", 400, "Malformed JSON"), INVALID_REQUEST("invalid-request", 400,
            "Invalid request"), VALIDATION_FAILED("validation-failed", 422, "Validation failed"), UNAUTHORIZED(
                    "unauthorized", 401,
                    "Authentication required"), FORBIDDEN("forbidden", 403, "Not allowed"), NOT_FOUND("not-found", 404,
                            "Not found"), METHOD_NOT_ALLOWED("method-not-allowed", 405,
                                    "Method not allowed"), NOT_ACCEPTABLE("not-acceptable", 406,
                                            "Not acceptable"), CONFLICT("conflict", 409, "Conflict"), PAYLOAD_TOO_LARGE(
                                                    "payload-too-large", 413,
                                                    "Payload too large"), UNSUPPORTED_MEDIA_TYPE(
                                                            "unsupported-media-type", 415,
                                                            "Unsupported media type"), INTERNAL("internal-error", 500,
                                                                    "Internal error"), UNAVAILABLE("unavailable", 503,
                                                                            "Service unavailable");

    public static final String BASE_URI = "https://flowline.dev/problems/";

    private final String slug;
    private final int status;
    private final String title;

    ProblemType(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    public URI uri() {
        return URI.create(BASE_URI + slug);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The type a bare HTTP status stands for, when a framework answered with only a status. */
    public static ProblemType forStatus(int status) {
        for (ProblemType type : values()) {
            if (type.status == status && type != VALIDATION_FAILED && type != MALFORMED_JSON) {
                return type;
            }
        }
        return status >= 500 ? INTERNAL : INVALID_REQUEST;
    }
}
