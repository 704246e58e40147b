package dev.opsflow.workflow.store;

import dev.opsflow.workflow.spi.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A child JVM of {@link FileStoreSpareFilesTest}: on the shared store directory, with spares on, it
 * adopts the spares there, signals that it is ready, waits for the parent's go, then creates runs
 * {@code s-0} to {@code s-<n-1>} owned by {@code owner}, counting those it created (the others
 * exist already: the parent created them first).
 *
 * <p>Arguments: store directory, signal directory, n, owner.
 */
public final class SpareFilesChild {
  private SpareFilesChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Path signals = Path.of(args[1]);
    int n = Integer.parseInt(args[2]);
    String owner = args[3];
    var store = FileExecutionStore.open(dir);
    SpareFiles spares = SpareFiles.of(dir.toRealPath());
    spares.fillForTest();
    Files.createFile(signals.resolve("ready"));
    while (!Files.exists(signals.resolve("go"))) {
      Thread.onSpinWait();
    }
    int created = 0;
    for (int i = 0; i < n; i++) {
      try {
        store.createUnsynced(FileStoreSpareFilesTest.sample(i, owner));
        created++;
      } catch (StoreException e) {
        if (!e.getMessage().contains("already exists")) {
          throw e;
        }
      }
    }
    spares.enabled = false;
    spares.awaitIdleForTest();
    System.out.println("OPSFLOW-CHILD created " + created);
  }
}
