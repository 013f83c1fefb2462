package dev.flowline.bridge.domain;

/** What a bulk job does to each run its filter matches. */
public enum BulkOperation {
    RERUN, RESUME;

    public enum JobStatus {
        RUNNING, DONE
    }

    /** What became of one matched run. */
    public enum Outcome {
        /** A new run was asked for. */
        STARTED,
        /** The run could not be re-run or resumed; the detail says why. */
        REFUSED
    }
}
