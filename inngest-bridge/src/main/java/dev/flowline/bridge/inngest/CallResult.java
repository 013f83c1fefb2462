package dev.flowline.bridge.inngest;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** The answer to a call request: 200 with the function's result, 206 with step ops, or an error status. */
public record CallResult(int status, Map<String, String> headers, JsonNode body) {
}
