package dev.opsflow.redis.cloud.steps;

import dev.opsflow.redis.cloud.client.Database;
import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.workflow.Poll;
import dev.opsflow.workflow.Polling;
import dev.opsflow.workflow.PollingStep;
import dev.opsflow.workflow.StepContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Polls each database of {@link CloudKeys#DATABASE_IDS} until it is {@code active} and outputs its
 * id and public endpoint (never its password): {@code databaseId} and {@code endpoint} for the
 * first, {@code databases} for all. Works for Pro and, with {@link CloudKeys#ESSENTIALS}, for
 * Essentials databases. A {@link PollingStep}: each poll reads the databases in order up to the
 * first that is not active yet (one wait, with the client's resource timeout, for all of them); in
 * a started run it holds no thread between polls.
 */
public final class AwaitDatabasesActiveStep implements PollingStep {
  private final RedisCloudClient client;

  /**
   * A step using {@code client}.
   *
   * @param client the Redis Cloud client the step calls
   */
  public AwaitDatabasesActiveStep(RedisCloudClient client) {
    this.client = client;
  }

  @Override
  public String name() {
    return "await-databases-active";
  }

  @Override
  public Poll poll(StepContext ctx, Polling polling) {
    long sub = ctx.require(CloudKeys.SUBSCRIPTION_ID);
    boolean essentials = ctx.get(CloudKeys.ESSENTIALS).orElse(false);
    var described = new ArrayList<Map<String, Object>>();
    for (var entry : ctx.require(CloudKeys.DATABASE_IDS).entrySet()) {
      long id = ((Number) entry.getValue()).longValue();
      var active = new ArrayList<Database>(1);
      Poll poll =
          essentials
              ? client.pollFixedDatabaseActive(ctx, polling, sub, id, active::add)
              : client.pollDatabaseActive(ctx, polling, sub, id, active::add);
      if (!poll.isDone()) {
        return poll;
      }
      Database db = active.get(0);
      var info = new LinkedHashMap<String, Object>();
      info.put("name", db.name());
      info.put("databaseId", db.databaseId());
      info.put("status", db.status());
      info.put("endpoint", db.endpoint().orElse(null));
      if (db.crdbDatabases() != null && !db.crdbDatabases().isEmpty()) {
        info.put(
            "regions",
            db.crdbDatabases().stream()
                .map(
                    r ->
                        Map.of(
                            "region", r.region(), "endpoint", String.valueOf(r.publicEndpoint())))
                .toList());
      }
      described.add(info);
    }
    if (!described.isEmpty()) {
      ctx.output("databaseId", described.get(0).get("databaseId"));
      ctx.output("endpoint", described.get(0).get("endpoint"));
    }
    ctx.output("databases", List.copyOf(described));
    return Poll.done();
  }

  @Override
  public String describe(StepContext ctx) {
    return "wait for the databases to be active";
  }
}
