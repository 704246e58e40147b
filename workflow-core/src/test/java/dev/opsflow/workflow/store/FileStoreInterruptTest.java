package dev.opsflow.workflow.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.RunState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thread that commits with its interrupt pending (an executor shut down with shutdownNow, a
 * cancelled run) neither loses the commit nor breaks the directory's locks for the other stores of
 * the JVM, and keeps its interrupt.
 */
class FileStoreInterruptTest {

  @Test
  void aCommitFromAnInterruptedThreadIsStoredAndLeavesTheLocksWorking(@TempDir Path dir)
      throws Exception {
    var store = FileExecutionStore.open(dir);
    var other = FileExecutionStore.open(dir);
    var run = StoreSamples.run("r-1", StoreSamples.T0);
    store.create(run);

    boolean stillInterrupted =
        CompletableFuture.supplyAsync(
                () -> {
                  Thread.currentThread().interrupt();
                  store.commit(
                      StoreSamples.finished(
                          store.find("r-1").orElseThrow(),
                          RunState.COMPLETED,
                          StoreSamples.T0.plusSeconds(5)),
                      List.of());
                  return Thread.interrupted();
                })
            .get(30, TimeUnit.SECONDS);

    assertThat(stillInterrupted).isTrue();
    assertThat(other.find("r-1").orElseThrow().state()).isEqualTo(RunState.COMPLETED);
    // The lock file's channel, shared by both stores, is still open: the other store commits.
    other.create(StoreSamples.run("r-2", StoreSamples.T0));
    assertThat(
            other
                .claim(
                    "r-2",
                    "engine-b",
                    StoreSamples.T0.plus(Duration.ofHours(1)),
                    Duration.ofSeconds(30))
                .map(r -> r.owner()))
        .contains("engine-b");
  }
}
