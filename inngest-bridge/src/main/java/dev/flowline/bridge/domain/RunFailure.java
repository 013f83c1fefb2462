package dev.flowline.bridge.domain;

import dev.flowline.contracts.WorkflowRunEvent.StepFailure;

/** Ends a run as failed, with why; thrown by the runner's code, never out of it. */
final class RunFailure extends Exception {

    private final transient StepFailure failure;

    RunFailure(String stepId, StepFailure failure) {
        super((stepId == null ? "" : "step " + stepId + ": ") + failure.message(), null, false, false);
        this.failure = failure;
    }

    StepFailure failure() {
        return failure;
    }
}
