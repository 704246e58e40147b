package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.redis.enterprise.client.CreateDatabaseRequest;
import dev.opsflow.redis.enterprise.client.Database;
import dev.opsflow.redis.enterprise.client.RedisEnterpriseClient;
import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.StepContext;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates the database ({@code POST /v1/bdbs}) from the context's database inputs (name, memory in
 * GB, default 1, port, Redis version, password, TLS, replication, persistence) and records its uid,
 * its action and that this run created it. It does not wait: {@link AwaitDatabaseStep} does.
 *
 * <p>Without an explicit Redis version it asks for the cluster's {@code
 * default_provisioned_redis_version}, else the highest version the nodes support, as MAJOR.MINOR.
 *
 * <p>Skipped with {@code skipDatabase}, or when {@link FindDatabaseStep} found one of that name
 * (reused, never created twice). A 406 that is not a definite configuration error is tried once
 * more after a few seconds: a freshly bootstrapped cluster may answer 406 for a short while. On
 * rollback it deletes the database, and only when this run created it.
 */
public final class CreateDatabaseStep extends ClusterStep {
  /** The memory of a database when none is given, in GB. */
  public static final double DEFAULT_MEMORY_GB = 1.0;

  private static final Set<String> DEFINITE =
      Set.of(
          "invalid_version",
          "missing_db_name",
          "missing_memory_size",
          "port_unavailable",
          "insufficient_resources",
          "invalid_data_persistence",
          "invalid_schema");
  private static final Duration SETTLE = Duration.ofSeconds(5);
  private static final Pattern MAJOR_MINOR = Pattern.compile("(\\d+)\\.(\\d+)");

  /**
   * The step, named {@code create-database}.
   *
   * @param clients how the step gets the client of the run's cluster
   */
  public CreateDatabaseStep(ClusterClientFactory clients) {
    super("create-database", clients);
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    if (skipDatabase(ctx)) {
      return Optional.of("skipDatabase: no database is created");
    }
    return ctx.get(RedisEnterpriseKeys.DATABASE_ID)
        .map(
            uid ->
                "database '"
                    + ctx.get(RedisEnterpriseKeys.DATABASE_NAME).orElse("?")
                    + "' exists (uid "
                    + uid
                    + "): reused, not created again");
  }

  /**
   * The request built from the context's database inputs.
   *
   * @param ctx the step's context, with the database inputs
   * @return the request
   */
  public static CreateDatabaseRequest request(StepContext ctx) {
    double gb = ctx.get(RedisEnterpriseKeys.DATABASE_MEMORY_GB).orElse(DEFAULT_MEMORY_GB);
    return CreateDatabaseRequest.of(
            ctx.require(RedisEnterpriseKeys.DATABASE_NAME), Math.round(gb * (1L << 30)))
        .withPort(ctx.get(RedisEnterpriseKeys.DATABASE_PORT).orElse(null))
        .withRedisVersion(ctx.get(RedisEnterpriseKeys.DATABASE_REDIS_VERSION).orElse(null))
        .withPassword(ctx.get(RedisEnterpriseKeys.DATABASE_PASSWORD).orElse(null))
        .withTls(ctx.get(RedisEnterpriseKeys.DATABASE_TLS).orElse(false))
        .withReplication(ctx.get(RedisEnterpriseKeys.DATABASE_REPLICATION).orElse(null))
        .withPersistence(ctx.get(RedisEnterpriseKeys.DATABASE_PERSISTENCE).orElse(null));
  }

