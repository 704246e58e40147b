package dev.opsflow.workflow.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.Input;
import dev.opsflow.workflow.Key;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepAction;
import dev.opsflow.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/** Workflows, items and a recording listener for the batch tests. */
final class BatchFixtures {
  static final Key<String> SERVER = Key.of("server", String.class);

  /** Long enough for any honest wait in these tests; a hang fails instead of blocking. */
  static final Duration PATIENCE = Duration.ofSeconds(30);

  private BatchFixtures() {}

  /** A one-step workflow over a "server" input. */
  static Workflow oneStep(StepAction action) {
    return Workflow.builder("commission")
        .input(Input.required(SERVER))
        .step(Step.of("commission", action))
        .build();
  }

  /** Items srv-0 .. srv-(n-1). */
  static List<BatchItem> servers(int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> BatchItem.of("srv-" + i, Map.of("server", "srv-" + i)))
        .toList();
  }

  /** The item number of the server a step works on. */
  static int number(dev.opsflow.workflow.StepContext ctx) {
    return Integer.parseInt(ctx.require(SERVER).substring(4));
  }

  /** Waits for a latch, failing the test (not hanging it) when it never opens. */
  static void await(CountDownLatch latch) throws InterruptedException {
    assertThat(latch.await(PATIENCE.toSeconds(), TimeUnit.SECONDS))
        .as("latch opened within %s", PATIENCE)
        .isTrue();
  }

  /** Keeps every batch event. */
  static final class Events implements BatchListener {
    final List<BatchEvent> all = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(BatchEvent event) {
      all.add(event);
    }

    <E extends BatchEvent> List<E> of(Class<E> type) {
      return all.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }
}
