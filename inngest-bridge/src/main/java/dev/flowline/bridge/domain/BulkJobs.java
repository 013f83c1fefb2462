package dev.flowline.bridge.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;

import dev.flowline.bridge.persistence.BulkJobEntity;
import dev.flowline.bridge.persistence.BulkJobRunEntity;
import dev.flowline.servicekit.problem.ProblemException;

/**
 * Bulk re-runs and resumes: the runs a filter matches (at most {@code flowline.runner.bulk-max-runs}), taken as a
 * snapshot when the job starts, each re-run or resumed once, with a result per run. Work happens in the background;
 * a job a restart interrupted is taken up again at start-up and skips the runs that already have a result.
 */
@ApplicationScoped
public class BulkJobs {

    private static final Logger LOG = Logger.getLogger(BulkJobs.class);
    private static final int PAGE = 200;

    /** A job and the result for each run it handled so far. */
    public record JobView(BulkJobEntity job, List<BulkJobRunEntity> runs) {
    }

    @Inject
    RunQueries queries;

    @Inject
    RunOperations operations;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "flowline.runner.bulk-max-runs", defaultValue = "10000")
    int maxRuns;

    /**
     * Checks and records a job, then starts it; blocking.
     *
     * @param version for re-runs: {@code same}, {@code latest} or a version
     * @param fromStep for resumes: the step to resume from; null for each run's failed step
     */
    public BulkJobEntity submit(BulkOperation operation, RunFilter filter, String version, String fromStep,
            RunOperations.Caller caller) {
        if (filter.workflow() == null) {
            throw ProblemException.invalid("/filter/workflow", "a bulk job needs the workflow whose runs it takes");
        }
        BulkJobEntity job = new BulkJobEntity();
        job.jobId = UUID.randomUUID();
        job.operation = operation;
        job.filter = json.valueToTree(filter);
        ObjectNode parameters = json.createObjectNode();
        parameters.put("version", version);
        parameters.put("fromStep", fromStep);
        parameters.set("roles", json.valueToTree(caller.roles()));
        job.parameters = parameters;
        job.requestedBy = caller.subject();
        job.status = BulkOperation.JobStatus.RUNNING;
        job.createdAt = Instant.now();
        Blocking.await(() -> Panache.withTransaction(job::persist));
        Infrastructure.getDefaultWorkerPool().execute(() -> process(job.jobId));
        return job;
    }

    public JobView get(UUID jobId) {
        BulkJobEntity job = Blocking.inSession(() -> BulkJobEntity.<BulkJobEntity>findById(jobId));
        if (job == null) {
            throw ProblemException.notFound("no bulk job " + jobId);
        }
        List<BulkJobRunEntity> runs = Blocking.inSession(() -> BulkJobRunEntity.<BulkJobRunEntity>list(
                "key.jobId = ?1 order by at", jobId));
        return new JobView(job, runs);
    }

    void resumeUnfinished(@Observes StartupEvent started) {
        List<BulkJobEntity> unfinished = Blocking.inSession(() -> BulkJobEntity.<BulkJobEntity>list(
                "status = ?1", BulkOperation.JobStatus.RUNNING));
        unfinished.forEach(job -> Infrastructure.getDefaultWorkerPool().execute(() -> process(job.jobId)));
    }

    /** Works through a job (blocking); safe to call again for the same job. */
    void process(UUID jobId) {
        try {
            BulkJobEntity job = Blocking.inSession(() -> BulkJobEntity.<BulkJobEntity>findById(jobId));
            RunFilter filter = json.treeToValue(job.filter, RunFilter.class);
            String version = job.parameters.path("version").asText(null);
            String fromStep = job.parameters.path("fromStep").asText(null);
            Set<String> roles = Set.of(json.convertValue(job.parameters.path("roles"), String[].class));
            RunOperations.Caller caller = new RunOperations.Caller(job.requestedBy, roles);
            List<String> matched = snapshot(filter);
            Blocking.await(() -> Panache.withTransaction(() -> BulkJobEntity.update("matched = ?1 where jobId = ?2",
                    matched.size(), jobId)));
            for (String runId : matched) {
                BulkJobRunEntity.Key key = new BulkJobRunEntity.Key(jobId, runId);
                if (Blocking.inSession(() -> BulkJobRunEntity.findById(key)) != null) {
                    continue;
                }
                BulkJobRunEntity result = new BulkJobRunEntity();
                result.key = key;
                try {
                    RunOperations.RunStart start = job.operation == BulkOperation.RERUN
                            ? operations.rerun(runId, null, version, caller, Duration.ZERO)
                            : operations.resume(runId, fromStep != null ? fromStep : failedStepOrFail(runId), null,
                                    caller, Duration.ZERO);
                    result.outcome = BulkOperation.Outcome.STARTED;
                    result.commandId = start.commandId();
                } catch (ProblemException e) {
                    result.outcome = BulkOperation.Outcome.REFUSED;
                    result.detail = e.getMessage() + (e.errors().isEmpty() ? "" : " " + e.errors());
                }
                result.at = Instant.now();
                Blocking.await(() -> Panache.withTransaction(result::persist));
            }
            Blocking.await(() -> Panache.withTransaction(() -> BulkJobEntity.update(
                    "status = ?1, finishedAt = ?2 where jobId = ?3", BulkOperation.JobStatus.DONE, Instant.now(),
                    jobId)));
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.errorf(e, "bulk job %s stopped; it is taken up again at the next start", jobId);
        }
    }

    private String failedStepOrFail(String runId) {
        String step = operations.failedStep(runId);
        if (step == null) {
            throw ProblemException.conflict("run " + runId + " has no failed step to resume from");
        }
        return step;
    }

    /** The ids of the runs the filter matches now, at most {@code maxRuns}. */
    private List<String> snapshot(RunFilter filter) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            String after = cursor;
            RunQueries.Page page = Blocking.await(() -> queries.list(filter, after, PAGE));
            page.runs().stream().map(r -> r.runId).forEach(ids::add);
            cursor = page.next();
        } while (cursor != null && ids.size() < maxRuns);
        return ids.size() > maxRuns ? ids.subList(0, maxRuns) : ids;
    }

}
