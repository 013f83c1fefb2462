package dev.flowline.task.benchmark;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;

import dev.flowline.servicekit.security.Roles;
import dev.flowline.testkit.Tokens;

/**
 * Load driver for the inbox (not a test: it asserts nothing and is left out of the build's test run;
 * {@code ./mvnw verify -pl task-service -Ptask-inbox}). Puts 100,000 tasks in PostgreSQL (statuses, 20 error codes,
 * one or two of five candidate roles each, due dates over a week), then times, through the HTTP API with a real
 * token, the inbox's page "open tasks of one error code my roles may work on, soonest due first" and the counts, and
 * prints p50/p95/p99 and the query plan of the page.
 */
@QuarkusTest
class TaskInboxDriver {

    static final int TASKS = Integer.getInteger("tasks", 100_000);
    static final int REQUESTS = Integer.getInteger("requests", 500);

    @TestHTTPResource("/api/tasks")
    URL tasks;

    @Inject
    Pool pool;

    @Test
    void reportInboxLatency() throws Throwable {
        long seeding = System.nanoTime();
        sql("""
                INSERT INTO task.task (id, correlation_key, run_id, workflow, workflow_version, step_id, step, execution,
                    attempt, error_code, error_message, task_type, title, status, priority, due_at, created_at,
                    updated_at, version, candidate_roles)
                SELECT gen_random_uuid(), 'bench/' || g, 'run-' || g, 'wf_' || (g % 10), '1', 'S' || (g % 7),
                    'step_' || (g % 7) || '@1.0.0', 1, 0, 'CODE_' || (abs(hashtext('c' || g)) % 20), 'message', 'step_' || (g % 7)
                    || ':CODE_' || (abs(hashtext('c' || g)) % 20), 'Task ' || g, (ARRAY['OPEN','OPEN','OPEN','CLAIMED',
                    'RESOLVED','RESOLVED','RESOLVED','CANCELLED'])[1 + (abs(hashtext('s' || g)) % 8)], g % 101, now() + (g % 10080) * interval '1 minute',
                    now() - (g % 5000) * interval '1 minute', now(), 0,
                    -- One or two of five team roles; a third of the tasks have a second.
                    CASE WHEN g % 3 = 0 THEN ARRAY['flowline-team-' || (abs(hashtext('r' || g)) % 5),
                                                   'flowline-team-' || ((abs(hashtext('r' || g)) + 1) % 5)]
                         ELSE ARRAY['flowline-team-' || (abs(hashtext('r' || g)) % 5)] END
                FROM generate_series(1, :tasks) g
                """
                .replace(":tasks", Integer.toString(TASKS)));
        // As autovacuum would leave it: statistics, and a visibility map for index-only scans.
        pool.query("VACUUM ANALYZE task.task").executeAndAwait();
        System.out.printf(Locale.ROOT, "%n== Task inbox: %,d tasks seeded in %.1f s ==%n", TASKS,
                (System.nanoTime() - seeding) / 1e9);

        String token = Tokens.forUser("bench", Roles.OPERATOR, "flowline-team-2");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String page = tasks + "?status=open&candidate=mine&errorCode=CODE_3&sort=due&limit=50";
        String counts = tasks + "/counts?candidate=mine";
        String allCounts = tasks + "/counts";
        report("page (open, candidate of my roles, error code, by due, 50)", http, page, token);
        report("counts (open and claimed, by error code, candidate of my roles)", http, counts, token);
        report("counts (open and claimed, by error code, every task)", http, allCounts, token);
        report("page without the error code (open, mine, by due, 50)", http, tasks
                + "?status=open&candidate=mine&sort=due&limit=50", token);
        System.out.println("\nPlan of the page's query:");
        for (Object line : list(
                """
                        EXPLAIN (ANALYZE, BUFFERS) SELECT id, title, status, task_type, error_code, workflow, step_id,
                        run_id, assignee, priority, due_at, created_at, version FROM task.task WHERE status = 'OPEN'
                        AND error_code = 'CODE_3' AND (candidate_roles && ARRAY['flowline-operator', 'flowline-viewer',
                        'flowline-team-2'] OR 'bench' = ANY(candidate_users)) ORDER BY due_at, id LIMIT 51
                        """)) {
            System.out.println("  " + line);
        }
        System.out.println("\nPlan of the counts of my roles:");
        for (Object line : list(
                """
                        EXPLAIN (ANALYZE, BUFFERS) SELECT status, error_code, count(*) FROM task.task
                        WHERE status IN ('OPEN', 'CLAIMED') AND (candidate_roles && ARRAY['flowline-operator',
                        'flowline-viewer', 'flowline-team-2'] OR 'bench' = ANY(candidate_users))
                        GROUP BY status, error_code
                        """)) {
            System.out.println("  " + line);
        }
    }

    private static void report(String name, HttpClient http, String url, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30)).build();
        // Warm-up: the JIT and the connection pool settle before anything is timed.
        for (int i = 0; i < 300; i++) {
            http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        long[] times = new long[REQUESTS];
        int status = 0;
        int bytes = 0;
        for (int i = 0; i < REQUESTS; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            times[i] = System.nanoTime() - start;
            status = response.statusCode();
            bytes = response.body().length();
        }
        Arrays.sort(times);
        System.out.printf(Locale.ROOT, "%-62s HTTP %d, %,d bytes: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                name, status, bytes, times[REQUESTS / 2] / 1e6, times[(int) (REQUESTS * 0.95)] / 1e6,
                times[(int) (REQUESTS * 0.99)] / 1e6, times[REQUESTS - 1] / 1e6);
    }

    private static void sql(String statement) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Panache.getSession().flatMap(
                session -> session.createNativeQuery(statement).executeUpdate())));
    }

    private static List<Object> list(String statement) throws Throwable {
        return new ArrayList<>(VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> Panache
                .getSession().flatMap(session -> session.createNativeQuery(statement, String.class)
                        .getResultList()))));
    }
}
