package dev.flowline.catalog.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

import dev.flowline.catalog.persistence.DefinitionEntity;
import dev.flowline.contracts.CatalogKind;
import dev.flowline.contracts.Versions;
import dev.flowline.definitions.DefinitionException;
import dev.flowline.definitions.EventTypeDefinition;
import dev.flowline.definitions.StepDefinition;
import dev.flowline.definitions.StepRef;
import dev.flowline.definitions.VersionLifecycle;
import dev.flowline.definitions.WorkflowDefinition;
import dev.flowline.expression.JsonPointers;
import dev.flowline.servicekit.problem.Problem.FieldError;
import dev.flowline.servicekit.problem.ProblemException;

/**
 * The checks a definition passes when it is published, on top of the draft checks: steps need a binding; workflows a
 * sound graph, resolvable steps and a sound data flow; event types a compatible schema (or a major version bump).
 * Runs inside the publishing transaction.
 */
@ApplicationScoped
public class PublishChecks {

    public Uni<Void> check(DefinitionEntity definition) {
        return switch (CatalogKind.fromWireName(definition.kind)) {
            case STEP -> {
                if (read(definition, StepDefinition::parse).binding() == null) {
                    throw ProblemException.invalid("/binding", "a step needs a binding (lambda or http) to be "
                            + "published");
                }
                yield Uni.createFrom().voidItem();
            }
            case WORKFLOW -> checkWorkflow(read(definition, WorkflowDefinition::parse));
            case EVENT_TYPE -> checkEventType(definition);
        };
    }

    /** A stored draft as its typed record; drafts were read when saved, so an error here is reported, not a 500. */
    private static <T> T read(DefinitionEntity definition, Function<JsonNode, T> parse) {
        try {
            return parse.apply(definition.document);
        } catch (DefinitionException e) {
            throw ProblemException.invalid(e.errors().stream().map(err -> new FieldError(err.pointer(), err
                    .message())).toList());
        }
    }

    private Uni<Void> checkWorkflow(WorkflowDefinition workflow) {
        WorkflowGraph graph = new WorkflowGraph(workflow);
        List<FieldError> graphErrors = graph.check();
        if (!graphErrors.isEmpty()) {
            throw ProblemException.invalid(graphErrors);
        }
        return DefinitionEntity.released(CatalogKind.STEP, workflow.stepNames()).map(released -> {
            List<FieldError> errors = new ArrayList<>();
            Map<String, StepDefinition> resolved = new HashMap<>();
            workflow.steps().forEach((id, step) -> {
                StepRef uses = step.uses();
                Optional<DefinitionEntity> match = newestInRange(released, uses.name(), uses.range());
                if (match.isEmpty()) {
                    List<String> available = released.stream().filter(d -> d.name.equals(uses.name())
                            && d.status == VersionLifecycle.Status.PUBLISHED).map(d -> d.version).sorted(Versions.ORDER)
                            .toList();
                    errors.add(new FieldError(JsonPointers.append("/steps", id) + "/uses",
                            "no published version of step " + uses.name() + " satisfies " + uses.range()
                                    + (available.isEmpty()
                                            ? " (none is published)"
                                            : " (published: " + available
                                                    + ")")));
                } else {
                    resolved.put(id, StepDefinition.parse(match.get().document));
                }
            });
            if (errors.isEmpty()) {
                errors.addAll(new WorkflowDataFlow(workflow, resolved, graph).check());
            }
            if (!errors.isEmpty()) {
                throw ProblemException.invalid(errors);
            }
            return null;
        });
    }

    /** The newest published (not deprecated) version of {@code name} in {@code range}. */
    public static Optional<DefinitionEntity> newestInRange(List<DefinitionEntity> candidates, String name,
            String range) {
        return candidates.stream()
                .filter(d -> d.name.equals(name) && d.status == VersionLifecycle.Status.PUBLISHED)
                .filter(d -> Versions.satisfies(d.version, range))
                .max((a, b) -> Versions.ORDER.compare(a.version, b.version));
    }

    private Uni<Void> checkEventType(DefinitionEntity eventType) {
        return DefinitionEntity.released(CatalogKind.EVENT_TYPE, List.of(eventType.name)).map(released -> {
            Optional<DefinitionEntity> previous = released.stream()
                    .filter(d -> Versions.ORDER.compare(d.version, eventType.version) < 0)
                    .max((a, b) -> Versions.ORDER.compare(a.version, b.version));
            if (previous.isEmpty()) {
                return null;
            }
            EventTypeDefinition next = read(eventType, EventTypeDefinition::parse);
            SchemaCompatibility.Mode mode = SchemaCompatibility.Mode.valueOf(next.compatibility().name());
            List<SchemaCompatibility.Change> breaking = SchemaCompatibility.incompatibilities(mode,
                    read(previous.get(), EventTypeDefinition::parse).schema(), next.schema());
            boolean majorBump = Versions.major(eventType.version) > Versions.major(previous.get().version);
            if (!breaking.isEmpty() && !majorBump) {
                List<FieldError> errors = breaking.stream().map(c -> new FieldError("/schema", c.kind() + " at "
                        + c.path() + ": " + c.detail())).toList();
                throw new ProblemException(dev.flowline.servicekit.problem.ProblemType.VALIDATION_FAILED,
                        breaking.size() + " change(s) since " + previous.get().version + " are not " + mode
                                + " compatible; publish them as a new major version",
                        errors);
            }
            return null;
        });
    }
}
