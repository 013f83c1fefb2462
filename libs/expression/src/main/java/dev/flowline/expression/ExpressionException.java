package dev.flowline.expression;

import java.util.List;

/** Thrown when an expression cannot be parsed; carries every error found. */
public class ExpressionException extends RuntimeException {

    private final List<ExpressionError> errors;

    public ExpressionException(List<ExpressionError> errors) {
        super(errors.isEmpty() ? "invalid expression" : errors.get(0).pointer() + ": " + errors.get(0).message());
        this.errors = List.copyOf(errors);
    }

    public ExpressionException(String pointer, String message) {
        this(List.of(new ExpressionError(pointer, message)));
    }

    public List<ExpressionError> errors() {
        return errors;
    }
}
