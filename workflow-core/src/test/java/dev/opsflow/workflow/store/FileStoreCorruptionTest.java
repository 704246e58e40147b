package dev.opsflow.workflow.store;

import static dev.opsflow.workflow.store.StoreSamples.T0;
import static dev.opsflow.workflow.store.StoreSamples.events;
import static dev.opsflow.workflow.store.StoreSamples.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.Input;
import dev.opsflow.workflow.Key;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.WorkflowRun;
import dev.opsflow.workflow.spi.RunQuery;
import dev.opsflow.workflow.spi.RunRecord;
import dev.opsflow.workflow.spi.StoreException;
import dev.opsflow.workflow.testing.ManualClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A torn, truncated or garbage file is reported and skipped, and no other run is lost. */
class FileStoreCorruptionTest {
  @TempDir Path dir;
  private FileExecutionStore store;

  @BeforeEach
  void threeRunsLeftByACrashedEngine() {
    store = FileExecutionStore.open(dir);
    for (String id : List.of("r1", "r2", "r3")) {
      RunRecord r = store.create(run(id, T0.plusSeconds(id.charAt(1)))).run();
      store.commit(r, events(id, 1, T0));
    }
  }

  @Test
  void aTruncatedRunFileIsReportedAndSkipped() throws IOException {
    Path file = dir.resolve("r2.run");
    byte[] bytes = Files.readAllBytes(file);
    int firstHeaderEnd = new String(bytes, StandardCharsets.ISO_8859_1).indexOf('\n');
    Files.write(file, Arrays.copyOf(bytes, firstHeaderEnd + 10));

    assertOnlyR2IsLost("truncated or torn");
  }

