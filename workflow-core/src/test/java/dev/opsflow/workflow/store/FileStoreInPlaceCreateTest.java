package dev.opsflow.workflow.store;

import static dev.opsflow.workflow.store.StoreSamples.T0;
import static dev.opsflow.workflow.store.StoreSamples.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.spi.RunQuery;
import dev.opsflow.workflow.spi.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run created in place ({@code createUnsynced}) is never read half written: a reader that finds
 * its file without a complete frame waits for the locks its creator holds and reads it again; a
 * kill -9 after the creation returned leaves it whole (the OS keeps the write).
 */
class FileStoreInPlaceCreateTest {
  @TempDir Path dir;

  @Test
  void aReaderThatFindsAHalfWrittenFirstFrameWaitsForItsCreatorAndReadsTheRun() throws Exception {
    var store = FileExecutionStore.open(dir);
    RunRecord r = run("r1", T0).withVersion(1);
    byte[] whole = FileRecords.frame(r, List.of()).copy();
    Path file = dir.resolve("r1.run");
    var locks = DirectoryLock.of(dir.toRealPath());
    var readerDone = new CompletableFuture<Optional<RunRecord>>();
    var queryDone = new CompletableFuture<List<RunRecord>>();

    // Stand in for a creator in mid-write: its locks held, half its first frame in the file.
    locks.directory(
        () ->
            locks.run(
                "r1",
                () -> {
                  Files.write(file, Arrays.copyOf(whole, whole.length / 2));
                  Thread reader = new Thread(() -> readerDone.complete(store.find("r1")), "reader");
                  Thread query =
                      new Thread(() -> queryDone.complete(store.query(RunQuery.all())), "query");
                  reader.start();
                  query.start();
                  awaitWaiting(reader);
                  awaitWaiting(query);
                  assertThat(readerDone).isNotDone();
                  assertThat(queryDone).isNotDone();
                  Files.write(file, whole);
                  return null;
                }));

    assertThat(readerDone.get(10, TimeUnit.SECONDS)).contains(r);
    assertThat(queryDone.get(10, TimeUnit.SECONDS)).containsExactly(r);
  }

  @Test
  void aRunCreatedInPlaceReadsCommitsAndRefusesASecondCreate() {
    var store = FileExecutionStore.open(dir);
    RunRecord created = store.createUnsynced(run("r1", T0)).run();
    var other = FileExecutionStore.open(dir);
    assertThat(other.find("r1")).contains(created);
    RunRecord started = other.commitUnsynced(created, List.of());
    RunRecord step = store.commit(started, List.of());
    assertThat(other.find("r1")).contains(step);
  }

  /** Waits (spinning, bounded) until {@code t} parks on a lock. */
  private static void awaitWaiting(Thread t) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.BLOCKED) {
      assertThat(System.nanoTime())
          .as("%s parks on the creator's lock", t.getName())
          .isLessThan(deadline);
      Thread.onSpinWait();
    }
  }
}
