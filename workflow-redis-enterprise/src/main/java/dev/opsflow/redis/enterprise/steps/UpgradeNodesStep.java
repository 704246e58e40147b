package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.redis.enterprise.client.Action;
import dev.opsflow.redis.enterprise.client.NodeInfo;
import dev.opsflow.redis.enterprise.client.RedisEnterpriseClient;
import dev.opsflow.redis.enterprise.client.Shard;
import dev.opsflow.redis.enterprise.client.SshSession;
import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Key;
import dev.opsflow.workflow.Poll;
import dev.opsflow.workflow.Polling;
import dev.opsflow.workflow.PollingStep;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Upgrades the nodes one at a time, in the planned order: {@code POST
 * /v1/nodes/{uid}/actions/maintenance_on} and its action followed to {@code completed} (the node's
 * shards move away), the installer over SSH ({@code [sudo -n] installerPath installerFlags}), the
 * node awaited until it is {@code active} at {@code targetSoftwareVersion} with every shard
 * healthy, {@code maintenance_off}, then the next node.
 *
 * <p>Each poll reads where the nodes stand, so a resumed run never installs on a node twice: a node
 * at the target version is past its install. A failure stops with the later nodes untouched and
 * says where each node is. {@code waitTimeout} bounds each wait of a node (its maintenance actions,
 * its return). A {@link PollingStep}.
 */
public final class UpgradeNodesStep extends ClusterStep implements PollingStep {
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static final Key<Map<String, String>> REQUESTED =
      (Key<Map<String, String>>) (Key) Key.of("re.nodeActions", Map.class);

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static final Key<Map<String, String>> WAITING_SINCE =
      (Key<Map<String, String>>) (Key) Key.of("re.nodeWaitingSince", Map.class);

  /**
   * The step, named {@code upgrade-nodes}.
   *
   * @param clients how the step gets the client of the run's cluster
   */
  public UpgradeNodesStep(ClusterClientFactory clients) {
    super("upgrade-nodes", clients);
  }

  @Override
  public Poll poll(StepContext ctx, Polling polling) {
    RedisEnterpriseClient client = client(ctx);
    String target = ctx.require(OperationKeys.TARGET_SOFTWARE_VERSION);
    List<Integer> order = ctx.require(OperationKeys.NODE_ORDER);
    var requested = new LinkedHashMap<String, String>(ctx.get(REQUESTED).orElse(Map.of()));
    var since = new LinkedHashMap<String, String>(ctx.get(WAITING_SINCE).orElse(Map.of()));
    var nodes = new LinkedHashMap<Integer, NodeInfo>();
    client.nodes().forEach(n -> nodes.put(Integer.parseInt(n.uid()), n));
    int index = 0;
    NodeInfo current = null;
    for (int uid : order) {
      NodeInfo n = nodes.get(uid);
      boolean done =
          target.equals(n.softwareVersion())
              && n.isActive()
              && !Boolean.FALSE.equals(n.acceptServers());
      if (!done) {
        current = n;
        break;
      }
      index++;
    }
    ctx.progress(100 * index / order.size());
    if (current == null) {
      ctx.output("upgraded_nodes", order);
      return Poll.done();
    }
    String uid = current.uid();
    Poll next = Poll.again(Duration.ofSeconds(Math.min(10, 1 + polling.count() / 3)));
    boolean inMaintenance = Boolean.FALSE.equals(current.acceptServers());
    if (!target.equals(current.softwareVersion())) {
      if (!inMaintenance) {
        if (awaitAction(ctx, client, current, "maintenance_on", requested, since, nodes, order)) {
          requested.put(uid + "/maintenance_on", start(client, current, "maintenance_on"));
          since.put(uid, ctx.clock().instant().toString());
          ctx.subTask("Node " + uid + ": maintenance mode on");
        }
      } else if (!requested.containsKey(uid + "/installed")) {
        ctx.subTask("Node " + uid + ": running the installer (" + NodeSsh.command(ctx) + ")");
        try (SshSession ssh = NodeSsh.connect(ctx, current)) {
          SshSession.Result result =
              ssh.exec(
                  NodeSsh.command(ctx),
                  ctx.get(OperationKeys.INSTALL_TIMEOUT).orElse(Duration.ofMinutes(30)));
          if (!result.ok()) {
            throw NodeSsh.installFailed(current, result);
          }
        }
        requested.put(uid + "/installed", ctx.clock().instant().toString());
        since.put(uid, ctx.clock().instant().toString());
      } else {
        checkWait(ctx, current, "to report version " + target, since, nodes, order);
      }
    } else if (!current.isActive() || !healthy(client)) {
      ctx.subTask("Node " + uid + ": waiting for it and the cluster to be healthy");
      checkWait(ctx, current, "to come back active", since, nodes, order);
    } else if (awaitAction(
        ctx, client, current, "maintenance_off", requested, since, nodes, order)) {
      requested.put(uid + "/maintenance_off", start(client, current, "maintenance_off"));
      since.put(uid, ctx.clock().instant().toString());
      ctx.subTask("Node " + uid + ": maintenance mode off");
    }
    ctx.put(REQUESTED, requested);
    ctx.put(WAITING_SINCE, since);
    return next;
  }

