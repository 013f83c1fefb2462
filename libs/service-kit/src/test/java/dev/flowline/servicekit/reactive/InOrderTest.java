package dev.flowline.servicekit.reactive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

class InOrderTest {

    private static final List<Integer> MANY = IntStream.range(0, 20_000).boxed().toList();

    /** Runs {@code body} on a thread with a small stack, as deep as an event loop's is after a few frameworks. */
    private static Throwable onSmallStack(Runnable body) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread thread = new Thread(null, () -> {
            try {
                body.run();
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "small-stack", 256 * 1024);
        thread.start();
        thread.join();
        return thrown.get();
    }

    @Test
    void aLoopBuiltFlatMapChainOfSynchronousWorkOverflowsTheStackWhichIsWhyThisExists() throws Exception {
        Throwable thrown = onSmallStack(() -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Integer ignored : MANY) {
                chain = chain.flatMap(v -> Uni.createFrom().voidItem());
            }
            chain.await().atMost(Duration.ofSeconds(5));
        });
        assertThat(thrown).isInstanceOf(StackOverflowError.class);
    }

    @Test
    void synchronousWorkForManyItemsRunsInOrderWithoutGrowingTheStack() throws Exception {
        List<Integer> seen = new ArrayList<>();
        Throwable thrown = onSmallStack(() -> InOrder.each(MANY, i -> {
            seen.add(i);
            return Uni.createFrom().voidItem();
        }).await().atMost(Duration.ofSeconds(5)));
        assertThat(thrown).isNull();
        assertThat(seen).isEqualTo(MANY);
    }

    @Test
    void theFirstFailureEndsTheRunAndLaterItemsDoNotRun() {
        List<Integer> seen = new ArrayList<>();
        assertThatThrownBy(() -> InOrder.each(List.of(1, 2, 3), i -> {
            seen.add(i);
            return i == 2 ? Uni.createFrom().failure(new IllegalStateException("two")) : Uni.createFrom().nullItem();
        }).await().atMost(Duration.ofSeconds(5))).hasMessage("two");
        assertThat(seen).containsExactly(1, 2);
    }

    @Test
    void noItemsIsDoneAtOnce() {
        InOrder.each(List.of(), i -> Uni.createFrom().failure(new AssertionError())).await().atMost(Duration
                .ofSeconds(1));
    }
}
