package dev.flowline.task.api;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

import dev.flowline.contracts.TaskResolved;
import dev.flowline.servicekit.api.QueryParameters;
import dev.flowline.servicekit.problem.ProblemException;
import dev.flowline.servicekit.security.Roles;
import dev.flowline.task.domain.Actor;
import dev.flowline.task.domain.BulkTaskChange;
import dev.flowline.task.domain.InboxQuery;
import dev.flowline.task.domain.SavedFilters;
import dev.flowline.task.domain.TaskFilter;
import dev.flowline.task.domain.TaskOperations;
import dev.flowline.task.domain.TaskQueries;
import dev.flowline.task.persistence.TaskEntity;

/**
 * The task inbox and its actions. Viewers read; operators act, within the task's own permissions (candidates,
 * assignee, admins; see {@code TaskPermissions}). Every answer about one task carries its version as the ETag; a
 * change sent with {@code If-Match} and an older version is refused with 409.
 */
@Path("/api/tasks")
@Produces(MediaType.APPLICATION_JSON)
public class TaskResource {

    static final int MAX_LIMIT = 200;

    @Inject
    TaskQueries queries;

    @Inject
    TaskOperations operations;

    @Inject
    BulkTaskChange bulk;

    @Inject
    SavedFilters savedFilters;

    @Inject
    SecurityIdentity identity;

    @ConfigProperty(name = "flowline.tasks.runs-url")
    String runsUrl;

    @ConfigProperty(name = "flowline.tasks.views-url")
    String viewsUrl;

