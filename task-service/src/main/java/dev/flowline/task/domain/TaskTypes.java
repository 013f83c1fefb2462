package dev.flowline.task.domain;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

import dev.flowline.catalogcache.CachedDefinition;
import dev.flowline.catalogcache.CatalogCache;
import dev.flowline.contracts.TaskResolved;
import dev.flowline.definitions.StepDefinition;
import dev.flowline.servicekit.security.Roles;

/**
 * Task types, derived from the catalog with no code: every (step, declared error code) is one. Its message and data
 * schema are the error's; its candidates are the step's {@code permissions} (operators when it names none); every
 * resolution is allowed. (Per-type overrides — templates, candidates, allowed actions, resolution steps, SLAs — are
 * not built yet; see docs/tasks.md.)
 */
@ApplicationScoped
public class TaskTypes {

    /** The operators resolve a task whose step names no roles. */
    public static final List<String> DEFAULT_CANDIDATES = List.of(Roles.OPERATOR);

    public record TaskType(String id, String step, String code, String message, JsonNode dataSchema,
            JsonNode inputSchema, JsonNode outputSchema, List<String> candidates,
            Set<TaskResolved.Resolution> allowed) {
    }

    @Inject
    CatalogCache catalog;

    /** The type id of a step's error code: {@code <step name>:<CODE>}. */
    public static String id(String stepName, String code) {
        return stepName + ":" + code;
    }

    /**
     * The type of {@code code} on the step {@code name@version}; empty when the cache does not know the step (it
     * may not have caught up), in which case a task still opens with the default candidates.
     */
    public Uni<Optional<TaskType>> of(String step, String code) {
        int at = step.lastIndexOf('@');
        String name = at < 0 ? step : step.substring(0, at);
        String version = at < 0 ? null : step.substring(at + 1);
        Uni<Optional<CachedDefinition<StepDefinition>>> found = version == null
                ? Uni.createFrom().item(Optional.empty())
                : catalog.steps().resolve(name, version);
        return found.map(definition -> definition.map(CachedDefinition::definition).map(d -> {
            Optional<StepDefinition.ErrorDeclaration> declared = d.errors().stream().filter(e -> e.code().equals(
                    code)).findFirst();
            return new TaskType(id(name, code), step, code, declared.map(StepDefinition.ErrorDeclaration::message)
                    .orElse(code), declared.map(StepDefinition.ErrorDeclaration::data).orElse(null), d.input(),
                    d
                            .output(),
                    d.permissions().isEmpty() ? DEFAULT_CANDIDATES : d.permissions(), Set.of(
                            TaskResolved.Resolution.values()));
        }));
    }
}
