package dev.flowline.bridge.inngest;

import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * Reports the steps a call request ran to Inngest while the call goes on ({@code POST /v1/checkpoint/<run>/async}),
 * so the code continues with the next step in the same call instead of answering each step and being called again.
 */
@FunctionalInterface
public interface Checkpointer {

    /**
     * Memoizes {@code steps} (StepRun ops) on Inngest before this returns.
     *
     * @throws StaleDispatch when the call no longer holds the run: it must stop, another call has it
     * @throws Exception when Inngest did not take them: the call answers them the usual way instead
     */
    void checkpoint(Checkpoint checkpoint) throws Exception;

    /** What a checkpoint reports: the run, the function, the queue item the call came from, and the steps. */
    record Checkpoint(String runId, String functionId, String queueItemId, ArrayNode steps) {
    }

    /** Inngest answered 409: the queue item of this call was leased to another call, or the run ended. */
    final class StaleDispatch extends Exception {
        public StaleDispatch(String message) {
            super(message);
        }
    }
}
