package dev.opsflow.redis.cloud.workflows;

import dev.opsflow.redis.cloud.client.DatabaseSpec;
import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.redis.cloud.client.SubscriptionCreateRequest;
import dev.opsflow.redis.cloud.client.SubscriptionCreateRequest.CloudProviderSpec;
import dev.opsflow.redis.cloud.client.SubscriptionCreateRequest.RegionSpec;
import dev.opsflow.redis.cloud.testing.RecordedRequest;
import dev.opsflow.redis.cloud.testing.RedisCloudSimulator;
import dev.opsflow.redis.cloud.testing.SimulatorSettings;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowRegistry;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.event.WorkflowListener;
import dev.opsflow.workflow.http.TlsTrust;
import dev.opsflow.workflow.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** A manual clock, a simulator on it, a client, an engine and the registry, for one test. */
final class CloudHarness implements AutoCloseable {
  final ManualClock clock = new ManualClock();
  final RedisCloudSimulator sim;
  final RedisCloudClient client;
  final WorkflowEngine engine;
  final WorkflowRegistry registry;
  final List<WorkflowListener> listeners = new CopyOnWriteArrayList<>();

  CloudHarness() {
    this(SimulatorSettings.defaults(), b -> b);
  }

  CloudHarness(SimulatorSettings settings, UnaryOperator<RedisCloudClient.Builder> client) {
    this(settings, client, sim -> TlsTrust.system());
  }

  /** With the databases' TLS trust chosen for the simulator (its certificate: trust it or not). */
  CloudHarness(Function<RedisCloudSimulator, TlsTrust> databaseTrust) {
    this(SimulatorSettings.defaults(), b -> b, databaseTrust);
  }

  CloudHarness(
      SimulatorSettings settings,
      UnaryOperator<RedisCloudClient.Builder> client,
      Function<RedisCloudSimulator, TlsTrust> databaseTrust) {
    this.sim = RedisCloudSimulator.start(clock, settings);
    this.client = client.apply(sim.clientBuilder().clock(clock).sleeper(clock)).build();
    this.engine =
        WorkflowEngine.builder()
            .clock(clock)
            .sleeper(clock)
            .listener(e -> listeners.forEach(l -> l.onEvent(e)))
            .build();
    this.registry =
        RedisCloudWorkflows.registerAll(
            new WorkflowRegistry(), this.client, databaseTrust.apply(sim));
  }

  WorkflowResult run(String workflow, Map<String, String> args) {
    return run(workflow, args, RunOptions.defaults());
  }

  WorkflowResult run(String workflow, Map<String, String> args, RunOptions options) {
    return registry.run(engine, workflow, args, options);
  }

  /** Creates a subscription straight through the API, as another tool would have. */
  long createDirectly(String name, String dbName) {
    String task = sendCreate(name, dbName);
    clock.advance(Duration.ofMinutes(10));
    return client.task(task).resourceId().orElseThrow();
  }

  /** Sends a subscription create straight through the API and returns its task id. */
  String sendCreate(String name, String dbName) {
    var request =
        new SubscriptionCreateRequest(
            name,
            null,
            null,
            "credit-card",
            12_345L,
            null,
            null,
            List.of(
                new CloudProviderSpec(
                    "AWS", null, List.of(new RegionSpec("us-east-1", null, null, null)))),
            List.of(DatabaseSpec.redis(dbName, 1)),
            null);
    return client.createSubscription(request).taskId();
  }

  List<RecordedRequest> mutating() {
    return sim.requests().stream().filter(RecordedRequest::isMutating).toList();
  }

  List<String> mutatingLines() {
    return mutating().stream().map(RecordedRequest::line).toList();
  }

  @Override
  public void close() {
    engine.close();
    sim.close();
  }
}
