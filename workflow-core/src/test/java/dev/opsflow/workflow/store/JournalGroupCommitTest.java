package dev.opsflow.workflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.spi.RunRecord;
import dev.opsflow.workflow.spi.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit on the file store's journal: commits of many runs from many threads are made durable
 * by one or two syncs, none returns before its sync, and a failed sync fails every commit it should
 * have covered and moves the journal to a new segment. Syncs are counted and held through the
 * store's sync hook; nothing is timed.
 */
class JournalGroupCommitTest {
  private static final int K = 8;

  @TempDir Path dir;

  /** Holds the first sync on a latch once armed, optionally failing it; counts every sync. */
  static final class HeldSyncs implements FileSyncs {
    final AtomicInteger syncs = new AtomicInteger();
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean armed;
    volatile boolean fail;

    @Override
    public void file(FileChannel ch, boolean allMetadata) throws IOException {
      syncs.incrementAndGet();
      if (armed) {
        armed = false;
        entered.countDown();
        try {
          assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
        if (fail) {
          throw new IOException("simulated EIO from fdatasync");
        }
      }
      FileSyncs.OS.file(ch, allMetadata);
    }

    @Override
    public void directory(Path d) throws IOException {
      FileSyncs.OS.directory(d);
    }
  }

  private final HeldSyncs held = new HeldSyncs();
  private final List<Thread> threads = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    held.release.countDown();
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(30));
    }
    Journal.of(dir.toRealPath()).awaitBackground();
  }

  private List<RunRecord> created(FileExecutionStore store) {
    var runs = new ArrayList<RunRecord>();
    for (int i = 0; i < K; i++) {
      runs.add(store.createUnsynced(StoreSamples.run("g" + i, StoreSamples.T0)).run());
    }
    return runs;
  }

  /** Starts one committing thread per run; each records its result or failure. */
  private void commitAll(
      FileExecutionStore store,
      List<RunRecord> runs,
      AtomicInteger returned,
      List<Throwable> failures) {
    for (RunRecord r : runs) {
      Thread t =
          new Thread(
              () -> {
                try {
                  store.commit(r, StoreSamples.events(r.runId(), 1, StoreSamples.T0));
                  returned.incrementAndGet();
                } catch (RuntimeException e) {
                  failures.add(e);
                }
              },
              "commit-" + r.runId());
      threads.add(t);
      t.start();
    }
  }

  /** Spins (bounded) until the journal's current segment holds {@code n} whole records. */
  private static void awaitRecords(Journal journal, int n) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (JournalReplay.read(journal.currentForTest().file).entries().size() < n) {
      assertThat(System.nanoTime()).as("%d records appended", n).isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  @Test
  void commitsOfManyRunsAreDurableAfterOneOrTwoSyncsAndNoneReturnsBefore() throws Exception {
    var store = FileExecutionStore.open(dir, held);
    Journal journal = Journal.of(dir.toRealPath());
    List<RunRecord> runs = created(store);
    assertThat(held.syncs).hasValue(0);

    held.armed = true;
    var returned = new AtomicInteger();
    var failures = new java.util.concurrent.CopyOnWriteArrayList<Throwable>();
    commitAll(store, runs, returned, failures);
    assertThat(held.entered.await(30, TimeUnit.SECONDS)).isTrue();
    awaitRecords(journal, 2 * K);

    // Every commit's frame is written; the first sync is held: none may have returned.
    assertThat(returned).hasValue(0);
    held.release.countDown();
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(30));
    }

    assertThat(failures).isEmpty();
    assertThat(returned).hasValue(K);
    // The held leader's sync covered what was written when it began; one more covers the rest.
    assertThat(held.syncs.get()).isBetween(1, 2);
    for (RunRecord r : runs) {
      assertThat(store.find(r.runId()).orElseThrow().version()).isEqualTo(2);
    }
  }

  @Test
  void aFailedSyncFailsTheCommitsWaitingOnItAndLaterCommitsGoToANewSegment() throws Exception {
    var store = FileExecutionStore.open(dir, held);
    Journal journal = Journal.of(dir.toRealPath());
    List<RunRecord> runs = created(store);
    JournalSegment first = journal.currentForTest();

    held.armed = true;
    held.fail = true;
    var returned = new AtomicInteger();
    var failures = new java.util.concurrent.CopyOnWriteArrayList<Throwable>();
    commitAll(store, runs, returned, failures);
    assertThat(held.entered.await(30, TimeUnit.SECONDS)).isTrue();
    awaitRecords(journal, 2 * K);
    held.release.countDown();
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(30));
    }

    // None was acknowledged: the failed sync is never retried as if it had made them durable.
    assertThat(returned).hasValue(0);
    assertThat(failures)
        .hasSize(K)
        .allSatisfy(
            e ->
                assertThat(e)
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining(first.file.toString())
                    .hasMessageContaining("not durable"));
    assertThat(first.failed()).isTrue();

    // The next commit goes to a new segment and is synced there.
    RunRecord next = store.createUnsynced(StoreSamples.run("after", StoreSamples.T0)).run();
    int before = held.syncs.get();
    store.commit(next, List.of());
    JournalSegment now = journal.currentForTest();
    assertThat(now).isNotSameAs(first);
    assertThat(now.seq).isGreaterThan(first.seq);
    assertThat(now.runIds).contains("after");
    assertThat(held.syncs.get()).isEqualTo(before + 1);
    assertThat(store.find("after").orElseThrow().version()).isEqualTo(2);
  }

  @Test
  void aCommitOnAFailedSegmentIsNeverAcknowledged() throws Exception {
    var store = FileExecutionStore.open(dir, held);
    RunRecord r = store.createUnsynced(StoreSamples.run("lone", StoreSamples.T0)).run();
    held.armed = true;
    held.fail = true;
    held.release.countDown();
    assertThatThrownBy(() -> store.commit(r, List.of()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("could not be synced");
  }
}
