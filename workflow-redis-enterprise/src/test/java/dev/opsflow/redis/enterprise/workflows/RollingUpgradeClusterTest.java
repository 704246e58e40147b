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
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.peers.Peers;
import dev.opsflow.workflow.peers.SshdPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * rolling-upgrade-cluster on a 3-node simulated cluster whose nodes are three OpenSSH servers (the
 * real peer, one a machine). The installer is a fake install.sh that checks its flags and, like the
 * real one, replaces the node's software: it writes the new version into the node's VERSION file,
 * which the simulator reads (the node then restarts). Every run is logged per node, so a second
 * install on a node would show.
 */
class RollingUpgradeClusterTest {
  private static final String OLD = "7.4.2-54";
  private static final String NEW = "7.8.2-34";
  private static final List<SshdPeer> machines = new ArrayList<>();
  private static Path work;
  private SimulatedClusterFixture f;

  @BeforeAll
  static void startMachines() throws IOException {
    Peers.require("redis-server", "redis-server");
    work = Files.createTempDirectory("opsflow-rolling-");
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    for (int i = 0; i < 3; i++) {
      machines.add(SshdPeer.start());
    }
    // One operator key for every machine, as an operator's key is authorized on each node.
    String operator = Files.readString(Path.of(machines.get(0).clientKey() + ".pub"));
    var knownHosts = new ArrayList<String>();
    for (SshdPeer machine : machines) {
      Files.writeString(
          machine.dir().resolve("authorized_keys"), operator, StandardOpenOption.APPEND);
      knownHosts.addAll(machine.knownHostsLines());
    }
    Files.write(work.resolve("known_hosts"), knownHosts);
    Path installer = work.resolve("install.sh");
    Files.writeString(
        installer,
        String.join(
            "\n",
            "#!/bin/sh",
            "# A stand-in for Redis Software's install.sh: the node this SSH session is on is the",
            "# machine whose sshd port the session came in on.",
            "[ \"$1\" = \"-y\" ] || { echo \"install.sh: pass -y to answer the prompts\" >&2; exit 2; }",
            "port=$(echo \"$SSH_CONNECTION\" | awk '{print $4}')",
            "dir=$(awk -v p=\"$port\" '$1 == p {print $2}' " + work.resolve("machines") + ")",
            "[ -n \"$dir\" ] || { echo \"install.sh: no node here\" >&2; exit 3; }",
            "echo install >> \"$dir/installs.log\"",
            "echo " + NEW + " > \"$dir/VERSION\"",
            ""));
    Files.setPosixFilePermissions(installer, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @AfterAll
  static void stopMachines() throws IOException {
    machines.forEach(SshdPeer::close);
    if (work != null) {
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private void cluster(java.util.function.Consumer<WorkflowEvent> listener) throws IOException {
    f =
        new SimulatedClusterFixture(
            listener::accept,
            b ->
                b.nodes(3)
                    .redisBackend(RedisBackend.REDIS_SERVER)
                    .softwareVersion(OLD)
                    .nodeRestartDuration(Duration.ofSeconds(40)));
    f.sim.bootstrapped(
        "cluster.local", SimulatedClusterFixture.USER, SimulatedClusterFixture.PASSWORD);
    var lines = new ArrayList<String>();
    for (int node = 1; node <= 3; node++) {
      lines.add(machines.get(node - 1).port() + " " + f.sim.nodeInstallDir(node));
    }
    Files.write(work.resolve("machines"), lines);
  }

  @AfterEach
  void close() {
    if (f != null) {
      f.close();
    }
  }

  private Object[] args(Object... more) {
    var args = new ArrayList<Object>();
    String hosts = "";
    for (int node = 1; node <= 3; node++) {
      hosts += (node > 1 ? "," : "") + node + "=127.0.0.1:" + machines.get(node - 1).port();
    }
    args.addAll(
        List.of(
            "targetSoftwareVersion", NEW,
            "installerPath", work.resolve("install.sh").toString(),
            "sudo", false,
            "sshUser", machines.get(0).username(),
            "sshKeyFile", machines.get(0).clientKey().toString(),
            "knownHostsFile", work.resolve("known_hosts").toString(),
            "nodeHosts", hosts));
    args.addAll(List.of(more));
    return args.toArray();
  }

  private List<String> installs(int node) throws IOException {
    Path log = f.sim.nodeInstallDir(node).resolve("installs.log");
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  private List<String> nodeActions() {
    return f
        .sim
        .requests(r -> r.method().equals("POST") && r.path().startsWith("/v1/nodes/"))
        .stream()
        .map(r -> r.path().replace("/v1/nodes/", "").replace("/actions/", " "))
        .toList();
  }

  @Test
  void upgradesEveryNodeInTurnInMaintenanceModeThenTheDatabases() throws IOException {
    cluster(e -> {});
    int db =
        f.activeDatabase(
            CreateDatabaseRequest.of("app", 1L << 26)
                .withRedisVersion("7.2")
                .withPersistence("aof")
                .withPassword(Secret.of("pw-app")));

    WorkflowResult result =
        f.run(
            OperationsWorkflows.rollingUpgradeCluster(f.clients),
            args("targetRedisVersion", "7.4"));

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(nodeActions())
        .containsExactly(
            "1 maintenance_on", "1 maintenance_off",
            "2 maintenance_on", "2 maintenance_off",
            "3 maintenance_on", "3 maintenance_off");
    for (int node = 1; node <= 3; node++) {
      assertThat(installs(node)).hasSize(1);
      assertThat(f.sim.nodeSoftwareVersion(node)).isEqualTo(NEW);
    }
    assertThat(f.admin().database(db).redisVersion()).isEqualTo("7.4");
    assertThat(result.outputs()).containsEntry("primary_node", 1);
    assertThat(result.outputs().get("upgrade_order")).isEqualTo(List.of(1, 2, 3));
  }

  @Test
  void upgradesThePrimaryNodeFirstAndReportsTheOrder() throws IOException {
    cluster(e -> {});
    f.sim.changeMaster(2);

    WorkflowResult result = f.run(OperationsWorkflows.rollingUpgradeCluster(f.clients), args());

    assertThat(result.status()).as(result.toJson()).isEqualTo(RunState.COMPLETED);
    assertThat(f.sim.requests("GET", "/v1/nodes/status")).isNotEmpty();
    assertThat(nodeActions())
        .containsExactly(
            "2 maintenance_on", "2 maintenance_off",
            "1 maintenance_on", "1 maintenance_off",
            "3 maintenance_on", "3 maintenance_off");
    assertThat(result.outputs()).containsEntry("primary_node", 2);
    assertThat(result.outputs().get("upgrade_order")).isEqualTo(List.of(2, 1, 3));
    assertThat(result.outputs().get("upgraded_nodes")).isEqualTo(List.of(2, 1, 3));
    for (int node = 1; node <= 3; node++) {
      assertThat(installs(node)).hasSize(1);
    }
  }

  @Test
  void aClusterWithoutNodeStatusGoesByUidAndSaysSo() throws IOException {
    cluster(e -> {});
    f.sim.changeMaster(3);
    // A cluster before 6.2.18 has no GET /v1/nodes/status.
    f.sim.faults().failNext(1, 404, "not_found", "no endpoint", "GET", "/v1/nodes/status");

    WorkflowResult result =
        f.run(
            OperationsWorkflows.rollingUpgradeCluster(f.clients),
            RunOptions.defaults().withDryRun(true),
            args());

    assertThat(result.success()).as(result.toJson()).isTrue();
    assertThat(result.outputs()).doesNotContainKey("primary_node");
    assertThat(result.outputs().get("upgrade_order")).isEqualTo(List.of(1, 2, 3));
  }

  @Test
  void aNodeThatDoesNotComeBackStopsTheRunSayingWhereEachNodeIs() throws IOException {
    cluster(e -> {});
    f.sim.nodeNeverReturns(2);

    WorkflowResult result =
        f.run(OperationsWorkflows.rollingUpgradeCluster(f.clients), args("waitTimeout", "5m"));

    assertThat(result.success()).isFalse();
    assertThat(result.error().type()).isEqualTo(ErrorKind.TIMEOUT);
    assertThat(result.error().message())
        .contains("node 2 did not come back active")
        .contains("node 1=" + NEW + ", active")
        .contains("node 2=" + NEW + ", down, in maintenance mode")
        .contains("node 3=" + OLD + ", active");
    assertThat(installs(3)).isEmpty();
    assertThat(nodeActions()).doesNotContain("3 maintenance_on");
  }

  @Test
  void anInstallerThatFailsLeavesTheNodeInMaintenanceAndTheOthersUntouched() throws IOException {
    cluster(e -> {});

    WorkflowResult result =
        f.run(
            OperationsWorkflows.rollingUpgradeCluster(f.clients),
            args("installerFlags", "--interactive"));

    assertThat(result.error().type()).isEqualTo(ErrorKind.REMOTE_FAILURE);
    assertThat(result.error().message())
        .contains("installer on node 1 exited with 2")
        .contains("pass -y");
    assertThat(result.error().suggestions()).anyMatch(s -> s.contains("maintenance mode"));
    assertThat(nodeActions()).containsExactly("1 maintenance_on");
    assertThat(f.sim.nodeSoftwareVersion(2)).isEqualTo(OLD);
  }

  @Test
  void anUntrustedHostKeyStopsTheRunBeforeAnyNodeIsTouched() throws IOException {
    cluster(e -> {});
    Path empty = Files.writeString(work.resolve("empty_known_hosts"), "");

    WorkflowResult result =
        f.run(
            OperationsWorkflows.rollingUpgradeCluster(f.clients),
            args("knownHostsFile", empty.toString()));

    assertThat(result.error().type()).isEqualTo(ErrorKind.AUTH);
    assertThat(result.error().step()).isEqualTo("plan-node-upgrades");
    assertThat(f.sim.requests(RecordedRequest::isMutating)).isEmpty();
  }

  @Test
  void aRunInterruptedMidWayResumesWithoutInstallingOnANodeTwice() throws IOException {
    var interrupted = new AtomicBoolean();
    cluster(
        e -> {
          if (e instanceof WorkflowEvent.StepProgress p
              && p.subTask() != null
              && p.subTask().startsWith("Node 2: running the installer")
              && interrupted.compareAndSet(false, true)) {
            // The cluster's API goes away while node 2 installs.
            f.sim.faults().failNext(100, 503, "GET", "/v1/nodes");
          }
        });

    WorkflowResult first = f.run(OperationsWorkflows.rollingUpgradeCluster(f.clients), args());
    assertThat(first.status()).as(first.toJson()).isEqualTo(RunState.PARTIAL);
    assertThat(installs(2)).hasSize(1);

    f.sim.faults().reset();
    WorkflowResult resumed =
        f.engine
            .resume(first.runId(), OperationsWorkflows.rollingUpgradeCluster(f.clients))
            .await(Duration.ofSeconds(120));

    assertThat(resumed.status()).as(resumed.toJson()).isEqualTo(RunState.COMPLETED);
    for (int node = 1; node <= 3; node++) {
      assertThat(installs(node)).as("installs on node " + node).hasSize(1);
    }
  }

  @Test
  void aDryRunChecksSshButChangesNothing() throws IOException {
    cluster(e -> {});

    WorkflowResult result =
        f.run(
            OperationsWorkflows.rollingUpgradeCluster(f.clients),
            RunOptions.defaults().withDryRun(true),
            args());

    assertThat(result.success()).as(result.toJson()).isTrue();
    assertThat(f.sim.requests(RecordedRequest::isMutating)).isEmpty();
    assertThat(installs(1)).isEmpty();
    assertThat(result.toJson()).contains("install.sh -y' over SSH");
  }
}
