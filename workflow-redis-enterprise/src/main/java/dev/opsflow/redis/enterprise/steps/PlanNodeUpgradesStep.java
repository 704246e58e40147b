package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.redis.enterprise.client.NodeInfo;
import dev.opsflow.redis.enterprise.client.NodeStatus;
import dev.opsflow.redis.enterprise.client.RedisEnterpriseClient;
import dev.opsflow.redis.enterprise.client.Shard;
import dev.opsflow.redis.enterprise.client.SshSession;
import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.ValidationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Plans rolling-upgrade-cluster, changing nothing: every node is {@code active} and every shard
 * healthy ({@code GET /v1/nodes}, {@code GET /v1/shards}); each node not yet at {@code
 * targetSoftwareVersion} is reachable over SSH with a trusted host key (a session is opened and
 * {@code true} run, so a missing key fails here, before any node enters maintenance). Records the
 * order: the cluster's primary (master) node first, as the vendor's upgrade prerequisites ask (its
 * role from {@code GET /v1/nodes/status}), then the others by uid; a cluster older than 6.2.18,
 * without that request, goes by uid and says so. Outputs {@code upgrade_order} and {@code
 * primary_node}. Read-only.
 */
public final class PlanNodeUpgradesStep extends ClusterStep {

  /**
   * The step, named {@code plan-node-upgrades}.
   *
   * @param clients how the step gets the client of the run's cluster
   */
  public PlanNodeUpgradesStep(ClusterClientFactory clients) {
    super("plan-node-upgrades", clients);
  }

  @Override
  public void run(StepContext ctx) {
    RedisEnterpriseClient client = client(ctx);
    String target = ctx.require(OperationKeys.TARGET_SOFTWARE_VERSION);
    List<NodeInfo> nodes =
        client.nodes().stream()
            .sorted(Comparator.comparingInt(n -> Integer.parseInt(n.uid())))
            .toList();
    for (NodeInfo node : nodes) {
      boolean resumable =
          target.equals(node.softwareVersion()) || Boolean.FALSE.equals(node.acceptServers());
      if (!node.isActive() && !resumable) {
        throw new ValidationException(
            "node " + node.uid() + " is " + node.status() + ": the cluster must be healthy first");
      }
    }
    for (Shard shard : client.shards()) {
      if (!shard.isHealthy()) {
        throw new ValidationException(
            "shard "
                + shard.uid()
                + " of database "
                + shard.bdbUid()
                + " is "
                + shard.status()
                + "/"
                + shard.detailedStatus()
                + ": the cluster must be healthy first");
      }
    }
    for (NodeInfo node : nodes) {
      if (!target.equals(node.softwareVersion())) {
        ctx.subTask("Checking SSH to node " + node.uid() + " (" + NodeSsh.address(ctx, node) + ")");
        try (SshSession ssh = NodeSsh.connect(ctx, node)) {
          ssh.exec("true", Duration.ofSeconds(30));
        }
      }
    }
    var order = new ArrayList<Integer>();
    Optional<Integer> primary = primaryNode(ctx, client);
    primary.ifPresent(order::add);
    nodes.stream()
        .map(n -> Integer.parseInt(n.uid()))
        .filter(uid -> !order.contains(uid))
        .forEach(order::add);
    ctx.put(OperationKeys.NODE_ORDER, List.copyOf(order));
    ctx.output("upgrade_order", List.copyOf(order));
    primary.ifPresent(uid -> ctx.output("primary_node", uid));
  }

  /**
   * The primary node's uid from {@code GET /v1/nodes/status}; empty (uid order, logged) when the
   * cluster does not have that request (404, 405) or names no primary.
   */
  private static Optional<Integer> primaryNode(StepContext ctx, RedisEnterpriseClient client) {
    Map<String, NodeStatus> statuses;
    try {
      statuses = client.nodeStatuses();
    } catch (ApiException e) {
      if (e.status() != 404 && e.status() != 405) {
        throw e;
      }
      ctx.log()
          .warn(
              "GET /v1/nodes/status answered {} (clusters before 6.2.18 lack it): the primary"
                  + " node is not known, nodes go by uid; upgrade the primary first by hand if"
                  + " it is not node 1",
              e.status());
      return Optional.empty();
    }
    Optional<Integer> primary =
        statuses.entrySet().stream()
            .filter(e -> e.getValue() != null && e.getValue().isPrimary())
            .map(e -> Integer.parseInt(e.getKey()))
            .findFirst();
    if (primary.isEmpty()) {
      ctx.log().warn("GET /v1/nodes/status names no primary (master) node: nodes go by uid");
    }
    return primary;
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public String describe(StepContext ctx) {
    return "check the nodes, the shards and SSH to each node; the primary node first (GET"
        + " /v1/nodes, /v1/nodes/status, /v1/shards)";
  }
}
