package dev.flowline.bridge.api;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

import dev.flowline.bridge.domain.BulkJobs;
import dev.flowline.bridge.domain.BulkOperation;
import dev.flowline.bridge.domain.RunFilter;
import dev.flowline.bridge.domain.RunOperations;
import dev.flowline.bridge.domain.RunQueries;
import dev.flowline.bridge.domain.RunStatus;
import dev.flowline.servicekit.api.QueryParameters;
import dev.flowline.servicekit.problem.ProblemException;
import dev.flowline.servicekit.security.Roles;

/** Runs: list, inspect, re-run, resume, cancel, and bulk re-runs and resumes. Viewers read; operators act. */
@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    static final int MAX_LIMIT = 200;

    @Inject
    RunQueries queries;

    @Inject
    RunOperations operations;

    @Inject
    BulkJobs bulk;

    @Inject
    SecurityIdentity identity;

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Runs, newest first, by workflow, version, status, start time range, command, trigger or "
            + "error code; cursor paging")
    public Uni<RunViews.RunPage> list(@QueryParam("workflow") String workflow, @QueryParam("version") String version,
            @QueryParam("status") String status, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("command") String command, @QueryParam("trigger") String trigger,
            @QueryParam("errorCode") String errorCode, @QueryParam("cursor") String cursor,
            @QueryParam("limit") @DefaultValue("50") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ProblemException.badParameter("limit", "must be 1 to " + MAX_LIMIT);
        }
        RunFilter filter = new RunFilter(blankToNull(workflow), blankToNull(version), status(status), instant("from",
                from), instant("to", to), uuid("command", command), uuid("trigger", trigger), blankToNull(errorCode));
        try {
            return queries.list(filter, blankToNull(cursor), limit).map(RunViews.RunPage::of);
        } catch (RunQueries.BadCursor e) {
            throw ProblemException.badParameter("cursor", e.getMessage());
        }
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "A run with every step attempt: input, output, error, timings, the task it waits for")
    public Uni<RunViews.RunDetail> get(@PathParam("id") String id) {
        return queries.get(id).map(detail -> {
            if (detail == null) {
                throw ProblemException.notFound("no run " + id);
            }
            return RunViews.RunDetail.of(detail);
        });
    }

    @POST
    @Path("/{id}/rerun")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Blocking
    @Operation(summary = "A new run with the same or an edited input (validated), on the run's version, the latest "
            + "or a given one")
    public Response rerun(@PathParam("id") String id, RunViews.RerunRequest body) {
        RunViews.RerunRequest request = body == null ? new RunViews.RerunRequest(null, null) : body;
        String version = request.version() == null || request.version().isNull() ? null : request.version().asText();
        return accepted(RunViews.RunStarted.of(operations.rerun(id, request.input(), version, caller()), id));
    }

    @POST
    @Path("/{id}/resume")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Blocking
    @Operation(summary = "A new run that reuses the recorded outputs of the steps before fromStep and runs from it, "
            + "optionally with a patched input for it")
    public Response resume(@PathParam("id") String id, RunViews.ResumeRequest body) {
        if (body == null) {
            throw ProblemException.invalid("/fromStep", "the step to resume from is required");
        }
        return accepted(RunViews.RunStarted.of(operations.resume(id, body.fromStep(), body.input(), caller()), id));
    }

    @POST
    @Path("/{id}/cancel")
    @RolesAllowed(Roles.OPERATOR)
    @Blocking
    @Operation(summary = "Cancel a run: its open waits end, and the lifecycle records it")
    public Response cancel(@PathParam("id") String id) {
        operations.cancel(id, caller());
        return Response.accepted().build();
    }

    @POST
    @Path("/bulk-rerun")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Blocking
    @Operation(summary = "Re-run every run a filter matches (workflow required, status defaults to failed); answers "
            + "a job with a result per run")
    public Response bulkRerun(RunViews.BulkRerunRequest body) {
        RunViews.BulkRerunRequest request = body == null ? new RunViews.BulkRerunRequest(null, null) : body;
        String version = request.version() == null || request.version().isNull() ? null : request.version().asText();
        return job(bulk.submit(BulkOperation.RERUN, filter(request.filter()), version, null, caller()));
    }

    @POST
    @Path("/bulk-resume")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Blocking
    @Operation(summary = "Resume every run a filter matches from fromStep, or from each run's failed step; answers a "
            + "job with a result per run")
    public Response bulkResume(RunViews.BulkResumeRequest body) {
        RunViews.BulkResumeRequest request = body == null ? new RunViews.BulkResumeRequest(null, null) : body;
        return job(bulk.submit(BulkOperation.RESUME, filter(request.filter()), null, blankToNull(request.fromStep()),
                caller()));
    }

    @GET
    @Path("/bulk/{jobId}")
    @RolesAllowed(Roles.VIEWER)
    @Blocking
    @Operation(summary = "A bulk job and its result per run")
    public RunViews.BulkJob bulkJob(@PathParam("jobId") String jobId) {
        return RunViews.BulkJob.of(bulk.get(uuid("jobId", jobId)));
    }

    private Response job(dev.flowline.bridge.persistence.BulkJobEntity job) {
        return Response.accepted(RunViews.BulkJob.of(new BulkJobs.JobView(job, java.util.List.of()))).header(
                "Location", "/api/runs/bulk/" + job.jobId).build();
    }

    private static RunFilter filter(RunViews.BulkFilter filter) {
        if (filter == null || blankToNull(filter.workflow()) == null) {
            throw ProblemException.invalid("/filter/workflow", "a bulk job needs the workflow whose runs it takes");
        }
        RunStatus status = status(filter.status());
        return new RunFilter(filter.workflow(), blankToNull(filter.version()), status == null
                ? RunStatus.FAILED
                : status, instant("from", filter.from()), instant("to", filter.to()), null, null,
                blankToNull(filter
                        .errorCode()));
    }

    private Response accepted(RunViews.RunStarted started) {
        Response.ResponseBuilder response = Response.accepted(started);
        if (started.runId() != null) {
            response.header("Location", "/api/runs/" + started.runId());
        }
        return response.build();
    }

    private RunOperations.Caller caller() {
        return new RunOperations.Caller(identity.getPrincipal().getName(), identity.getRoles());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static RunStatus status(String value) {
        if (blankToNull(value) == null) {
            return null;
        }
        try {
            return RunStatus.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badParameter("status", "one of running, waiting, completed, failed, cancelled");
        }
    }

    private static Instant instant(String name, String value) {
        return QueryParameters.instant(name, value);
    }

    private static UUID uuid(String name, String value) {
        return QueryParameters.uuid(name, value);
    }
}
