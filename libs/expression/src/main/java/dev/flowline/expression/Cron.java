package dev.flowline.expression;

import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
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
        String quartzDow = dow.equals("*") ? "?" : shiftWeekdays(dow);
        String quartzDom = dow.equals("*") ? dom : "?";
        return "0 " + f[0] + " " + f[1] + " " + quartzDom + " " + f[3] + " " + quartzDow;
    }

    /** Standard weekdays count from Sunday = 0 (or 7); Quartz's from Sunday = 1. */
    private static String shiftWeekdays(String field) {
        Matcher m = NUMBER.matcher(field);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int day = Integer.parseInt(m.group());
            if (day > 7) {
                throw new IllegalArgumentException("day of week " + day + " is out of range 0-7");
            }
            m.appendReplacement(out, Integer.toString(day % 7 + 1));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The first fire time strictly after {@code after}, or null if there is none. */
    public Instant next(Instant after) {
        Date next = expression.getNextValidTimeAfter(Date.from(after));
        return next == null ? null : next.toInstant();
    }
}
