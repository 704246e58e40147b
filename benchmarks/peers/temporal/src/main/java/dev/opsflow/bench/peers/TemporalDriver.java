package dev.opsflow.bench.peers;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Temporal's in-process test server ({@code temporal-testing}: {@code TestWorkflowEnvironment}) with
 * one worker; a step is an activity. Not like-for-like: the test server keeps its history in
 * memory (not durable), where a production Temporal is a cluster with a database.
 */
public final class TemporalDriver implements DriverMain.System {
  private static final String QUEUE = "bench";
  static volatile Runnable onFirst = () -> {};

  /** The steps, as activities. */
  @ActivityInterface
  public interface Steps {
    void step(int n);
  }

  /** The steps' implementation: nothing, and the first one tells the driver. */
  public static final class StepsImpl implements Steps {
    @Override
    public void step(int n) {
      if (n == 1) {
        onFirst.run();
      }
    }
  }

  /** A workflow of {@code steps} activities, one after the other. */
  @WorkflowInterface
  public interface Run {
    @WorkflowMethod
    void run(int steps);
  }

  /** Its implementation. */
  public static final class RunImpl implements Run {
    private final Steps steps =
        Workflow.newActivityStub(
            Steps.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());

    @Override
    public void run(int n) {
      for (int i = 1; i <= n; i++) {
        steps.step(i);
      }
    }
  }

  private TestWorkflowEnvironment env;
  private WorkflowClient client;

  public static void main(String[] args) throws Exception {
    DriverMain.run(new TemporalDriver(), args);
    java.lang.System.exit(0);
  }

  @Override
  public void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(RunImpl.class);
    worker.registerActivitiesImplementations(new StepsImpl());
    env.start();
    client = env.getWorkflowClient();
  }

  private Run stub() {
    return client.newWorkflowStub(Run.class, WorkflowOptions.newBuilder().setTaskQueue(QUEUE).build());
  }

  @Override
  public void roundTrip(Runnable firstStep) {
    onFirst = firstStep;
    stub().run(3);
  }

  @Override
  public void throughput(int n) {
    onFirst = () -> {};
    List<WorkflowStub> started = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Run run = stub();
      WorkflowClient.start(run::run, 5);
      started.add(WorkflowStub.fromTyped(run));
    }
    for (WorkflowStub s : started) {
      s.getResult(Void.class);
    }
  }

  @Override
  public void tearDown() {
    env.close();
  }
}
