package dev.flowline.bridge.inngest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/** The functions this app serves: every {@link InngestFunction} bean, and every {@link FunctionSource}'s. */
@ApplicationScoped
public class FunctionRegistry {

    @Inject
    @Any
    Instance<InngestFunction> beans;

    @Inject
    @Any
    Instance<FunctionSource> sources;

    @Inject
    InngestSettings settings;

    /** Every function served, a function's failure handler as a function of its own after it. */
    public List<InngestFunction> all() {
        List<InngestFunction> all = new ArrayList<>();
        beans.forEach(function -> add(all, function));
        sources.forEach(source -> source.functions().forEach(function -> add(all, function)));
        return all;
    }

    private void add(List<InngestFunction> all, InngestFunction function) {
        all.add(function);
        if (function.onFailure() != null) {
            all.add(function.failureFunction(compositeId(function)));
        }
    }

    /** The function's id as Inngest knows it: {@code <app id>-<function id>}. */
    public String compositeId(InngestFunction function) {
        return settings.appId() + "-" + function.id();
    }

    /** By composite id (the {@code fnId} of a call request), or by the bare id. */
    public Optional<InngestFunction> find(String fnId) {
        Optional<InngestFunction> found = lookup(fnId);
        if (found.isEmpty()) {
            sources.forEach(source -> source.refreshIfMissing(fnId));
            found = lookup(fnId);
        }
        return found;
    }

    private Optional<InngestFunction> lookup(String fnId) {
        return all().stream().filter(f -> compositeId(f).equals(fnId) || f.id().equals(fnId)).findFirst();
    }
}
