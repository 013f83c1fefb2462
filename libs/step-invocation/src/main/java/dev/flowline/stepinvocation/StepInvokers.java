package dev.flowline.stepinvocation;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/** The invoker of each binding type this service can call. */
@ApplicationScoped
public class StepInvokers {

    @Inject
    Instance<StepInvoker> invokers;

    /** The invoker for {@code bindingType} ({@code http}, {@code lambda}); empty for a type nothing here serves. */
    public Optional<StepInvoker> forType(String bindingType) {
        for (StepInvoker invoker : invokers) {
            if (invoker.bindingType().equals(bindingType)) {
                return Optional.of(invoker);
            }
        }
        return Optional.empty();
    }
}
