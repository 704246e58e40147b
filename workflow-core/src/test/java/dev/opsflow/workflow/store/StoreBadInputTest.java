package dev.opsflow.workflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.RunQuery;
import dev.opsflow.workflow.spi.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each misuse is a clear error that names the problem and the fix. */
class StoreBadInputTest {
  @TempDir Path tmp;

  @Test
  void resumingAnUnknownRunIdNamesItAndHowToListRuns() {
    var wf = Workflow.builder("wf").step(Step.of("a", ctx -> {})).build();
    try (var engine = WorkflowEngine.builder().store(FileExecutionStore.open(tmp)).build()) {
      assertThatThrownBy(() -> engine.resume("no-such-run", wf))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("unknown run id 'no-such-run'")
          .hasMessageContaining("engine.history(RunQuery.all())");
    }
  }

  @Test
  void aStoreDirectoryThatCannotBeCreatedNamesTheDirectoryAndTheFix() throws IOException {
    // Tests run as root, who may write anywhere: a regular file as the parent cannot be beaten.
    Path file = Files.writeString(tmp.resolve("plain-file"), "not a directory");
    Path dir = file.resolve("runs");

    assertThatThrownBy(() -> FileExecutionStore.open(dir))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("cannot use " + dir + " as the execution store directory")
        .hasMessageContaining(
            "fix: give FileExecutionStore.open a directory this process can " + "create and write");
  }

  @Test
  void aStoreDirectoryThatIsAFileIsRefused() throws IOException {
    Path file = Files.writeString(tmp.resolve("runs"), "a file");

    assertThatThrownBy(() -> FileExecutionStore.open(file))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("not a directory");
  }

  @Test
  void anH2DatabaseWithoutTheSchemaNamesTheTableAndTheResourceToApply() {
    ExecutionStore store =
        JdbcExecutionStore.builder(TestDatabases.h2()).createSchema(false).build();

    assertMissingSchema(store, "schema-h2.sql");
  }

  @Test
  void aPostgresDatabaseWithoutTheSchemaNamesTheTableAndTheResourceToApply() {
    try (TestPool pool = TestDatabases.postgres()) {
      ExecutionStore store = JdbcExecutionStore.builder(pool).createSchema(false).build();

      assertMissingSchema(store, "schema-postgresql.sql");
    }
  }

  @Test
  void aSchemaAppliedByTheHostIsUsedWithoutCreation() throws Exception {
    DataSource ds = TestDatabases.h2();
    try (var c = ds.getConnection();
        var s = c.createStatement()) {
      for (String sql : JdbcDialect.H2.statements()) {
        s.execute(sql);
      }
    }
    ExecutionStore store = JdbcExecutionStore.builder(ds).createSchema(false).build();

    assertThat(store.query(RunQuery.all())).isEmpty();
  }

  private static void assertMissingSchema(ExecutionStore store, String resource) {
    assertThatThrownBy(() -> store.findExpired(Instant.now(), 1))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("table opsflow_runs does not exist")
        .hasMessageContaining("dev/opsflow/workflow/store/" + resource)
        .hasMessageContaining("createSchema(true)");
    assertThatThrownBy(() -> store.query(RunQuery.all()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("opsflow_runs");
  }
}
