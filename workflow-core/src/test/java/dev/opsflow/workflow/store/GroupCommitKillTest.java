package dev.opsflow.workflow.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.spi.RunRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM commits 6 runs from 6 threads at once (their commits sharing the journal's syncs) and
 * is killed with SIGKILL in the middle: every run then reads as a whole commit, at least the last
 * one the child saw acknowledged, with the events of every commit up to it. Then the same, with a
 * power cut after the kill: the run files lose a random part of what the journal holds, the boot id
 * differs, and opening the store replays the dead child's journal.
 */
class GroupCommitKillTest {
  private static final int RUNS = 6;

  @TempDir Path dir;

  @AfterEach
  void machineBootId() {
    Journal.bootIdForTest(null);
  }

  @Test
  void killedMidGroupCommitEveryRunReadsAsAtLeastItsLastAcknowledgedCommit() throws Exception {
    var random = new Random(21);
    Path store = dir.resolve("store");
    for (int round = 0; round < 3; round++) {
      Path d = store.resolve("round" + round);
      Map<String, Long> acked = killChildAfter(d, 20 + random.nextInt(60));
      var parent = FileExecutionStore.open(d);
      assertThat(journalFiles(d)).as("the dead child's journal, checkpointed").isZero();
      check(parent, acked);
    }
  }

  @Test
  void killedThenAPowerCutTheDeadChildsJournalIsReplayed() throws Exception {
    var random = new Random(22);
    Path d = dir.resolve("store");
    Map<String, Long> acked = killChildAfter(d, 40 + random.nextInt(40));
    // What a power cut may lose: any part of a run file past the first frame its journal holds.
    var firstInJournal = new HashMap<String, Long>();
    try (Stream<Path> files = Files.list(d.resolve(Journal.DIR))) {
      for (Path f : files.toList()) {
        for (JournalReplay.Entry e : JournalReplay.read(f).entries()) {
          firstInJournal.merge(e.runId(), e.offset(), Math::min);
        }
      }
    }
    for (var e : firstInJournal.entrySet()) {
      Path file = d.resolve(FileRecords.runFileName(e.getKey()));
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        long from = e.getValue();
        ch.truncate(from + random.nextLong(Math.max(1, ch.size() - from + 1)));
      }
    }
    Journal.bootIdForTest("another-boot");

    var parent = FileExecutionStore.open(d);
    assertThat(journalFiles(d)).isZero();
    check(parent, acked);
  }

  private static void check(FileExecutionStore store, Map<String, Long> acked) {
    for (int i = 0; i < RUNS; i++) {
      String id = "g" + i;
      long seen = acked.getOrDefault(id, 1L);
      RunRecord found = store.find(id).orElseThrow();
      assertThat(found.version()).as("run %s", id).isGreaterThanOrEqualTo(seen);
      assertThat(((Number) found.context().getOrDefault("v", 1)).longValue())
          .isEqualTo(found.version());
      List<WorkflowEvent> events = store.events(id);
      assertThat(events).hasSize((int) (3 * (found.version() - 1)));
      for (int e = 0; e < events.size(); e++) {
        assertThat(events.get(e).sequence()).isEqualTo(e + 1);
      }
      // And it goes on from there.
      RunRecord next = AppendLoopChild.next(found, 100);
      assertThat(store.commit(next, List.of()).version()).isEqualTo(found.version() + 1);
    }
  }

  /** The segments of dead processes (the parent's open makes its own first one at once). */
  private static long journalFiles(Path d) throws IOException {
    return StoreSamples.deadSegments(d);
  }

  /**
   * Starts {@link GroupCommitKillChild}, waits (bounded) until it reported {@code acks}
   * acknowledged commits, kills it with SIGKILL at once; returns the last version acknowledged of
   * each run.
   */
  private Map<String, Long> killChildAfter(Path store, int acks) throws Exception {
    var command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            GroupCommitKillChild.class.getName(),
            store.toString(),
            String.valueOf(RUNS));
    Path stderr = dir.resolve("child-stderr.txt");
    Process child = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    var acked = new ConcurrentHashMap<String, Long>();
    var seen = new CountDownLatch(acks);
    Thread reader =
        new Thread(
            () -> {
              try (var in =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  if (line.startsWith(GroupCommitKillChild.ACKED)) {
                    String[] p = line.split(" ");
                    acked.merge(p[1], Long.parseLong(p[2]), Math::max);
                    seen.countDown();
                  }
                }
              } catch (IOException e) {
                // The child is gone.
              }
            });
    reader.start();
    try {
      assertThat(seen.await(60, TimeUnit.SECONDS))
          .as("the child acknowledged %d commits (stderr: %s)", acks, stderrOf(stderr))
          .isTrue();
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      reader.join(10_000);
    }
    return new HashMap<>(acked);
  }

  private static String stderrOf(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(none)";
    }
  }
}
