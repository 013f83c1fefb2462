package dev.flowline.bridge.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;

import dev.flowline.bridge.persistence.RunEntity;
import dev.flowline.bridge.persistence.RunJournalStatements.Locked;
import dev.flowline.bridge.persistence.StepAttemptEntity;
import dev.flowline.contracts.WorkflowRunEvent;
import dev.flowline.contracts.WorkflowRunEvent.Kind;
import dev.flowline.contracts.WorkflowRunEvent.Origin;
import dev.flowline.contracts.WorkflowRunEvent.OriginKind;
import dev.flowline.contracts.WorkflowRunEvent.StepFailure;

/**
 * The runs projection's rule per lifecycle record ({@link RunJournal#apply}), on the rows a record finds locked:
 * what it writes and whether it is announced.
 */
class RunProjectionRulesTest {

    private static final Instant AT = Instant.parse("2026-12-03T10:00:00Z");

    private final RunJournal journal = new RunJournal();

    @BeforeEach
    void mapper() {
        journal.json = new ObjectMapper();
    }

    @Test
    void aRunStartsRunningWithItsInputAndOrigin() {
        RunJournal.Changes changes = journal.apply(new WorkflowRunEvent(null, Kind.RUN_STARTED, "r1", null, "payouts",
                "3", null, null, null, IntNode.valueOf(7), null, null, new Origin(OriginKind.RESUME, "r0", "push"),
                null, null, AT), found(null, null));
        assertThat(changes.newRun().status).isEqualTo(RunStatus.RUNNING);
        assertThat(changes.newRun().input.get("value").asInt()).isEqualTo(7);
        assertThat(changes.newRun().originKind).isEqualTo("RESUME");
        assertThat(changes.newRun().originRunId).isEqualTo("r0");
        assertThat(changes.newRun().startedAt).isEqualTo(AT);
        assertThat(changes.changedRun()).isNull();
        assertThat(changes.announce()).isTrue();
    }

    @Test
    void aSecondStartOfAKnownRunWritesNothingButIsAnnounced() {
        RunJournal.Changes changes = journal.apply(runEvent(Kind.RUN_STARTED), found(run(RunStatus.RUNNING),
                null));
        assertThat(changes).isEqualTo(new RunJournal.Changes(null, null, null, false, true));
    }

    @Test
    void aStepOfARunNeverSeenStartingIsKeptOnlyAsARecord() {
        RunJournal.Changes changes = journal.apply(stepEvent(Kind.STEP_SUCCEEDED, 0), found(null, null));
        assertThat(changes).isEqualTo(new RunJournal.Changes(null, null, null, false, true));
    }

    @ParameterizedTest(name = "{0} ends a running run as {1}")
    @CsvSource({"RUN_COMPLETED, COMPLETED", "RUN_FAILED, FAILED", "RUN_CANCELLED, CANCELLED"})
    void anEndEndsARunningRunAndClearsItsWait(Kind kind, RunStatus status) {
        RunEntity run = run(RunStatus.WAITING);
        run.waitingFor = "r1:S1:1:0";
        RunJournal.Changes changes = journal.apply(runEvent(kind), found(run, null));
        assertThat(changes.changedRun().status).isEqualTo(status);
        assertThat(changes.changedRun().endedAt).isEqualTo(AT);
        assertThat(changes.changedRun().waitingFor).isNull();
        assertThat(changes.announce()).isTrue();
    }

    @ParameterizedTest(name = "{0} after the run ended {1} changes nothing and is not announced")
    @CsvSource({"RUN_CANCELLED, COMPLETED", "RUN_COMPLETED, CANCELLED", "RUN_FAILED, FAILED"})
    void anEndOfARunThatEndedIsNotAnnounced(Kind kind, RunStatus ended) {
        RunJournal.Changes changes = journal.apply(runEvent(kind), found(run(ended), null));
        assertThat(changes).isEqualTo(new RunJournal.Changes(null, null, null, false, false));
    }

    @Test
    void awaitingATaskMarksTheRunWaitingAndTheAttemptAwaiting() {
        RunJournal.Changes changes = journal.apply(new WorkflowRunEvent(null, Kind.STEP_AWAITING_TASK, "r1", null,
                "payouts", "3", "S1", 1, 0, null, null, null, null, null, "r1:S1:1:0", AT),
                found(run(
                        RunStatus.RUNNING), attempt(StepStatus.FAILED)));
        assertThat(changes.changedRun().status).isEqualTo(RunStatus.WAITING);
        assertThat(changes.changedRun().waitingFor).isEqualTo("r1:S1:1:0");
        assertThat(changes.attempt().status).isEqualTo(StepStatus.AWAITING_TASK);
        assertThat(changes.attempt().taskKey).isEqualTo("r1:S1:1:0");
    }

