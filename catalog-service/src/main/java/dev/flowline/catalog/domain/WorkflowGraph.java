package dev.flowline.catalog.domain;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.flowline.definitions.WorkflowDefinition;
import dev.flowline.expression.JsonPointers;
import dev.flowline.servicekit.problem.Problem.FieldError;

/**
 * The step graph of a workflow definition and the checks on it: the start and every target exist, every step is
 * reachable from the start and can reach an end step, and every loop has a bounded exit (a step on it with
 * {@code maxVisits} and an edge that leaves it). Also answers which steps surely ran before a given step
 * (dominators), for the data-flow checks.
 */
public final class WorkflowGraph {

    private final String start;
    private final Set<String> ends;
    /** Successors per step, in the order written. */
    private final Map<String, List<String>> edges = new LinkedHashMap<>();
    private final WorkflowDefinition workflow;
    private final List<FieldError> errors = new ArrayList<>();

    public WorkflowGraph(WorkflowDefinition workflow) {
        this.workflow = workflow;
        this.start = workflow.start();
        this.ends = new LinkedHashSet<>(workflow.end());
        workflow.steps().forEach((id, step) -> edges.put(id, targets(id, step.next())));
    }

    private List<String> targets(String id, WorkflowDefinition.Next next) {
        String at = JsonPointers.append(JsonPointers.append("/steps", id), "next");
        if (!next.plain()) {
            List<WorkflowDefinition.Branch> branches = next.branches();
            for (int i = 0; i < branches.size(); i++) {
                boolean isDefault = branches.get(i).isDefault();
                if (isDefault && i < branches.size() - 1) {
                    errors.add(new FieldError(JsonPointers.append(at, i), "only the last branch may omit 'when' (it "
                            + "is the default)"));
                }
                if (!isDefault && i == branches.size() - 1) {
                    errors.add(new FieldError(at, "a list of branches ends with a default: {\"to\": <step>} "
                            + "without 'when'"));
                }
            }
        }
        return new ArrayList<>(next.targets());
    }

    /** Every structural problem, each at its JSON pointer. */
    public List<FieldError> check() {
        if (!edges.containsKey(start)) {
            errors.add(new FieldError("/start", "start step '" + start + "' is not among the steps " + edges
                    .keySet()));
        }
        int i = 0;
        for (String end : ends) {
            if (!edges.containsKey(end)) {
                errors.add(new FieldError("/end/" + i, "end step '" + end + "' is not among the steps"));
            } else if (!workflow.step(end).next().isEnd()) {
                errors.add(new FieldError(JsonPointers.append(JsonPointers.append("/steps", end), "next"),
                        "an end step has no next"));
            }
            i++;
        }
        for (Map.Entry<String, List<String>> entry : edges.entrySet()) {
            boolean plain = workflow.step(entry.getKey()).next().plain();
            String at = JsonPointers.append(JsonPointers.append("/steps", entry.getKey()), "next");
            for (int b = 0; b < entry.getValue().size(); b++) {
                String target = entry.getValue().get(b);
                if (!edges.containsKey(target)) {
                    String pointer = plain ? at : JsonPointers.append(JsonPointers.append(at, b), "to");
                    errors.add(new FieldError(pointer, "next step '" + target + "' does not exist"));
                }
            }
        }
        if (!errors.isEmpty()) {
            return errors;
        }
        Set<String> reachable = reach(Set.of(start), successors());
        Set<String> canEnd = reach(ends, predecessors());
        for (String id : edges.keySet()) {
            String at = JsonPointers.append("/steps", id);
            if (!reachable.contains(id)) {
                errors.add(new FieldError(at, "step '" + id + "' cannot be reached from the start '" + start + "'"));
            } else if (!canEnd.contains(id)) {
                errors.add(new FieldError(at, "step '" + id + "' cannot reach an end step " + ends));
            }
        }
        checkLoops();
        return errors;
    }

