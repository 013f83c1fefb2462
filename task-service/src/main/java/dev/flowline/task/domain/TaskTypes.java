package dev.flowline.task.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import dev.flowline.catalogcache.CachedDefinition;
import dev.flowline.catalogcache.CatalogCache;
import dev.flowline.contracts.TaskResolved;
import dev.flowline.definitions.StepDefinition;
import dev.flowline.servicekit.problem.Problem.FieldError;
import dev.flowline.servicekit.problem.ProblemException;
import dev.flowline.servicekit.reactive.InOrder;
import dev.flowline.servicekit.security.Roles;
import dev.flowline.task.persistence.TaskTypeOverrideEntity;

/**
 * Task types, derived from the catalog with no code: every (step, declared error code) is one. Its message and data
 * schema are the error's; its candidates are the step's {@code permissions} (operators when it names none); every
 * resolution is allowed. An editor may override some of that ({@link TaskTypeOverride}), in versions: a task keeps
 * the version it was created under (version 0: no override).
 */
@ApplicationScoped
public class TaskTypes {

    /** The operators resolve a task whose step names no roles. */
    public static final List<String> DEFAULT_CANDIDATES = List.of(Roles.OPERATOR);

    /**
     * @param candidates the candidate roles: the override's, else the step's permissions
     * @param version the override version (0: none)
     * @param override what the override says ({@link TaskTypeOverride#NONE} without one)
     */
    public record TaskType(String id, String step, String code, String message, JsonNode dataSchema,
            JsonNode inputSchema, JsonNode outputSchema, List<String> candidates,
            Set<TaskResolved.Resolution> allowed, int version, TaskTypeOverride override) {

        /** The title template, null for the step's own message. */
        public String title() {
            return override.title();
        }

        /** Null for the default. */
        public Integer priority() {
            return override.priority();
        }

        /** Null for the runner's wait. */
        public Duration dueIn() {
            return override.dueIn();
        }

        /**
         * The candidates of a task of this type with {@code errorData}: the type's roles and users, and those its
         * paths find in the data (a string or a list of strings; anything that is not a role or user name is left
         * out).
         */
        public Candidates candidatesFor(JsonNode errorData) {
            Set<String> roles = new java.util.TreeSet<>(candidates);
            Set<String> users = new java.util.TreeSet<>(override.candidateUsers() == null
                    ? List.of()
                    : override.candidateUsers());
            read(override.candidateRolesFrom(), errorData, TaskTypeOverride.ROLE, roles);
            read(override.candidateUsersFrom(), errorData, TaskTypeOverride.USER, users);
            return new Candidates(List.copyOf(roles), List.copyOf(users));
        }

        private static void read(dev.flowline.expression.JsonPath path, JsonNode data, String pattern,
                Set<String> into) {
            if (path == null || data == null) {
                return;
            }
            JsonNode found = path.read(data);
            if (found == null) {
                return;
            }
            for (JsonNode value : found.isArray() ? found : List.of(found)) {
                if (value.isTextual() && value.asText().matches(pattern)) {
                    into.add(value.asText());
                }
            }
        }
    }

    /** Who may work on one task: holders of any of the roles, and the users by name. */
    public record Candidates(List<String> roles, List<String> users) {
    }

    @Inject
    CatalogCache catalog;

    @Inject
    ResolutionSteps resolutionSteps;

    /** The type id of a step's error code: {@code <step name>:<CODE>}. */
    public static String id(String stepName, String code) {
        return stepName + ":" + code;
    }

    /** The type of {@code code} on {@code name@version} with its latest override. Call inside a session. */
    public Uni<Optional<TaskType>> of(String step, String code) {
        return of(step, code, null);
    }

    /**
     * The type with override {@code version} (null: the latest; 0: none); empty when the cache does not know the
     * step (it may not have caught up). Call inside a session.
     */
    public Uni<Optional<TaskType>> of(String step, String code, Integer version) {
        int at = step.lastIndexOf('@');
        String name = at < 0 ? step : step.substring(0, at);
        String stepVersion = at < 0 ? null : step.substring(at + 1);
        Uni<Optional<CachedDefinition<StepDefinition>>> found = stepVersion == null
                ? Uni.createFrom().item(Optional.empty())
                : catalog.steps().resolve(name, stepVersion);
        return found.flatMap(definition -> {
            if (definition.isEmpty()) {
                return Uni.createFrom().item(Optional.<TaskType>empty());
            }
            return override(id(name, code), version).map(override -> Optional.of(derive(name, step, code, definition
                    .get().definition(), override)));
        });
    }

