package dev.flowline.expression;

import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.quartz.CronExpression;

/**
 * A cron expression in one of two forms: the standard five fields ({@code minute hour day-of-month month
 * day-of-week}, Sunday = 0 or 7) or Quartz's six or seven ({@code second minute hour day-of-month month day-of-week
 * [year]}, Sunday = 1, one of the two day fields {@code ?}). Evaluated in a time zone.
 */
public final class Cron {

    private static final Pattern NUMBER = Pattern.compile("\\d+");

    private final CronExpression expression;

    private Cron(CronExpression expression) {
        this.expression = expression;
    }

    /** @throws IllegalArgumentException saying what is wrong */
    public static Cron parse(String text, ZoneId zone) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a cron expression is required");
        }
        String[] fields = text.trim().split("\\s+");
        String quartz = switch (fields.length) {
            case 5 -> fromStandard(fields);
            case 6, 7 -> text.trim();
            default -> throw new IllegalArgumentException("a cron expression has 5 fields (minute hour day month "
                    + "weekday) or 6-7 in Quartz's form (second first); got " + fields.length);
        };
        try {
            CronExpression expression = new CronExpression(quartz);
            expression.setTimeZone(TimeZone.getTimeZone(zone));
            return new Cron(expression);
        } catch (ParseException | RuntimeException e) {
            throw new IllegalArgumentException("invalid cron expression '" + text + "': " + e.getMessage());
        }
    }

    private static String fromStandard(String[] f) {
        String dom = f[2];
        String dow = f[4];
        if (!dom.equals("*") && !dow.equals("*")) {
            throw new IllegalArgumentException("a day of month and a day of week together are not supported; use "
                    + "one of them and '*' for the other");
        }
        String quartzDow = dow.equals("*") ? "?" : weekdays(dow);
        String quartzDom = dow.equals("*") ? dom : "?";
        return "0 " + f[0] + " " + f[1] + " " + quartzDom + " " + f[3] + " " + quartzDow;
    }

    private static final List<String> DAY_NAMES = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

    /**
     * The standard weekday field in Quartz's numbering. Standard weekdays count from Sunday = 0 (or 7), Quartz's from
     * Sunday = 1, and a step counts days, not numbers: so the field is expanded to its days (lists, ranges, steps,
     * names) and written back as Quartz's list of days ({@code *}{@code /2}: Sunday, Tuesday, Thursday, Saturday →
     * {@code 1,3,5,7}). {@code d#n} (the n-th weekday d of the month) and {@code dL} (its last) are passed on with d
     * renumbered; they cannot be listed with other days.
     */
    static String weekdays(String field) {
        String upper = field.toUpperCase(java.util.Locale.ROOT);
        Matcher special = Pattern.compile("^(\\w+)(#[1-5]|L)$").matcher(upper);
        if (special.matches()) {
            return quartzDay(day(special.group(1))) + special.group(2);
        }
        java.util.SortedSet<Integer> days = new java.util.TreeSet<>();
        for (String element : upper.split(",", -1)) {
            String[] stepped = element.split("/", -1);
            if (stepped.length > 2 || element.isEmpty()) {
                throw new IllegalArgumentException("day of week '" + field + "' is not a list of days, ranges and "
                        + "steps");
            }
            int step = 1;
            if (stepped.length == 2) {
                try {
                    step = Integer.parseInt(stepped[1]);
                } catch (NumberFormatException e) {
                    step = 0;
                }
                if (step < 1 || step > 7) {
                    throw new IllegalArgumentException("day of week step '" + stepped[1] + "' must be 1-7");
                }
            }
            String base = stepped[0];
            int from;
            int to;
            if (base.equals("*")) {
                from = 0;
                to = 6;
            } else if (base.contains("-")) {
                String[] range = base.split("-", -1);
                if (range.length != 2) {
                    throw new IllegalArgumentException("day of week range '" + base + "' is not day-day");
                }
                from = day(range[0]);
                to = day(range[1]);
                if (to == 0 && from > 0) {
                    to = 7; // 5-0 reads as Friday to Sunday
                }
                if (to < from) {
                    throw new IllegalArgumentException("day of week range '" + base + "' runs backwards");
                }
            } else {
                from = day(base);
                // "d/s" is "from d to the end of the week, every s days" (as in Vixie cron).
                to = stepped.length == 2 ? 6 : from;
            }
            for (int d = from; d <= to; d += step) {
                days.add(d % 7);
            }
        }
        StringBuilder out = new StringBuilder();
        for (int d : days) {
            out.append(out.length() == 0 ? "" : ",").append(quartzDay(d));
        }
        return out.toString();
    }

    /** A standard day: 0-7 (0 and 7 are Sunday) or a three-letter name. */
    private static int day(String text) {
        int named = DAY_NAMES.indexOf(text);
        if (named >= 0) {
            return named;
        }
        if (!NUMBER.matcher(text).matches()) {
            throw new IllegalArgumentException("day of week '" + text + "' is not 0-7 or SUN-SAT");
        }
        int day = Integer.parseInt(text);
        if (day > 7) {
            throw new IllegalArgumentException("day of week " + day + " is out of range 0-7");
        }
        return day;
    }

    private static int quartzDay(int standardDay) {
        return standardDay % 7 + 1;
    }

    /** The first fire time strictly after {@code after}, or null if there is none. */
    public Instant next(Instant after) {
        Date next = expression.getNextValidTimeAfter(Date.from(after));
        return next == null ? null : next.toInstant();
    }
}
