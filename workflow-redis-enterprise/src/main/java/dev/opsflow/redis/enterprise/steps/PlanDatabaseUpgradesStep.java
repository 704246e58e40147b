package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.redis.enterprise.client.Database;
import dev.opsflow.redis.enterprise.client.NodeInfo;
import dev.opsflow.redis.enterprise.client.RedisEnterpriseClient;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.ValidationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Plans {@code upgrade-databases}, changing nothing: the target version must be among every node's
 * {@code supported_database_versions} ({@code GET /v1/nodes}); the chosen databases ({@code
 * databases}, else all: {@code GET /v1/bdbs}) must be {@code active}; one already at the target is
 * left out (reported as skipped); one neither replicated nor persistent loses its data when its
 * shards restart, so it is refused unless {@code mayDiscardData}. Records the plan. Read-only, so
 * it runs in dry runs; skipped when no {@code targetRedisVersion} is given (rolling-upgrade-cluster
 * without a database upgrade).
 */
public final class PlanDatabaseUpgradesStep extends ClusterStep {

  /**
   * The step, named {@code plan-database-upgrades}.
   *
   * @param clients how the step gets the client of the run's cluster
   */
  public PlanDatabaseUpgradesStep(ClusterClientFactory clients) {
    super("plan-database-upgrades", clients);
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    return ctx.get(OperationKeys.TARGET_REDIS_VERSION).isEmpty()
        ? Optional.of("no targetRedisVersion: databases are not upgraded")
        : Optional.empty();
  }

  @Override
  public void run(StepContext ctx) {
    RedisEnterpriseClient client = client(ctx);
    String target = ctx.require(OperationKeys.TARGET_REDIS_VERSION);
    for (NodeInfo node : client.nodes()) {
      if (!node.redisMajorMinors().contains(target)) {
        throw new ValidationException(
            "targetRedisVersion '"
                + target
                + "' is not supported by node "
                + node.uid()
                + " (software "
                + node.softwareVersion()
                + ", supports "
                + node.redisMajorMinors()
                + "): upgrade the cluster's software first (rolling-upgrade-cluster)");
      }
    }
    List<Database> chosen = chosen(ctx, client);
    boolean discard = ctx.get(OperationKeys.MAY_DISCARD_DATA).orElse(false);
    var plan = new ArrayList<Integer>();
    var skipped = new ArrayList<String>();
    var problems = new ArrayList<String>();
    for (Database db : chosen) {
      if (target.equals(db.redisVersion())) {
        skipped.add(db.name());
      } else if (!db.isActive()) {
        problems.add("database " + db.uid() + " ('" + db.name() + "') is " + db.status());
      } else if (!db.keepsDataOnRestart() && !discard) {
        problems.add(
            "database "
                + db.uid()
                + " ('"
                + db.name()
                + "') is neither replicated nor persistent: the upgrade discards its data;"
                + " set mayDiscardData=true to accept that, or back it up first");
      } else {
        plan.add(db.uid());
      }
    }
    if (!problems.isEmpty()) {
      throw new ValidationException(
          "cannot upgrade to " + target + ": " + String.join("; ", problems));
    }
    ctx.put(OperationKeys.UPGRADE_PLAN, plan);
    ctx.put(OperationKeys.UPGRADE_SKIPPED, skipped);
    ctx.log().info("upgrade plan to {}: {} (already there: {})", target, plan, skipped);
  }

  private static List<Database> chosen(StepContext ctx, RedisEnterpriseClient client) {
    Optional<String> names = ctx.get(OperationKeys.DATABASES);
    if (names.isEmpty() || names.get().isBlank()) {
      return client.databases();
    }
    var out = new ArrayList<Database>();
    for (String ref : Arrays.stream(names.get().split(",")).map(String::trim).toList()) {
      if (!ref.isEmpty()) {
        out.add(resolveDatabase(client, ref, "databases"));
      }
    }
    return out;
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public String describe(StepContext ctx) {
    return "check the nodes' supported versions and choose the databases (GET /v1/nodes, /v1/bdbs)";
  }
}
