package dev.flowline.servicekit.problem;

import java.util.List;

/** Thrown anywhere in a service to answer with a problem document; mapped by {@link ProblemMappers}. */
public class ProblemException extends RuntimeException {

    private final ProblemType type;
    private final List<Problem.FieldError> errors;

    public ProblemException(ProblemType type, String detail, List<Problem.FieldError> errors) {
        super(detail);
        this.type = type;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, List.of());
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(ProblemType.NOT_FOUND, detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(ProblemType.CONFLICT, detail);
    }

    /** A query, path or header parameter that is malformed (400); the pointer is {@code #name}. */
    public static ProblemException badParameter(String name, String detail) {
        return new ProblemException(ProblemType.INVALID_REQUEST, name + ": " + detail,
                List.of(new Problem.FieldError("#" + name, detail)));
    }

    /** A request that is well-formed but whose content is invalid at {@code pointer}. */
    public static ProblemException invalid(String pointer, String detail) {
        return new ProblemException(ProblemType.VALIDATION_FAILED, detail,
                List.of(new Problem.FieldError(pointer, detail)));
    }

    public static ProblemException invalid(List<Problem.FieldError> errors) {
        String detail = errors.size() == 1 ? errors.get(0).detail() : errors.size() + " errors";
        return new ProblemException(ProblemType.VALIDATION_FAILED, detail, errors);
    }

    public ProblemType type() {
        return type;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    public Problem toProblem() {
        return Problem.of(type, getMessage(), errors);
    }
}
