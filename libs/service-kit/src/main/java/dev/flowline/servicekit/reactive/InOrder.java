package dev.flowline.servicekit.reactive;

import java.util.function.Function;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Runs reactive work for each item, one after the other, in order, without nesting. The obvious alternative, a
 * {@code chain = chain.flatMap(...)} built in a loop, nests one set of stack frames per item whenever the work
 * completes synchronously (an entity persist that only queues its insert, a write collected for later, a cache hit):
 * 200 such items overflowed an event loop's stack, the error was lost and the Uni never completed, leaving its
 * transaction open. This is what hung the event intake under load with statement batching on.
 */
public final class InOrder {

    private InOrder() {
    }

    /** Completes when {@code work} completed for every item; fails with the first failure (later items do not run). */
    public static <T> Uni<Void> each(Iterable<T> items, Function<T, Uni<?>> work) {
        return Multi.createFrom().iterable(items).onItem().transformToUniAndConcatenate(item -> work.apply(item)
                .replaceWith(Boolean.TRUE)).collect().last().replaceWithVoid();
    }
}
