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

  SimulatedClusterFixture() {
    this(event -> {});
  }

  SimulatedClusterFixture(WorkflowListener listener) {
    sim = RedisEnterpriseSimulator.builder().clock(clock).start();
    engine = WorkflowEngine.builder().clock(clock).sleeper(clock).listener(listener).build();
    clients = ClusterClientFactory.fromContext(sim.trustCertificate());
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
    Map<String, Object> inputs = inputs(more);
    inputs.keySet().retainAll(wf.inputs().keySet());
    return engine.run(wf, inputs, RunOptions.defaults());
  }

  @Override
  public void close() {
    engine.close();
    sim.close();
  }
}
