package dev.opsflow.workflow.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.spi.RunRecord;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How many syncs a run's life costs on the file store, counted through the store's sync hook (never
 * timed): one per step, the run's creation and start made durable with its first step's commit and
 * its end with its last step's, no directory sync (and so no rename, whose durability needs one) on
 * the path of a run's steps; and every step starts only after the previous step's commit was
 * synced.
 */
class FileStoreSyncCountTest {
  @TempDir Path dir;

  /** Counts file and directory syncs, then does them. */
  static final class CountingSyncs implements FileSyncs {
    final List<String> syncs = new CopyOnWriteArrayList<>();
    final List<FileChannel> channels = new CopyOnWriteArrayList<>();

    @Override
    public void file(FileChannel ch, boolean allMetadata) throws IOException {
      FileSyncs.OS.file(ch, allMetadata);
      syncs.add(allMetadata ? "fsync" : "fdatasync");
      channels.add(ch);
    }

    @Override
    public void directory(Path d) throws IOException {
      FileSyncs.OS.directory(d);
      syncs.add("directory " + d.getFileName());
    }

    int count() {
      return syncs.size();
    }
  }

  private final CountingSyncs counting = new CountingSyncs();

  private Workflow steps(int n, List<Integer> syncsSeenAtStart) {
    var b = Workflow.builder("sync-count").version(1);
    for (int i = 1; i <= n; i++) {
      b.step(Step.of("s" + i, ctx -> syncsSeenAtStart.add(counting.count())));
    }
    return b.build();
  }

  private WorkflowEngine engine(FileExecutionStore store) {
    return WorkflowEngine.builder().store(store).ownerId("sync-count").build();
  }

  @Test
  void aThreeStepRunCostsThreeSyncsOnePerStepAndNoDirectorySync() throws IOException {
    var store = FileExecutionStore.open(dir, counting);
    var seen = new ArrayList<Integer>();
    try (var engine = engine(store)) {
      // The first run of an owner also records the owner (once per JVM): not counted.
      engine.run(steps(3, new ArrayList<>()), Map.of(), RunOptions.defaults());
      counting.syncs.clear();
      counting.channels.clear();

      var result = engine.run(steps(3, seen), Map.of(), RunOptions.defaults());

      assertThat(result.status()).isEqualTo(RunState.COMPLETED);
      assertThat(counting.syncs).containsExactly("fdatasync", "fdatasync", "fdatasync");
      // What is synced is the journal, not the run's file (a checkpoint syncs that off the path).
      FileChannel journal = Journal.of(dir.toRealPath()).currentForTest().channel;
      assertThat(counting.channels).allMatch(ch -> ch == journal);
      // Step 1 starts before any sync (creation and start ride on its commit); step 2 only
      // after step 1's commit was synced; step 3 after step 2's.
      assertThat(seen).containsExactly(0, 1, 2);
      RunRecord stored = store.find(result.runId()).orElseThrow();
      assertThat(stored.state()).isEqualTo(RunState.COMPLETED);
      assertThat(stored.steps())
          .allSatisfy(s -> assertThat(s.status().name()).isEqualTo("COMPLETED"));
    }
  }

  @Test
  void aFiveStepRunCostsFiveSyncs() {
    var store = FileExecutionStore.open(dir, counting);
    try (var engine = engine(store)) {
      engine.run(steps(1, new ArrayList<>()), Map.of(), RunOptions.defaults());
      counting.syncs.clear();

      engine.run(steps(5, new ArrayList<>()), Map.of(), RunOptions.defaults());

      assertThat(counting.syncs).hasSize(5).containsOnly("fdatasync");
    }
  }

  @Test
  void theRunFileHoldsItsCreationStartStepsAndEndAsFramesWrittenInPlace() throws IOException {
    var store = FileExecutionStore.open(dir, counting);
    try (var engine = engine(store)) {
      var result = engine.run(steps(3, new ArrayList<>()), Map.of(), RunOptions.defaults());

      String text =
          Files.readString(dir.resolve(result.runId() + ".run"), StandardCharsets.ISO_8859_1);
      // Creation with the start (1: one write), steps 1 and 2 (2, 3), step 3 with the end (4).
      assertThat(text.lines().filter(l -> l.startsWith("OPSFLOW run 1 ")).count()).isEqualTo(4);
      assertThat(text.lines().filter(l -> l.startsWith("OPSFLOW run 1 ")))
          .extracting(l -> l.split(" ")[3])
          .containsExactly("1", "2", "3", "4");
      // The first frame holds the run as it started and its start's events.
      int firstEnd = text.indexOf("OPSFLOW run 1 2 ");
      assertThat(text.substring(0, firstEnd)).contains("\"RUNNING\"").contains("\"run-started\"");
      try (var temps = Files.list(dir.resolve(ChecksummedFile.TEMP_DIR))) {
        assertThat(temps).isEmpty();
      }
    }
  }

