package dev.flowline.catalog.api;

import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;

import dev.flowline.catalog.domain.DefinitionService;
import dev.flowline.catalog.domain.DefinitionValidator;
import dev.flowline.catalog.domain.LegacyWorkflows;
import dev.flowline.contracts.CatalogKind;
import dev.flowline.definitions.StepDefinition;
import dev.flowline.definitions.WorkflowDefinition;
import dev.flowline.servicekit.problem.Problem.FieldError;
import dev.flowline.servicekit.problem.ProblemException;
import dev.flowline.servicekit.security.Roles;

/** Imports a workflow in the legacy state-machine format as drafts. */
@Path("/api/imports/legacy-workflow")
@Produces(MediaType.APPLICATION_JSON)
public class LegacyImportResource {

    /** What an import created, and what it had to assume. */
    @RegisterForReflection
    public record ImportResult(List<DefinitionView> steps, DefinitionView workflow,
            List<LegacyWorkflows.ReportEntry> report) {
    }

    @Inject
    DefinitionService definitions;

    @Inject
    DefinitionValidator validator;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.EDITOR)
    @Operation(summary = "Import a legacy workflow as drafts: one step per state and one workflow, with a report")
    public Uni<Response> importLegacy(JsonNode legacy) {
        LegacyWorkflows.Imported imported = LegacyWorkflows.importWorkflow(legacy);
        List<DefinitionService.Draft> drafts = new ArrayList<>();
        for (int i = 0; i < imported.steps().size(); i++) {
            StepDefinition step = imported.steps().get(i);
            drafts.add(new DefinitionService.Draft(CatalogKind.STEP, step.name(), step.version(), validated(
                    CatalogKind.STEP, step.name(), step.version(), step.toJson(), "/states/" + i)));
        }
        WorkflowDefinition workflow = imported.workflow();
        drafts.add(new DefinitionService.Draft(CatalogKind.WORKFLOW, workflow.name(), workflow.version(), validated(
                CatalogKind.WORKFLOW, workflow.name(), workflow.version(), workflow.toJson(), "")));
        return definitions.saveDrafts(drafts).map(saved -> {
            List<DefinitionView> views = saved.stream().map(s -> DefinitionView.of(s.definition())).toList();
            return Response.status(201).entity(new ImportResult(views.subList(0, views.size() - 1),
                    views.get(views.size() - 1), imported.report())).build();
        });
    }

    /** Runs the draft checks on a generated definition; errors point into the legacy document where possible. */
    private JsonNode validated(CatalogKind kind, String name, String version, ObjectNode document,
            String legacyPointer) {
        try {
            return validator.validateDraft(kind, name, version, document);
        } catch (ProblemException e) {
            List<FieldError> errors = e.errors().stream().map(err -> new FieldError(legacyPointer + err.pointer(),
                    "the imported " + kind.wireName() + " would be invalid: " + err.detail())).toList();
            throw ProblemException.invalid(errors);
        }
    }
}
