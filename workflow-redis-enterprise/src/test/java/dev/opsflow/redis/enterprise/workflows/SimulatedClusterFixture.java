package dev.opsflow.redis.enterprise.workflows;

import dev.opsflow.redis.enterprise.steps.ClusterClientFactory;
import dev.opsflow.redis.enterprise.testing.RedisEnterpriseSimulator;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.event.WorkflowListener;
import dev.opsflow.workflow.testing.ManualClock;
import java.util.HashMap;
import java.util.Map;

/** A simulator and an engine sharing one manual clock, for workflow tests. */
final class SimulatedClusterFixture implements AutoCloseable {
  static final String USER = "admin@cluster.local";
  static final String PASSWORD = "Sup3r-Secret-Pass";

  final ManualClock clock = new ManualClock();
  final RedisEnterpriseSimulator sim;
  final WorkflowEngine engine;
  final ClusterClientFactory clients;
  final Map<String, String> secrets = new java.util.concurrent.ConcurrentHashMap<>();

  SimulatedClusterFixture() {
    this(event -> {});
  }

  SimulatedClusterFixture(WorkflowListener listener) {
    this(listener, b -> {});
  }

  SimulatedClusterFixture(
      WorkflowListener listener,
      java.util.function.Consumer<RedisEnterpriseSimulator.Builder> simulator) {
    var builder = RedisEnterpriseSimulator.builder().clock(clock);
    simulator.accept(builder);
    sim = builder.start();
    engine =
        WorkflowEngine.builder()
            .clock(clock)
            .sleeper(clock)
            .listener(listener)
            // A resumed run gets its secrets again from the host, as a real host would give them.
            .secretResolver(
                (workflow, runId, input) ->
                    java.util.Optional.ofNullable(secrets.get(input))
                        .map(dev.opsflow.workflow.Secret::of))
            .build();
    clients = ClusterClientFactory.fromContext(sim.trustCertificate());
    secrets.put("password", PASSWORD);
  }

  Map<String, Object> inputs(Object... more) {
    var inputs = new HashMap<String, Object>();
    inputs.put("url", sim.url());
    inputs.put("username", USER);
    inputs.put("password", PASSWORD);
    inputs.put("clusterName", "cluster.local");
    for (int i = 0; i < more.length; i += 2) {
      inputs.put((String) more[i], more[i + 1]);
    }
    return inputs;
  }

  WorkflowResult initCluster(Object... more) {
    return initCluster(RunOptions.defaults(), more);
  }

  WorkflowResult initCluster(RunOptions options, Object... more) {
    return engine.run(RedisEnterpriseWorkflows.initCluster(clients), inputs(more), options);
  }

  WorkflowResult run(Workflow wf, Object... more) {
    return run(wf, RunOptions.defaults(), more);
  }

  WorkflowResult run(Workflow wf, RunOptions options, Object... more) {
    Map<String, Object> inputs = inputs(more);
    inputs.keySet().retainAll(wf.inputs().keySet());
    return engine.run(wf, inputs, options);
  }

  /** The simulator's client as the admin. */
  dev.opsflow.redis.enterprise.client.RedisEnterpriseClient admin() {
    return sim.client(USER, dev.opsflow.workflow.Secret.of(PASSWORD));
  }

  /** Creates an active database (the clock moved past its creation) and returns its uid. */
  int activeDatabase(dev.opsflow.redis.enterprise.client.CreateDatabaseRequest request) {
    int uid = admin().createDatabase(request).uid();
    clock.advance(java.time.Duration.ofMinutes(1));
    return uid;
  }

  @Override
  public void close() {
    engine.close();
    sim.close();
  }
}
