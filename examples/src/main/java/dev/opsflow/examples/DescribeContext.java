package dev.opsflow.examples;

import dev.opsflow.workflow.Input;
import dev.opsflow.workflow.Key;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.Workflow;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The context a step's {@code describe} sees for {@code opsflow describe}: no run, so only the
 * inputs' defaults are known. A step whose description needs a value the run would have throws, and
 * is described in general terms instead.
 */
final class DescribeContext implements StepContext {
  private static final Logger LOG = LoggerFactory.getLogger(DescribeContext.class);

  /** A value only a run has. */
  static final class Unknown extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unknown(String name) {
      super(name + " is known only in a run", null, false, false);
    }
  }

  private final Workflow workflow;
  private final String step;

  DescribeContext(Workflow workflow, String step) {
    this.workflow = workflow;
    this.step = step;
  }

  /** What {@code step} would change, or null when that depends on the run. */
  static String describe(Workflow workflow, Workflow.Node node) {
    try {
      return node.step().describe(new DescribeContext(workflow, node.step().name()));
    } catch (RuntimeException e) {
      return null;
    }
  }

  @Override
  public <T> Optional<T> get(Key<T> key) {
    Input<?> input = workflow.inputs().get(key.name());
    if (input == null || input.defaultValue() == null) {
      throw new Unknown(key.name());
    }
    return Optional.of(key.type().cast(input.defaultValue()));
  }

  @Override
  public <T> T require(Key<T> key) {
    return get(key).orElseThrow(() -> new Unknown(key.name()));
  }

  @Override
  public <T> void put(Key<T> key, T value) {}

  @Override
  public void output(String name, Object value) {}

  @Override
  public void subTask(String description) {}

  @Override
  public void progress(int percent) {}

  @Override
  public void checkCancelled() {}

  @Override
  public boolean isCancelled() {
    return false;
  }

  @Override
  public void sleep(Duration duration) {
    throw new Unknown("a wait");
  }

  @Override
  public boolean isDryRun() {
    return true;
  }

  @Override
  public int attempt() {
    return 1;
  }

  @Override
  public String runId() {
    throw new Unknown("the run id");
  }

  @Override
  public String stepName() {
    return step;
  }

  @Override
  public Object item() {
    throw new Unknown("the item");
  }

  @Override
  public Logger log() {
    return LOG;
  }

  @Override
  public Clock clock() {
    return Clock.systemUTC();
  }

  @Override
  public Optional<Duration> remaining() {
    return Optional.empty();
  }
}
