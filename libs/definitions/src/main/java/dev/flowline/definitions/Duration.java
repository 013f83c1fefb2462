package dev.flowline.definitions;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A duration of the definition language: a whole number and a unit ({@code 500ms}, {@code 30s}, {@code 5m},
 * {@code 2h}, {@code 1d}); {@link #text()} is how it was written.
 */
public record Duration(String text, java.time.Duration value) {

    private static final Pattern FORM = Pattern.compile("([0-9]{1,12})(ms|s|m|h|d)");

    public static Duration parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("a duration is a whole number and a unit (ms, s, m, h, d), got '"
                    + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        java.time.Duration value = switch (m.group(2)) {
            case "ms" -> java.time.Duration.ofMillis(n);
            case "s" -> java.time.Duration.ofSeconds(n);
            case "m" -> java.time.Duration.ofMinutes(n);
            case "h" -> java.time.Duration.ofHours(n);
            default -> java.time.Duration.ofDays(n);
        };
        return new Duration(text, value);
    }

    static Duration read(Members members, String member) {
        String text = members.text(member);
        if (text == null) {
            return null;
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            members.error(members.pointer(member), e.getMessage());
            return null;
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
