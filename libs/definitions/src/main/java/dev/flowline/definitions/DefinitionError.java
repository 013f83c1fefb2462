package dev.flowline.definitions;

/** One reason a definition document cannot be read, at the JSON pointer of the offending member. */
public record DefinitionError(String pointer, String message) {
}
