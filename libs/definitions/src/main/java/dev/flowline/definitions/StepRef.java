package dev.flowline.definitions;

import dev.flowline.contracts.Versions;

/**
 * What a workflow step {@code uses}: a step definition's name and a semver range of its versions, written
 * {@code name@range} ({@code match_bookings@^1.0}). Split here and nowhere else.
 */
public record StepRef(String name, String range) {

    /** Reads {@code name@range}; errors name the pointer of the {@code uses} member. */
    public static StepRef parse(String uses, String pointer) {
        int at = uses == null ? -1 : uses.indexOf('@');
        if (at <= 0 || at == uses.length() - 1) {
            throw new DefinitionException(java.util.List.of(new DefinitionError(pointer, "uses is step_name@range "
                    + "(match_bookings@^1.0), got '" + uses + "'")));
        }
        return new StepRef(uses.substring(0, at), uses.substring(at + 1));
    }

    /** Whether the range is one the catalog can resolve (^1.2, ~1.2.3, >=1.0.0 <2.0.0, an exact version). */
    public boolean validRange() {
        return Versions.isValidRange(range);
    }

    public boolean accepts(String version) {
        return Versions.satisfies(version, range);
    }

    @Override
    public String toString() {
        return name + "@" + range;
    }
}
