package dev.opsflow.redis.cloud.workflows;

import static dev.opsflow.redis.cloud.workflows.CloudInputs.*;

import dev.opsflow.redis.cloud.client.DatabaseSpec;
import dev.opsflow.redis.cloud.client.LocalThroughput;
import dev.opsflow.redis.cloud.client.ModuleSpec;
import dev.opsflow.redis.cloud.client.SubscriptionCreateRequest;
import dev.opsflow.redis.cloud.client.SubscriptionCreateRequest.CloudProviderSpec;
import dev.opsflow.redis.cloud.client.SubscriptionCreateRequest.NetworkingSpec;
import dev.opsflow.redis.cloud.client.SubscriptionCreateRequest.RegionSpec;
import dev.opsflow.redis.cloud.client.Throughput;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.ValidationException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the workflows' inputs into creation plans. Every option given is carried into the request,
 * none dropped; combinations the inputs' own checks cannot see are refused with a {@link
 * ValidationException} before anything is sent.
 */
final class SubscriptionPlans {
  private SubscriptionPlans() {}

  /** The plan of subscription-setup: one region, one database. */
  static SubscriptionCreateRequest single(StepContext ctx) {
    String name = ctx.require(NAME);
    String dbName = ctx.get(DATABASE_NAME).orElse(name + "-db");
    checkDatabaseName(DATABASE_NAME.name(), dbName);
    return request(
        ctx,
        "single-region",
        List.of(region(ctx, ctx.require(REGION), ctx.get(DEPLOYMENT_CIDR).orElse(null))),
        List.of(database(ctx, dbName, null)));
  }

  /** The plan of provision-subscription: one region, the databases listed. */
  static SubscriptionCreateRequest several(StepContext ctx, List<String> items) {
    var dbs = new ArrayList<DatabaseSpec>();
    var names = new ArrayList<String>();
    for (String item : items) {
      String[] parts = item.split(":");
      String dbName = parts[0].strip();
      checkDatabaseName("databases", dbName);
      if (names.contains(dbName)) {
        throw new ValidationException(
            "input 'databases': '" + dbName + "' is listed twice; database names must be unique");
      }
      names.add(dbName);
      Double memory = null;
      if (parts.length > 1) {
        try {
          memory = Double.valueOf(parts[1].strip());
        } catch (NumberFormatException e) {
          memory = -1.0;
        }
        if (memory <= 0 || parts.length > 2) {
          throw new ValidationException(
              "input 'databases': '" + item + "' is not name or name:memoryGb (such as cache:2)");
        }
      }
      dbs.add(database(ctx, dbName, memory));
    }
    if (dbs.isEmpty()) {
      throw new ValidationException(
          "input 'databases': empty; a subscription needs at least" + " one database");
    }
    return request(
        ctx,
        "single-region",
        List.of(region(ctx, ctx.require(REGION), ctx.get(DEPLOYMENT_CIDR).orElse(null))),
        dbs);
  }

  /** The plan of setup-aa-database: several regions, one replicated database. */
  static SubscriptionCreateRequest activeActive(
      StepContext ctx, List<String> regionItems, long writeOps, long readOps) {
    var regions = new ArrayList<RegionSpec>();
    var seen = new ArrayList<String[]>();
    for (String item : regionItems) {
      String[] parts = item.split("=");
      if (parts.length != 2 || !Cidrs.isSlash24(parts[1].strip())) {
        throw new ValidationException(
            "input 'regions': '"
                + item
                + "' is not region=cidr with a /24 (such as us-east-1=10.0.1.0/24)");
      }
      String region = parts[0].strip();
      String cidr = parts[1].strip();
      for (String[] other : seen) {
        if (other[0].equals(region)) {
          throw new ValidationException("input 'regions': " + region + " is listed twice");
        }
        if (Cidrs.overlap(other[1], cidr)) {
          throw new ValidationException(
              "input 'regions': CIDR "
                  + cidr
                  + " of "
                  + region
                  + " overlaps "
                  + other[1]
                  + " of "
                  + other[0]
                  + "; each region needs its own");
        }
      }
      seen.add(new String[] {region, cidr});
      regions.add(region(ctx, region, cidr));
    }
    if (regions.size() < 2) {
      throw new ValidationException(
          "input 'regions': " + regions.size() + " region(s); Active-Active needs two or more");
    }
    String dbName = ctx.get(DATABASE_NAME).orElse(ctx.require(NAME) + "-db");
    checkDatabaseName(DATABASE_NAME.name(), dbName);
    List<LocalThroughput> local =
        seen.stream().map(r -> new LocalThroughput(r[0], writeOps, readOps)).toList();
    DatabaseSpec base = database(ctx, dbName, null);
    DatabaseSpec db =
        new DatabaseSpec(
            base.name(),
            base.protocol(),
            base.memoryLimitInGb(),
            base.datasetSizeInGb(),
            base.supportOssClusterApi(),
            base.dataPersistence(),
            true,
            base.throughputMeasurement(),
            local,
            base.modules(),
            base.quantity(),
            base.averageItemSizeInBytes(),
            base.respVersion(),
            base.redisVersion(),
            base.shardingType(),
            base.queryPerformanceFactor());
    if (ctx.get(REPLICATION).filter(r -> !r).isPresent()) {
      throw new ValidationException(
          "input 'replication': false is not allowed; Active-Active"
              + " databases are always replicated");
    }
    return request(ctx, "active-active", regions, List.of(db));
  }

