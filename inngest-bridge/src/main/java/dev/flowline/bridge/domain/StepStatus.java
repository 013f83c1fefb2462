package dev.flowline.bridge.domain;

/** Where a step attempt is, as the runs projection shows it. */
public enum StepStatus {
    RUNNING, SUCCEEDED, FAILED,
    /** Skipped by its error policy or a task's resolution, with a substitute output. */
    SKIPPED,
    /** A resume took the output the original run recorded; the step was not called. */
    REUSED,
    /** Failed with an error whose policy opened a human task; the run waits for its resolution. */
    AWAITING_TASK
}
