package dev.flowline.bridge.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import dev.flowline.bridge.inngest.AppSync;
import dev.flowline.bridge.inngest.FunctionSource;
import dev.flowline.bridge.inngest.InngestFunction;
import dev.flowline.catalogcache.CachedDefinition;
import dev.flowline.catalogcache.CatalogCache;
import dev.flowline.contracts.CatalogChange;
import dev.flowline.contracts.CatalogKind;
import dev.flowline.definitions.WorkflowDefinition;

/**
 * One Inngest function per workflow with a published, non-deprecated version: id from the workflow's name, triggered
 * by the command event of each such version (legacy {@code inngest_event} names included), with the newest version's
 * concurrency. A workflow whose versions are all deprecated keeps its function for the runs in flight, but starts
 * no new ones. The run picks (and pins) its version in its first step. When the catalog publishes or deprecates a
 * workflow the functions are rebuilt and synced with Inngest.
 */
@ApplicationScoped
public class WorkflowFunctions implements FunctionSource {

    private static final Logger LOG = Logger.getLogger(WorkflowFunctions.class);

    /**
     * A served workflow: its function and the event names that start it; {@code startable} is false when every
     * version is deprecated (the function serves the runs in flight).
     */
    public record Served(String workflow, InngestFunction function, Set<String> events, boolean startable) {
    }

    @Inject
    CatalogCache catalog;

    @Inject
    WorkflowRunner runner;

    @Inject
    AppSync sync;

    private volatile List<Served> served = List.of();

    @Override
    public List<InngestFunction> functions() {
        return served.stream().map(Served::function).toList();
    }

    /** The workflow's function, if it has a published version. */
    public Optional<Served> find(String workflow) {
        return served.stream().filter(s -> s.workflow().equals(workflow) && s.startable()).findFirst();
    }

    /** A call request for a function this list does not have: the catalog may have changed since the last build. */
    @Override
    public void refreshIfMissing(String functionId) {
        if (served.stream().noneMatch(s -> s.function().id().equals(functionId) || functionId.endsWith("-" + s
                .function().id()))) {
            refresh();
        }
    }

    /** The function id of a workflow: its name, lower case, other characters than a-z, 0-9 and - as -. */
    public static String functionId(String workflow) {
        return "workflow-" + workflow.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    }

    /** Rebuilds the functions from the cache (blocking); answers whether they changed. */
    public synchronized boolean refresh() {
        List<Served> rebuilt;
        try {
            rebuilt = Blocking.inSession(this::build);
        } catch (RuntimeException e) {
            LOG.warnf("could not read the workflows from the catalog cache: %s", e.getMessage());
            return false;
        }
        boolean changed = !describe(rebuilt).equals(describe(served));
        served = rebuilt;
        return changed;
    }

    /** Rebuilds and, when something changed or a function is not registered yet, syncs with Inngest (blocking). */
    public synchronized void refreshAndSync() {
        boolean changed = refresh();
        if (changed || served.stream().anyMatch(s -> !sync.registered(s.function().id()))) {
            sync.resync();
        }
    }

    /** Whether Inngest has the function of this served workflow (the last sync registered it). */
    public boolean registered(Served workflow) {
        return sync.registered(workflow.function().id());
    }

    void onStart(@Observes StartupEvent started) {
        refresh();
    }

    void onCatalogChange(@ObservesAsync CatalogChange change) {
        if (change.kind() == CatalogKind.WORKFLOW) {
            refreshAndSync();
        }
    }

    private Uni<List<Served>> build() {
        return catalog.workflows().names().onItem().transformToMulti(names -> Multi.createFrom().iterable(names))
                .onItem().transformToUniAndConcatenate(name -> catalog.workflows().versions(name).map(versions -> {
                    List<CachedDefinition<WorkflowDefinition>> published = versions.stream().filter(v -> !v
                            .deprecated()).toList();
                    // Every version deprecated: still served (runs in flight must finish), but the plan starts no
                    // run without a pinned version, and commands are refused.
                    return versions.isEmpty()
                            ? Optional.<Served>empty()
                            : Optional.of(served(name, published.isEmpty() ? versions : published, !published
                                    .isEmpty()));
                })).collect().asList().map(all -> all.stream().flatMap(Optional::stream).toList());
    }

    private Served served(String name, List<CachedDefinition<WorkflowDefinition>> published, boolean startable) {
        Set<String> events = new LinkedHashSet<>();
        published.forEach(v -> events.add(v.definition().command()));
        WorkflowDefinition newest = published.get(published.size() - 1).definition();
        List<InngestFunction.Concurrency> concurrency = new ArrayList<>();
        if (newest.concurrency() != null) {
            concurrency.add(new InngestFunction.Concurrency(newest.concurrency().limit(), newest.concurrency()
                    .key() == null ? null : concurrencyKey(newest.concurrency().key().parsed()), null));
        }
        InngestFunction function = new InngestFunction(functionId(name), newest.displayName() == null
                ? name
                : newest.displayName(), events.stream().map(InngestFunction.Trigger::event).toList(),
                InngestFunction.MAX_RETRIES, concurrency, InngestFunction.FlowControl.NONE, null,
                context -> runner.run(name, context));
        return new Served(name, function, Set.copyOf(events), startable);
    }

    /**
     * The concurrency key as Inngest's expression over the event: the workflow's key is a path into the run's input
     * ({@code $.input.host_id}), which is the event's {@code data.input}: {@code event.data.input.host_id}.
     */
    static String concurrencyKey(dev.flowline.expression.JsonPath path) {
        StringBuilder expression = new StringBuilder("event.data.input");
        List<dev.flowline.expression.JsonPath.Segment> segments = path.segments();
        int from = !segments.isEmpty() && segments.get(0) instanceof dev.flowline.expression.JsonPath.Name first
                && first.name().equals("input") ? 1 : 0;
        for (int i = from; i < segments.size(); i++) {
            if (segments.get(i) instanceof dev.flowline.expression.JsonPath.Name n && n.name().matches(
                    "[A-Za-z_][A-Za-z0-9_]*")) {
                expression.append('.').append(n.name());
            } else if (segments.get(i) instanceof dev.flowline.expression.JsonPath.Name n) {
                expression.append("[\"").append(n.name().replace("\\", "\\\\").replace("\"", "\\\"")).append("\"]");
            } else {
                expression.append('[').append(((dev.flowline.expression.JsonPath.Index) segments.get(i)).index())
                        .append(']');
            }
        }
        return expression.toString();
    }

    private static List<String> describe(List<Served> list) {
        return list.stream().map(s -> s.workflow() + " " + new java.util.TreeSet<>(s.events()) + " " + s.function()
                .concurrency()).toList();
    }
}
