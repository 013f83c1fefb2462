package dev.flowline.bridge.inngest;

import java.util.List;

/**
 * Functions that are not CDI beans of their own but change at run time (the workflow runner serves one per published
 * workflow). {@link FunctionRegistry} asks every source on each lookup, so keep {@link #functions()} cheap.
 */
public interface FunctionSource {
    List<InngestFunction> functions();

    /** Called (blocking) when a call request names a function nobody serves: rebuild if that may help. */
    default void refreshIfMissing(String functionId) {
    }
}
