package dev.opsflow.workflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.spi.RunQuery;
import dev.opsflow.workflow.spi.RunRecord;
import dev.opsflow.workflow.spi.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file store that closes: its journal checkpointed into the run files (synced, segments deleted),
 * its locks released, its calls refused after, its commits in flight finished first.
 */
class FileStoreCloseTest {
  @TempDir Path dir;

  /** Records the syncs off the commit path (segments made, checkpoints). */
  static final class RecordingSyncs implements FileSyncs {
    final List<FileChannel> synced = new CopyOnWriteArrayList<>();
    final List<String> directories = new CopyOnWriteArrayList<>();

    @Override
    public void file(FileChannel ch, boolean allMetadata) throws IOException {
      FileSyncs.OS.file(ch, allMetadata);
      synced.add(ch);
    }

    @Override
    public void directory(Path d) throws IOException {
      FileSyncs.OS.directory(d);
      directories.add(d.getFileName().toString());
    }
  }

  /** The journal's first segment made at open, as outside the build: every store here closes. */
  @org.junit.jupiter.api.BeforeEach
  void segmentAtOpen() throws IOException {
    Journal.of(dir.toRealPath()).segmentAtOpen = true;
  }

  @Test
  void openMakesTheFirstSegmentWhichTheFirstCommitTakes() throws Exception {
    var store = FileExecutionStore.open(dir);
    Journal journal = Journal.of(dir.toRealPath());
    journal.awaitBackground();
    List<Path> made = files(Journal.DIR, ".log");
    assertThat(made).hasSize(1);

    store.create(StoreSamples.run("first", StoreSamples.T0));

    assertThat(journal.currentForTest().file).isEqualTo(made.get(0));
    assertThat(journal.currentForTest().runIds).containsExactly("first");
    store.close();
    assertThat(files(Journal.DIR, ".log")).isEmpty();
  }