    private static TaskType derive(String name, String step, String code, StepDefinition d,
            Optional<TaskTypeOverrideEntity> override) {
        Optional<StepDefinition.ErrorDeclaration> declared = d.errors().stream().filter(e -> e.code().equals(code))
                .findFirst();
        List<String> candidates = d.permissions().isEmpty() ? DEFAULT_CANDIDATES : d.permissions();
        Set<TaskResolved.Resolution> allowed = Set.of(TaskResolved.Resolution.values());
        TaskTypeOverride o = TaskTypeOverride.NONE;
        int version = 0;
        if (override.isPresent()) {
            o = TaskTypeOverride.read(override.get().document);
            version = override.get().key.version();
            candidates = o.candidates() != null ? o.candidates() : candidates;
            allowed = o.allowedActions() != null ? o.allowedActions() : allowed;
        }
        return new TaskType(id(name, code), step, code, declared.map(StepDefinition.ErrorDeclaration::message)
                .orElse(code), declared.map(StepDefinition.ErrorDeclaration::data).orElse(null), d.input(),
                d
                        .output(),
                candidates, allowed, version, o);
    }

    private static Uni<Optional<TaskTypeOverrideEntity>> override(String typeId, Integer version) {
        if (version != null && version == 0) {
            return Uni.createFrom().item(Optional.empty());
        }
        Uni<TaskTypeOverrideEntity> found = version == null
                ? TaskTypeOverrideEntity.<TaskTypeOverrideEntity>find("key.typeId = ?1 order by key.version desc",
                        typeId).firstResult()
                : TaskTypeOverrideEntity.<TaskTypeOverrideEntity>findById(new TaskTypeOverrideEntity.Key(typeId,
                        version));
        return found.map(Optional::ofNullable);
    }

    /** Every type the catalog's published steps declare, with its latest override. */
    public Uni<List<TaskType>> all() {
        // InOrder: cached steps resolve synchronously, and a loop-built flatMap chain of them overflows the stack.
        return Panache.withSession(() -> catalog.steps().names().flatMap(names -> {
            List<TaskType> types = new ArrayList<>();
            return InOrder.each(names, name -> catalog.steps().resolve(name, null).flatMap(latest -> latest.isEmpty()
                    ? Uni.createFrom().voidItem()
                    : InOrder.each(latest.get().definition().errors(), error -> of(name + "@" + latest.get()
                            .version(), error.code()).invoke(type -> type.ifPresent(types::add)))))
                    .replaceWith(types);
        }));
    }

    /** A type's error as the newest published version of its step declares it. */
    private record Declared(String step, StepDefinition.ErrorDeclaration error, JsonNode input, JsonNode output) {
    }

    /** The declaration behind {@code step:CODE}; 404 when no published step declares it. */
    private Uni<Declared> declared(String typeId) {
        int colon = typeId.lastIndexOf(':');
        if (colon <= 0) {
            return Uni.createFrom().failure(ProblemException.notFound("no task type " + typeId
                    + " (types are <step>:<CODE>)"));
        }
        String name = typeId.substring(0, colon);
        String code = typeId.substring(colon + 1);
        return catalog.steps().resolve(name, null).map(latest -> latest.flatMap(l -> l.definition().errors()
                .stream().filter(e -> e.code().equals(code)).findFirst().map(e -> new Declared(name + "@" + l
                        .version(), e, l.definition().input(), l.definition().output())))
                .orElseThrow(() -> ProblemException.notFound("no task type " + typeId + ": no published step "
                        + name + " declares " + code)));
    }

    /** One type with its latest override; 404 when no published step declares it. */
    public Uni<TaskType> get(String typeId) {
        return Panache.withSession(() -> declared(typeId).flatMap(declared -> of(declared.step(), declared.error()
                .code()).map(Optional::orElseThrow)));
    }

    /**
     * Saves a new override version of the type {@code typeId} ({@code step:CODE}) after checking it against the
     * type; answers the saved version. 404 when no published step declares the code.
     */
    public Uni<TaskTypeOverrideEntity> saveOverride(String typeId, JsonNode document, String by) {
        return Panache.withTransaction(() -> declared(typeId).flatMap(declared -> {
            List<FieldError> errors = TaskTypeOverride.problems(document, declared.error().data(), declared
                    .output());
            if (!errors.isEmpty()) {
                return Uni.createFrom().failure(ProblemException.invalid(errors));
            }
            ResolutionStep resolution = TaskTypeOverride.read(document).resolutionStep();
            Uni<List<FieldError>> catalogProblems = resolution == null
                    ? Uni.createFrom().item(List.of())
                    : resolutionSteps.problems(resolution, declared.error().data(), declared.input());
            return catalogProblems.flatMap(problems -> {
                if (!problems.isEmpty()) {
                    return Uni.createFrom().failure(ProblemException.invalid(problems));
                }
                return saveVersion(typeId, document, by);
            });
        }));
    }

    private static Uni<TaskTypeOverrideEntity> saveVersion(String typeId, JsonNode document, String by) {
        return TaskTypeOverrideEntity.<TaskTypeOverrideEntity>find("key.typeId = ?1 order by key.version desc",
                typeId).firstResult().flatMap(previous -> {
                    TaskTypeOverrideEntity saved = new TaskTypeOverrideEntity();
                    saved.key = new TaskTypeOverrideEntity.Key(typeId, previous == null
                            ? 1
                            : previous.key.version() + 1);
                    saved.document = document;
                    saved.createdAt = Instant.now();
                    saved.createdBy = by;
                    return saved.<TaskTypeOverrideEntity>persist();
                });
    }
}
