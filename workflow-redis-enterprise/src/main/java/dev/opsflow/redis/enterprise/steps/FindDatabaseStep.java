package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.redis.enterprise.client.Database;
import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.StepContext;
import java.util.Optional;

/**
 * Looks the database up by {@link RedisEnterpriseKeys#DATABASE_UID} or, without one, by {@link
 * RedisEnterpriseKeys#DATABASE_NAME} ({@code GET /v1/bdbs}), and records an existing one in {@link
 * RedisEnterpriseKeys#DATABASE_ID} so that {@link CreateDatabaseStep} reuses it instead of failing.
 * Read-only (retried on transient errors, unlike a precheck). Skipped with {@code skipDatabase},
 * and in a dry run on a node not bootstrapped yet.
 */
public final class FindDatabaseStep extends ClusterStep {

  /**
   * The step, named {@code find-database}.
   *
   * @param clients how the step gets the client of the run's cluster
   */
  public FindDatabaseStep(ClusterClientFactory clients) {
    super("find-database", clients);
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    if (skipDatabase(ctx)) {
      return Optional.of("skipDatabase: no database is created");
    }
    if (ctx.isDryRun()
        && ctx.get(RedisEnterpriseKeys.BOOTSTRAP_STATE).isPresent()
        && !bootstrappedBefore(ctx)) {
      return Optional.of("dry run: the node is not bootstrapped yet, so it has no database");
    }
    return Optional.empty();
  }

  @Override
  public void run(StepContext ctx) {
    var client = client(ctx);
    Optional<Integer> uid = ctx.get(RedisEnterpriseKeys.DATABASE_UID);
    Optional<Database> found;
    if (uid.isPresent()) {
      ctx.subTask("Looking up database " + uid.get());
      try {
        found = Optional.of(client.database(uid.get()));
      } catch (ApiException e) {
        if (e.status() != 404) {
          throw e;
        }
        found = Optional.empty();
      }
    } else {
      String name = ctx.require(RedisEnterpriseKeys.DATABASE_NAME);
      ctx.subTask("Looking for a database named '" + name + "'");
      found = client.databaseNamed(name);
    }
    if (found.isPresent()) {
      Database db = found.get();
      ctx.put(RedisEnterpriseKeys.DATABASE_ID, db.uid());
      ctx.put(RedisEnterpriseKeys.DATABASE_NAME, db.name());
      ctx.log().info("found database '{}' (uid {}, status {})", db.name(), db.uid(), db.status());
    } else {
      ctx.put(RedisEnterpriseKeys.DATABASE_ID, null);
    }
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public String describe(StepContext ctx) {
    return "look up the database (GET /v1/bdbs)";
  }
}