    @jakarta.ws.rs.core.Context
    jakarta.ws.rs.core.HttpHeaders headers;

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Tasks by status, assignee (me), candidate of my roles, workflow, run, step, error code, "
            + "priority, due and created ranges, title text, or a saved filter (these override its parameters); "
            + "sorted by due, priority or created; cursor paging")
    public Uni<TaskViews.TaskPage> list(@QueryParam("status") String status, @QueryParam("assignee") String assignee,
            @QueryParam("candidate") String candidate, @QueryParam("workflow") String workflow,
            @QueryParam("run") String run, @QueryParam("step") String step, @QueryParam("errorCode") String errorCode,
            @QueryParam("priorityMin") String priorityMin, @QueryParam("priorityMax") String priorityMax,
            @QueryParam("dueBefore") String dueBefore, @QueryParam("dueAfter") String dueAfter,
            @QueryParam("createdFrom") String createdFrom, @QueryParam("createdTo") String createdTo,
            @QueryParam("q") String text, @QueryParam("sort") String sort, @QueryParam("filter") String saved,
            @QueryParam("cursor") String cursor, @QueryParam("limit") @DefaultValue("50") String limit) {
        Map<String, String> asked = new LinkedHashMap<>();
        put(asked, InboxQuery.STATUS, status);
        put(asked, InboxQuery.ASSIGNEE, assignee);
        put(asked, InboxQuery.CANDIDATE, candidate);
        put(asked, InboxQuery.WORKFLOW, workflow);
        put(asked, InboxQuery.RUN, run);
        put(asked, InboxQuery.STEP, step);
        put(asked, InboxQuery.ERROR_CODE, errorCode);
        put(asked, InboxQuery.PRIORITY_MIN, priorityMin);
        put(asked, InboxQuery.PRIORITY_MAX, priorityMax);
        put(asked, InboxQuery.DUE_BEFORE, dueBefore);
        put(asked, InboxQuery.DUE_AFTER, dueAfter);
        put(asked, InboxQuery.CREATED_FROM, createdFrom);
        put(asked, InboxQuery.CREATED_TO, createdTo);
        put(asked, InboxQuery.TEXT, text);
        put(asked, InboxQuery.SORT, sort);
        int size = QueryParameters.integer("limit", limit, 1, MAX_LIMIT);
        UUID savedId = QueryParameters.uuid("filter", saved);
        Uni<Map<String, String>> merged = savedId == null
                ? Uni.createFrom().item(asked)
                : savedFilters.get(savedId, identity.getPrincipal().getName(), identity.getRoles()).map(found -> {
                    Map<String, String> all = new LinkedHashMap<>(SavedFilters.parameters(found));
                    all.putAll(asked);
                    return all;
                });
        return merged.flatMap(parameters -> {
            TaskFilter filter = InboxQuery.filter(parameters, identity.getPrincipal().getName(), identity
                    .getRoles());
            try {
                return queries.list(filter, InboxQuery.sort(parameters), QueryParameters.text(cursor), size);
            } catch (TaskQueries.BadCursor e) {
                throw ProblemException.badParameter("cursor", e.getMessage());
            }
        }).map(TaskViews.TaskPage::of);
    }

    @GET
    @Path("/counts")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Counts of the open and claimed tasks (or of one status) by status and error code, with the "
            + "list's main filters (for badges)")
    public Uni<java.util.List<TaskViews.Count>> counts(@QueryParam("status") String status,
            @QueryParam("assignee") String assignee, @QueryParam("candidate") String candidate,
            @QueryParam("workflow") String workflow, @QueryParam("step") String step,
            @QueryParam("errorCode") String errorCode) {
        Map<String, String> asked = new LinkedHashMap<>();
        put(asked, InboxQuery.STATUS, status);
        put(asked, InboxQuery.ASSIGNEE, assignee);
        put(asked, InboxQuery.CANDIDATE, candidate);
        put(asked, InboxQuery.WORKFLOW, workflow);
        put(asked, InboxQuery.STEP, step);
        put(asked, InboxQuery.ERROR_CODE, errorCode);
        TaskFilter filter = InboxQuery.filter(asked, identity.getPrincipal().getName(), identity.getRoles());
        return queries.counts(filter).map(list -> list.stream().map(TaskViews.Count::of).toList());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "A task with its candidates, history, comments and the link to its run")
    public Uni<Response> get(@PathParam("id") String id) {
        return detail(QueryParameters.uuid("id", id));
    }

    @POST
    @Path("/{id}/claim")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Claim an open task (a candidate)")
    public Uni<Response> claim(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch) {
        return answer(operations.claim(QueryParameters.uuid("id", id), version(ifMatch), actor()));
    }

    @POST
    @Path("/{id}/release")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Give a claimed task back (its assignee or an admin)")
    public Uni<Response> release(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch) {
        return answer(operations.release(QueryParameters.uuid("id", id), version(ifMatch), actor()));
    }

    @POST
    @Path("/{id}/assign")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Assign or reassign a task to a user (a candidate or an admin)")
    public Uni<Response> assign(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch,
            TaskViews.AssignRequest body) {
        return answer(operations.assign(QueryParameters.uuid("id", id), version(ifMatch), actor(), body == null
                ? null
                : body.assignee()));
    }

    @POST
    @Path("/{id}/resolve")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Resolve a task with retry (optionally a patched input), skip (a substitute output) or "
            + "abort (a reason): the run goes on, exactly once")
    public Uni<Response> resolve(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch,
            TaskViews.ResolveRequest body) {
        if (body == null) {
            throw ProblemException.invalid("/action", "must be retry, skip or abort");
        }
        TaskResolved.Resolution action = resolution(body.action(), "/action");
        return answer(operations.resolve(QueryParameters.uuid("id", id), version(ifMatch), actor(),
                new TaskOperations.Resolve(action, body.input(), body.output(), body.reason(), body.data())));
    }

    @POST
    @Path("/{id}/cancel")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Cancel a task (admins)")
    public Uni<Response> cancel(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch,
            TaskViews.CancelRequest body) {
        return answer(operations.cancel(QueryParameters.uuid("id", id), version(ifMatch), actor(), body == null
                ? null
                : body.reason()));
    }

    @POST
    @Path("/{id}/comments")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Comment on a task (a candidate or its assignee)")
    public Uni<Response> comment(@PathParam("id") String id, TaskViews.CommentRequest body) {
        return operations.comment(QueryParameters.uuid("id", id), actor(), body == null ? null : body.body()).map(
                saved -> Response.status(201).entity(TaskViews.Comment.of(saved)).build());
    }

    @POST
    @Path("/bulk")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Claim, assign or resolve many tasks at once, each checked and changed on its own; a "
            + "result per task")
    public Uni<TaskViews.BulkResult> bulk(TaskViews.BulkRequest body) {
        if (body == null || body.action() == null) {
            throw ProblemException.invalid("/action", "must be claim, assign or resolve");
        }
        BulkTaskChange.Action action;
        try {
            action = BulkTaskChange.Action.valueOf(body.action().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("/action", "must be claim, assign or resolve, not " + body.action());
        }
        TaskOperations.Resolve resolve = null;
        if (action == BulkTaskChange.Action.RESOLVE) {
            if (body.resolution() == null) {
                throw ProblemException.invalid("/resolution", "resolve needs the resolution for every task");
            }
            resolve = new TaskOperations.Resolve(resolution(body.resolution().action(), "/resolution/action"), body
                    .resolution().input(), body.resolution().output(), body.resolution().reason(),
                    body.resolution()
                            .data());
        }
        return bulk.apply(action, body.taskIds(), actor(), body.assignee(), resolve).map(
                results -> new TaskViews.BulkResult(results, results.stream().filter(BulkTaskChange.Outcome::changed)
                        .count()));
    }

    private static TaskResolved.Resolution resolution(String action, String pointer) {
        try {
            return action == null ? null : TaskResolved.Resolution.valueOf(action.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(pointer, "must be retry, skip or abort, not " + action);
        }
    }

    /** Only what was given: a blank parameter is an absent one. */
    private static void put(Map<String, String> parameters, String name, String value) {
        if (value != null && !value.isBlank()) {
            parameters.put(name, value);
        }
    }

    private Uni<Response> answer(Uni<TaskEntity> changed) {
        return changed.flatMap(task -> detail(task.id));
    }

    private Uni<Response> detail(UUID id) {
        return queries.get(id).map(detail -> {
            if (detail == null) {
                throw ProblemException.notFound("no task " + id);
            }
            return Response.ok(TaskViews.TaskDetail.of(detail, runsUrl, viewsUrl))
                    .tag(Long.toString(detail.task().version))
                    .build();
        });
    }

    private Actor actor() {
        return new Actor(identity.getPrincipal().getName(), identity.getRoles(), headers.getHeaderString(
                jakarta.ws.rs.core.HttpHeaders.AUTHORIZATION));
    }

    /** {@code If-Match: "3"} (or W/"3", or 3); absent: no version check. */
    static Long version(String ifMatch) {
        String value = QueryParameters.text(ifMatch);
        if (value == null || value.equals("*")) {
            return null;
        }
        String bare = value.startsWith("W/") ? value.substring(2) : value;
        bare = bare.replace("\"", "");
        try {
            return Long.parseLong(bare);
        } catch (NumberFormatException e) {
            throw ProblemException.badParameter("If-Match", "the task's ETag, e.g. \"3\"");
        }
    }
}
