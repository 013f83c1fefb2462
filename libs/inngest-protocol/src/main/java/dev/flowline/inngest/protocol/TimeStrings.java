package dev.flowline.inngest.protocol;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The protocol's time strings ({@code 300ms}, {@code 2h45m}, {@code 1d}), both ways. */
public final class TimeStrings {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h|d|w)");

    private TimeStrings() {
    }

    public static String format(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            return "0s";
        }
        long ms = duration.toMillis();
        StringBuilder out = new StringBuilder();
        long[] units = {7L * 24 * 3600_000, 24L * 3600_000, 3600_000, 60_000, 1000, 1};
        String[] names = {"w", "d", "h", "m", "s", "ms"};
        for (int i = 0; i < units.length; i++) {
            if (ms >= units[i]) {
                out.append(ms / units[i]).append(names[i]);
                ms %= units[i];
            }
        }
        return out.toString();
    }

    /** @throws IllegalArgumentException when {@code text} is not a time string */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty time string");
        }
        Matcher m = PART.matcher(text.trim());
        int at = 0;
        double nanos = 0;
        while (m.find()) {
            if (m.start() != at) {
                throw new IllegalArgumentException("not a time string: " + text);
            }
            double value = Double.parseDouble(m.group(1));
            nanos += value * switch (m.group(2)) {
                case "ns" -> 1d;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                case "h" -> 3600e9;
                case "d" -> 86400e9;
                default -> 7 * 86400e9;
            };
            at = m.end();
        }
        if (at != text.trim().length() || at == 0) {
            throw new IllegalArgumentException("not a time string: " + text);
        }
        return Duration.ofNanos((long) nanos);
    }
}
