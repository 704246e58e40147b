package dev.opsflow.workflow.store;

import static dev.opsflow.workflow.store.StoreSamples.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.spi.RunRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash at any instant of an append: the run reads as its last complete commit, never as a torn
 * or half-read state, and the next commit (of this or another process) goes on from there.
 */
class FileStoreTornTailTest {
  @TempDir Path dir;

  /**
   * A run created with its first events (the engine's creation and start, one frame): a crash
   * tearing the next commit leaves the run as created, its first events whole, and the next commit
   * cuts the torn bytes and follows.
   */
  @Test
  void aTornCommitAfterACreationWithEventsLeavesTheCreationAndItsEvents() throws IOException {
    Path full = dir.resolve("merged");
    var store = FileExecutionStore.open(full);
    List<WorkflowEvent> all = StoreSamples.events("r1", 1, T0);
    RunRecord created = store.createUnsynced(StoreSamples.run("r1", T0), all.subList(0, 2)).run();
    long createdEnd = Files.size(full.resolve("r1.run"));
    store.commit(created, all.subList(2, 4));
    byte[] bytes = Files.readAllBytes(full.resolve("r1.run"));
    for (long cut : List.of(createdEnd + 1, createdEnd + 40, (long) bytes.length - 1)) {
      Path d = dir.resolve("merged-cut" + cut);
      Files.createDirectories(d);
      Files.write(d.resolve("r1.run"), Arrays.copyOf(bytes, (int) cut));
      var cutStore = FileExecutionStore.open(d);

      assertThat(json(cutStore.find("r1").orElseThrow())).isEqualTo(json(created));
      assertThat(cutStore.events("r1")).isEqualTo(all.subList(0, 2));
      RunRecord next = cutStore.commit(created, all.subList(2, 3));
      var again = FileExecutionStore.open(d);
      assertThat(json(again.find("r1").orElseThrow())).isEqualTo(json(next));
      assertThat(again.events("r1")).isEqualTo(all.subList(0, 3));
      again.close();
      cutStore.close();
      deleteTree(d);
    }
    store.close();
  }

  /**
   * Every prefix of a run file is what a power cut during one of its appends can leave (the
   * complete frames before it, then part of the frame being written): each reads as the version of
   * its last complete frame, with that frame's run and the events of the frames before, and a store
   * opened on it commits on top.
   */
  @Test
  void everyPrefixOfARunFileReadsAsItsLastCompleteCommitAndTakesTheNext() throws IOException {
    Path full = dir.resolve("full");
    var store = FileExecutionStore.open(full);
    RunRecord run = store.create(StoreSamples.run("r1", T0)).run();
    var versions = new ArrayList<RunRecord>(List.of(run));
    var ends = new ArrayList<Long>(List.of(Files.size(full.resolve("r1.run"))));
    for (int i = 0; i < 3; i++) {
      RunRecord next = AppendLoopChild.next(run, 300);
      run = store.commit(next, StoreSamples.events("r1", 9L * i + 1, T0).subList(0, 3));
      versions.add(run);
      ends.add(Files.size(full.resolve("r1.run")));
    }
    byte[] bytes = Files.readAllBytes(full.resolve("r1.run"));
    // The blobs make the frames large: cut at every byte of the headers and the frames' edges,
    // and at every 97th byte elsewhere.
    for (int cut = ends.get(0).intValue(); cut <= bytes.length; cut++) {
      int complete = 0;
      while (complete + 1 < ends.size() && ends.get(complete + 1) <= cut) {
        complete++;
      }
      long sinceFrame = cut - ends.get(complete);
      if (sinceFrame > 120 && cut % 97 != 0 && cut != bytes.length) {
        continue;
      }
      Path d = dir.resolve("cut" + cut);
      Files.createDirectories(d);
      Files.write(d.resolve("r1.run"), Arrays.copyOf(bytes, cut));
      var cutStore = FileExecutionStore.open(d);

      assertThat(json(cutStore.find("r1").orElseThrow()))
          .as("cut at %d", cut)
          .isEqualTo(json(versions.get(complete)));
      assertThat(cutStore.events("r1")).hasSize(3 * complete);
      if (cut % 7 == 0 || sinceFrame == 0) {
        RunRecord after =
            cutStore.commit(AppendLoopChild.next(versions.get(complete), 300), List.of());
        assertThat(json(FileExecutionStore.open(d).find("r1").orElseThrow()))
            .isEqualTo(json(after));
        assertThat(FileExecutionStore.open(d).events("r1")).hasSize(3 * complete);
      }
      deleteTree(d);
    }
  }

