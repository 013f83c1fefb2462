package dev.flowline.bridge.conformance;

import org.junit.jupiter.api.Test;

/** The conformance scenarios as tests; a subclass says which app (Java or TypeScript) runs them. */
abstract class ConformanceSuite {

    protected abstract Scenarios scenarios();

    @Test
    void steps() {
        scenarios().stepsRunOnceEachAcrossASleep();
    }

    @Test
    void waitResolved() {
        scenarios().waitForEventIsResolvedByAMatchingEvent();
    }

    @Test
    void waitTimedOut() {
        scenarios().waitForEventTimesOut();
    }

    @Test
    void sendEvent() {
        scenarios().sendEventReachesTheEventApi();
    }

    @Test
    void retriedFailure() {
        scenarios().aFailedStepIsRetriedAndThenSucceeds();
    }

    @Test
    void nonRetriableError() {
        scenarios().aNonRetriableErrorFailsTheRunAtOnce();
    }

    @Test
    void retriesAreCountedAsInngestCountsThem() {
        scenarios().aStepThatAlwaysFailsRunsOnceAndOncePerRetry();
    }

    @Test
    void concurrencyLimitsExecutingSteps() {
        scenarios().aConcurrencyLimitCountsExecutingStepsNotSleepingRuns();
    }

    @Test
    void onFailureHandlersRun() {
        scenarios().aFailedRunRunsItsFailureHandler();
    }

    @Test
    void cancellation() {
        scenarios().aCancelledWaitIsNotResolvedAndTheCancellationIsAnnounced();
    }

    @Test
    void idempotency() {
        scenarios().anIdempotencyExpressionStartsOneRunPerValue();
    }

    @Test
    void cancelOn() {
        scenarios().aCancelOnEventCancelsOnlyTheMatchingRun();
    }

    @Test
    void cancelOnItsOwnTriggerEvent() {
        scenarios().aRunIsCancelledByALaterEventNotByItsOwnTrigger();
    }

    @Test
    void finishTimeout() {
        scenarios().aRunPastItsFinishTimeoutIsCancelled();
    }

    @Test
    void rerunFromAStep() throws Exception {
        scenarios().aRerunFromAStepReusesTheStepsBeforeItAndTakesAReplacedInput();
    }

    @Test
    void parallelSteps() {
        scenarios().parallelStepsEachRunOnceAndAreJoined();
    }

    @Test
    void parallelStepsUnderAConcurrencyLimit() {
        scenarios().aConcurrencyLimitOfOneRunsParallelStepsOneAtATime();
    }

    @Test
    void envScopedConcurrency() {
        scenarios().anEnvScopedLimitIsSharedByEveryFunctionWhoseKeyHasTheSameValue();
    }

    @Test
    void invoke() {
        scenarios().anInvokedFunctionsResultComesBack();
    }

    @Test
    void typedErrors() {
        scenarios().aStepErrorKeepsItsNameMessageDataAndCause();
    }

    @Test
    void triggerConditionsAreCel() {
        scenarios().aTriggerConditionIsCel();
    }

    @Test
    void aMalformedConditionIsRefusedAtSync() {
        scenarios().aMalformedTriggerConditionIsRefusedAtSync();
    }

    @Test
    void aFailedStepCanBeCaught() {
        scenarios().aStepThatFailedForGoodCanBeCaughtAndTheRunGoesOn();
    }

    @Test
    void aResentEventIdDeduplicatesRunStartsOnly() {
        scenarios().aResentEventIdStartsNoSecondRunButStillResolvesWaits();
    }

    @Test
    void theRestApiHasInngestsShapes() {
        scenarios().theRestApiAnswersInInngestsShapes();
    }
}
