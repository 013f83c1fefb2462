package dev.flowline.bridge.conformance;

import org.junit.jupiter.api.Test;

/** The six conformance scenarios as tests; a subclass says which app (Java or TypeScript) runs them. */
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
}