    private void checkLoops() {
        for (List<String> component : stronglyConnected()) {
            String first = component.get(0);
            boolean loop = component.size() > 1 || edges.get(first).contains(first);
            if (!loop) {
                continue;
            }
            Set<String> members = new HashSet<>(component);
            boolean bounded = component.stream().anyMatch(id -> workflow.step(id).maxVisits() != null);
            boolean exits = component.stream().anyMatch(id -> edges.get(id).stream()
                    .anyMatch(t -> !members.contains(t)));
            if (!bounded || !exits) {
                errors.add(new FieldError(JsonPointers.append(JsonPointers.append("/steps", first), "next"),
                        "the loop " + String.join(" → ", component) + " → " + first + " has no bounded exit: give "
                                + "one of its steps maxVisits and a branch that leaves the loop"));
            }
        }
    }

    /** Tarjan's algorithm; components in discovery order. */
    private List<List<String>> stronglyConnected() {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new HashSet<>();
        List<List<String>> components = new ArrayList<>();
        int[] counter = {0};
        for (String id : edges.keySet()) {
            if (!index.containsKey(id)) {
                strongConnect(id, index, low, stack, onStack, components, counter);
            }
        }
        return components;
    }

    private void strongConnect(String v, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
            Set<String> onStack, List<List<String>> components, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : edges.get(v)) {
            if (!index.containsKey(w)) {
                strongConnect(w, index, low, stack, onStack, components, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(0, w);
            } while (!w.equals(v));
            components.add(component);
        }
    }

    private Map<String, List<String>> successors() {
        return edges;
    }

    private Map<String, List<String>> predecessors() {
        Map<String, List<String>> preds = new LinkedHashMap<>();
        edges.keySet().forEach(id -> preds.put(id, new ArrayList<>()));
        edges.forEach((from, tos) -> tos.forEach(to -> preds.computeIfAbsent(to, k -> new ArrayList<>()).add(from)));
        return preds;
    }

    private static Set<String> reach(Set<String> from, Map<String, List<String>> graph) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(from);
        while (!todo.isEmpty()) {
            String id = todo.pop();
            if (seen.add(id)) {
                graph.getOrDefault(id, List.of()).forEach(todo::push);
            }
        }
        return seen;
    }

    /**
     * For each step, the steps that run before it on every path from the start (its strict dominators). Only
     * meaningful once {@link #check()} found nothing.
     */
    public Map<String, Set<String>> dominators() {
        Map<String, List<String>> preds = predecessors();
        Set<String> all = new LinkedHashSet<>(edges.keySet());
        Map<String, Set<String>> dom = new LinkedHashMap<>();
        for (String id : all) {
            dom.put(id, id.equals(start) ? new LinkedHashSet<>(Set.of(start)) : new LinkedHashSet<>(all));
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (String id : all) {
                if (id.equals(start)) {
                    continue;
                }
                Set<String> next = null;
                for (String p : preds.get(id)) {
                    if (next == null) {
                        next = new LinkedHashSet<>(dom.get(p));
                    } else {
                        next.retainAll(dom.get(p));
                    }
                }
                next = next == null ? new LinkedHashSet<>() : next;
                next.add(id);
                if (!next.equals(dom.get(id))) {
                    dom.put(id, next);
                    changed = true;
                }
            }
        }
        Map<String, Set<String>> strict = new LinkedHashMap<>();
        dom.forEach((id, set) -> {
            Set<String> s = new LinkedHashSet<>(set);
            s.remove(id);
            strict.put(id, s);
        });
        return strict;
    }

    /** Steps in the order a run meets them first (breadth first from the start). */
    public List<String> order() {
        List<String> order = new ArrayList<>();
        Deque<String> todo = new ArrayDeque<>(List.of(start));
        while (!todo.isEmpty()) {
            String id = todo.removeFirst();
            if (edges.containsKey(id) && !order.contains(id)) {
                order.add(id);
                todo.addAll(edges.get(id));
            }
        }
        edges.keySet().stream().filter(id -> !order.contains(id)).forEach(order::add);
        return order;
    }

    public Set<String> ends() {
        return ends;
    }
}
