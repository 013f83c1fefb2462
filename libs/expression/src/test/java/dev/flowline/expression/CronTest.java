package dev.flowline.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class CronTest {

    private static final ZoneId UTC = ZoneId.of("UTC");

    @Test
    void standardFiveFieldsRunOnWeekdays() {
        Cron cron = Cron.parse("0 6 * * 1-5", UTC);
        // Friday 2026-11-27 07:00 → next is Monday 06:00.
        assertThat(cron.next(Instant.parse("2026-11-27T07:00:00Z"))).isEqualTo(Instant.parse("2026-11-30T06:00:00Z"));
        assertThat(cron.next(Instant.parse("2026-11-27T05:59:00Z"))).isEqualTo(Instant.parse("2026-11-27T06:00:00Z"));
    }

    @Test
    void sundayIsZeroOrSevenInTheStandardForm() {
        Instant saturday = Instant.parse("2026-11-28T12:00:00Z");
        assertThat(Cron.parse("0 9 * * 0", UTC).next(saturday)).isEqualTo(Instant.parse("2026-11-29T09:00:00Z"));
        assertThat(Cron.parse("0 9 * * 7", UTC).next(saturday)).isEqualTo(Instant.parse("2026-11-29T09:00:00Z"));
        assertThat(Cron.parse("0 9 * * SUN", UTC).next(saturday)).isEqualTo(Instant.parse("2026-11-29T09:00:00Z"));
    }

    /**
     * (expression, the next fire time after Wednesday 2026-12-02 00:00 UTC). The weekday rows count days the way
     * standard cron does: a step is a step in days from Sunday = 0, not in Quartz's numbers.
     */
    static final String[][] NEXT_AFTER_WEDNESDAY = {
            {"0 9 * * */2", "2026-12-03T09:00:00Z"}, // Sun, Tue, Thu, Sat: Thursday
            {"0 9 * * 1-5/2", "2026-12-02T09:00:00Z"}, // Mon, Wed, Fri: today
            {"0 9 * * 2/3", "2026-12-04T09:00:00Z"}, // Tue, Fri
            {"0 9 * * 4-6/2", "2026-12-03T09:00:00Z"}, // Thu, Sat
            {"0 9 * * 0", "2026-12-06T09:00:00Z"},
            {"0 9 * * 7", "2026-12-06T09:00:00Z"},
            {"0 9 * * 5-7", "2026-12-04T09:00:00Z"}, // Fri, Sat, Sun
            {"0 9 * * 6-0", "2026-12-05T09:00:00Z"}, // Sat, Sun
            {"0 9 * * 1,3", "2026-12-02T09:00:00Z"},
            {"0 9 * * 1,4-5", "2026-12-03T09:00:00Z"},
            {"0 9 * * MON-FRI", "2026-12-02T09:00:00Z"},
            {"0 9 * * sat", "2026-12-05T09:00:00Z"},
            {"0 9 * * TUE,SUN", "2026-12-06T09:00:00Z"},
            {"0 9 * * 1#2", "2026-12-14T09:00:00Z"}, // the second Monday of December
            {"0 9 * * 5L", "2026-12-25T09:00:00Z"}, // the last Friday
            {"*/15 * * * *", "2026-12-02T00:15:00Z"},
            {"0 0 1 * *", "2027-01-01T00:00:00Z"},
            {"30 6 */10 * *", "2026-12-11T06:30:00Z"}, // days 1, 11, 21, 31
    };

    @Test
    void eachExpressionOfTheTableFiresNextWhenTheTableSays() {
        Instant wednesday = Instant.parse("2026-12-02T00:00:00Z");
        for (String[] row : NEXT_AFTER_WEDNESDAY) {
            assertThat(Cron.parse(row[0], UTC).next(wednesday)).as(row[0]).isEqualTo(Instant.parse(row[1]));
        }
    }

    @Test
    void badWeekdaysSayWhatIsWrong() {
        assertThatThrownBy(() -> Cron.parse("0 6 * * 5-2", UTC)).hasMessageContaining("runs backwards");
        assertThatThrownBy(() -> Cron.parse("0 6 * * */0", UTC)).hasMessageContaining("step");
        assertThatThrownBy(() -> Cron.parse("0 6 * * FUN", UTC)).hasMessageContaining("SUN-SAT");
        assertThatThrownBy(() -> Cron.parse("0 6 * * 1,,2", UTC)).hasMessageContaining("not a list");
    }

    @Test
    void quartzFormHasSeconds() {
        Cron cron = Cron.parse("*/10 * * * * ?", UTC);
        assertThat(cron.next(Instant.parse("2026-11-27T10:00:01Z"))).isEqualTo(Instant.parse("2026-11-27T10:00:10Z"));
    }

    @Test
    void theTimeZoneCounts() {
        Cron cron = Cron.parse("0 6 * * *", ZoneId.of("Europe/Athens"));
        assertThat(cron.next(Instant.parse("2026-11-27T00:00:00Z"))).isEqualTo(Instant.parse("2026-11-27T04:00:00Z"));
    }

    @Test
    void unsupportedOrInvalidExpressionsSayWhy() {
        assertThatThrownBy(() -> Cron.parse("0 6 1 * 1", UTC)).hasMessageContaining("day of month and a day of week");
        assertThatThrownBy(() -> Cron.parse("0 6 *", UTC)).hasMessageContaining("5 fields");
        assertThatThrownBy(() -> Cron.parse("0 61 * * *", UTC)).hasMessageContaining("invalid cron");
        assertThatThrownBy(() -> Cron.parse("0 6 * * 9", UTC)).hasMessageContaining("out of range");
    }
}
