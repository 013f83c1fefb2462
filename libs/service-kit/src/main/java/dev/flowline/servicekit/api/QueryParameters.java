package dev.flowline.servicekit.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.flowline.servicekit.problem.ProblemException;

/**
 * Reading query and path parameters the same way in every API: blank means absent; a value that does not parse is
 * a 400 problem naming the parameter and what it takes.
 */
public final class QueryParameters {

    private QueryParameters() {
    }

    public static String text(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    public static Instant instant(String name, String value) {
        if (text(value) == null) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ProblemException.badParameter(name, "an ISO-8601 instant, e.g. 2026-12-01T00:00:00Z");
        }
    }

    public static UUID uuid(String name, String value) {
        if (text(value) == null) {
            return null;
        }
        try {
            return UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badParameter(name, "a UUID");
        }
    }

    public static Integer integer(String name, String value, int min, int max) {
        if (text(value) == null) {
            return null;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < min || parsed > max) {
                throw ProblemException.badParameter(name, "an integer from " + min + " to " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw ProblemException.badParameter(name, "an integer from " + min + " to " + max);
        }
    }

    /** {@code true} or {@code false}; absent or empty is false. */
    public static boolean flag(String name, String value) {
        String given = text(value);
        if (given == null || given.equals("false")) {
            return false;
        }
        if (given.equals("true")) {
            return true;
        }
        throw ProblemException.badParameter(name, "true or false");
    }

    /** An enum constant by its name in any case ({@code open} for {@code OPEN}). */
    public static <E extends Enum<E>> E enumValue(String name, String value, Class<E> type) {
        if (text(value) == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badParameter(name, "one of " + Arrays.stream(type.getEnumConstants()).map(
                    c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
        }
    }
}
