package dev.opsflow.workflow.store;

import static dev.opsflow.workflow.store.StoreSamples.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory as the store wrote it before its temp directory and owner files (run files, key files
 * written by the shared mapper, a temp file beside them): it opens, its runs and keys read, its
 * unfinished run is claimed once its lease ends (its owner is unknown), and it takes commits.
 */
class FileStoreOldLayoutTest {
  @TempDir Path dir;

  @Test
  void aStoreWrittenByTheEarlierLayoutIsReadAndGoesOn() throws Exception {
    RunRecord run = StoreSamples.run("r1", "wf", "deploy-1", RunState.RUNNING, T0).withVersion(1);
    Files.write(
        dir.resolve(FileRecords.runFileName("r1")), FileRecords.frame(run, List.of()).copy());
    byte[] keyPayload = Json.mapper().writeValueAsBytes(Map.of("runId", "r1", "key", "deploy-1"));
    Files.write(
        dir.resolve(FileRecords.keyFileName("deploy-1")),
        ChecksummedFile.encode(FileExecutionStore.KEY, 0, keyPayload));
    Files.writeString(dir.resolve(".r9.run.123.tmp"), "half a run");

    ExecutionStore store = FileExecutionStore.open(dir);

    assertThat(store.find("r1")).contains(run);
    assertThat(store.findByIdempotencyKey("deploy-1")).contains(run);
    assertThat(store.create(StoreSamples.run("r2", "wf", "deploy-1", RunState.PENDING, T0)))
        .satisfies(c -> assertThat(c.created()).isFalse());
    assertThat(store.findExpired(T0, 10)).isEmpty();
    RunRecord claimed =
        store.claim("r1", "engine-b", T0.plusSeconds(31), Duration.ofSeconds(30)).orElseThrow();
    assertThat(store.commit(claimed, List.of()).version()).isEqualTo(3);
    assertThat(FileExecutionStore.open(dir).find("r1").orElseThrow().owner()).isEqualTo("engine-b");
  }
}
