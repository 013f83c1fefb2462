package dev.flowline.trigger.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

import dev.flowline.expression.Condition;
import dev.flowline.expression.ConditionIndex;
import dev.flowline.expression.Mapping;
import dev.flowline.trigger.persistence.TriggerEntity;

/**
 * The active triggers, compiled once per revision and indexed by event type, so an event is only evaluated against
 * the triggers of its type and nothing is parsed per event. Reloaded after a change on this instance and every few
 * seconds for changes made on another.
 */
@ApplicationScoped
public class TriggerSet {

    private static final Logger LOG = Logger.getLogger(TriggerSet.class);

    /** A trigger ready to evaluate; identity is the trigger's id and revision. */
    public record Compiled(TriggerEntity trigger, Condition condition, Mapping parameters) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Compiled c && c.trigger.id.equals(trigger.id) && c.trigger.revision == trigger.revision;
        }

        @Override
        public int hashCode() {
            return trigger.id.hashCode() * 31 + trigger.revision;
        }
    }

    private volatile Map<String, ConditionIndex<Compiled>> byType;
    private final Map<String, Compiled> cache = new HashMap<>();

    public static Compiled compile(TriggerEntity trigger) {
        return new Compiled(trigger, Condition.parse(trigger.conditions, "/conditions"),
                Mapping.parse(trigger.parameters, "/parameters"));
    }

    /** The active triggers of {@code eventType}, indexed; loads them first if this instance has not yet. */
    public Uni<ConditionIndex<Compiled>> forType(String eventType) {
        Map<String, ConditionIndex<Compiled>> current = byType;
        if (current != null) {
            return Uni.createFrom().item(current.getOrDefault(eventType, EMPTY));
        }
        return load().map(loaded -> loaded.getOrDefault(eventType, EMPTY));
    }

    private static final ConditionIndex<Compiled> EMPTY = new ConditionIndex<>(Map.of(), TriggerEvaluator.DATA);

    /** Reloads from the database; call inside a reactive session. */
    public Uni<Map<String, ConditionIndex<Compiled>>> load() {
        return TriggerEntity.active().map(triggers -> {
            Map<String, List<Compiled>> index = new HashMap<>();
            synchronized (cache) {
                Map<String, Compiled> next = new HashMap<>();
                for (TriggerEntity trigger : triggers) {
                    String key = trigger.id + "@" + trigger.revision;
                    Compiled compiled = cache.get(key);
                    if (compiled == null) {
                        compiled = compile(trigger);
                    }
                    next.put(key, compiled);
                    index.computeIfAbsent(trigger.eventType, t -> new ArrayList<>()).add(compiled);
                }
                cache.clear();
                cache.putAll(next);
            }
            Map<String, ConditionIndex<Compiled>> indexes = new HashMap<>();
            index.forEach((type, list) -> {
                Map<Compiled, Condition> conditions = new LinkedHashMap<>();
                list.forEach(c -> conditions.put(c, c.condition()));
                indexes.put(type, new ConditionIndex<>(conditions, TriggerEvaluator.DATA));
            });
            byType = indexes;
            return indexes;
        });
    }

    @Scheduled(every = "${flowline.triggers.refresh-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return Panache.withSession(this::load).replaceWithVoid().onFailure().recoverWithUni(e -> {
            LOG.warnf("trigger reload failed: %s", e.toString());
            return Uni.createFrom().voidItem();
        });
    }
}
