package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.redis.enterprise.client.NodeInfo;
import dev.opsflow.redis.enterprise.client.RedisEnterpriseClient;
import dev.opsflow.redis.enterprise.client.Shard;
import dev.opsflow.redis.enterprise.client.SshSession;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.ValidationException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * Plans rolling-upgrade-cluster, changing nothing: every node is {@code active} and every shard
 * healthy ({@code GET /v1/nodes}, {@code GET /v1/shards}); each node not yet at {@code
 * targetSoftwareVersion} is reachable over SSH with a trusted host key (a session is opened and
 * {@code true} run, so a missing key fails here, before any node enters maintenance). Records the
 * order: by uid. Read-only.
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
    ctx.put(OperationKeys.NODE_ORDER, nodes.stream().map(n -> Integer.parseInt(n.uid())).toList());
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public String describe(StepContext ctx) {
    return "check the nodes, the shards and SSH to each node (GET /v1/nodes, /v1/shards)";
  }
}
