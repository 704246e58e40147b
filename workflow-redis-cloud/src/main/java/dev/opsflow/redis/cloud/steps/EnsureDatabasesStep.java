package dev.opsflow.redis.cloud.steps;

import dev.opsflow.redis.cloud.client.Database;
import dev.opsflow.redis.cloud.client.DatabaseSpec;
import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Makes sure every database of the plan exists in the subscription, by name: those created with the
 * subscription are found, and only a missing one (a reused subscription, a half-done run) is
 * created with {@code POST /subscriptions/{id}/databases}, one at a time, waiting for the
 * subscription to be active again between them. Never a database the plan does not name. On
 * rollback it deletes only the databases it created.
 */
public final class EnsureDatabasesStep implements Step {
  private final RedisCloudClient client;

  /**
   * A step using {@code client}.
   *
   * @param client the Redis Cloud client the step calls
   */
  public EnsureDatabasesStep(RedisCloudClient client) {
    this.client = client;
  }

  @Override
  public String name() {
    return "ensure-databases";
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    Optional<Long> sub = ctx.get(CloudKeys.SUBSCRIPTION_ID);
    if (sub.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Long> ids = existing(sub.get());
    List<String> wanted = wanted(ctx);
    if (ids.keySet().containsAll(wanted)) {
      ctx.put(CloudKeys.DATABASE_IDS, pick(ids, wanted));
      return Optional.of("databases " + wanted + " exist in subscription " + sub.get());
    }
    return Optional.empty();
  }

  @Override
  public void run(StepContext ctx) {
    long sub = ctx.require(CloudKeys.SUBSCRIPTION_ID);
    Map<String, Long> ids = existing(sub);
    var created = new ArrayList<>(ctx.get(CloudKeys.CREATED_DATABASES).orElse(List.of()));
    for (DatabaseSpec spec : ctx.require(CloudKeys.REQUEST).databases()) {
      if (ids.containsKey(spec.name())) {
        continue;
      }
      client.awaitSubscriptionActive(ctx, sub);
      ctx.subTask("Creating database '" + spec.name() + "'...");
      // The create request takes enableTls (the subscription's database spec does not).
      var request =
          spec.toCreateRequest().withEnableTls(ctx.get(CloudKeys.ENABLE_TLS).orElse(null));
      long id = client.awaitResourceId(ctx, client.createDatabase(sub, request));
      ids.put(spec.name(), id);
      created.add(id);
      ctx.put(CloudKeys.CREATED_DATABASES, List.copyOf(created));
    }
    ctx.put(CloudKeys.DATABASE_IDS, pick(ids, wanted(ctx)));
  }

  @Override
  public boolean hasCompensation() {
    return true;
  }

  @Override
  public void compensate(StepContext ctx) {
    long sub = ctx.require(CloudKeys.SUBSCRIPTION_ID);
    // Number: a resumed run reads the ids back from JSON, perhaps as Integers.
    for (Number id : ctx.get(CloudKeys.CREATED_DATABASES).orElse(List.of())) {
      ctx.subTask("Deleting database " + id + " created by this run...");
      client.awaitSubscriptionActive(ctx, sub);
      client.awaitTask(ctx, client.deleteDatabase(sub, id.longValue()).taskId());
    }
  }

  @Override
  public String describe(StepContext ctx) {
    return "create the databases of " + wanted(ctx) + " that the subscription lacks";
  }

  private Map<String, Long> existing(long sub) {
    var ids = new LinkedHashMap<String, Long>();
    for (Database db : client.databases(sub)) {
      ids.put(db.name(), db.databaseId());
    }
    return ids;
  }

  private static List<String> wanted(StepContext ctx) {
    return ctx.get(CloudKeys.REQUEST)
        .map(r -> r.databases().stream().map(DatabaseSpec::name).toList())
        .orElse(List.of());
  }

  private static Map<String, Long> pick(Map<String, Long> ids, List<String> names) {
    var out = new LinkedHashMap<String, Long>();
    names.forEach(n -> out.put(n, ids.get(n)));
    return out;
  }
}
