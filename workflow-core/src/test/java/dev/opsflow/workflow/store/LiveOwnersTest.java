package dev.opsflow.workflow.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.spi.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a store concludes of an owner it finds in a run: a dead one (its process's lock is free) is
 * taken over at once; a live one, one it cannot tell about (an older store, a damaged file, a
 * PostgreSQL schema without {@code opsflow_owners}) keeps its lease. The kill of a real process is
 * in {@link TakeoverTest}.
 */
class LiveOwnersTest {
  @TempDir Path tmp;

  @Test
  void anOwnerWrittenThroughThisJvmIsAlive() throws Exception {
    var owners = LiveOwners.of(tmp.toRealPath());
    owners.register("engine-a");
    assertThat(owners.liveness("engine-a")).isEqualTo(LiveOwners.Liveness.ALIVE);
  }

  @Test
  void anOwnerWithoutAnOwnerFileIsUnknownSoItsLeaseDecides() throws Exception {
    Path dir = tmp.resolve("store");
    var store = FileExecutionStore.open(dir);
    // As a store written before owner files existed left it.
    RunRecord run =
        StoreSamples.run("r1", "wf", null, RunState.RUNNING, StoreSamples.T0)
            .withLease("old-engine", StoreSamples.T0.plus(Duration.ofHours(1)));
    writeAsAnotherProcess(dir, run);
    assertThat(LiveOwners.of(dir.toRealPath()).liveness("old-engine"))
        .isEqualTo(LiveOwners.Liveness.UNKNOWN);
    assertThat(store.findExpired(StoreSamples.T0, 10)).isEmpty();
    assertThat(store.claim("r1", "engine-b", StoreSamples.T0, Duration.ofSeconds(30))).isEmpty();
    Instant later = StoreSamples.T0.plus(Duration.ofHours(2));
    assertThat(store.findExpired(later, 10)).containsExactly("r1");
    assertThat(store.claim("r1", "engine-b", later, Duration.ofSeconds(30))).isPresent();
  }

  @Test
  void anOwnerWhoseProcessFileIsUnlockedIsDeadAndItsRunIsTakenAtOnce() throws Exception {
    Path dir = tmp.resolve("store");
    var store = FileExecutionStore.open(dir);
    String processId = "0123456789abcdef0123456789abcdef";
    Path owners = Files.createDirectories(dir.resolve(LiveOwners.DIR));
    // What a killed process leaves: its process file (no lock now) and its owner's file.
    Files.createFile(owners.resolve(processId + ".alive"));
    Files.writeString(owners.resolve(LiveOwners.ownerFileName("dead-engine")), processId + "\n");
    RunRecord run =
        StoreSamples.run("r1", "wf", null, RunState.RUNNING, StoreSamples.T0)
            .withLease("dead-engine", StoreSamples.T0.plus(Duration.ofHours(1)));
    writeAsAnotherProcess(dir, run);

    assertThat(store.findExpired(StoreSamples.T0, 10)).containsExactly("r1");
    assertThat(store.claim("r1", "engine-b", StoreSamples.T0, Duration.ofSeconds(30)))
        .hasValueSatisfying(r -> assertThat(r.owner()).isEqualTo("engine-b"));
  }

  @Test
  void aDamagedOwnerFileOrAMissingProcessFileIsUnknown() throws Exception {
    Path dir = tmp.resolve("store");
    var store = FileExecutionStore.open(dir);
    Path owners = Files.createDirectories(dir.resolve(LiveOwners.DIR));
    Files.writeString(owners.resolve(LiveOwners.ownerFileName("cut")), "");
    Files.writeString(
        owners.resolve(LiveOwners.ownerFileName("gone")), "fedcba9876543210fedcba9876543210\n");
    var live = LiveOwners.of(dir.toRealPath());
    assertThat(live.liveness("cut")).isEqualTo(LiveOwners.Liveness.UNKNOWN);
    assertThat(live.liveness("gone")).isEqualTo(LiveOwners.Liveness.UNKNOWN);
    RunRecord run =
        StoreSamples.run("r1", "wf", null, RunState.RUNNING, StoreSamples.T0)
            .withLease("gone", StoreSamples.T0.plus(Duration.ofHours(1)));
    writeAsAnotherProcess(dir, run);
    assertThat(store.findExpired(StoreSamples.T0, 10)).isEmpty();
    assertThat(store.claim("r1", "engine-b", StoreSamples.T0, Duration.ofSeconds(30))).isEmpty();
  }

  @Test
  void aPostgresSchemaWithoutTheOwnersTableKeepsLeasesOnly() throws Exception {
    try (TestPool pool = TestDatabases.postgres()) {
      JdbcExecutionStore.create(pool).find("warm-up");
      try (Connection c = pool.getConnection();
          Statement s = c.createStatement()) {
        s.execute("DROP TABLE opsflow_owners");
      }
      var store = JdbcExecutionStore.builder(pool).createSchema(false).build();
      RunRecord run = StoreSamples.run("r1", "wf", null, RunState.RUNNING, StoreSamples.T0);
      store.create(run);
      assertThat(store.findExpired(StoreSamples.T0, 10)).isEmpty();
      assertThat(store.claim("r1", "engine-b", StoreSamples.T0, Duration.ofSeconds(30))).isEmpty();
      assertThat(store.findExpired(StoreSamples.T0.plusSeconds(31), 10)).containsExactly("r1");
      assertThat(
              store.claim(
                  "r1", "engine-b", StoreSamples.T0.plusSeconds(31), Duration.ofSeconds(30)))
          .isPresent();
    }
  }

  /**
   * Stores {@code run} with its owner as another process would, without this JVM recording the
   * owner as its own (a store of this JVM would).
   */
  private static void writeAsAnotherProcess(Path dir, RunRecord run) throws Exception {
    byte[] frame = FileRecords.frame(run.withVersion(1), java.util.List.of()).copy();
    Files.write(dir.resolve(FileRecords.runFileName(run.runId())), frame);
  }
}
