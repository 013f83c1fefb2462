package dev.flowline.bridge.domain;

import java.util.function.Supplier;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/**
 * Function code and the runs API's operations run on worker threads and wait for the database: this runs reactive
 * persistence work on a Vert.x context and waits for it. Never call it on an event loop.
 */
final class Blocking {

    private Blocking() {
    }

    /** Runs {@code work} in a reactive session (open a transaction inside it where needed) and waits. */
    static <T> T inSession(Supplier<Uni<T>> work) {
        return await(() -> Panache.withSession(work));
    }

    static <T> T await(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
