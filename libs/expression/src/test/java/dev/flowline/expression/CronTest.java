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
