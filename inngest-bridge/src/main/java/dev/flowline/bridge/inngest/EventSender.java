package dev.flowline.bridge.inngest;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** Sends events to the Inngest Event API; answers their ids. */
@FunctionalInterface
public interface EventSender {
    List<String> send(List<JsonNode> events) throws Exception;
}
