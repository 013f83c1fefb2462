package dev.flowline.bridge.conformance;

/**
 * The conformance scenarios with the official SDK checkpointing, its default in v4: it runs the steps it reaches
 * during a call and reports each to the executor ({@code POST /v1/checkpoint/<run>/async}) instead of answering one
 * step per call, and ends a run with a {@code RunComplete} op.
 */
class TypeScriptCheckpointingConformanceTest extends TypeScriptConformanceTest {

    @Override
    protected boolean checkpointing() {
        return true;
    }
}
