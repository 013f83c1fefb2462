package dev.flowline.k8s;

import java.io.IOException;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;

/**
 * Validates an object against the Kubernetes API's schema for its kind: the official Java client's models are
 * generated from the API's OpenAPI document, and their validation refuses a field the schema does not define, a
 * missing required field and a value of the wrong JSON type, at every level.
 */
final class KubernetesSchemas {

    @FunctionalInterface
    private interface Validator {
        void validate(JsonElement object) throws IOException;
    }

    private static final Map<String, Validator> BY_KIND = Map.of(
            "apps/v1 Deployment", V1Deployment::validateJsonElement,
            "v1 Service", V1Service::validateJsonElement,
            "v1 ConfigMap", V1ConfigMap::validateJsonElement,
            "policy/v1 PodDisruptionBudget", V1PodDisruptionBudget::validateJsonElement,
            "autoscaling/v2 HorizontalPodAutoscaler", V2HorizontalPodAutoscaler::validateJsonElement,
            "networking.k8s.io/v1 NetworkPolicy", V1NetworkPolicy::validateJsonElement);

    private KubernetesSchemas() {
    }

    /** Answers what is wrong with the object, or null when its kind's schema accepts it. */
    static String problem(JsonNode object) {
        String kind = object.path("apiVersion").asText() + " " + object.path("kind").asText();
        Validator validator = BY_KIND.get(kind);
        if (validator == null) {
            return "no schema known for " + kind + " (add its model to KubernetesSchemas)";
        }
        try {
            validator.validate(JsonParser.parseString(object.toString()));
            return null;
        } catch (IOException | IllegalArgumentException e) {
            return kind + " " + object.at("/metadata/name").asText() + ": " + e.getMessage();
        }
    }
}
