package dev.flowline.trigger.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

import dev.flowline.catalogcache.CachedDefinition;
import dev.flowline.catalogcache.CatalogCache;
import dev.flowline.contracts.Versions;
import dev.flowline.definitions.EventTypeDefinition;
import dev.flowline.definitions.WorkflowDefinition;
import dev.flowline.expression.Condition;
import dev.flowline.expression.ExpressionException;
import dev.flowline.expression.JsonPath;
import dev.flowline.expression.Mapping;
import dev.flowline.expression.MappingCheck;
import dev.flowline.expression.SchemaPaths;
import dev.flowline.servicekit.problem.Problem.FieldError;
import dev.flowline.servicekit.problem.ProblemException;

/**
 * The checks a trigger passes when it is saved: its event type and workflow are in the registry, its conditions and
 * parameters parse, every path they read exists in the event's schema, conditions compare compatible types, and the
 * parameters it produces satisfy the workflow's input schema. Errors point into the request.
 */
@ApplicationScoped
public class TriggerValidator {

    private static final Set<String> ENVELOPE_STRINGS = Set.of("id", "type", "source", "subject", "time");

    @Inject
    CatalogCache catalog;

    /** Call inside a reactive session; fails with a 422 problem listing every error. */
    public Uni<Void> validate(TriggerSpec request) {
        List<FieldError> errors = new ArrayList<>();
        if (request.eventVersion() != null && !Versions.isValidRange(request.eventVersion())) {
            errors.add(new FieldError("/eventVersion", "not a version range"));
        }
        Condition condition = null;
        Mapping parameters = null;
        try {
            condition = Condition.parse(request.conditionsOrEmpty(), "/conditions");
        } catch (ExpressionException e) {
            e.errors().forEach(err -> errors.add(new FieldError(err.pointer(), err.message())));
        }
        try {
            parameters = Mapping.parse(request.parametersOrEmpty(), "/parameters");
        } catch (ExpressionException e) {
            e.errors().forEach(err -> errors.add(new FieldError(err.pointer(), err.message())));
        }
        Condition parsedCondition = condition;
        Mapping parsedParameters = parameters;
        return catalog.eventTypes().resolve(request.eventType(), request.eventVersion())
                .flatMap(eventType -> catalog.workflows().resolve(request.workflow(), request.workflowVersion())
                        .map(workflow -> {
                            if (eventType.isEmpty()) {
                                errors.add(new FieldError("/eventType", "event type '" + request.eventType() + "'"
                                        + (request.eventVersion() == null ? "" : " " + request.eventVersion())
                                        + " is not published in the registry"));
                            }
                            if (workflow.isEmpty()) {
                                errors.add(new FieldError("/workflow", "workflow '" + request.workflow() + "'"
                                        + (request.workflowVersion() == null
                                                ? ""
                                                : " version "
                                                        + request.workflowVersion())
                                        + " is not published in the catalog"));
                            }
                            if (eventType.isPresent() && parsedCondition != null) {
                                checkCondition(parsedCondition, eventType.get(), errors);
                            }
                            if (eventType.isPresent() && workflow.isPresent() && parsedParameters != null) {
                                checkParameters(parsedParameters, eventType.get(), workflow.get(), errors);
                            }
                            if (!errors.isEmpty()) {
                                throw ProblemException.invalid(errors);
                            }
                            return null;
                        }));
    }

    private static void checkCondition(Condition condition, CachedDefinition<EventTypeDefinition> eventType,
            List<FieldError> errors) {
        for (Condition.Test test : condition.tests()) {
            JsonPath path = test.absolute() ? test.path() : TriggerEvaluator.DATA.resolve(test.path());
            Set<String> types = typesAt(path, eventType, test.pointer(), errors);
            if (types == null || types.equals(SchemaPaths.ALL_TYPES)) {
                continue;
            }
            String problem = compatible(test, types);
            if (problem != null) {
                errors.add(new FieldError(test.pointer(), problem));
            }
        }
    }

    /** Why a test can never compare as written, or null. */
    private static String compatible(Condition.Test test, Set<String> fieldTypes) {
        Set<String> types = new java.util.LinkedHashSet<>(fieldTypes);
        if (types.contains("array")) {
            // An array matches when an element does; element types are not tracked here.
            return null;
        }
        JsonNode operand = test.operand();
        return switch (test.operator()) {
            case EXISTS -> null;
            case PREFIX, SUFFIX -> types.contains("string")
                    ? null
                    : test.operator().word() + " needs a string, but " + test.path() + " is " + types;
            case GT, GTE, LT, LTE -> {
                String wanted = operand.isNumber() ? "number" : "string";
                yield SchemaPaths.accepts(types, Set.of(operand.isNumber() ? "integer" : "string"))
                        || types.contains(wanted)
                                ? null
                                : test.operator().word() + " compares a " + wanted + ", but " + test.path() + " is "
                                        + types;
            }
            default -> {
                List<JsonNode> values = new ArrayList<>();
                if (operand.isArray()) {
                    operand.forEach(values::add);
                } else {
                    values.add(operand);
                }
                for (JsonNode value : values) {
                    String type = SchemaPaths.typeOf(value);
                    if (!types.contains(type) && !(type.equals("integer") && types.contains("number"))) {
                        yield "compares with " + value + " (" + type + "), but " + test.path() + " is " + types;
                    }
                }
                yield null;
            }
        };
    }

    private static void checkParameters(Mapping parameters, CachedDefinition<EventTypeDefinition> eventType,
            CachedDefinition<WorkflowDefinition> workflow,
            List<FieldError> errors) {
        parameters.forEachPath((path, pointer) -> typesAt(path, eventType, pointer, errors));
        MappingCheck.against(parameters, "/parameters", workflow.definition().input(), path -> typesAt(path, eventType,
                null, new ArrayList<>()), "workflow " + workflow.label())
                .forEach(e -> errors.add(new FieldError(e.pointer(), e.message())));
    }

    /** The types at an envelope path, or null after reporting why it does not exist. */
    private static Set<String> typesAt(JsonPath path, CachedDefinition<EventTypeDefinition> eventType, String pointer,
            List<FieldError> errors) {
        List<JsonPath.Segment> segments = path.segments();
        if (segments.size() == 1 && segments.get(0) instanceof JsonPath.Name name
                && ENVELOPE_STRINGS.contains(name.name())) {
            return Set.of("string");
        }
        if (!segments.isEmpty() && segments.get(0) instanceof JsonPath.Name name && name.name().equals("data")) {
            JsonPath rest = path.relativize(TriggerEvaluator.DATA);
            SchemaPaths.Resolution resolution = SchemaPaths.resolve(eventType.definition().schema(), rest);
            if (resolution.found()) {
                return SchemaPaths.types(resolution.schema());
            }
            if (pointer != null) {
                errors.add(new FieldError(pointer, path + ": " + resolution.error().replaceFirst("^\\$", "\\$.data")
                        + " of " + eventType.label()));
            }
            return null;
        }
        if (pointer != null) {
            errors.add(new FieldError(pointer, path + ": an event path reads $.data..., $.id, $.type, $.source, "
                    + "$.subject or $.time"));
        }
        return null;
    }
}
