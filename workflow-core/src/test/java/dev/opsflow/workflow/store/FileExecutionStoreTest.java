package dev.opsflow.workflow.store;

import dev.opsflow.workflow.spi.ExecutionStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The file store passes the store contract. */
class FileExecutionStoreTest extends ExecutionStoreContract {
  @TempDir Path dir;

  @Override
  protected ExecutionStore newStore() {
    return FileExecutionStore.open(dir.resolve("runs"));
  }
}
