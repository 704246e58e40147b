package dev.opsflow.redis.cloud.steps;

import dev.opsflow.redis.cloud.client.Database;
import dev.opsflow.redis.cloud.client.DatabaseSecurity;
import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.redis.cloud.client.Task;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gives every Pro database of {@link CloudKeys#DATABASE_IDS} the TLS setting of {@link
 * CloudKeys#ENABLE_TLS}. The subscription-create request has no {@code enableTls} (its database
 * spec lacks the field), so TLS is set by an update once the database is active: {@code PUT
 * /subscriptions/{id}/databases/{id}} with {@code {"enableTls": ...}}, or {@code PUT
 * .../databases/{id}/regions} for an Active-Active database; then it waits for the task and for the
 * database to be {@code active} again. A database that already has the setting is left alone, so a
 * re-run changes nothing. On rollback it restores the setting of the databases it changed that
 * outlive the rollback (those of a reused subscription not created by this run).
 */
public final class EnsureDatabaseTlsStep implements Step {
  private final RedisCloudClient client;

  /**
   * A step using {@code client}.
   *
   * @param client the Redis Cloud client the step calls
   */
  public EnsureDatabaseTlsStep(RedisCloudClient client) {
    this.client = client;
  }

  @Override
  public String name() {
    return "ensure-database-tls";
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    if (ctx.get(CloudKeys.SUBSCRIPTION_ID).isEmpty() || ctx.get(CloudKeys.DATABASE_IDS).isEmpty()) {
      return Optional.empty();
    }
    boolean wanted = ctx.require(CloudKeys.ENABLE_TLS);
    if (toChange(ctx, wanted).isEmpty()) {
      return Optional.of("every database has enableTls=" + wanted);
    }
    return Optional.empty();
  }

  @Override
  public void run(StepContext ctx) {
    long sub = ctx.require(CloudKeys.SUBSCRIPTION_ID);
    boolean wanted = ctx.require(CloudKeys.ENABLE_TLS);
    var changed = new ArrayList<>(longs(ctx.get(CloudKeys.TLS_CHANGED).orElse(List.of())));
    for (Database db : toChange(ctx, wanted)) {
      client.awaitSubscriptionActive(ctx, sub);
      ctx.subTask(
          (wanted ? "Enabling" : "Disabling")
              + " TLS on database '"
              + db.name()
              + "' ("
              + db.databaseId()
              + ")...");
      client.awaitTask(ctx, update(sub, db, wanted).taskId());
      changed.add(db.databaseId());
      ctx.put(CloudKeys.TLS_CHANGED, List.copyOf(changed));
      client.awaitDatabaseActive(ctx, sub, db.databaseId());
    }
  }

  @Override
  public boolean hasCompensation() {
    return true;
  }

  @Override
  public void compensate(StepContext ctx) {
    if (ctx.get(CloudKeys.SUBSCRIPTION_CREATED).orElse(false)) {
      return; // the subscription, databases and all, is deleted
    }
    long sub = ctx.require(CloudKeys.SUBSCRIPTION_ID);
    boolean wanted = ctx.require(CloudKeys.ENABLE_TLS);
    // A resumed run reads the ids back from JSON, perhaps as Integers: read them as numbers.
    List<Long> created = longs(ctx.get(CloudKeys.CREATED_DATABASES).orElse(List.of()));
    for (Long id : longs(ctx.get(CloudKeys.TLS_CHANGED).orElse(List.of()))) {
      if (created.contains(id)) {
        continue; // deleted by ensure-databases' compensation
      }
      Optional<Database> db = client.database(sub, id.longValue());
      if (db.isEmpty()) {
        continue;
      }
      ctx.subTask("Restoring enableTls=" + !wanted + " on database " + id + "...");
      client.awaitSubscriptionActive(ctx, sub);
      client.awaitTask(ctx, update(sub, db.get(), !wanted).taskId());
    }
  }

  @Override
  public String describe(StepContext ctx) {
    return "set enableTls=" + ctx.get(CloudKeys.ENABLE_TLS).orElse(null) + " on each database";
  }

  private Task update(long sub, Database db, boolean tls) {
    Map<String, Object> change = Map.of("enableTls", tls);
    return activeActive(db)
        ? client.updateActiveActiveDatabase(sub, db.databaseId(), change)
        : client.updateDatabase(sub, db.databaseId(), change);
  }

  private List<Database> toChange(StepContext ctx, boolean wanted) {
    long sub = ctx.require(CloudKeys.SUBSCRIPTION_ID);
    var out = new ArrayList<Database>();
    for (Object value : ctx.require(CloudKeys.DATABASE_IDS).values()) {
      long id = ((Number) value).longValue();
      Database db =
          client
              .database(sub, id)
              .orElseThrow(
                  () ->
                      new WorkflowException(
                          ErrorKind.REMOTE_FAILURE,
                          "database " + id + " vanished before its TLS setting was checked"));
      if (tls(db) != wanted) {
        out.add(db);
      }
    }
    return out;
  }

  private static List<Long> longs(List<?> values) {
    return values.stream().map(v -> ((Number) v).longValue()).toList();
  }

  private static boolean activeActive(Database db) {
    return Boolean.TRUE.equals(db.activeActiveRedis())
        || db.crdbDatabases() != null && !db.crdbDatabases().isEmpty();
  }

  /** Whether the database has TLS: every region of an Active-Active one. */
  private static boolean tls(Database db) {
    if (db.crdbDatabases() != null && !db.crdbDatabases().isEmpty()) {
      return db.crdbDatabases().stream()
          .allMatch(r -> (r.security() != null ? r.security() : db.securityOrNone()).tls());
    }
    DatabaseSecurity sec = db.securityOrNone();
    return sec.tls();
  }
}
