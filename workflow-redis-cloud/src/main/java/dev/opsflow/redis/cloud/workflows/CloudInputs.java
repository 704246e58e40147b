package dev.opsflow.redis.cloud.workflows;

import dev.opsflow.redis.cloud.steps.CloudKeys;
import dev.opsflow.workflow.Input;
import dev.opsflow.workflow.Key;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The inputs the Redis Cloud workflows share, with their checks (run before any step). Names are
 * camelCase, as a host passes them and a CLI takes them ({@code memoryGb=2}).
 */
public final class CloudInputs {
  private CloudInputs() {}

  static final Pattern RESOURCE_NAME = Pattern.compile("[A-Za-z]([A-Za-z0-9-]{0,38}[A-Za-z0-9])?");
  static final List<String> PERSISTENCE =
      List.of(
          "none",
          "aof-every-1-second",
          "aof-every-write",
          "snapshot-every-1-hour",
          "snapshot-every-6-hours",
          "snapshot-every-12-hours");

  /** The subscription's name: the key a re-run finds it by. */
  public static final Key<String> NAME = Key.of("name", String.class);

  /** {@code AWS} or {@code GCP} (the Pro API has no Azure). */
  public static final Key<String> PROVIDER = Key.of("provider", String.class);

  /** The cloud region ({@code us-east-1}). */
  public static final Key<String> REGION = Key.of("region", String.class);

  /** The deployment CIDR, a /24. */
  public static final Key<String> DEPLOYMENT_CIDR = Key.of("deploymentCidr", String.class);

  /** The cloud account (default: Redis's own). */
  public static final Key<Long> CLOUD_ACCOUNT_ID = Key.of("cloudAccountId", Long.class);

  /** Spread over availability zones. */
  public static final Key<Boolean> MULTI_AZ = Key.of("multiAz", Boolean.class);

  /** Preferred availability zones. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static final Key<List<String>> ZONES = (Key) Key.of("preferredZones", List.class);

  /** {@code credit-card} or {@code marketplace}. */
  public static final Key<String> PAYMENT_METHOD = Key.of("paymentMethod", String.class);

  /** The credit card's id (default: the account's first). */
  public static final Key<Long> PAYMENT_METHOD_ID = Key.of("paymentMethodId", Long.class);

  /** {@code ram} or {@code ram-and-flash}. */
  public static final Key<String> MEMORY_STORAGE = Key.of("memoryStorage", String.class);

  /** The database's name (default: the subscription's name with {@code -db}). */
  public static final Key<String> DATABASE_NAME = Key.of("databaseName", String.class);

  /** {@code redis} or {@code memcached}. */
  public static final Key<String> PROTOCOL = Key.of("protocol", String.class);

  /** Memory limit in GB. */
  public static final Key<Double> MEMORY_GB = Key.of("memoryGb", Double.class);

  /** Dataset size in GB (instead of memoryGb). */
  public static final Key<Double> DATASET_GB = Key.of("datasetSizeGb", Double.class);

  /** Throughput in operations per second. */
  public static final Key<Long> THROUGHPUT_OPS = Key.of("throughputOps", Long.class);

  /** Throughput as a number of shards (instead of throughputOps). */
  public static final Key<Long> SHARDS = Key.of("shards", Long.class);

  /** Modules ({@code RedisJSON,RediSearch}). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static final Key<List<String>> MODULES = (Key) Key.of("modules", List.class);

  /** Replication. */
  public static final Key<Boolean> REPLICATION = Key.of("replication", Boolean.class);

  /** Persistence ({@code aof-every-1-second}, ...). */
  public static final Key<String> PERSISTENCE_KEY = Key.of("persistence", String.class);

  /** Redis version. */
  public static final Key<String> REDIS_VERSION = Key.of("redisVersion", String.class);

  /** {@code resp2} or {@code resp3}. */
  public static final Key<String> RESP_VERSION = Key.of("respVersion", String.class);

  /** Expose the OSS Cluster API. */
  public static final Key<Boolean> OSS_CLUSTER = Key.of("ossCluster", Boolean.class);

  /** Average item size in bytes (ram-and-flash). */
  public static final Key<Long> AVERAGE_ITEM_SIZE = Key.of("averageItemSizeBytes", Long.class);

