package dev.opsflow.redis.enterprise.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.testing.StandaloneProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The simulator run as a standalone server, as a user runs it. */
class RedisEnterpriseSimulatorMainTest {
  private static final String MAIN =
      "dev.opsflow.redis.enterprise.testing.RedisEnterpriseSimulatorMain";

  @Test
  void aBootstrappedClusterIsServedWithItsAdminAccountAndCa(@TempDir Path dir) throws Exception {
    try (var re = StandaloneProcess.start(dir, MAIN, "--bootstrapped", "c1.example")) {
      JsonNode ready = re.ready();
      assertThat(ready.path("kind").asString()).isEqualTo("redis-enterprise");
      String pem = Files.readString(Path.of(ready.path("caCertFile").asString()));
      var settings =
          dev.opsflow.redis.enterprise.client.RedisEnterpriseClient.settings(
                  ready.path("url").asString(),
                  ready.path("username").asString(),
                  Secret.of(ready.path("password").asString()))
              .withTrustedPem(pem);
      var client = dev.opsflow.redis.enterprise.client.RedisEnterpriseClient.create(settings);
      assertThat(client.databases()).isEmpty();
      assertThat(re.stop()).isEmpty();
    }
  }

  @Test
  void aRestartOnTheSameStateAndPortServesTheSameCluster(@TempDir Path dir) throws Exception {
    Path state = dir.resolve("state");
    JsonNode first;
    try (var re =
        StandaloneProcess.start(
            dir, MAIN, "--state", state.toString(), "--bootstrapped", "c1.example")) {
      first = re.ready();
      assertThat(re.stop()).isEmpty();
    }
    String port = Integer.toString(java.net.URI.create(first.path("url").asString()).getPort());
    try (var re =
        StandaloneProcess.start(
            dir, MAIN, "--state", state.toString(), "--port", port, "--bootstrapped", "other")) {
      JsonNode ready = re.ready();
      assertThat(ready.path("url").asString()).isEqualTo(first.path("url").asString());
      assertThat(ready.path("clusterName").asString()).isEqualTo("c1.example");
      assertThat(ready.path("password").asString()).isEqualTo(first.path("password").asString());
      String pem = Files.readString(Path.of(ready.path("caCertFile").asString()));
      var client =
          dev.opsflow.redis.enterprise.client.RedisEnterpriseClient.create(
              dev.opsflow.redis.enterprise.client.RedisEnterpriseClient.settings(
                      ready.path("url").asString(),
                      first.path("username").asString(),
                      Secret.of(first.path("password").asString()))
                  .withTrustedPem(pem));
      assertThat(client.cluster().name()).isEqualTo("c1.example");
      assertThat(re.stop()).isEmpty();
    }
  }

  @Test
  void aStateThatIsNotADirectoryIsRefused(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "x");
    assertThat(StandaloneProcess.runToExit(dir, MAIN, "--state", file.toString())).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("stderr-exit.log"))).contains(file.toString());
  }

  @Test
  void aNodeInAnotherProcessJoinsTheClusterWhoseCertificateItWasGiven(@TempDir Path dir)
      throws Exception {
    try (var cluster = StandaloneProcess.start(dir, MAIN, "--bootstrapped", "c1.example");
        var untrusting = StandaloneProcess.start(dir, MAIN)) {
      JsonNode c = cluster.ready();
      String caFile = c.path("caCertFile").asString();
      var join =
          dev.opsflow.redis.enterprise.client.JoinClusterRequest.of(
                  "127.0.0.1",
                  c.path("username").asString(),
                  Secret.of(c.path("password").asString()))
              .withCnmHttpsPort(java.net.URI.create(c.path("url").asString()).getPort());
      // Without the cluster's certificate the fresh node cannot trust the cluster it calls.
      assertThatThrownBy(() -> freshNode(untrusting.ready()).validateJoin(join))
          .hasMessageContaining("406")
          .hasMessageContaining("connect_error");

      try (var trusting = StandaloneProcess.start(dir, MAIN, "--cluster-ca", caFile)) {
        freshNode(trusting.ready()).validateJoin(join);
        assertThat(trusting.stop()).isEmpty();
      }
      assertThat(untrusting.stop()).isEmpty();
      assertThat(cluster.stop()).isEmpty();
    }
  }

  @Test
  void aClusterCaThatIsNoCertificateIsABadOption(@TempDir Path dir) throws Exception {
    Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
    assertThat(StandaloneProcess.runToExit(dir, MAIN, "--cluster-ca", notPem.toString()))
        .isEqualTo(2);
  }

  /** A client of a fresh node (no cluster yet, so no account): trusts the node's own CA. */
  private static dev.opsflow.redis.enterprise.client.RedisEnterpriseClient freshNode(JsonNode ready)
      throws Exception {
    String pem = Files.readString(Path.of(ready.path("caCertFile").asString()));
    return dev.opsflow.redis.enterprise.client.RedisEnterpriseClient.create(
        dev.opsflow.redis.enterprise.client.RedisEnterpriseClient.settings(
                ready.path("url").asString(), "admin@x.io", Secret.of("unused-pw"))
            .withTrustedPem(pem));
  }
}
