package dev.opsflow.redis.enterprise.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.redis.enterprise.client.CreateDatabaseRequest;
import dev.opsflow.redis.enterprise.testing.RecordedRequest;
import dev.opsflow.redis.enterprise.testing.RedisBackend;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.peers.Peers;
import dev.opsflow.workflow.resp.RespConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * backup-database and restore-database with FTP (pushed by the simulated cluster to a real FTP
 * server, pyftpdlib) and S3 (the simulator's own S3 store: no S3 server runs here) locations, and
 * the checks of a location before any request.
 */
class BackupLocationsTest {
  private static final String ACCESS_KEY = "AKIAEXAMPLE0001";
  private static final String SECRET_KEY = "s3-Secret-Access-Key-42";

  @TempDir Path dir;
  private SimulatedClusterFixture f;

  @BeforeEach
  void start() {
    Peers.require("redis-server", "redis-server");
    Peers.require("redis-cli", "redis-tools");
    f = new SimulatedClusterFixture(e -> {}, b -> b.redisBackend(RedisBackend.REDIS_SERVER));
    f.sim.bootstrapped(
        "cluster.local", SimulatedClusterFixture.USER, SimulatedClusterFixture.PASSWORD);
    f.activeDatabase(db("orders"));
    f.activeDatabase(db("restored"));
    try (var redis = redis("orders")) {
      for (int i = 0; i < 25; i++) {
        redis.call("SET", "order:" + i, "item-" + i);
      }
    }
    f.sim.clearRequests();
  }

  @AfterEach
  void close() {
    f.close();
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

  private long keys(String name) {
    try (var redis = redis(name)) {
      return redis.number("DBSIZE");
    }
  }

  @Test
  void backsUpOverFtpAndRestoresFromThere() throws Exception {
    try (FtpPeer ftp = FtpPeer.start(dir)) {
      Files.createDirectories(ftp.home.resolve("backups"));

      WorkflowResult backup =
          f.run(
              OperationsWorkflows.backupDatabase(f.clients),
              "database",
              "orders",
              "locationType",
              "ftp",
              "location",
              ftp.url("backups/"),
              "ftpPassword",
              ftp.password);

      assertThat(backup.status()).as(backup.toJson()).isEqualTo(RunState.COMPLETED);
      var files = ftp.files();
      assertThat(files).hasSize(1);
      assertThat(files.get(0).toString()).contains("/backups/orders-1-").endsWith(".rdb");
      // The URL the cluster got carries the password; the log and the result never show it.
      RecordedRequest export = f.sim.requests("POST", "/v1/bdbs/1/actions/export").get(0);
      assertThat(export.body())
          .contains("\"type\":\"url\"")
          .contains("ftp://backup:****@127.0.0.1:" + ftp.port() + "/backups/")
          .doesNotContain(ftp.password);
      assertThat(backup.toJson()).doesNotContain(ftp.password);

      String file = ftp.home.relativize(files.get(0)).toString();
      WorkflowResult restore =
          f.run(
              OperationsWorkflows.restoreDatabase(f.clients),
              "database",
              "restored",
              "locationType",
              "ftp",
              "location",
              ftp.url(file),
              "ftpPassword",
              ftp.password,
              "expectedKeys",
              25L);

      assertThat(restore.status()).as(restore.toJson()).isEqualTo(RunState.COMPLETED);
      assertThat(keys("restored")).isEqualTo(25);
    }
  }

  @Test
  void aWrongFtpPasswordEndsTheExportWithNoPermission() {
    try (FtpPeer ftp = FtpPeer.start(dir)) {
      WorkflowResult backup =
          f.run(
              OperationsWorkflows.backupDatabase(f.clients),
              "database",
              "orders",
              "locationType",
              "ftp",
              "location",
              ftp.url(""),
              "ftpPassword",
              "not-the-password");

      assertThat(backup.error().type()).isEqualTo(ErrorKind.REMOTE_FAILURE);
      assertThat(backup.error().message()).contains("no-permission");
      assertThat(backup.toJson()).doesNotContain("not-the-password");
    }
  }

  @Test
  void backsUpToS3AndRestoresFromThere() throws Exception {
    Path bucket = f.sim.s3Bucket("backups", ACCESS_KEY, SECRET_KEY);

    WorkflowResult backup =
        f.run(
            OperationsWorkflows.backupDatabase(f.clients),
            "database",
            "orders",
            "locationType",
            "s3",
            "location",
            "s3://backups/nightly/",
            "s3AccessKeyId",
            ACCESS_KEY,
            "s3SecretAccessKey",
            SECRET_KEY,
            "s3Region",
            "eu-west-1");

    assertThat(backup.status()).as(backup.toJson()).isEqualTo(RunState.COMPLETED);
    RecordedRequest export = f.sim.requests("POST", "/v1/bdbs/1/actions/export").get(0);
    assertThat(export.body())
        .contains("\"type\":\"s3\"")
        .contains("\"bucket_name\":\"backups\"")
        .contains("\"subdir\":\"nightly\"")
        .contains("\"region_name\":\"eu-west-1\"")
        .doesNotContain(SECRET_KEY)
        .doesNotContain(ACCESS_KEY);
    assertThat(backup.toJson()).doesNotContain(SECRET_KEY).doesNotContain(ACCESS_KEY);
    Path object;
    try (var list = Files.list(bucket.resolve("nightly"))) {
      object = list.findFirst().orElseThrow();
    }

    WorkflowResult restore =
        f.run(
            OperationsWorkflows.restoreDatabase(f.clients),
            "database",
            "restored",
            "locationType",
            "s3",
            "location",
            "s3://backups/nightly/" + object.getFileName(),
            "s3AccessKeyId",
            ACCESS_KEY,
            "s3SecretAccessKey",
            SECRET_KEY,
            "expectedKeys",
            25L);

    assertThat(restore.status()).as(restore.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(f.sim.requests("POST", "/v1/bdbs/2/actions/import").get(0).body())
        .contains("\"filename\":\"" + object.getFileName() + "\"");
    assertThat(keys("restored")).isEqualTo(25);
  }

  @Test
  void s3KeysTheBucketRefusesEndTheExportWithNoPermission() {
    f.sim.s3Bucket("backups", ACCESS_KEY, SECRET_KEY);

    WorkflowResult backup =
        f.run(
            OperationsWorkflows.backupDatabase(f.clients),
            "database",
            "orders",
            "locationType",
            "s3",
            "location",
            "s3://backups/",
            "s3AccessKeyId",
            ACCESS_KEY,
            "s3SecretAccessKey",
            "wrong-secret-key");

    assertThat(backup.error().type()).isEqualTo(ErrorKind.REMOTE_FAILURE);
    assertThat(backup.error().message()).contains("no-permission");
  }

  @Test
  void aLocationThatDoesNotFitItsTypeFailsBeforeAnyRequest() {
    WorkflowResult noKeys =
        f.run(
            OperationsWorkflows.backupDatabase(f.clients),
            "database",
            "orders",
            "locationType",
            "s3",
            "location",
            "s3://backups/");
    WorkflowResult fileForBackup =
        f.run(
            OperationsWorkflows.backupDatabase(f.clients),
            "database",
            "orders",
            "locationType",
            "ftp",
            "location",
            "ftp://backup@127.0.0.1:2121/backups/orders.rdb");
    WorkflowResult wrongScheme =
        f.run(
            OperationsWorkflows.restoreDatabase(f.clients),
            "database",
            "restored",
            "locationType",
            "s3",
            "location",
            "ftp://backup@127.0.0.1/orders.rdb",
            "s3AccessKeyId",
            ACCESS_KEY,
            "s3SecretAccessKey",
            SECRET_KEY);

    assertThat(noKeys.error().type()).isEqualTo(ErrorKind.VALIDATION);
    assertThat(noKeys.error().message()).contains("s3AccessKeyId and s3SecretAccessKey");
    assertThat(fileForBackup.error().message()).contains("a directory (ending with /)");
    assertThat(wrongScheme.error().message()).contains("s3://bucket[/subdir]/file");
    assertThat(f.sim.requests()).isEmpty();
  }

  @Test
  void aPasswordInTheLocationIsRefusedWithoutShowingIt() {
    assertThatThrownBy(
            () ->
                f.run(
                    OperationsWorkflows.backupDatabase(f.clients),
                    "database",
                    "orders",
                    "locationType",
                    "ftp",
                    "location",
                    "ftp://backup:hunter2-secret@127.0.0.1/backups/"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("location")
        .hasMessageContaining("no password in it")
        .hasMessageNotContaining("hunter2-secret");
    assertThat(f.sim.requests()).isEmpty();
  }
}