  @Override
  public void run(StepContext ctx) {
    RedisEnterpriseClient client = client(ctx);
    CreateDatabaseRequest request = request(ctx);
    if (request.redisVersion() == null) {
      request = request.withRedisVersion(defaultRedisVersion(client).orElse(null));
    }
    ctx.subTask("Creating database '" + request.name() + "' (" + gb(request) + ")");
    if (ctx.attempt() > 1) {
      // An earlier attempt may have been created before its answer was lost: it is ours.
      Optional<Database> earlier = client.databaseNamed(request.name());
      if (earlier.isPresent()) {
        record(ctx, earlier.get());
        return;
      }
    }
    Database created;
    try {
      created = client.createDatabase(request);
    } catch (ApiException e) {
      if (e.status() != 406 || DEFINITE.contains(e.errorCode())) {
        throw afterBootstrap(ctx, e, "check the database settings (name, memory, port, version)");
      }
      ctx.log()
          .info("POST /v1/bdbs answered 406 [{}]; trying once more in {}", e.errorCode(), SETTLE);
      ctx.sleep(SETTLE);
      try {
        created = client.createDatabase(request);
      } catch (ApiException again) {
        throw afterBootstrap(ctx, again, "check the database settings");
      }
    }
    record(ctx, created);
  }

  /**
   * The version to ask for when none is given: the cluster's {@code
   * default_provisioned_redis_version}, else the highest of the nodes' supported versions, as
   * MAJOR.MINOR (the only form {@code POST /v1/bdbs} accepts); empty to let the cluster choose.
   */
  static Optional<String> defaultRedisVersion(RedisEnterpriseClient client) {
    String configured = client.cluster().defaultRedisVersion();
    if (configured != null && !configured.isBlank()) {
      return majorMinor(configured);
    }
    return client.nodes().stream()
        .flatMap(n -> n.redisVersions().stream())
        .map(CreateDatabaseStep::majorMinor)
        .flatMap(Optional::stream)
        .max(
            Comparator.comparingInt((String v) -> Integer.parseInt(v.split("\\.")[0]))
                .thenComparingInt(v -> Integer.parseInt(v.split("\\.")[1])));
  }

  private static Optional<String> majorMinor(String version) {
    Matcher m = MAJOR_MINOR.matcher(version.trim());
    return m.lookingAt() ? Optional.of(m.group(1) + "." + m.group(2)) : Optional.empty();
  }

  private static void record(StepContext ctx, Database db) {
    ctx.put(RedisEnterpriseKeys.DATABASE_ID, db.uid());
    ctx.put(RedisEnterpriseKeys.DATABASE_ACTION, db.actionUid());
    ctx.put(RedisEnterpriseKeys.DATABASE_CREATED, true);
    ctx.log()
        .info("database '{}' created with uid {} (status {})", db.name(), db.uid(), db.status());
  }

  @Override
  public boolean hasCompensation() {
    return true;
  }

  /** Deletes the database this run created; leaves a reused one alone. */
  @Override
  public void compensate(StepContext ctx) {
    Optional<Integer> uid = ctx.get(RedisEnterpriseKeys.DATABASE_ID);
    if (uid.isEmpty() || !ctx.get(RedisEnterpriseKeys.DATABASE_CREATED).orElse(false)) {
      return;
    }
    ctx.subTask("Deleting database " + uid.get() + " created by this run");
    RedisEnterpriseClient client = client(ctx);
    try {
      client.deleteDatabase(uid.get());
    } catch (ApiException e) {
      if (e.status() != 404) {
        throw e;
      }
    }
    // A deleted database is delete-pending for a while: rolled back means gone, so that a
    // re-run can create one of the same name.
    DeleteDatabaseStep.deletion(ctx, uid.get())
        .until(
            () -> DeleteDatabaseStep.gone(client, uid.get()),
            g -> g,
            g -> g ? "gone" : "delete-pending");
    ctx.put(RedisEnterpriseKeys.DATABASE_CREATED, false);
  }

  private static String gb(CreateDatabaseRequest request) {
    double gb = request.memorySize() / (double) (1L << 30);
    return (gb == Math.rint(gb) ? Long.toString((long) gb) : Double.toString(gb)) + " GB";
  }

  @Override
  public String describe(StepContext ctx) {
    CreateDatabaseRequest request = request(ctx);
    return "create database '"
        + request.name()
        + "' of "
        + gb(request)
        + (request.tls() ? " with TLS" : "")
        + " (POST /v1/bdbs)";
  }
}
