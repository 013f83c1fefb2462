package dev.flowline.catalog.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

import dev.flowline.catalog.persistence.DefinitionEntity;
import dev.flowline.contracts.CatalogKind;
import dev.flowline.contracts.Versions;
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
                if (!definition.document.has("binding")) {
                    throw ProblemException.invalid("/binding", "a step needs a binding (lambda or http) to be "
                            + "published");
                }
                yield Uni.createFrom().voidItem();
            }
            case WORKFLOW -> checkWorkflow(definition.document);
            case EVENT_TYPE -> checkEventType(definition);
        };
    }

    private Uni<Void> checkWorkflow(JsonNode workflow) {
        WorkflowGraph graph = new WorkflowGraph(workflow);
        List<FieldError> graphErrors = graph.check();
        if (!graphErrors.isEmpty()) {
            throw ProblemException.invalid(graphErrors);
        }
        Set<String> names = new HashSet<>();
        workflow.path("steps").forEach(step -> names.add(stepName(step)));
        return DefinitionEntity.released(CatalogKind.STEP, names).map(released -> {
            List<FieldError> errors = new ArrayList<>();
            Map<String, JsonNode> resolved = new HashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = workflow.path("steps").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> entry = it.next();
                String uses = entry.getValue().path("uses").asText();
                String name = stepName(entry.getValue());
                String range = uses.substring(uses.indexOf('@') + 1);
                Optional<DefinitionEntity> match = newestInRange(released, name, range);
                if (match.isEmpty()) {
                    List<String> available = released.stream().filter(d -> d.name.equals(name)
                            && d.status == DefinitionStatus.PUBLISHED).map(d -> d.version).sorted(Versions.ORDER)
                            .toList();
                    errors.add(new FieldError(JsonPointers.append("/steps", entry.getKey()) + "/uses",
                            "no published version of step " + name + " satisfies " + range
                                    + (available.isEmpty()
                                            ? " (none is published)"
                                            : " (published: " + available
                                                    + ")")));
                } else {
                    resolved.put(entry.getKey(), match.get().document);
                }
            }
            if (errors.isEmpty()) {
                errors.addAll(new WorkflowDataFlow(workflow, resolved, graph).check());
            }
            if (!errors.isEmpty()) {
                throw ProblemException.invalid(errors);
            }
            return null;
        });
    }

    static String stepName(JsonNode step) {
        String uses = step.path("uses").asText();
        return uses.substring(0, Math.max(0, uses.indexOf('@')));
    }

    /** The newest published (not deprecated) version of {@code name} in {@code range}. */
    public static Optional<DefinitionEntity> newestInRange(List<DefinitionEntity> candidates, String name,
            String range) {
        return candidates.stream()
                .filter(d -> d.name.equals(name) && d.status == DefinitionStatus.PUBLISHED)
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
            SchemaCompatibility.Mode mode = SchemaCompatibility.Mode.valueOf(eventType.document
                    .path("compatibility").asText("BACKWARD"));
            List<SchemaCompatibility.Change> breaking = SchemaCompatibility.incompatibilities(mode,
                    previous.get().document.get("schema"), eventType.document.get("schema"));
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
