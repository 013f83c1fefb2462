package dev.flowline.devexecutor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class WorkerTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void retryAfterIsClampedToBetweenASecondAndADayAsTheServerDoes() {
        assertThat(Worker.clampRetryAt(NOW.minusSeconds(30), NOW)).isEqualTo(NOW.plusSeconds(1));
        assertThat(Worker.clampRetryAt(NOW.plusSeconds(90), NOW)).isEqualTo(NOW.plusSeconds(90));
        assertThat(Worker.clampRetryAt(NOW.plus(Duration.ofDays(3)), NOW)).isEqualTo(NOW.plus(Duration.ofHours(24)));
    }

    @Test
    void theStepIdOfACallReplacesTheOneInTheServeUrl() {
        assertThat(Worker.withStepId("http://app/api/inngest?fnId=a-b&stepId=step", "abc123"))
                .isEqualTo("http://app/api/inngest?fnId=a-b&stepId=abc123");
        assertThat(Worker.withStepId("http://app/api/inngest", "step")).isEqualTo("http://app/api/inngest?stepId=step");
    }

    @Test
    void aLeaseThatDoesNotOutliveACallIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new DevExecutor.Config(8288, "jdbc:x", "u", "p",
                java.util.List.of(), 1, 60, 50, Duration.ofSeconds(1), Duration.ofMinutes(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outlive");
    }
}
