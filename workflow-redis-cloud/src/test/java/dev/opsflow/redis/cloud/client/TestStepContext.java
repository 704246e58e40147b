package dev.opsflow.redis.cloud.client;

import dev.opsflow.workflow.CancelledException;
import dev.opsflow.workflow.Key;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.testing.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A step context on a manual clock, for calling the client's waits outside an engine. */
final class TestStepContext implements StepContext {
  private final ManualClock clock;
  private final Map<String, Object> values = new ConcurrentHashMap<>();
  final Map<String, Object> outputs = new ConcurrentHashMap<>();

  TestStepContext(ManualClock clock) {
    this.clock = clock;
  }

  @Override
  public <T> Optional<T> get(Key<T> key) {
    return Optional.ofNullable(key.type().cast(values.get(key.name())));
  }

  @Override
  public <T> T require(Key<T> key) {
    return get(key).orElseThrow();
  }

  @Override
  public <T> void put(Key<T> key, T value) {
    values.put(key.name(), value);
  }

  @Override
  public void output(String name, Object value) {
    outputs.put(name, value);
  }

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
    try {
      clock.sleep(duration);
    } catch (InterruptedException e) {
      throw new CancelledException("interrupted");
    }
  }

  @Override
  public boolean isDryRun() {
    return false;
  }

  @Override
  public int attempt() {
    return 1;
  }

  @Override
  public String runId() {
    return "test";
  }

  @Override
  public String stepName() {
    return "test";
  }

  @Override
  public Object item() {
    return null;
  }

  @Override
  public Logger log() {
    return LoggerFactory.getLogger(TestStepContext.class);
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public Optional<Duration> remaining() {
    return Optional.empty();
  }
}
