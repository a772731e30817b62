package dev.vigil.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FrameInboxTest {

    /** A loop whose tasks run when the test says: shows how many wake-ups a burst costs. */
    static final class ManualLoop implements java.util.concurrent.Executor {
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        int submitted;

        @Override
        public synchronized void execute(Runnable r) {
            submitted++;
            tasks.add(r);
        }

        void runAll() {
            Runnable r;
            while ((r = poll()) != null) r.run();
        }

        synchronized Runnable poll() {
            return tasks.poll();
        }
    }

    @Test
    void aBurstCostsOneTaskAndKeepsItsOrder() {
        ManualLoop loop = new ManualLoop();
        List<Integer> got = new ArrayList<>();
        FrameInbox<Integer> inbox = new FrameInbox<>(loop, got::add, e -> { throw e; });
        for (int i = 0; i < 10; i++) inbox.offer(i);
        assertThat(loop.submitted).isEqualTo(1);
        loop.runAll();
        assertThat(got).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        inbox.offer(10); // the next burst schedules again
        assertThat(loop.submitted).isEqualTo(2);
        loop.runAll();
        assertThat(got).endsWith(10);
    }

    @Test
    void aFloodYieldsToTheLoopEveryMaxPerTaskFrames() {
        ManualLoop loop = new ManualLoop();
        List<Integer> got = new ArrayList<>();
        FrameInbox<Integer> inbox = new FrameInbox<>(loop, got::add, e -> { throw e; });
        int n = FrameInbox.MAX_PER_TASK * 3 + 5;
        for (int i = 0; i < n; i++) inbox.offer(i);
        Runnable first = loop.poll();
        first.run();
        // one task handled at most MAX_PER_TASK and queued its continuation behind whatever else waits
        assertThat(got).hasSize(FrameInbox.MAX_PER_TASK);
        assertThat(loop.tasks).hasSize(1);
        loop.runAll();
        assertThat(got).hasSize(n);
        assertThat(inbox.drains()).isEqualTo(4);
    }

    @Test
    void aHandlerExceptionIsReportedAndTheBurstGoesOn() {
        ManualLoop loop = new ManualLoop();
        List<Integer> got = new ArrayList<>();
        List<RuntimeException> errors = new ArrayList<>();
        FrameInbox<Integer> inbox = new FrameInbox<>(loop, i -> {
            if (i == 1) throw new IllegalStateException("bug");
            got.add(i);
        }, errors::add);
        inbox.offer(0);
        inbox.offer(1);
        inbox.offer(2);
        loop.runAll();
        assertThat(got).containsExactly(0, 2);
        assertThat(errors).singleElement().extracting(Throwable::getMessage).isEqualTo("bug");
    }

    @Test
    void noFrameIsLostOrReorderedBetweenAReceiveThreadAndTheLoop() throws Exception {
        ExecutorService loop = Executors.newSingleThreadExecutor();
        try {
            int n = 200_000;
            List<Integer> got = Collections.synchronizedList(new ArrayList<>(n));
            CountDownLatch all = new CountDownLatch(n);
            FrameInbox<Integer> inbox = new FrameInbox<>(loop, i -> {
                got.add(i);
                all.countDown();
            }, e -> { throw e; });
            Thread receiver = new Thread(() -> {
                List<Integer> burst = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    if (i % 7 == 0) {
                        inbox.offerAll(burst);
                        burst.clear();
                    }
                    if (i % 3 == 0) burst.add(i);
                    else {
                        inbox.offerAll(burst);
                        burst.clear();
                        inbox.offer(i);
                    }
                }
                inbox.offerAll(burst);
            });
            receiver.start();
            assertThat(all.await(30, TimeUnit.SECONDS)).as("every frame handled").isTrue();
            receiver.join();
            List<Integer> snapshot;
            synchronized (got) {
                snapshot = new ArrayList<>(got);
            }
            for (int i = 0; i < n; i++) {
                if (snapshot.get(i) != i) throw new AssertionError("frame " + i + " arrived as " + snapshot.get(i));
            }
            assertThat(inbox.drains()).as("fewer wake-ups than frames").isLessThan(n);
        } finally {
            loop.shutdownNow();
        }
    }
}
