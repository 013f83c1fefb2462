package dev.flowline.bridge.domain;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

import dev.flowline.contracts.WorkflowCommand;
import dev.flowline.contracts.WorkflowRunEvent;

/**
 * What the Inngest event that starts a run says besides the input: its {@code data} is
 * {@code {"input": …, "flowline": RunRequest}}. An event without {@code flowline} (a legacy caller sending the
 * workflow's event to Inngest itself) runs the newest version with the whole {@code data} as input.
 *
 * @param commandId the command (or the runs API request) the run comes from; also the event's id
 * @param version the pinned version; null for the newest published one
 * @param origin for a re-run or resume: the run it comes from
 * @param reuse for a resume: the outputs the origin run recorded for the steps before {@code origin.fromStep}, per
 *        step in the order of its executions (a step on a loop ran more than once)
 * @param patch for a resume: the input {@code origin.fromStep} gets instead of its mapped one; null for none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record RunRequest(UUID commandId, String workflow, String version, WorkflowCommand.Source source,
        WorkflowRunEvent.Origin origin, Map<String, List<JsonNode>> reuse, JsonNode patch) {

    /** The member of the event's data that holds this request. */
    public static final String MEMBER = "flowline";
    public static final String INPUT = "input";

    public RunRequest {
        reuse = reuse == null ? Map.of() : Map.copyOf(reuse);
    }
}