  @Test
  void aCommitTornByACrashIsNeverReadAndTheNextCommitCutsIt() throws IOException {
    Path file = dir.resolve("r2.run");
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 40));

    RunRecord before = store.find("r2").orElseThrow();
    assertThat(before.version()).isEqualTo(1);
    assertThat(store.events("r2")).isEmpty();

    RunRecord after = store.commit(before, events("r2", 1, T0).subList(0, 2));
    assertThat(store.find("r2")).contains(after);
    assertThat(store.events("r2")).hasSize(2);
    assertThat(Files.size(file)).isLessThan(bytes.length);
  }

  @Test
  void aDamagedFrameWithFramesAfterItIsCorruptNotATornTail() throws IOException {
    RunRecord r = store.find("r2").orElseThrow();
    store.commit(r, List.of());
    Path file = dir.resolve("r2.run");
    byte[] bytes = Files.readAllBytes(file);
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int secondFrame = text.indexOf("\nOPSFLOW run 1 2 ") + 1;
    int inPayload = text.indexOf('\n', secondFrame) + 5;
    bytes[inPayload] = (byte) (bytes[inPayload] == 'x' ? 'y' : 'x');
    Files.write(file, bytes);

    assertOnlyR2IsLost("with frames after it");
  }

  @Test
  void aGarbageRunFileIsReportedAndSkipped() throws IOException {
    Files.write(
        dir.resolve("r2.run"), "\u0000\u0007 garbage, not a run".getBytes(StandardCharsets.UTF_8));

    assertOnlyR2IsLost("not an Opsflow run file");
  }

  @Test
  void anEmptyRunFileIsReportedAndSkipped() throws IOException {
    Files.write(dir.resolve("r2.run"), new byte[0]);

    assertOnlyR2IsLost("empty");
  }

  @Test
  void aFlippedByteIsCaughtByTheChecksum() throws IOException {
    Path file = dir.resolve("r2.run");
    byte[] bytes = Files.readAllBytes(file);
    int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf('\n') + 5;
    bytes[at] = (byte) (bytes[at] == 'x' ? 'y' : 'x');
    Files.write(file, bytes);

    assertOnlyR2IsLost("checksum mismatch");
  }

  @Test
  void theEngineRecoversTheOtherRunsAndLeavesTheCorruptOneAlone() throws IOException {
    Files.write(
        dir.resolve("r2.run"), "OPSFLOW run 1 7 9999 abc\n{".getBytes(StandardCharsets.US_ASCII));
    var wf =
        Workflow.builder("init-cluster")
            .version(3)
            .input(Input.required(Key.of("host", String.class)))
            .input(Input.required(Key.of("nodes", Integer.class)))
            .step(Step.of("bootstrap", ctx -> {}))
            .step(Step.of("join", ctx -> {}))
            .build();
    var clock = new ManualClock(T0.plusSeconds(3600));
    try (var engine = WorkflowEngine.builder().store(store).clock(clock).sleeper(clock).build()) {
      List<WorkflowRun> taken = engine.recover(Map.of("init-cluster", wf));

      assertThat(taken).extracting(WorkflowRun::runId).containsExactly("r1", "r3");
      assertThat(taken)
          .extracting(r -> r.await(Duration.ofSeconds(20)))
          .extracting(WorkflowResult::status)
          .containsOnly(RunState.COMPLETED);
      assertThat(engine.history(RunQuery.all()))
          .extracting(RunRecord::runId)
          .containsExactlyInAnyOrder("r1", "r3");
    }
  }

  @Test
  void aCorruptKeyFileIsAnErrorNamingTheFileNotAFreeKey() throws IOException {
    store.create(run("k1", "wf", "deploy-42", RunState.RUNNING, T0));
    Path keyFile = dir.resolve(FileRecords.keyFileName("deploy-42"));
    Files.write(keyFile, "junk".getBytes(StandardCharsets.US_ASCII));

    assertThatThrownBy(() -> store.create(run("k2", "wf", "deploy-42", RunState.PENDING, T0)))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(keyFile.toString())
        .hasMessageContaining("fix:");
    assertThat(store.find("k2")).isEmpty();
  }

  @Test
  void tempFilesOfAnInterruptedWriteAreRemovedOnOpen() throws IOException {
    Path leftover = dir.resolve(".tmp").resolve("r1.run.123.tmp");
    Files.write(leftover, "half a run".getBytes(StandardCharsets.US_ASCII));

    FileExecutionStore.open(dir);

    assertThat(leftover).doesNotExist();
    assertThat(FileExecutionStore.open(dir).find("r1")).isPresent();
  }

  @Test
  void tempFilesAnOlderStoreLeftBesideTheRunsAreRemovedByRetentionAndNeverRead()
      throws IOException {
    Path leftover = dir.resolve(".r9.run.123.tmp");
    Files.write(leftover, "half a run".getBytes(StandardCharsets.US_ASCII));
    var store = FileExecutionStore.open(dir);
    assertThat(store.find("r9")).isEmpty();
    assertThat(store.query(RunQuery.all())).extracting(RunRecord::runId).doesNotContain("r9");

    store.deleteFinishedBefore(T0);

    assertThat(leftover).doesNotExist();
    assertThat(store.find("r1")).isPresent();
  }

  @Test
  void eachCommitIsAFrameWithAHeaderThatCarriesItsVersionLengthAndChecksum() throws IOException {
    List<String> headers =
        Files.readAllLines(dir.resolve("r1.run")).stream()
            .filter(l -> l.startsWith("OPSFLOW"))
            .toList();
    assertThat(headers).hasSize(2);
    assertThat(headers.get(0)).matches("OPSFLOW run 1 1 \\d+ [0-9a-f]+");
    assertThat(headers.get(1)).matches("OPSFLOW run 1 2 \\d+ [0-9a-f]+");
  }

  private void assertOnlyR2IsLost(String reason) {
    assertThat(store.query(RunQuery.all()))
        .extracting(RunRecord::runId)
        .containsExactly("r3", "r1");
    assertThat(store.findExpired(T0.plusSeconds(3600), 10)).containsExactly("r1", "r3");
    assertThatThrownBy(() -> store.find("r2"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(dir.resolve("r2.run").toString())
        .hasMessageContaining("corrupt")
        .hasMessageContaining(reason)
        .hasMessageContaining("fix: restore");
    assertThatThrownBy(() -> store.events("r2")).isInstanceOf(StoreException.class);
    assertThat(store.events("r1")).hasSize(9);
    assertThat(store.find("r3")).isPresent();
  }
}