  /**
   * Require TLS for the databases' connections ({@code enableTls}). Absent: nothing about TLS is
   * sent and the API's default (off) applies.
   */
  public static final Key<Boolean> ENABLE_TLS = CloudKeys.ENABLE_TLS;

  /** The {@code enableTls} input, as each workflow describes it. */
  static Input<Boolean> enableTls(String how) {
    return Input.optional(ENABLE_TLS, (Boolean) null)
        .describedAs("require TLS for the database's connections (true or false); " + how);
  }

  static Input<String> name() {
    return Input.required(NAME)
        .describedAs("the subscription's name; a re-run finds it by name")
        .check(
            n -> !n.isBlank() && n.length() <= 40 && n.strip().equals(n),
            "1-40 characters without leading or trailing spaces");
  }

  static Input<String> provider() {
    return Input.optional(PROVIDER, "AWS")
        .describedAs("cloud provider")
        .check(p -> p.equals("AWS") || p.equals("GCP"), "AWS or GCP (the API has no Azure)");
  }

  static Input<String> region() {
    return Input.required(REGION)
        .describedAs("cloud region, such as us-east-1")
        .check(r -> r.matches("[a-z0-9-]+"), "a region name such as us-east-1");
  }

  static Input<String> cidr() {
    return Input.optional(DEPLOYMENT_CIDR, (String) null)
        .describedAs("deployment CIDR (/24)")
        .check(Cidrs::isSlash24, "an IPv4 /24 such as 10.0.0.0/24");
  }

  static List<Input<?>> account() {
    return List.of(
        Input.optional(CLOUD_ACCOUNT_ID, (Long) null)
            .describedAs("cloud account id")
            .check(v -> v > 0, "a positive id"),
        Input.optional(PAYMENT_METHOD, "credit-card")
            .describedAs("how to pay")
            .check(
                v -> v.equals("credit-card") || v.equals("marketplace"),
                "credit-card or marketplace"),
        Input.optional(PAYMENT_METHOD_ID, (Long) null)
            .describedAs("credit card id (default: the account's first)")
            .check(v -> v > 0, "a positive id"),
        Input.optional(MEMORY_STORAGE, (String) null)
            .describedAs("ram or ram-and-flash")
            .check(v -> v.equals("ram") || v.equals("ram-and-flash"), "ram or ram-and-flash"));
  }

  static List<Input<?>> databaseOptions() {
    return List.of(
        Input.optional(PROTOCOL, "redis")
            .check(v -> v.equals("redis") || v.equals("memcached"), "redis or memcached"),
        Input.optional(MEMORY_GB, (Double) null)
            .describedAs("memory limit in GB (default 1)")
            .check(v -> v > 0, "a positive number of GB"),
        Input.optional(DATASET_GB, (Double) null)
            .describedAs("dataset size in GB")
            .check(v -> v > 0, "a positive number of GB"),
        Input.optional(THROUGHPUT_OPS, (Long) null)
            .describedAs("operations per second")
            .check(v -> v > 0, "a positive number"),
        Input.optional(SHARDS, (Long) null)
            .describedAs("number of shards")
            .check(v -> v > 0, "a positive number"),
        Input.optional(MODULES, (List<String>) null)
            .describedAs("modules, comma-separated")
            .check(
                v -> v.stream().allMatch(m -> m.matches("[A-Za-z][A-Za-z0-9]*")),
                "module names such as RedisJSON,RediSearch"),
        Input.optional(REPLICATION, (Boolean) null).describedAs("replicate the database"),
        Input.optional(PERSISTENCE_KEY, (String) null)
            .describedAs("data persistence")
            .check(PERSISTENCE::contains, "one of " + PERSISTENCE),
        Input.optional(REDIS_VERSION, (String) null)
            .describedAs("Redis version")
            .check(v -> v.matches("\\d+(\\.\\d+)*|latest|default"), "a version such as 7.4"),
        Input.optional(RESP_VERSION, (String) null)
            .check(v -> v.equals("resp2") || v.equals("resp3"), "resp2 or resp3"),
        Input.optional(OSS_CLUSTER, (Boolean) null).describedAs("expose the OSS Cluster API"),
        Input.optional(AVERAGE_ITEM_SIZE, (Long) null)
            .check(v -> v > 0, "a positive number of bytes"),
        enableTls(
            "the subscription-create request has no enableTls, so it is set by an update once"
                + " the database is active"));
  }
}