    @Test
    void aResolutionEndsTheAwaitingAttemptAsFailedAndTheRunRunsAgain() {
        RunEntity run = run(RunStatus.WAITING);
        run.waitingFor = "r1:S1:1:0";
        RunJournal.Changes changes = journal.apply(new WorkflowRunEvent(null, Kind.STEP_RESUMED, "r1", null, "payouts",
                "3", "S1", 1, 0, null, null, null, null, null, "retry", AT),
                found(run, attempt(
                        StepStatus.AWAITING_TASK)));
        assertThat(changes.changedRun().status).isEqualTo(RunStatus.RUNNING);
        assertThat(changes.changedRun().waitingFor).isNull();
        assertThat(changes.attempt().status).isEqualTo(StepStatus.FAILED);
        assertThat(changes.attempt().resolution).isEqualTo("retry");
    }

    @Test
    void aNewAttemptStartsRunningWithItsInputAndEndsTheEarlierOnesStillRunning() {
        RunJournal.Changes changes = journal.apply(new WorkflowRunEvent(null, Kind.STEP_STARTED, "r1", null,
                "payouts", "3", "S1", 1, 2, IntNode.valueOf(5), null, null, null, null, null, AT),
                found(run(RunStatus.RUNNING), null));
        assertThat(changes.attempt().key).isEqualTo(new StepAttemptEntity.Key("r1", "S1", 1, 2));
        assertThat(changes.attempt().status).isEqualTo(StepStatus.RUNNING);
        assertThat(changes.attempt().input.get("value").asInt()).isEqualTo(5);
        assertThat(changes.attempt().startedAt).isEqualTo(AT);
        assertThat(changes.failEarlierAttempts()).isTrue();
        assertThat(journal.apply(stepEvent(Kind.STEP_STARTED, 0), found(run(RunStatus.RUNNING), null))
                .failEarlierAttempts()).isFalse();
    }

    @Test
    void aFailedAttemptKeepsItsErrorAndCode() {
        RunJournal.Changes changes = journal.apply(new WorkflowRunEvent(null, Kind.STEP_FAILED, "r1", null, "payouts",
                "3", "S1", 1, 0, null, null, new StepFailure("MISSING_XERO_NAME", "no name", null, false), null, null,
                null, AT), found(run(RunStatus.RUNNING), attempt(StepStatus.RUNNING)));
        assertThat(changes.attempt().status).isEqualTo(StepStatus.FAILED);
        assertThat(changes.attempt().errorCode).isEqualTo("MISSING_XERO_NAME");
        assertThat(changes.attempt().error.path("message").asText()).isEqualTo("no name");
        assertThat(changes.attempt().endedAt).isEqualTo(AT);
    }

    @Test
    void aStepOutcomeAfterTheRunWasCancelledIsRecordedOnTheAttemptOnly() {
        RunJournal.Changes changes = journal.apply(stepEvent(Kind.STEP_SUCCEEDED, 0), found(run(
                RunStatus.CANCELLED), attempt(StepStatus.RUNNING)));
        assertThat(changes.changedRun().status).isEqualTo(RunStatus.CANCELLED);
        assertThat(changes.attempt().status).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(changes.attempt().output.get("value").asInt()).isEqualTo(1);
        assertThat(changes.announce()).isTrue();
    }

    private static WorkflowRunEvent runEvent(Kind kind) {
        return new WorkflowRunEvent(null, kind, "r1", null, "payouts", "3", null, null, null, null, null, null, null,
                null, null, AT);
    }

    private static WorkflowRunEvent stepEvent(Kind kind, int attempt) {
        return new WorkflowRunEvent(null, kind, "r1", null, "payouts", "3", "S1", 1, attempt, null, IntNode.valueOf(
                1), null, null, null, null, AT);
    }

    /** The rule reads only the rows; which records are new is the journal's concern. */
    private static Locked found(RunEntity run, StepAttemptEntity attempt) {
        return new Locked(Set.of(), run, attempt);
    }

    private static RunEntity run(RunStatus status) {
        RunEntity run = new RunEntity();
        run.runId = "r1";
        run.status = status;
        run.updatedAt = AT.minusSeconds(60);
        return run;
    }

    private static StepAttemptEntity attempt(StepStatus status) {
        StepAttemptEntity attempt = new StepAttemptEntity();
        attempt.key = new StepAttemptEntity.Key("r1", "S1", 1, 0);
        attempt.status = status;
        attempt.startedAt = AT.minusSeconds(1);
        return attempt;
    }
}
