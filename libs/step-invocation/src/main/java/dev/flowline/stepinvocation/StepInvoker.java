package dev.flowline.stepinvocation;

import dev.flowline.definitions.StepDefinition;

/** Calls a step's binding for one attempt; never throws for what the endpoint did, answers it. */
public interface StepInvoker {

    /** The binding type this invoker serves ({@code http}, {@code lambda}). */
    String bindingType();

    StepResponse invoke(StepDefinition.Binding binding, StepCall call);
}
