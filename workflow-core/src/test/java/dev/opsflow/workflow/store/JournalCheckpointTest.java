package dev.opsflow.workflow.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.spi.RunRecord;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint of a full journal segment (made small here): the run files it names are synced,
 * then the store directory, then the segment is deleted; and at most two full segments await their
 * checkpoint: a roll past that waits. Syncs off the commit path are counted through the journal's
 * maintenance hook, by the thread that does them.
 */
class JournalCheckpointTest {
  @TempDir Path dir;

  /** Counts syncs by thread; holds the run-file syncs of checkpoints while {@code hold} is up. */
  static final class MaintenanceSyncs implements FileSyncs {
    final List<String> runFileSyncs = new CopyOnWriteArrayList<>();
    final List<String> directorySyncs = new CopyOnWriteArrayList<>();
    volatile CountDownLatch hold = new CountDownLatch(0);

    @Override
    public void file(FileChannel ch, boolean allMetadata) throws IOException {
      if (Thread.currentThread().getName().startsWith("opsflow-journal-sync")) {
        try {
          assertThat(hold.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
        runFileSyncs.add(Thread.currentThread().getName());
      }
      FileSyncs.OS.file(ch, allMetadata);
    }

    @Override
    public void directory(Path d) throws IOException {
      directorySyncs.add(d.getFileName().toString());
      FileSyncs.OS.directory(d);
    }
  }

  private final MaintenanceSyncs maintenance = new MaintenanceSyncs();
  private FileExecutionStore store;
  private Journal journal;

  @BeforeEach
  void smallSegments() throws IOException {
    // Set before the store opens: its open makes the first segment.
    journal = Journal.of(dir.toRealPath());
    journal.segmentSize = 64 * 1024;
    journal.maintenance = maintenance;
    store = FileExecutionStore.open(dir);
  }

  @AfterEach
  void quiet() throws Exception {
    maintenance.hold.countDown();
    journal.awaitBackground();
  }

  private long segments() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve(Journal.DIR))) {
      return files.count();
    }
  }

  /** Commits run {@code r} until the journal is past segment {@code seq}; returns the run. */
  private RunRecord commitPast(RunRecord r, long seq) {
    while (journal.currentForTest().seq <= seq) {
      r = store.commit(r, StoreSamples.events(r.runId(), r.version() * 10, StoreSamples.T0));
    }
    return r;
  }

  @Test
  void aFullSegmentsRunFilesAreSyncedThenTheDirectoryThenItIsDeleted() throws Exception {
    var runs = new ArrayList<RunRecord>();
    for (int i = 0; i < 5; i++) {
      runs.add(store.createUnsynced(StoreSamples.run("c" + i, StoreSamples.T0)).run());
    }
    JournalSegment first = journal.currentForTest();
    Set<String> named = new HashSet<>(first.runIds);
    assertThat(named).hasSize(5);
    maintenance.directorySyncs.clear();

    commitPast(runs.get(0), first.seq);
    journal.awaitBackground();

    assertThat(Files.exists(first.file)).isFalse();
    // One fdatasync per run file the segment named (all of them, on the checkpoint's syncers).
    assertThat(maintenance.runFileSyncs).hasSize(named.size());
    assertThat(maintenance.directorySyncs).contains(dir.toRealPath().getFileName().toString());
    for (RunRecord r : runs) {
      assertThat(store.find(r.runId())).isPresent();
    }
  }

  @Test
  void atMostTwoFullSegmentsAwaitTheirCheckpointARollPastThatWaits() throws Exception {
    maintenance.hold = new CountDownLatch(1);
    RunRecord r = store.createUnsynced(StoreSamples.run("w", StoreSamples.T0)).run();
    var done = new CountDownLatch(1);
    var last = new RunRecord[1];
    var writer =
        new Thread(
            () -> {
              last[0] = commitPast(r, 4);
              done.countDown();
            },
            "writer");
    writer.start();

    // The writer rolls twice, then its third roll waits for a checkpoint.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (Arrays.stream(writer.getStackTrace())
        .noneMatch(f -> f.getMethodName().equals("acquireUninterruptibly"))) {
      assertThat(System.nanoTime()).as("the third roll waits").isLessThan(deadline);
      Thread.onSpinWait();
    }
    assertThat(done.getCount()).isEqualTo(1);
    assertThat(journal.currentForTest().seq).isLessThanOrEqualTo(3);
    // Two full segments, the current one, and at most one made ahead.
    assertThat(segments()).isLessThanOrEqualTo(Journal.MAX_PENDING + 2);

    maintenance.hold.countDown();
    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    journal.awaitBackground();
    assertThat(journal.currentForTest().seq).isGreaterThan(4);
    assertThat(segments()).isLessThanOrEqualTo(2);
    assertThat(store.find("w")).contains(last[0]);
  }
}