  private static SubscriptionCreateRequest request(
      StepContext ctx, String deployment, List<RegionSpec> regions, List<DatabaseSpec> databases) {
    String payment = ctx.get(PAYMENT_METHOD).orElse("credit-card");
    if (payment.equals("marketplace") && ctx.get(PAYMENT_METHOD_ID).isPresent()) {
      throw new ValidationException(
          "input 'paymentMethodId': not used with paymentMethod="
              + "marketplace; leave one of them out");
    }
    var provider =
        new CloudProviderSpec(
            ctx.require(PROVIDER), ctx.get(CLOUD_ACCOUNT_ID).orElse(null), regions);
    return new SubscriptionCreateRequest(
        ctx.require(NAME),
        null,
        deployment,
        payment,
        ctx.get(PAYMENT_METHOD_ID).orElse(null),
        ctx.get(MEMORY_STORAGE).orElse(null),
        null,
        List.of(provider),
        databases,
        null);
  }

  private static RegionSpec region(StepContext ctx, String region, String cidr) {
    return new RegionSpec(
        region,
        ctx.get(MULTI_AZ).orElse(null),
        ctx.get(ZONES).orElse(null),
        cidr == null ? null : new NetworkingSpec(cidr, null));
  }

  private static DatabaseSpec database(StepContext ctx, String name, Double memory) {
    if (ctx.get(MEMORY_GB).isPresent() && ctx.get(DATASET_GB).isPresent()) {
      throw new ValidationException(
          "inputs 'memoryGb' and 'datasetSizeGb': give one of them," + " not both");
    }
    if (ctx.get(THROUGHPUT_OPS).isPresent() && ctx.get(SHARDS).isPresent()) {
      throw new ValidationException(
          "inputs 'throughputOps' and 'shards': give one of them," + " not both");
    }
    Double dataset = ctx.get(DATASET_GB).orElse(null);
    Double limit =
        memory != null ? memory : ctx.get(MEMORY_GB).orElse(dataset == null ? 1.0 : null);
    Throughput throughput =
        ctx.get(THROUGHPUT_OPS)
            .map(v -> new Throughput("operations-per-second", v))
            .orElse(ctx.get(SHARDS).map(v -> new Throughput("number-of-shards", v)).orElse(null));
    List<ModuleSpec> modules =
        ctx.get(MODULES)
            .filter(m -> !m.isEmpty())
            .map(m -> m.stream().map(ModuleSpec::of).toList())
            .orElse(null);
    return new DatabaseSpec(
        name,
        ctx.get(PROTOCOL).orElse("redis"),
        memory != null ? memory : limit,
        memory != null ? null : dataset,
        ctx.get(OSS_CLUSTER).orElse(null),
        ctx.get(PERSISTENCE_KEY).orElse(null),
        ctx.get(REPLICATION).orElse(null),
        throughput,
        null,
        modules,
        null,
        ctx.get(AVERAGE_ITEM_SIZE).orElse(null),
        ctx.get(RESP_VERSION).orElse(null),
        ctx.get(REDIS_VERSION).orElse(null),
        null,
        null);
  }

  static void checkDatabaseName(String input, String name) {
    if (!RESOURCE_NAME.matcher(name).matches()) {
      throw new ValidationException(
          "input '"
              + input
              + "': '"
              + name
              + "' is not a valid"
              + " database name: letters, digits and hyphens, starting with a letter and ending with"
              + " a letter or digit, at most 40 characters");
    }
  }
}
