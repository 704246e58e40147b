package dev.opsflow.workflow.test;

import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.event.WorkflowListener;
import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.SecretResolver;
import dev.opsflow.workflow.store.FileExecutionStore;
import dev.opsflow.workflow.testing.ManualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One test's (or class's) engine, clock, store and event log; closing it closes the engine, then
 * the file store it opened, and deletes the file store's directory.
 */
record TestEnvironment(WorkflowEngine engine, ManualClock clock, EventLog events, Path directory)
    implements AutoCloseable {

  /**
   * @param store the store, or null for a file store in a new temporary directory
   */
  static TestEnvironment create(
      ExecutionStore store, List<WorkflowListener> listeners, SecretResolver secrets) {
    Path dir = null;
    if (store == null) {
      try {
        dir = Files.createTempDirectory("opsflow-test-");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the test's store directory", e);
      }
      store = FileExecutionStore.open(dir);
    }
    var clock = new ManualClock();
    var events = new EventLog();
    var builder =
        WorkflowEngine.builder()
            .store(store)
            .clock(clock)
            .sleeper(clock)
            .listener(events)
            .secretResolver(secrets);
    listeners.forEach(builder::listener);
    return new TestEnvironment(builder.build(), clock, events, dir);
  }

  @Override
  public void close() throws IOException {
    engine.close();
    if (directory != null) {
      // The file store this environment opened (the engine does not close its store).
      if (engine.store() instanceof FileExecutionStore files) {
        files.close();
      }
      try (Stream<Path> files = Files.walk(directory)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
