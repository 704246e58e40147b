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

/**
 * Recovers every database of the recovered cluster that waits in status {@code recovery}: reads its
 * plan ({@code GET /v1/bdbs/{uid}/actions/recover}: its persistence files), starts it ({@code POST
 * .../recover}: persistent data is loaded, a database without persistence comes back empty),
 * follows its action until the database is {@code active}, then PINGs it with a key round trip. A
 * database whose recovery is running is followed, never started again. Outputs {@code
 * recovered_databases}. A {@link PollingStep}; {@code waitTimeout} bounds the whole step.
 */
public final class RecoverDatabasesStep extends ClusterStep implements PollingStep {
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static final Key<Map<String, String>> STARTED =
      (Key<Map<String, String>>) (Key) Key.of("re.recoveryStarted", Map.class);

  /**
   * The step, named {@code recover-databases}.
   *
   * @param clients how the step gets the client of the run's cluster
   */
  public RecoverDatabasesStep(ClusterClientFactory clients) {
    super("recover-databases", clients);
  }

  @Override
  public Poll poll(StepContext ctx, Polling polling) {
    RedisEnterpriseClient client = client(ctx);
    var started = new LinkedHashMap<String, String>(ctx.get(STARTED).orElse(Map.of()));
    var pending = new ArrayList<Integer>();
    for (Database db : client.databases()) {
      String key = Integer.toString(db.uid());
      if (db.isActive()) {
        continue;
      }
      pending.add(db.uid());
      if (!"recovery".equals(db.status())) {
        continue;
      }
      String running = db.actionUid() != null ? db.actionUid() : started.get(key);
      Action action = running == null ? null : action(client, running);
      if (action != null && !action.isTerminal()) {
        continue;
      }
      if (action != null && action.isUnsuccessful() && started.containsKey(key)) {
        throw new WorkflowException(
            ErrorKind.REMOTE_FAILURE,
            "the recovery of database "
                + db.uid()
                + " ('"
                + db.name()
                + "') ended "
                + action.describe(),
            null,
            false,
            Map.of("databaseId", db.uid()),
            List.of(
                "read its recovery plan (GET /v1/bdbs/"
                    + db.uid()
                    + "/actions/recover): are its"
                    + " persistence files on the mounted storage?",
                "run recover-cluster again: the cluster is not recovered twice"));
      }
      if (action == null || action.isTerminal()) {
        logPlan(client, db.uid(), ctx);
        ctx.subTask("Recovering database " + db.uid() + " ('" + db.name() + "')");
        started.put(key, client.recoverDatabase(db.uid(), Map.of()));
      }
    }
    ctx.put(STARTED, started);
    if (pending.isEmpty()) {
      var recovered = new ArrayList<Integer>();
      for (String key : started.keySet()) {
        Database db = client.database(Integer.parseInt(key));
        DataChecks.roundTrip(client, db, ctx.runId());
        recovered.add(db.uid());
      }
      ctx.output("recovered_databases", recovered);
      return Poll.done();
    }
    Duration waited = Duration.between(polling.since(), ctx.clock().instant());
    if (waited.compareTo(waitTimeout(ctx)) > 0) {
      throw new WorkflowException(
          ErrorKind.TIMEOUT,
          "databases " + pending + " were not active within " + waited,
          null,
          true,
          Map.of("pending", pending),
          List.of("their recoveries keep running: resume to follow them"));
    }
    return Poll.again(Duration.ofSeconds(Math.min(10, polling.count())));
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

  /** Logs a database's recovery plan (its files), which the operator may want to see. */
  private static void logPlan(RedisEnterpriseClient client, int uid, StepContext ctx) {
    var plan = client.recoveryPlan(uid);
    ctx.log()
        .info(
            "database {} recovery plan: status {}, {} data file(s)",
            uid,
            plan.path("status").asString("?"),
            plan.path("data_files").size());
  }

  @Override
  public String describe(StepContext ctx) {
    return "recover each database in status 'recovery' (GET and POST /v1/bdbs/{uid}/actions/recover),"
        + " wait until active, PING each";
  }
}
