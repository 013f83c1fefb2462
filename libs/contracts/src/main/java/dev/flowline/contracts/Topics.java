package dev.flowline.contracts;

import java.util.List;

/**
 * The Kafka topics of Flowline. Every service and the local/test infrastructure take topic names from here, so a
 * rename happens in one place.
 */
public final class Topics {

    public static final String DOMAIN_EVENTS = "domain-events";
    public static final String DOMAIN_EVENTS_DLQ = "domain-events.dlq";
    public static final String WORKFLOW_COMMANDS = "workflow-commands";
    public static final String WORKFLOW_LIFECYCLE = "workflow-lifecycle";
    public static final String TASK_EVENTS = "task-events";
    /** Compacted: the latest record per {@code kind/name/version} key is the catalog's current state. */
    public static final String CATALOG_CHANGES = "catalog-changes";

    /** How a topic is created by the local run and the test kit (production topics are managed by the platform). */
    public record TopicSpec(String name, int partitions, boolean compacted) {
    }

    public static final List<TopicSpec> ALL = List.of(
            new TopicSpec(DOMAIN_EVENTS, 3, false),
            new TopicSpec(DOMAIN_EVENTS_DLQ, 1, false),
            new TopicSpec(WORKFLOW_COMMANDS, 3, false),
            new TopicSpec(WORKFLOW_LIFECYCLE, 3, false),
            new TopicSpec(TASK_EVENTS, 3, false),
            new TopicSpec(CATALOG_CHANGES, 1, true));

    private Topics() {
    }
}
