package dev.opsflow.redis.cloud.client;

import dev.opsflow.redis.cloud.testing.RedisCloudSimulator;
import dev.opsflow.redis.cloud.testing.SimulatorSettings;
import dev.opsflow.workflow.testing.ManualClock;
import java.util.List;

/** A simulator and a client on one manual clock, with requests that exercise every call. */
final class ClientFixture implements AutoCloseable {
  final ManualClock clock = new ManualClock();
  final RedisCloudSimulator sim;
  final RedisCloudClient client;
  final TestStepContext ctx = new TestStepContext(clock);

  ClientFixture() {
    this(SimulatorSettings.defaults());
  }

  ClientFixture(SimulatorSettings settings) {
    sim = RedisCloudSimulator.start(clock, settings);
    client = sim.clientBuilder().clock(clock).sleeper(clock).build();
  }

  static SubscriptionCreateRequest request(String name, String dbName) {
    return new SubscriptionCreateRequest(
        name,
        null,
        "single-region",
        "credit-card",
        12_345L,
        "ram",
        null,
        List.of(
            new SubscriptionCreateRequest.CloudProviderSpec(
                "AWS",
                1L,
                List.of(
                    new SubscriptionCreateRequest.RegionSpec(
                        "us-east-1",
                        false,
                        null,
                        new SubscriptionCreateRequest.NetworkingSpec("10.0.0.0/24", null))))),
        List.of(DatabaseSpec.redis(dbName, 1)),
        null);
  }

  /** Calls every endpoint the client covers, creating and deleting as it goes. */
  void exerciseEveryCall() {
    client.regions("AWS");
    client.cloudAccounts();
    client.paymentMethods();
    client.subscriptions();
    long sub = client.awaitResourceId(ctx, client.createSubscription(request("all", "db1")));
    client.subscription(sub);
    client.awaitSubscriptionActive(ctx, sub);
    client.activeActiveRegions(sub);
    long db =
        client.awaitResourceId(
            ctx,
            client.createDatabase(
                sub, DatabaseSpec.redis("db2", 1).toCreateRequest().withEnableTls(true)));
    client.awaitDatabaseActive(ctx, sub, db);
    client.databases(sub);
    client.awaitTask(
        ctx,
        client
            .updateDatabase(sub, db, java.util.Map.of("replication", true, "enableTls", false))
            .taskId());
    client.awaitSubscriptionActive(ctx, sub);
    long peering =
        client.awaitResourceId(
            ctx,
            client.createVpcPeering(
                sub,
                VpcPeeringCreateRequest.aws(
                    "us-east-1", "123456789012", "vpc-0a1b2c", "172.31.0.0/16")));
    client.vpcPeerings(ctx, sub);
    client.awaitTask(ctx, client.deleteVpcPeering(sub, peering).taskId());
    for (Database d : client.databases(sub)) {
      client.awaitTask(ctx, client.deleteDatabase(sub, d.databaseId()).taskId());
    }
    client.awaitTask(ctx, client.deleteSubscription(sub).taskId());
    long plan =
        client.fixedPlans("AWS").stream().filter(FixedPlan::isFree).findFirst().orElseThrow().id();
    long fixed =
        client.awaitResourceId(
            ctx,
            client.createFixedSubscription(
                new FixedSubscriptionCreateRequest("free", plan, null, null)));
    client.fixedSubscriptions();
    client.awaitFixedSubscriptionActive(ctx, fixed);
    long fdb =
        client.awaitResourceId(
            ctx,
            client.createFixedDatabase(
                fixed, FixedDatabaseCreateRequest.named("cache").withEnableTls(false)));
    client.awaitFixedDatabaseActive(ctx, fixed, fdb);
    client.fixedDatabases(fixed);
    client.awaitTask(
        ctx, client.updateFixedDatabase(fixed, fdb, java.util.Map.of("name", "cache")).taskId());
    client.awaitTask(ctx, client.deleteFixedDatabase(fixed, fdb).taskId());
    client.awaitTask(ctx, client.deleteFixedSubscription(fixed).taskId());
  }

  @Override
  public void close() {
    sim.close();
  }
}
