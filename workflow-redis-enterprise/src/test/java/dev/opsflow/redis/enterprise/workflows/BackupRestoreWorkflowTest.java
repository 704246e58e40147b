package dev.opsflow.redis.enterprise.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.redis.enterprise.client.CreateDatabaseRequest;
import dev.opsflow.redis.enterprise.testing.RecordedRequest;
import dev.opsflow.redis.enterprise.testing.RedisBackend;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.peers.Peers;
import dev.opsflow.workflow.peers.SshdPeer;
import dev.opsflow.workflow.resp.RespConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * backup-database and restore-database on the simulator: real RDB files made by redis-cli, copied
 * to a mount point or pushed by the cluster over SFTP to OpenSSH (the real peer), imported back.
 */
class BackupRestoreWorkflowTest {
  @TempDir Path dir;
  private static SshdPeer sshd;
  private SimulatedClusterFixture f;

  @org.junit.jupiter.api.BeforeAll
  static void startSshd() {
    Peers.require("redis-server", "redis-server");
    Peers.require("redis-cli", "redis-tools");
    sshd = SshdPeer.start();
  }

  @org.junit.jupiter.api.AfterAll
  static void stopSshd() {
    if (sshd != null) {
      sshd.close();
    }
  }

  @BeforeEach
  void start() throws Exception {
    f =
        new SimulatedClusterFixture(
            e -> {},
            b -> b.sftpKnownHosts(sshd.knownHostsFile()).redisBackend(RedisBackend.REDIS_SERVER));
    f.sim.bootstrapped(
        "cluster.local", SimulatedClusterFixture.USER, SimulatedClusterFixture.PASSWORD);
    f.activeDatabase(db("orders"));
    f.activeDatabase(db("restored"));
    try (var redis = redis("orders")) {
      for (int i = 0; i < 40; i++) {
        redis.call("SET", "order:" + i, "item-" + i);
      }
      redis.call("SADD", "customers", "ann", "bob");
    }
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    f.sim.clearRequests();
  }

  @AfterEach
  void close() {
    if (f != null) {
      f.close();
    }
  }

  private static CreateDatabaseRequest db(String name) {
    return CreateDatabaseRequest.of(name, 1L << 26).withPassword(Secret.of("pw-" + name));
  }

  private RespConnection redis(String name) {
    return RespConnection.open(
        "127.0.0.1",
        f.sim.databasePort(name),
        Secret.of("pw-" + name),
        null,
        Duration.ofSeconds(10));
  }

  private List<Path> files() throws Exception {
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(p -> p.toString().endsWith(".rdb")).toList();
    }
  }

  private String sftpUrl(String tail) {
    return "sftp://" + sshd.username() + "@127.0.0.1:" + sshd.port() + dir + "/" + tail;
  }

  @Test
  void backsUpToAMountPointAndRestoresTheFileIntoAnotherDatabase() throws Exception {
    WorkflowResult backup =
        f.run(
            OperationsWorkflows.backupDatabase(f.clients),
            "database",
            "orders",
            "location",
            dir.toString());

    assertThat(backup.status()).as(backup.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(backup.outputs()).containsKey("export_time");
    Path file = files().get(0);
    assertThat(
            new String(Files.readAllBytes(file), 0, 5, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("REDIS");

    WorkflowResult restore =
        f.run(
            OperationsWorkflows.restoreDatabase(f.clients),
            "database",
            "restored",
            "location",
            file.toString(),
            "expectedKeys",
            41L);

    assertThat(restore.status()).as(restore.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(restore.outputs()).containsEntry("restored_keys", 41L);
    try (var redis = redis("restored")) {
      assertThat(redis.text("GET", "order:7")).isEqualTo("item-7");
      assertThat(redis.number("SCARD", "customers")).isEqualTo(2);
    }
  }

  @Test
  void theClusterPushesTheBackupOverSftpAndImportsItBack() throws Exception {
    String key = sshd.clientKey().toString();
    WorkflowResult backup =
        f.run(
            OperationsWorkflows.backupDatabase(f.clients),
            "database",
            "orders",
            "locationType",
            "sftp",
            "location",
            sftpUrl(""),
            "sftpKeyFile",
            key);

    assertThat(backup.status()).as(backup.toJson()).isEqualTo(RunState.COMPLETED);
    Path file = files().get(0);
    // The private key went to the cluster, not into the request log.
    RecordedRequest export = f.sim.requests(r -> r.path().endsWith("/actions/export")).get(0);
    assertThat(export.body()).doesNotContain("PRIVATE KEY");

    WorkflowResult restore =
        f.run(
            OperationsWorkflows.restoreDatabase(f.clients),
            "database",
            "restored",
            "locationType",
            "sftp",
            "location",
            sftpUrl(file.getFileName().toString()),
            "sftpKeyFile",
            key,
            "expectedKeys",
            41L);

    assertThat(restore.status()).as(restore.toJson()).isEqualTo(RunState.COMPLETED);
    try (var redis = redis("restored")) {
      assertThat(redis.number("DBSIZE")).isEqualTo(41);
    }
  }

  @Test
  void anExportToAPathThatDoesNotExistFailsWithItsReasonAndWhatToDo() {
    WorkflowResult backup =
        f.run(
            OperationsWorkflows.backupDatabase(f.clients),
            "database",
            "orders",
            "location",
            dir.resolve("missing").toString());

    assertThat(backup.success()).isFalse();
    assertThat(backup.error().type()).isEqualTo(ErrorKind.REMOTE_FAILURE);
    assertThat(backup.error().message()).contains("failed: wrong-file-path");
    assertThat(backup.error().suggestions()).anyMatch(s -> s.contains("mount point on all nodes"));
  }

  @Test
  void anInjectedExportFailureIsATypedError() {
    f.sim.faults().nextExportFails("no-permission");

    WorkflowResult backup =
        f.run(
            OperationsWorkflows.backupDatabase(f.clients),
            "database",
            "orders",
            "location",
            dir.toString());

    assertThat(backup.error().type()).isEqualTo(ErrorKind.REMOTE_FAILURE);
    assertThat(backup.error().details()).containsEntry("reason", "no-permission");
  }

  @Test
  void aFileThatIsNotAnRdbFileFailsTheRestoreAndTheCountIsChecked() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.rdb"), "not a dump");

    WorkflowResult restore =
        f.run(
            OperationsWorkflows.restoreDatabase(f.clients),
            "database",
            "restored",
            "location",
            junk.toString());

    assertThat(restore.error().type()).isEqualTo(ErrorKind.REMOTE_FAILURE);
    assertThat(restore.error().message()).contains("file-corrupted");
  }

  @Test
  void dryRunsOnlyRead() {
    f.run(
        OperationsWorkflows.backupDatabase(f.clients),
        RunOptions.defaults().withDryRun(true),
        "database",
        "orders",
        "location",
        dir.toString());
    f.run(
        OperationsWorkflows.restoreDatabase(f.clients),
        RunOptions.defaults().withDryRun(true),
        "database",
        "restored",
        "location",
        dir.resolve("x.rdb").toString());

    assertThat(f.sim.requests(RecordedRequest::isMutating)).isEmpty();
  }
}
