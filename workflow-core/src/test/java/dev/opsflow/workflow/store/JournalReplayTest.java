package dev.opsflow.workflow.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.spi.RunRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal of a process that died: after a power cut (another boot id) it is replayed into the
 * run files, whatever the cut left of them, so every acknowledged commit is there; after a kill in
 * the same boot it is only checkpointed (no run file rewritten); a torn tail of a segment (garbage,
 * a cut record, the zeros made ahead) is never replayed. A process "dies" through a test seam that
 * drops its journal and the lock of its process file.
 */
class JournalReplayTest {
  @TempDir Path dir;

  @AfterEach
  void machineBootId() {
    Journal.bootIdForTest(null);
  }

  /** Writes {@code n} runs of 1 to 4 commits each; returns each run's acknowledged state. */
  private Map<String, RunRecord> write(FileExecutionStore store, int n, Random random) {
    var acked = new LinkedHashMap<String, RunRecord>();
    for (int i = 0; i < n; i++) {
      RunRecord r = store.createUnsynced(StoreSamples.run("p" + i, StoreSamples.T0)).run();
      int commits = 1 + random.nextInt(4);
      for (int c = 0; c < commits; c++) {
        List<WorkflowEvent> events =
            StoreSamples.events(r.runId(), 1 + 10L * c, StoreSamples.T0.plusSeconds(c));
        r = store.commit(r, events);
      }
      acked.put(r.runId(), r);
    }
    return acked;
  }