  private List<Path> files(String sub, String suffix) throws IOException {
    Path d = dir.resolve(sub);
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
    }
  }

  @Test
  void closeLeavesNoSegmentAndTheRunFilesHoldEveryCommit() throws Exception {
    var store = FileExecutionStore.open(dir);
    var last = new ArrayList<RunRecord>();
    for (int i = 0; i < 5; i++) {
      RunRecord r = store.createUnsynced(StoreSamples.run("r" + i, StoreSamples.T0)).run();
      r = store.commit(r, StoreSamples.events(r.runId(), 1, StoreSamples.T0));
      // The last commit unsynced: only the close's checkpoint makes it durable.
      r = store.commitUnsynced(r, StoreSamples.events(r.runId(), 10, StoreSamples.T0));
      last.add(r);
    }
    assertThat(files(Journal.DIR, ".log")).isNotEmpty();

    store.close();

    assertThat(files(Journal.DIR, ".log")).as("segments left").isEmpty();
    for (RunRecord r : last) {
      // Read from the run file alone: no journal is left to replay.
      FileRecords.Stored stored =
          FileRecords.readRun(dir.resolve(FileRecords.runFileName(r.runId())));
      assertThat(stored.run().version()).isEqualTo(r.version());
      assertThat(FileRecords.events(stored))
          .hasSize(2 * StoreSamples.events("x", 1, StoreSamples.T0).size());
    }
  }

  @Test
  void closeSyncsEveryRunFileItsJournalNamedThenTheDirectory() throws Exception {
    Path real = dir.toRealPath();
    var syncs = new RecordingSyncs();
    // Set before the open: the journal's own syncs (segments made, checkpoints).
    Journal.of(real).maintenance = syncs;
    var store = FileExecutionStore.open(dir);
    for (int i = 0; i < 3; i++) {
      RunRecord r = store.createUnsynced(StoreSamples.run("s" + i, StoreSamples.T0)).run();
      store.commitUnsynced(r, StoreSamples.events(r.runId(), 1, StoreSamples.T0));
    }
    int before = syncs.synced.size();
    syncs.directories.clear();

    store.close();

    // The segment's own sync, then one per run file it named.
    assertThat(syncs.synced.size() - before).isEqualTo(1 + 3);
    assertThat(syncs.directories).contains(real.getFileName().toString());
  }

  @Test
  void aSecondOpenFindsNothingToReplayAndEveryRun() throws Exception {
    var store = FileExecutionStore.open(dir);
    RunRecord r = store.createUnsynced(StoreSamples.run("again", StoreSamples.T0)).run();
    r = store.commitUnsynced(r, StoreSamples.events(r.runId(), 1, StoreSamples.T0));
    store.close();
    assertThat(JournalReplay.deadJournals(dir.toRealPath())).isFalse();

    try (var reopened = FileExecutionStore.open(dir)) {
      assertThat(reopened.find("again")).contains(r);
      assertThat(reopened.events("again"))
          .hasSize(StoreSamples.events("x", 1, StoreSamples.T0).size());
    }
  }

  @Test
  void everyCallAfterCloseFailsNamingTheStore() {
    var store = FileExecutionStore.open(dir);
    RunRecord r = store.create(StoreSamples.run("c", StoreSamples.T0)).run();
    store.close();

    List<Consumer<FileExecutionStore>> calls =
        List.of(
            s -> s.create(StoreSamples.run("d", StoreSamples.T0)),
            s -> s.createUnsynced(StoreSamples.run("d", StoreSamples.T0)),
            s -> s.commit(r, List.of()),
            s -> s.commitUnsynced(r, List.of()),
            s -> s.find("c"),
            s -> s.findByIdempotencyKey("k"),
            s -> s.events("c"),
            s -> s.query(RunQuery.all()),
            s -> s.claim("c", "other", StoreSamples.T0, Duration.ofSeconds(30)),
            s -> s.findExpired(StoreSamples.T0, 10),
            s -> s.deleteFinishedBefore(StoreSamples.T0),
            s -> s.requestCancel("c", StoreSamples.T0),
            s -> s.cancelRequested("c"),
            s -> s.rollbackRequested("c"),
            s -> s.withdrawCancelRequest("c"),
            s -> s.reservations());
    for (Consumer<FileExecutionStore> call : calls) {
      assertThatThrownBy(() -> call.accept(store))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("is closed")
          .hasMessageContaining(store.directory().toString());
    }
  }

  @Test
  void closeIsIdempotent() throws Exception {
    var store = FileExecutionStore.open(dir);
    store.create(StoreSamples.run("i", StoreSamples.T0));
    store.close();
    store.close();
    assertThat(files(Journal.DIR, ".log")).isEmpty();
  }

  @Test
  void closeWaitsForACommitInFlightThenRefusesTheNext() throws Exception {
    var inSync = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    FileSyncs holding =
        new FileSyncs() {
          @Override
          public void file(FileChannel ch, boolean allMetadata) throws IOException {
            if (Thread.currentThread().getName().equals("committer")) {
              inSync.countDown();
              try {
                assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
              } catch (InterruptedException e) {
                throw new IOException(e);
              }
            }
            FileSyncs.OS.file(ch, allMetadata);
          }

          @Override
          public void directory(Path d) throws IOException {
            FileSyncs.OS.directory(d);
          }
        };
    var store = FileExecutionStore.open(dir, holding);
    RunRecord r = store.createUnsynced(StoreSamples.run("f", StoreSamples.T0)).run();
    var committed = new RunRecord[1];
    var failure = new Throwable[1];
    var committer =
        new Thread(
            () -> {
              try {
                committed[0] = store.commit(r, StoreSamples.events(r.runId(), 1, StoreSamples.T0));
              } catch (Throwable t) {
                failure[0] = t;
              }
            },
            "committer");
    committer.start();
    assertThat(inSync.await(30, TimeUnit.SECONDS)).isTrue();

    var closer = new Thread(store::close, "closer");
    closer.start();
    // The closer waits for the commit (parked on the store's gate), which is held in its sync.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (closer.getState() != Thread.State.WAITING) {
      assertThat(System.nanoTime()).as("the closer waits").isLessThan(deadline);
      Thread.onSpinWait();
    }
    assertThat(committer.isAlive()).isTrue();
    // A call made meanwhile fails at once (it does not queue behind the close).
    assertThatThrownBy(() -> store.find("f")).hasMessageContaining("is closed");

    release.countDown();
    committer.join(30_000);
    closer.join(30_000);
    assertThat(failure[0]).isNull();
    assertThat(committed[0].version()).isEqualTo(2);
    assertThat(closer.isAlive()).isFalse();
    assertThat(files(Journal.DIR, ".log")).isEmpty();
    assertThat(FileRecords.readRun(dir.resolve(FileRecords.runFileName("f"))).run())
        .isEqualTo(committed[0]);
  }

  @Test
  void closeWithCommitsInFlightFromManyThreadsLosesNoAcknowledgedCommit() throws Exception {
    var store = FileExecutionStore.open(dir);
    int threads = 8;
    var acknowledged = new ConcurrentHashMap<String, RunRecord>();
    var unexpected = new CopyOnWriteArrayList<Throwable>();
    var started = new CountDownLatch(threads);
    var workers = new ArrayList<Thread>();
    for (int t = 0; t < threads; t++) {
      String id = "m" + t;
      workers.add(
          new Thread(
              () -> {
                try {
                  RunRecord r = store.createUnsynced(StoreSamples.run(id, StoreSamples.T0)).run();
                  acknowledged.put(id, r);
                  started.countDown();
                  while (true) {
                    r = store.commit(r, StoreSamples.events(id, r.version() * 10, StoreSamples.T0));
                    acknowledged.put(id, r);
                  }
                } catch (StoreException e) {
                  if (!e.getMessage().contains("is closed")) {
                    unexpected.add(e);
                  }
                } catch (Throwable e) {
                  unexpected.add(e);
                } finally {
                  started.countDown();
                }
              },
              "worker-" + t));
    }
    workers.forEach(Thread::start);
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

    store.close();
    for (Thread w : workers) {
      w.join(30_000);
      assertThat(w.isAlive()).isFalse();
    }

    assertThat(unexpected).isEmpty();
    assertThat(files(Journal.DIR, ".log")).isEmpty();
    for (Map.Entry<String, RunRecord> e : acknowledged.entrySet()) {
      RunRecord onDisk =
          FileRecords.readRun(dir.resolve(FileRecords.runFileName(e.getKey()))).run();
      assertThat(onDisk).as(e.getKey()).isEqualTo(e.getValue());
    }
  }

  @Test
  void anotherStoreOfTheJvmOnTheDirectoryKeepsWorkingUntilItClosesToo() throws Exception {
    var first = FileExecutionStore.open(dir);
    var second = FileExecutionStore.open(dir);
    RunRecord r = first.createUnsynced(StoreSamples.run("shared", StoreSamples.T0)).run();
    first.close();

    r = second.commit(r, StoreSamples.events(r.runId(), 1, StoreSamples.T0));
    assertThat(files(Journal.DIR, ".log")).as("the journal lives on").isNotEmpty();
    second.close();

    assertThat(files(Journal.DIR, ".log")).isEmpty();
    assertThat(FileRecords.readRun(dir.resolve(FileRecords.runFileName("shared"))).run())
        .isEqualTo(r);
  }

  @Test
  void aClosedWritersOwnersReadAsDeadSoTheirRunsAreTakenOverAtOnce() throws Exception {
    var store = FileExecutionStore.open(dir);
    RunRecord r =
        store
            .create(
                StoreSamples.run("held", StoreSamples.T0)
                    .withLease("engine-a", StoreSamples.T0.plus(Duration.ofHours(1))))
            .run();
    assertThat(r.state()).isEqualTo(RunState.RUNNING);
    assertThat(files(LiveOwners.DIR, ".alive")).hasSize(1);
    store.close();

    // Its process file stays (an owner file names it), unlocked.
    assertThat(files(LiveOwners.DIR, ".alive")).hasSize(1);
    try (var next = FileExecutionStore.open(dir)) {
      // Long before the lease ends: the owner's process released its lock.
      assertThat(next.findExpired(StoreSamples.T0, 10)).containsExactly("held");
      assertThat(next.claim("held", "engine-b", StoreSamples.T0, Duration.ofSeconds(30)))
          .isPresent();
    }
  }

  @Test
  void aStoreOpenedOnlyToReadLeavesNothingBehind() throws Exception {
    var writer = FileExecutionStore.open(dir);
    writer.create(StoreSamples.run("w", StoreSamples.T0));
    writer.close();
    List<Path> before = files(LiveOwners.DIR, ".alive");

    var reader = FileExecutionStore.open(dir);
    assertThat(reader.find("w")).isPresent();
    reader.close();

    assertThat(files(LiveOwners.DIR, ".alive")).isEqualTo(before);
    assertThat(files(Journal.DIR, ".log")).isEmpty();
  }
}