  /**
   * A child JVM commits 200 KB frames in a loop and is killed with SIGKILL at a random moment,
   * mostly inside a commit (serialising, writing or syncing), five times over on the same run: each
   * time the run reads as a commit the child made, at least the last one that returned, with that
   * commit's context and the events of every commit up to it, and the next child goes on from it.
   * (The kill leaves the page cache with the frame of a commit whole or absent, one {@code pwrite}:
   * the torn frames of a power cut are the test above.)
   */
  @Test
  void aRunKilledInTheMiddleOfItsAppendsReadsAsACompleteCommitEveryTime() throws Exception {
    Path store = dir.resolve("store");
    var random = new Random(7);
    long reported = 0;
    for (int round = 0; round < 5; round++) {
      int commits = 2 + random.nextInt(6);
      long lastReturned = killChildAfter(store, commits, random.nextInt(4));
      reported = Math.max(reported, lastReturned);

      var parent = FileExecutionStore.open(store);
      RunRecord found = parent.find("loop").orElseThrow();
      assertThat(found.version()).isBetween(reported, reported + 1);
      assertThat(((Number) found.context().get("v")).longValue()).isEqualTo(found.version());
      assertThat(
              AppendLoopChild.blob(found.version(), AppendLoopChild.BLOB)
                  .equals(found.context().get("blob")))
          .as("the blob of version %d", found.version())
          .isTrue();
      List<WorkflowEvent> events = parent.events("loop");
      assertThat(events).hasSize((int) (3 * (found.version() - 1)));
      for (int i = 0; i < events.size(); i++) {
        assertThat(events.get(i).sequence()).isEqualTo(i + 1);
      }
      reported = found.version();
    }
    var parent = FileExecutionStore.open(store);
    RunRecord last = parent.find("loop").orElseThrow();
    RunRecord after =
        parent.commit(
            AppendLoopChild.next(last, AppendLoopChild.BLOB),
            AppendLoopChild.events("loop", last.version() + 1, T0));
    assertThat(json(FileExecutionStore.open(store).find("loop").orElseThrow()).equals(json(after)))
        .as("the run reads as the commit after the kills")
        .isTrue();
    assertThat(FileExecutionStore.open(store).events("loop"))
        .hasSize((int) (3 * (after.version() - 1)));
  }

  /**
   * Starts {@link AppendLoopChild}, waits (bounded) until it reported {@code commits} commits,
   * waits {@code millis} more, kills it with SIGKILL; returns the last version it reported.
   */
  private long killChildAfter(Path store, int commits, int millis) throws Exception {
    var command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            AppendLoopChild.class.getName(),
            store.toString(),
            "loop");
    Process child =
        new ProcessBuilder(command).redirectError(dir.resolve("child-stderr.txt").toFile()).start();
    var last = new AtomicLong();
    var seen = new java.util.concurrent.CountDownLatch(commits);
    Thread reader =
        new Thread(
            () -> {
              try (var in =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  if (line.startsWith(AppendLoopChild.COMMITTED)) {
                    last.set(Long.parseLong(line.substring(AppendLoopChild.COMMITTED.length())));
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
          .as("the child committed %d times (stderr: %s)", commits, stderr())
          .isTrue();
      Thread.sleep(millis);
    } finally {
      // SIGKILL through the process handle: Process.destroyForcibly also closes the child's output,
      // and the lines the reader had not read yet (a loaded machine) would be lost with it.
      child.toHandle().destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      reader.join(30_000);
    }
    return last.get();
  }

  /** A run as the store writes it: values compare as JSON (a long read back is an integer). */
  private static String json(RunRecord r) {
    return FileRecords.Mappers.RUN_WRITER.writeValueAsString(r);
  }

  private String stderr() throws IOException {
    Path f = dir.resolve("child-stderr.txt");
    return Files.exists(f) ? Files.readString(f) : "";
  }

  private static void deleteTree(Path d) throws IOException {
    try (var files = Files.walk(d)) {
      files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
    }
  }
}
