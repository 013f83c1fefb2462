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

    private static Store.Run parallelRun() {
        return new Store.Run("r1", "f", null, "running", 0, "a", java.util.List.of("b", "c"), true, null, 2,
                java.util.Map.of("c", new Store.PlannedItem(0, NOW.plusSeconds(30))));
    }

    private static Store.StepMemo memo(String id) {
        return new Store.StepMemo(id, "StepRun", id, id, null, NOW, null);
    }

    @Test
    void aParallelStepToRetryKeepsItsOwnAttemptWhileTheOthersResultsAreKept() {
        // a succeeded, b failed at attempt 0 and is retried at attempt 1 in 2 s; c was not due yet.
        Store.Outcome a = new Store.Outcome(java.util.List.of(memo("a")), "running", null, java.util.List.of(), true,
                0, NOW, null, null, (Store.NewWait) null, 2);
        Store.Outcome b = new Store.Outcome(java.util.List.of(), "running", "b", java.util.List.of(), true, 1, NOW
                .plusSeconds(2), null, null, (Store.NewWait) null, 2);
        Store.Run run = parallelRun();
        Store.Outcome joined = Worker.join(run, java.util.List.of("a", "b"), java.util.List.of(0, 0), java.util.List
                .of(a, b), java.util.Map.of("c", run.item("c")), NOW);

        assertThat(joined.memos()).extracting(Store.StepMemo::hashedId).containsExactly("a");
        assertThat(joined.status()).isEqualTo("running");
        assertThat(joined.stepId()).isEqualTo("b");
        assertThat(joined.attempt()).isEqualTo(1);
        assertThat(joined.nextAt()).isEqualTo(NOW.plusSeconds(2));
        assertThat(joined.planned()).containsExactly("c");
        assertThat(joined.plannedItems().get("c")).isEqualTo(new Store.PlannedItem(0, NOW.plusSeconds(30)));
        assertThat(joined.disableImmediate()).isTrue();
    }

    @Test
    void aParallelStepThatEndsTheRunEndsItWithEveryResultKept() {
        Store.Outcome a = new Store.Outcome(java.util.List.of(memo("a")), "running", null, java.util.List.of(), true,
                0, NOW, null, null, (Store.NewWait) null, 2);
        Store.Outcome b = new Store.Outcome(java.util.List.of(), "failed", null, java.util.List.of(), true, 4, null,
                null, null, (Store.NewWait) null, 2);
        Store.Outcome joined = Worker.join(parallelRun(), java.util.List.of("a", "b"), java.util.List.of(0, 4),
                java.util.List.of(a, b), java.util.Map.of(), NOW);

        assertThat(joined.status()).isEqualTo("failed");
        assertThat(joined.memos()).extracting(Store.StepMemo::hashedId).containsExactly("a");
        assertThat(joined.planned()).isEmpty();
    }

    @Test
    void whenEveryParallelStepIsDoneTheRunIsCalledAgainToFindItsNextStep() {
        Store.Outcome a = new Store.Outcome(java.util.List.of(memo("a")), "running", null, java.util.List.of(), true,
                0, NOW, null, null, (Store.NewWait) null, 2);
        Store.Outcome b = new Store.Outcome(java.util.List.of(memo("b")), "running", null, java.util.List.of(), true,
                0, NOW, null, null, (Store.NewWait) null, 2);
        Store.Outcome joined = Worker.join(parallelRun(), java.util.List.of("a", "b"), java.util.List.of(0, 0),
                java.util.List.of(a, b), java.util.Map.of(), NOW);

        assertThat(joined.memos()).hasSize(2);
        assertThat(joined.stepId()).isNull();
        assertThat(joined.status()).isEqualTo("running");
        assertThat(joined.nextAt()).isEqualTo(NOW);
    }
}
