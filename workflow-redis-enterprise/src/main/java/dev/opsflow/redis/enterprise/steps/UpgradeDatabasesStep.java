package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.redis.enterprise.client.Action;
import dev.opsflow.redis.enterprise.client.Database;
import dev.opsflow.redis.enterprise.client.RedisEnterpriseClient;
import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Key;
import dev.opsflow.workflow.Poll;
import dev.opsflow.workflow.Polling;
import dev.opsflow.workflow.PollingStep;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Upgrades the planned databases, {@code parallelism} at a time: {@code POST
 * /v1/bdbs/{uid}/upgrade} ({@code redis_version}, {@code preserve_roles}, {@code
 * parallel_shards_upgrade}, {@code may_discard_data} only when asked), follows each one's action
 * ({@code GET /v1/actions/{uid}}) until the database is {@code active} at the target version, then
 * checks it with a PING and a key round trip. A failed upgrade stops the run: no other upgrade
 * starts; the error says which databases were upgraded and which are untouched.
 *
 * <p>Each poll reads where every planned database stands, so a resumed run never upgrades one
 * twice: a database at the target version is done, one {@code active-change-pending} is followed,
 * and only one still at its old version and {@code active} is started. {@code waitTimeout} bounds
 * the whole step. A {@link PollingStep}: no thread is held between polls.
 */
public final class UpgradeDatabasesStep extends ClusterStep implements PollingStep {
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static final Key<Map<String, String>> STARTED =
      (Key<Map<String, String>>) (Key) Key.of("re.upgradeStarted", Map.class);

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static final Key<List<Integer>> VERIFIED =
      (Key<List<Integer>>) (Key) Key.of("re.upgradeVerified", List.class);

  /**
   * The step, named {@code upgrade-databases}.
   *
   * @param clients how the step gets the client of the run's cluster
   */
  public UpgradeDatabasesStep(ClusterClientFactory clients) {
    super("upgrade-databases", clients);
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    if (ctx.get(OperationKeys.TARGET_REDIS_VERSION).isEmpty()) {
      return Optional.of("no targetRedisVersion: databases are not upgraded");
    }
    return ctx.get(OperationKeys.UPGRADE_PLAN).filter(List::isEmpty).map(p -> "nothing to upgrade");
  }

  @Override
  public Poll poll(StepContext ctx, Polling polling) {
    RedisEnterpriseClient client = client(ctx);
    String target = ctx.require(OperationKeys.TARGET_REDIS_VERSION);
    List<Integer> plan = ctx.require(OperationKeys.UPGRADE_PLAN);
    int parallelism = ctx.get(OperationKeys.PARALLELISM).orElse(1);
    var started = new LinkedHashMap<String, String>(ctx.get(STARTED).orElse(Map.of()));
    var verified = new ArrayList<Integer>(ctx.get(VERIFIED).orElse(List.of()));
    var done = new ArrayList<Integer>();
    var running = new ArrayList<Integer>();
    var waiting = new ArrayList<Database>();
    for (int uid : plan) {
      Database db = client.database(uid);
      if (target.equals(db.redisVersion()) && db.isActive()) {
        done.add(uid);
        if (!verified.contains(uid)) {
          ctx.subTask("Checking database " + uid + " ('" + db.name() + "') on " + target);
          String where = DataChecks.roundTrip(client, db, ctx.runId());
          ctx.log()
              .info("database {} upgraded to {}; PING and round trip at {}", uid, target, where);
          verified.add(uid);
        }
      } else if (!db.isActive() || started.containsKey(Integer.toString(uid))) {
        String actionUid =
            Optional.ofNullable(db.actionUid()).orElse(started.get(Integer.toString(uid)));
        Action action = actionUid == null ? null : action(client, actionUid);
        if (action != null && action.isUnsuccessful()) {
          throw failed(ctx, db, action, done, plan);
        }
        running.add(uid);
      } else {
        waiting.add(db);
      }
    }
    while (running.size() < parallelism && !waiting.isEmpty()) {
      Database db = waiting.remove(0);
      ctx.subTask("Upgrading database " + db.uid() + " ('" + db.name() + "') to " + target);
      Database answer = client.upgradeDatabase(db.uid(), options(ctx, target));
      started.put(Integer.toString(db.uid()), answer.actionUid());
      running.add(db.uid());
    }
    ctx.put(STARTED, started);
    ctx.put(VERIFIED, verified);
    ctx.progress(plan.isEmpty() ? 100 : 100 * done.size() / plan.size());
    if (done.size() == plan.size()) {
      ctx.output("upgraded_databases", done);
      return Poll.done();
    }
    Duration waited = Duration.between(polling.since(), ctx.clock().instant());
    if (waited.compareTo(waitTimeout(ctx)) > 0) {
      throw new WorkflowException(
          ErrorKind.TIMEOUT,
          "databases " + running + " did not finish upgrading to " + target + " within " + waited,
          null,
          true,
          Map.of("upgraded", done, "upgrading", running),
          List.of(
              "the upgrades keep running on the cluster: resume or run again to follow them;"
                  + " no database is upgraded twice"));
    }
    return Poll.again(Duration.ofSeconds(Math.min(10, polling.count())));
  }

  private static Map<String, Object> options(StepContext ctx, String target) {
    var body = new LinkedHashMap<String, Object>();
    body.put("redis_version", target);
    body.put("preserve_roles", ctx.get(OperationKeys.PRESERVE_ROLES).orElse(false));
    ctx.get(OperationKeys.PARALLEL_SHARDS).ifPresent(n -> body.put("parallel_shards_upgrade", n));
    if (ctx.get(OperationKeys.MAY_DISCARD_DATA).orElse(false)) {
      body.put("may_discard_data", true);
    }
    return body;
  }

  private static Action action(RedisEnterpriseClient client, String uid) {
    try {
      return client.action(uid);
    } catch (ApiException e) {
      if (e.status() == 404) {
        return null;
      }
      throw e;
    }
  }

  private static WorkflowException failed(
      StepContext ctx, Database db, Action action, List<Integer> done, List<Integer> plan) {
    var untouched = new ArrayList<Integer>(plan);
    untouched.removeAll(done);
    untouched.remove(Integer.valueOf(db.uid()));
    var details = new LinkedHashMap<String, Object>();
    details.put("databaseId", db.uid());
    details.put("errorCode", action.errorCode() == null ? "" : action.errorCode());
    details.put("upgraded", done);
    details.put("untouched", untouched);
    return new WorkflowException(
        ErrorKind.REMOTE_FAILURE,
        "the upgrade of database "
            + db.uid()
            + " ('"
            + db.name()
            + "') to "
            + ctx.require(OperationKeys.TARGET_REDIS_VERSION)
            + " ended "
            + action.describe()
            + "; upgraded: "
            + done
            + ", untouched: "
            + untouched,
        null,
        false,
        details,
        List.of(
            "database " + db.uid() + " keeps its old version; check the cluster's logs for why",
            "once fixed, run upgrade-databases again: the upgraded databases are skipped"));
  }

  @Override
  public String describe(StepContext ctx) {
    return "upgrade databases "
        + ctx.get(OperationKeys.UPGRADE_PLAN).map(Object::toString).orElse("(planned)")
        + " to "
        + ctx.get(OperationKeys.TARGET_REDIS_VERSION).orElse("?")
        + ", "
        + ctx.get(OperationKeys.PARALLELISM).orElse(1)
        + " at a time (POST /v1/bdbs/{uid}/upgrade), then PING and a key round trip each";
  }
}
