package dev.opsflow.workflow.store;

import dev.opsflow.workflow.spi.ExecutionStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file store passes the store contract with spare files on (the build turns them off): its
 * runs' files are spares made ahead, made ready before each test, and its retention recycles. The
 * maker is stopped and waited for after each test, before the directory is deleted.
 */
class FileStoreWithSparesContractTest extends ExecutionStoreContract {
  @TempDir Path dir;
  private SpareFiles spares;

  @Override
  protected ExecutionStore newStore() throws Exception {
    Path runs = Files.createDirectories(dir.resolve("runs")).toRealPath();
    var store = FileExecutionStore.open(runs);
    spares = SpareFiles.of(runs);
    spares.enabled = true;
    spares.fillForTest();
    return store;
  }

  @AfterEach
  void makerIdle() {
    if (spares != null) {
      spares.enabled = false;
      spares.awaitIdleForTest();
    }
  }
}
