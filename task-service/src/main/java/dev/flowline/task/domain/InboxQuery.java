package dev.flowline.task.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.flowline.servicekit.api.QueryParameters;
import dev.flowline.servicekit.problem.Problem.FieldError;
import dev.flowline.servicekit.problem.ProblemException;

/**
 * The inbox's query, read from its parameters by name — the same for {@code GET /api/tasks} and for a saved filter,
 * so a saved filter is exactly what the list would have been asked.
 */
public final class InboxQuery {

    public static final String STATUS = "status";
    public static final String ASSIGNEE = "assignee";
    public static final String CANDIDATE = "candidate";
    public static final String WORKFLOW = "workflow";
    public static final String RUN = "run";
    public static final String STEP = "step";
    public static final String ERROR_CODE = "errorCode";
    public static final String PRIORITY_MIN = "priorityMin";
    public static final String PRIORITY_MAX = "priorityMax";
    public static final String DUE_BEFORE = "dueBefore";
    public static final String DUE_AFTER = "dueAfter";
    public static final String CREATED_FROM = "createdFrom";
    public static final String CREATED_TO = "createdTo";
    public static final String TEXT = "q";
    public static final String SORT = "sort";

    /** Every parameter a query (and so a saved filter) may have. */
    public static final List<String> PARAMETERS = List.of(STATUS, ASSIGNEE, CANDIDATE, WORKFLOW, RUN, STEP,
            ERROR_CODE, PRIORITY_MIN, PRIORITY_MAX, DUE_BEFORE, DUE_AFTER, CREATED_FROM, CREATED_TO, TEXT, SORT);

    /** {@code assignee=me} and {@code candidate=mine} mean the caller. */
    public static final String ME = "me";
    public static final String MINE = "mine";

    private InboxQuery() {
    }

    /** The filter the parameters ask for, for the caller {@code me} with {@code roles}; 400 for a bad value. */
    public static TaskFilter filter(Map<String, String> parameters, String me, Set<String> roles) {
        String who = QueryParameters.text(parameters.get(ASSIGNEE));
        if (ME.equals(who)) {
            who = me;
        }
        TaskFilter.Candidate candidateOf = null;
        String candidate = QueryParameters.text(parameters.get(CANDIDATE));
        if (candidate != null) {
            if (!candidate.equals(MINE)) {
                throw ProblemException.badParameter(CANDIDATE, "only 'mine' (the tasks my roles may work on)");
            }
            candidateOf = new TaskFilter.Candidate(me, roles);
        }
        return new TaskFilter(QueryParameters.enumValue(STATUS, parameters.get(STATUS), TaskStatus.class), who,
                candidateOf, QueryParameters.text(parameters.get(WORKFLOW)), QueryParameters.text(parameters.get(
                        RUN)),
                QueryParameters.text(parameters.get(STEP)), QueryParameters.text(parameters.get(ERROR_CODE)),
                QueryParameters.integer(PRIORITY_MIN, parameters.get(PRIORITY_MIN), 0, 100), QueryParameters.integer(
                        PRIORITY_MAX, parameters.get(PRIORITY_MAX), 0, 100),
                QueryParameters.instant(DUE_BEFORE, parameters.get(DUE_BEFORE)), QueryParameters.instant(DUE_AFTER,
                        parameters.get(DUE_AFTER)),
                QueryParameters.instant(CREATED_FROM, parameters.get(CREATED_FROM)), QueryParameters.instant(
                        CREATED_TO, parameters.get(CREATED_TO)),
                QueryParameters.text(parameters.get(TEXT)));
    }

    public static TaskFilter.Sort sort(Map<String, String> parameters) {
        String sort = QueryParameters.text(parameters.get(SORT));
        return sort == null ? TaskFilter.Sort.DUE : QueryParameters.enumValue(SORT, sort, TaskFilter.Sort.class);
    }

    /**
     * The problems of a query to save, each at {@code /query/<parameter>}: unknown parameters, values that are not
     * strings, values the list would refuse.
     */
    public static List<FieldError> problems(Map<String, Object> query) {
        List<FieldError> errors = new ArrayList<>();
        Map<String, String> texts = new LinkedHashMap<>();
        query.forEach((name, value) -> {
            if (!PARAMETERS.contains(name)) {
                errors.add(new FieldError("/query/" + name, "not an inbox parameter; one of " + PARAMETERS));
            } else if (!(value instanceof String text)) {
                errors.add(new FieldError("/query/" + name, "must be a string, as in the list's query"));
            } else {
                texts.put(name, text);
            }
        });
        for (Map.Entry<String, String> entry : texts.entrySet()) {
            try {
                Map<String, String> one = Map.of(entry.getKey(), entry.getValue());
                filter(one, "someone", Set.of());
                sort(one);
            } catch (ProblemException e) {
                errors.add(new FieldError("/query/" + entry.getKey(), e.getMessage()));
            }
        }
        return errors;
    }
}
