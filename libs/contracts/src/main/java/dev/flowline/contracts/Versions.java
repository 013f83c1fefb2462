package dev.flowline.contracts;

import java.util.Comparator;

import org.semver4j.Semver;

/**
 * Version arithmetic for definitions. Steps and event types use semantic versions; workflows may also use plain
 * integers, ordered as if they were {@code N.0.0}.
 */
public final class Versions {

    /** Orders versions from oldest to newest. */
    public static final Comparator<String> ORDER = (a, b) -> parse(a).compareTo(parse(b));

    private Versions() {
    }

    public static boolean isValid(String version) {
        return version != null && (version.matches("[1-9][0-9]{0,8}") || Semver.isValid(version));
    }

    public static Semver parse(String version) {
        if (version.matches("[0-9]{1,9}")) {
            return new Semver(Integer.parseInt(version) + ".0.0");
        }
        return new Semver(version);
    }

    /** Whether {@code version} is in the npm-style {@code range} ({@code ^1.2}, {@code ~1.2.3}, {@code >=1 <2}). */
    public static boolean satisfies(String version, String range) {
        return parse(version).satisfies(range);
    }

    /** Whether {@code range} is a range expression that some version satisfies. */
    public static boolean isValidRange(String range) {
        try {
            if (range == null || range.isBlank()) {
                return false;
            }
            // Parse by using it; an expression semver4j cannot read throws or matches nothing at all.
            new Semver("0.0.0").satisfies(range);
            return range.matches("[0-9xX*^~<>=.|\\s\\-+A-Za-z]+");
        } catch (RuntimeException e) {
            return false;
        }
    }

    public static int major(String version) {
        return parse(version).getMajor();
    }
}
