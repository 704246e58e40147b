package dev.opsflow.workflow.store;

import static dev.opsflow.workflow.store.StoreSamples.T0;
import static dev.opsflow.workflow.store.StoreSamples.finished;
import static dev.opsflow.workflow.store.StoreSamples.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.spi.RunQuery;
import dev.opsflow.workflow.spi.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file store's query index sees what other store instances (other processes) did on the same
 * directory: runs created, finished and deleted there, whether or not the directory's time moved.
 */
class FileStoreQueryIndexTest {
  @TempDir Path dir;

  private static List<String> ids(FileExecutionStore s, RunQuery q) {
    return s.query(q).stream().map(RunRecord::runId).toList();
  }

  @Test
  void seesRunsCreatedFinishedAndDeletedByAnotherInstance() throws Exception {
    FileExecutionStore mine = FileExecutionStore.open(dir);
    FileExecutionStore other = FileExecutionStore.open(dir);
    mine.create(run("a", "wf", null, RunState.RUNNING, T0));
    assertThat(ids(mine, RunQuery.all())).containsExactly("a");

    RunRecord b = other.create(run("b", "wf", null, RunState.RUNNING, T0.plusSeconds(1))).run();
    assertThat(ids(mine, RunQuery.all())).containsExactly("b", "a");

    other.commit(finished(b, RunState.FAILED, T0.plusSeconds(2)), List.of());
    assertThat(ids(mine, RunQuery.all().withState(RunState.FAILED))).containsExactly("b");

    other.deleteFinishedBefore(T0.plusSeconds(60));
    assertThat(ids(mine, RunQuery.all())).containsExactly("a");
  }

  @Test
  void aSettledDirectoryIsListedAgainWhenItsTimeMoves() throws Exception {
    FileExecutionStore mine = FileExecutionStore.open(dir);
    FileExecutionStore other = FileExecutionStore.open(dir);
    mine.create(run("a", "wf", null, RunState.RUNNING, T0));
    FileTime old = FileTime.from(Instant.now().minusSeconds(60));
    Files.setLastModifiedTime(dir, old);
    assertThat(ids(mine, RunQuery.all())).containsExactly("a"); // settled: trusted next time

    other.create(run("b", "wf", null, RunState.RUNNING, T0.plusSeconds(1)));

    assertThat(ids(mine, RunQuery.all())).containsExactly("b", "a");
  }
}
