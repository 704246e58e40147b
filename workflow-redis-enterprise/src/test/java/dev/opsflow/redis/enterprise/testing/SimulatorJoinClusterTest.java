package dev.opsflow.redis.enterprise.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.redis.enterprise.client.JoinClusterRequest;
import dev.opsflow.redis.enterprise.client.NodeInfo;
import dev.opsflow.redis.enterprise.client.RedisEnterpriseClient;
import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.http.JsonHttpClient;
import dev.opsflow.workflow.testing.ManualClock;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A fresh node joins a simulated cluster with {@code POST /v1/bootstrap/join_cluster}. */
class SimulatorJoinClusterTest {
  private static final String ADMIN = "admin@x.io";
  private static final Secret PASSWORD = Secret.of("pw-admin-1");
  private final ManualClock clock = new ManualClock();
  private final RedisEnterpriseSimulator cluster =
      RedisEnterpriseSimulator.builder()
          .clock(clock)
          .nodes(2)
          .redisBackend(RedisBackend.RESPONDER)
          .start()
          .bootstrapped("c.local", ADMIN, PASSWORD.reveal());
  private final RedisEnterpriseSimulator fresh =
      RedisEnterpriseSimulator.builder()
          .clock(clock)
          .bootstrapDuration(Duration.ofSeconds(30))
          .softwareVersion("7.8.2-34")
          .redisBackend(RedisBackend.RESPONDER)
          .start();
  private final RedisEnterpriseClient admin = cluster.client(ADMIN, PASSWORD);
  private final RedisEnterpriseClient node = fresh.client(ADMIN, PASSWORD);

  @AfterEach
  void close() {
    fresh.close();
    cluster.close();
  }

  private int clusterPort() {
    return URI.create(cluster.url()).getPort();
  }

  private JoinClusterRequest join(Secret password) {
    return JoinClusterRequest.of("127.0.0.1", ADMIN, password).withCnmHttpsPort(clusterPort());
  }

  @Test
  void aFreshNodeJoinsThroughJoiningClusterAndAppearsInTheNodes() {
    node.joinCluster(join(PASSWORD));
    assertThat(node.bootstrap().state()).isEqualTo("initiated");
    clock.advance(Duration.ofSeconds(2));
    assertThat(node.bootstrap().state()).isEqualTo("joining_cluster");
    clock.advance(Duration.ofSeconds(30));

    assertThat(node.bootstrap().state()).isEqualTo("completed");
    assertThat(node.bootstrap().localNodeInfo().path("uid").asInt()).isEqualTo(3);
    assertThat(admin.nodes()).extracting(NodeInfo::uid).containsExactly("1", "2", "3");
    assertThat(admin.node(3).softwareVersion()).isEqualTo("7.8.2-34");
    // The joined node serves the cluster's API, with the cluster's credentials.
    assertThat(node.nodes()).extracting(NodeInfo::uid).containsExactly("1", "2", "3");
    assertThat(node.cluster().name()).isEqualTo("c.local");
    assertThatThrownBy(() -> fresh.client(ADMIN, Secret.of("wrong")).nodes())
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("401");
    // The password was sent, but never logged.
    assertThat(fresh.requests("POST", "/v1/bootstrap/join_cluster").get(0).body())
        .doesNotContain(PASSWORD.reveal());
  }

  @Test
  void validatingAJoinReachesTheClusterAndChangesNothing() {
    node.validateJoin(join(PASSWORD));
    assertThat(fresh.bootstrapState()).isEqualTo("idle");
    assertThat(admin.nodes()).hasSize(2);
    assertThatThrownBy(() -> node.validateJoin(join(Secret.of("wrong"))))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("406")
        .hasMessageContaining("access_denied");
    assertThat(fresh.bootstrapState()).isEqualTo("idle");
  }

  @Test
  void theClusterRefusesANodeItAlreadyHas() {
    var raw = JsonHttpClient.create(cluster.settings(ADMIN, PASSWORD));
    var body =
        Map.of(
            "api_url",
            "https://127.0.0.1:1",
            "software_version",
            "7.8.2-34",
            "total_memory",
            1L << 30);
    raw.post(SimulatorJoins.PATH, body, JsonNode.class);
    assertThatThrownBy(() -> raw.post(SimulatorJoins.PATH, body, JsonNode.class))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("409");
    assertThat(admin.nodes()).hasSize(3);
  }

  @Test
  void aNodeAlreadyInTheClusterCannotJoinAgain() {
    node.joinCluster(join(PASSWORD));
    clock.advance(Duration.ofSeconds(40));
    assertThatThrownBy(() -> node.joinCluster(join(PASSWORD)))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("409")
        .hasMessageContaining("node_already_bootstrapped");
    assertThat(admin.nodes()).hasSize(3);
  }

  @Test
  void wrongCredentialsEndInAccessDeniedAndTheClusterIsUnchanged() {
    node.joinCluster(join(Secret.of("not-the-password")));
    clock.advance(Duration.ofSeconds(40));
    var status = node.bootstrap().status();
    assertThat(status.state()).isEqualTo("error");
    assertThat(status.errorCode()).isEqualTo("access_denied");
    assertThat(admin.nodes()).hasSize(2);
    // error may start another bootstrap: the right credentials now join
    node.joinCluster(join(PASSWORD));
    clock.advance(Duration.ofSeconds(40));
    assertThat(node.bootstrap().state()).isEqualTo("completed");
  }

  @Test
  void anUnreachableClusterEndsInConnectError() throws Exception {
    int closed;
    try (var socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    node.joinCluster(JoinClusterRequest.of("127.0.0.1", ADMIN, PASSWORD).withCnmHttpsPort(closed));
    clock.advance(Duration.ofSeconds(40));
    assertThat(node.bootstrap().status().errorCode()).isEqualTo("connect_error");
    assertThat(node.bootstrap().status().errorMessage()).contains(String.valueOf(closed));

    node.joinCluster(JoinClusterRequest.of("10.20.30.40", ADMIN, PASSWORD));
    clock.advance(Duration.ofSeconds(40));
    assertThat(node.bootstrap().status().errorCode()).isEqualTo("connect_error");
    assertThat(node.bootstrap().status().errorMessage()).contains("10.20.30.40");
    assertThat(admin.nodes()).hasSize(2);
  }

  @Test
  void aBodyWithoutNodesOrCredentialsIsRefusedNamingTheField() {
    assertThat(join(PASSWORD).toString()).doesNotContain(PASSWORD.reveal());
    assertThatThrownBy(() -> JoinClusterRequest.of(" ", ADMIN, PASSWORD))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("clusterNodes");
    var raw = JsonHttpClient.create(fresh.settings(ADMIN, PASSWORD));
    assertThatThrownBy(
            () ->
                raw.post(
                    "/v1/bootstrap/join_cluster",
                    Map.of("action", "join_cluster", "credentials", Map.of("username", ADMIN)),
                    JsonNode.class))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("cluster.nodes");
    assertThatThrownBy(
            () ->
                raw.post(
                    "/v1/bootstrap/join_cluster",
                    Map.of(
                        "cluster",
                        Map.of("nodes", java.util.List.of("127.0.0.1")),
                        "credentials",
                        Map.of("username", ADMIN),
                        "cnm_https_port",
                        clusterPort()),
                    JsonNode.class))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("credentials");
    assertThat(fresh.bootstrapState()).isEqualTo("idle");
  }
}