  /**
   * Whether {@code action} should be started on the node now: false while the one this run started
   * is running; a failed one fails the run.
   */
  private boolean awaitAction(
      StepContext ctx,
      RedisEnterpriseClient client,
      NodeInfo node,
      String action,
      Map<String, String> requested,
      Map<String, String> since,
      Map<Integer, NodeInfo> nodes,
      List<Integer> order) {
    String ours = requested.get(node.uid() + "/" + action);
    Action last = lastAction(client, node, action);
    if (ours == null || last == null || !ours.equals(last.uid())) {
      return last == null || last.isTerminal();
    }
    if (last.isUnsuccessful()) {
      throw where(
          ErrorKind.REMOTE_FAILURE,
          "node " + node.uid() + ": " + action + " ended " + last.describe(),
          nodes,
          order,
          ctx);
    }
    if (!last.isTerminal()) {
      checkWait(ctx, node, "to finish " + action, since, nodes, order);
      return false;
    }
    // Ours completed but the node does not show it yet: look again.
    return false;
  }

  private static Action lastAction(RedisEnterpriseClient client, NodeInfo node, String action) {
    try {
      return client.nodeAction(Integer.parseInt(node.uid()), action);
    } catch (ApiException e) {
      if (e.status() == 404) {
        return null;
      }
      throw e;
    }
  }

  private static String start(RedisEnterpriseClient client, NodeInfo node, String action) {
    return client.startNodeAction(Integer.parseInt(node.uid()), action, Map.of()).uid();
  }

  private static boolean healthy(RedisEnterpriseClient client) {
    return client.nodes().stream().allMatch(NodeInfo::isActive)
        && client.shards().stream().allMatch(Shard::isHealthy);
  }

  private static void checkWait(
      StepContext ctx,
      NodeInfo node,
      String what,
      Map<String, String> since,
      Map<Integer, NodeInfo> nodes,
      List<Integer> order) {
    Instant start = Optional.ofNullable(since.get(node.uid())).map(Instant::parse).orElse(null);
    if (start == null) {
      since.put(node.uid(), ctx.clock().instant().toString());
      return;
    }
    Duration waited = Duration.between(start, ctx.clock().instant());
    if (waited.compareTo(waitTimeout(ctx)) > 0) {
      throw where(
          ErrorKind.TIMEOUT,
          "node " + node.uid() + " did not " + what.replaceFirst("^to ", "") + " within " + waited,
          nodes,
          order,
          ctx);
    }
  }

  /** A failure that says where every node stands. */
  private static WorkflowException where(
      ErrorKind kind,
      String message,
      Map<Integer, NodeInfo> nodes,
      List<Integer> order,
      StepContext ctx) {
    var states = new LinkedHashMap<String, Object>();
    for (int uid : order) {
      NodeInfo n = nodes.get(uid);
      states.put(
          "node " + uid,
          n.softwareVersion()
              + ", "
              + n.status()
              + (Boolean.FALSE.equals(n.acceptServers()) ? ", in maintenance mode" : ""));
    }
    return new WorkflowException(
        kind,
        message + "; nodes: " + states,
        null,
        false,
        Map.of("nodes", states),
        List.of(
            "the nodes after it are untouched; a node in maintenance mode keeps no shards",
            "once the node is back, resume: nodes already at "
                + ctx.require(OperationKeys.TARGET_SOFTWARE_VERSION)
                + " are not installed again"));
  }

  @Override
  public String describe(StepContext ctx) {
    return "one node at a time: maintenance_on, '"
        + NodeSsh.command(ctx)
        + "' over SSH, wait until it is back at "
        + ctx.get(OperationKeys.TARGET_SOFTWARE_VERSION).orElse("?")
        + " and the cluster healthy, maintenance_off (nodes "
        + ctx.get(OperationKeys.NODE_ORDER).map(Object::toString).orElse("(planned)")
        + ")";
  }
}
