package dev.flowline.definitions;

import java.util.List;

/** Thrown when a definition document cannot be read as its kind; carries every error found, not just the first. */
public class DefinitionException extends RuntimeException {

    private final List<DefinitionError> errors;

    public DefinitionException(List<DefinitionError> errors) {
        super(errors.isEmpty() ? "invalid definition" : errors.get(0).pointer() + ": " + errors.get(0).message());
        this.errors = List.copyOf(errors);
    }

    public List<DefinitionError> errors() {
        return errors;
    }
}