  @Test
  void aRunWithAnIdempotencyKeyAddsTheKeyFilesDurableWrite() {
    var store = FileExecutionStore.open(dir, counting);
    try (var engine = engine(store)) {
      engine.run(steps(1, new ArrayList<>()), Map.of(), RunOptions.defaults());
      counting.syncs.clear();

      engine.run(
          steps(3, new ArrayList<>()), Map.of(), RunOptions.defaults().withIdempotencyKey("k-1"));

      // The key file: written to a temp file, fsynced, renamed, directory synced; then 3 steps.
      assertThat(counting.syncs)
          .containsExactly(
              "fsync", "directory " + dir.getFileName(), "fdatasync", "fdatasync", "fdatasync");
    }
  }

  @Test
  void aStoreCreateIsDurableAtOnceAndACommitIsSyncedBeforeItReturns() {
    var store = FileExecutionStore.open(dir, counting);
    RunRecord created = store.create(StoreSamples.run("r1", StoreSamples.T0)).run();
    // Created in place; its record in the journal synced (fdatasync) before create returns.
    assertThat(counting.syncs).containsExactly("fdatasync");
    counting.syncs.clear();

    RunRecord started = store.commitUnsynced(created, List.of());
    assertThat(counting.syncs).isEmpty();
    store.commit(started, List.of());
    assertThat(counting.syncs).containsExactly("fdatasync");
  }

  @Test
  void theFirstRunOfAJvmStartsItsFirstStepBeforeAnySyncTheJournalsSyncsRideOnThatStepsCommit()
      throws IOException {
    var store = FileExecutionStore.open(dir, counting);
    // The journal's own syncs (its first segment's) counted too.
    Journal.of(dir.toRealPath()).maintenance = counting;
    var seen = new ArrayList<Integer>();
    try (var engine = engine(store)) {
      var result = engine.run(steps(3, seen), Map.of(), RunOptions.defaults());

      assertThat(result.status()).isEqualTo(RunState.COMPLETED);
      // No sync at all before step 1, not even the journal's first segment's: the directories
      // that name it and this process's file are synced, then the segment (its zeros and the
      // run's first records), by step 1's commit; steps 2 and 3 cost one sync each.
      assertThat(seen).containsExactly(0, 4, 5);
      assertThat(counting.syncs)
          .containsExactly(
              "directory " + dir.getFileName(),
              "directory " + LiveOwners.DIR,
              "directory " + Journal.DIR,
              "fdatasync",
              "fdatasync",
              "fdatasync");
    }
  }

  @Test
  void aFailedSyncOfTheFirstSegmentsDirectoriesFailsTheCommitThatNeededItNothingIsAcknowledged()
      throws IOException {
    var store = FileExecutionStore.open(dir, counting);
    Journal journal = Journal.of(dir.toRealPath());
    boolean[] failed = {false};
    FileSyncs failOnce =
        new FileSyncs() {
          @Override
          public void file(FileChannel ch, boolean allMetadata) throws IOException {
            FileSyncs.OS.file(ch, allMetadata);
          }

          @Override
          public void directory(Path d) throws IOException {
            if (!failed[0]) {
              failed[0] = true;
              throw new IOException("simulated: directory sync failed");
            }
            FileSyncs.OS.directory(d);
          }
        };
    journal.maintenance = failOnce;
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> store.create(StoreSamples.run("r1", StoreSamples.T0)))
        .isInstanceOf(dev.opsflow.workflow.spi.StoreException.class)
        .hasMessageContaining("not durable");
    // The segment whose directories could not be synced took no data sync: nothing in it was
    // acknowledged. The next creation goes to a new segment and is durable.
    assertThat(counting.syncs).isEmpty();
    RunRecord r2 = store.create(StoreSamples.run("r2", StoreSamples.T0)).run();
    assertThat(counting.syncs).containsExactly("fdatasync");
    assertThat(store.find(r2.runId())).isPresent();
    store.close();
  }
}
