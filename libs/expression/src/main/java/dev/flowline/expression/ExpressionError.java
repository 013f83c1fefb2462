package dev.flowline.expression;

/**
 * A problem found while parsing or checking an expression.
 *
 * @param pointer RFC 6901 JSON pointer to the offending place in the document being saved
 * @param message what is wrong, for a person
 */
public record ExpressionError(String pointer, String message) {
}
