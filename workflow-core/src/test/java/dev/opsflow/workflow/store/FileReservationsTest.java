package dev.opsflow.workflow.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.spi.ExecutionStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file store's reservations pass the contract; a torn temp file is no reservation. */
class FileReservationsTest extends ReservationsContract {
  @TempDir Path dir;

  @Override
  protected ExecutionStore newStore() {
    return FileExecutionStore.open(dir.resolve("runs"));
  }

  @Override
  protected ExecutionStore sameData() {
    return FileExecutionStore.open(dir.resolve("runs"));
  }

  @Test
  void aFileWithoutItsLastLineIsNoReservationAndTheStoreStillListsRuns() throws Exception {
    Path pool = dir.resolve("runs/reservations/p");
    Files.createDirectories(pool);
    Files.writeString(pool.resolve("r"), "node1");
    assertThat(store.reservations().orElseThrow().holder("p", "r")).isEmpty();
    assertThat(store.query(dev.opsflow.workflow.spi.RunQuery.all())).isEmpty();
  }
}