  private Path segmentFile() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve(Journal.DIR))) {
      return files.filter(f -> f.toString().endsWith(".log")).findFirst().orElseThrow();
    }
  }

  /** The segments of dead processes (a live store's open makes its own first one at once). */
  private long journalFiles() throws IOException {
    return StoreSamples.deadSegments(dir);
  }

  @Test
  void afterAPowerCutEveryAcknowledgedCommitIsReplayedIntoCutOrLostRunFiles() throws Exception {
    var random = new Random(15);
    Path real = dir.toRealPath();
    var store = FileExecutionStore.open(dir);
    Map<String, RunRecord> acked = write(store, 12, random);
    var events = new LinkedHashMap<String, List<WorkflowEvent>>();
    acked.keySet().forEach(id -> events.put(id, store.events(id)));
    Journal.dieForTest(real);

    // The power cut: each run file lost a random tail of what was never synced to it, some
    // (created in place) lost their entry altogether.
    for (String id : acked.keySet()) {
      Path file = dir.resolve(FileRecords.runFileName(id));
      if (random.nextInt(4) == 0) {
        Files.delete(file);
      } else {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
          ch.truncate(random.nextLong(ch.size() + 1));
        }
      }
    }
    Journal.bootIdForTest("another-boot");

    var reopened = FileExecutionStore.open(dir);

    for (var e : acked.entrySet()) {
      assertThat(reopened.find(e.getKey())).as(e.getKey()).contains(e.getValue());
      assertThat(reopened.events(e.getKey())).isEqualTo(events.get(e.getKey()));
    }
    assertThat(journalFiles()).isZero();
    // And it goes on: the next commit appends after the replayed frames.
    RunRecord r = acked.get("p0");
    assertThat(reopened.commit(r, List.of()).version()).isEqualTo(r.version() + 1);
  }

  @Test
  void aRunCreatedWithItsFirstEventsInOneFrameIsReplayedWholeAfterAPowerCut() throws Exception {
    Path real = dir.toRealPath();
    var store = FileExecutionStore.open(dir);
    List<WorkflowEvent> all = StoreSamples.events("merged", 1, StoreSamples.T0);
    // The engine's way for engine.run: creation and start in one unsynced write, then a step.
    RunRecord created =
        store
            .createUnsynced(
                StoreSamples.run("merged", StoreSamples.T0)
                    .withProgress(
                        dev.opsflow.workflow.RunState.RUNNING,
                        List.of(),
                        Map.of(),
                        Map.of(),
                        null,
                        StoreSamples.T0),
                all.subList(0, 2))
            .run();
    assertThat(created.version()).isEqualTo(1);
    RunRecord step = store.commit(created, all.subList(2, 5));
    Path file = dir.resolve(FileRecords.runFileName("merged"));
    byte[] whole = Files.readAllBytes(file);
    assertThat(ChecksummedFile.parse(FileExecutionStore.RUN, whole).frames()).hasSize(2);
    Journal.dieForTest(real);

    // The power cut lost the file's entry (created in place, never synced by itself): the
    // journal's record at offset 0 brings back the run and its first events, then the step.
    Files.delete(file);
    Journal.bootIdForTest("another-boot");
    var reopened = FileExecutionStore.open(dir);

    assertThat(reopened.find("merged")).contains(step);
    assertThat(reopened.events("merged")).isEqualTo(all.subList(0, 5));
    assertThat(Files.readAllBytes(file)).isEqualTo(whole);
    assertThat(journalFiles()).isZero();
  }

  @Test
  void aRunDeletedByRetentionDoesNotComeBackWithAReplay() throws Exception {
    Path real = dir.toRealPath();
    var store = FileExecutionStore.open(dir);
    RunRecord r = store.createUnsynced(StoreSamples.run("gone", StoreSamples.T0)).run();
    RunRecord done =
        store.commit(
            StoreSamples.finished(r, dev.opsflow.workflow.RunState.COMPLETED, StoreSamples.T0),
            List.of());
    RunRecord kept = store.create(StoreSamples.run("kept", StoreSamples.T0.plusSeconds(99))).run();
    assertThat(store.deleteFinishedBefore(StoreSamples.T0.plusSeconds(60))).isEqualTo(1);
    assertThat(done.version()).isEqualTo(2);
    Journal.dieForTest(real);
    Journal.bootIdForTest("another-boot");

    var reopened = FileExecutionStore.open(dir);

    assertThat(reopened.find("gone")).isEmpty();
    assertThat(reopened.find("kept")).contains(kept);
  }

  @Test
  void afterAKillInTheSameBootTheJournalIsOnlyCheckpointedNotReplayed() throws Exception {
    var random = new Random(16);
    Path real = dir.toRealPath();
    var store = FileExecutionStore.open(dir);
    Map<String, RunRecord> acked = write(store, 4, random);
    Journal.dieForTest(real);
    // Same boot: the page cache holds every write. A file cut by hand shows that nothing is
    // rewritten from the journal (a replay would restore it).
    Path cut = dir.resolve(FileRecords.runFileName("p1"));
    byte[] whole = Files.readAllBytes(cut);
    try (FileChannel ch = FileChannel.open(cut, StandardOpenOption.WRITE)) {
      ch.truncate(whole.length - 1);
    }

    var reopened = FileExecutionStore.open(dir);

    assertThat(Files.size(cut)).isEqualTo(whole.length - 1);
    assertThat(reopened.find("p0")).contains(acked.get("p0"));
    assertThat(journalFiles()).isZero();
  }

  @Test
  void aTornTailOfGarbageACutRecordOrZerosIsNeverReplayed() throws Exception {
    Path real = dir.toRealPath();
    var store = FileExecutionStore.open(dir);
    Map<String, RunRecord> acked = write(store, 3, new Random(17));
    Journal journal = Journal.of(real);
    long end = journal.currentForTest().written();
    Path segment = segmentFile();
    int whole = JournalReplay.read(segment).entries().size();
    Journal.dieForTest(real);
    // The zeros made ahead follow the last record.
    assertThat(Files.size(segment)).isGreaterThan(end);
    assertThat(JournalReplay.read(segment).entries()).hasSize(whole);

    byte[] bytes = Files.readAllBytes(segment);
    // A copy of the last record, cut in its middle, then garbage.
    List<JournalReplay.Entry> entries = JournalReplay.read(segment).entries();
    JournalReplay.Entry last = entries.get(entries.size() - 1);
    byte[] record =
        JournalSegment.record(
            1,
            JournalSegment.RECORD,
            JournalSegment.frameBody(last.runId(), last.offset() + last.frame().length),
            last.frame(),
            0,
            last.frame().length);
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(record, 0, record.length / 2), end);
    }
    assertThat(JournalReplay.read(segment).entries()).hasSize(whole);
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      var random = new Random(18);
      byte[] garbage = new byte[4096];
      random.nextBytes(garbage);
      ch.write(ByteBuffer.wrap(garbage), end);
    }
    assertThat(JournalReplay.read(segment).entries()).hasSize(whole);
    // A whole record of another seq (a stale one of a reused file) ends the segment too.
    byte[] stale =
        JournalSegment.record(
            7,
            JournalSegment.RECORD,
            JournalSegment.frameBody(last.runId(), last.offset() + last.frame().length),
            last.frame(),
            0,
            last.frame().length);
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(stale), end);
    }
    assertThat(JournalReplay.read(segment).entries()).hasSize(whole);
    // While the same record of the segment's own seq is read (the reader can tell them apart).
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(record), end);
    }
    assertThat(JournalReplay.read(segment).entries()).hasSize(whole + 1);
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(bytes, (int) end, record.length), end);
    }

    Journal.bootIdForTest("another-boot");
    var reopened = FileExecutionStore.open(dir);
    for (var e : acked.entrySet()) {
      assertThat(reopened.find(e.getKey())).contains(e.getValue());
    }
  }
}
