package dev.opsflow.workflow.micrometer;

import dev.opsflow.workflow.batch.BatchCounts;
import dev.opsflow.workflow.batch.BatchEvent;
import dev.opsflow.workflow.batch.BatchListener;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.event.WorkflowListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;

/**
 * Records an engine's runs, steps, retries and batches in a Micrometer {@link MeterRegistry}. Add
 * it to the engine, and to the batches whose progress should show:
 *
 * <pre>{@code
 * WorkflowMetrics metrics = WorkflowMetrics.of(registry);
 * WorkflowEngine engine = WorkflowEngine.builder().listener(metrics).build();
 * Batch.of(items).withListener(metrics).run(engine, workflow);
 * }</pre>
 *
 * <p>The meters (Micrometer names; a Prometheus registry renders {@code opsflow.runs} as {@code
 * opsflow_runs_seconds_count} and so on):
 *
 * <ul>
 *   <li>{@code opsflow.runs.started} counter ({@code workflow}, {@code resumed});
 *   <li>{@code opsflow.runs} timer of each execution of a run, from its start (or resumption) to
 *       its end by the engine's clock ({@code workflow}, {@code status}: completed, failed,
 *       partial, rolled_back, cancelled), so its count is the runs ended by status;
 *   <li>{@code opsflow.runs.active} gauge of the runs executing now ({@code workflow});
 *   <li>{@code opsflow.steps} timer of each step that ended, over all its attempts ({@code
 *       workflow}, {@code step}, {@code outcome}: succeeded or failed);
 *   <li>{@code opsflow.steps.skipped} counter ({@code workflow}, {@code step});
 *   <li>{@code opsflow.step.retries} counter of failed attempts that are retried ({@code workflow},
 *       {@code step}, {@code error}: the error's kind);
 *   <li>{@code opsflow.attempts.abandoned} counter of step attempts abandoned because they ignored
 *       their timeout or a cancel ({@code workflow}, {@code step}), and {@code
 *       opsflow.attempts.abandoned.running} gauge of those whose threads still run (no tag: an
 *       abandoned attempt can outlive its run);
 *   <li>{@code opsflow.batch.items} counter of batch items that ended ({@code workflow}, {@code
 *       state}), and {@code opsflow.batch.items.active} gauge of the items of the batches in flight
 *       ({@code state}: pending or running).
 * </ul>
 *
 * <p>Tags are low-cardinality only: never a run id, a batch id, an item or a host. A parallel
 * group's items share one step tag ({@code probe[3]} is counted as {@code probe[]}). Thread-safe.
 */
public final class WorkflowMetrics implements WorkflowListener, BatchListener {
  private static final Pattern ITEM_INDEX = Pattern.compile("\\[\\d+]");

  private final MeterRegistry registry;
  private final Map<String, RunInFlight> runs = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> activeRuns = new ConcurrentHashMap<>();
  private final Map<String, BatchInFlight> batches = new ConcurrentHashMap<>();
  private final AtomicInteger abandonedRunning = new AtomicInteger();

  /**
   * What is remembered of a run between its events.
   *
   * @param stepStarts when each step in flight started its first attempt
   */
  private record RunInFlight(String workflow, Instant started, Map<String, Instant> stepStarts) {}

  /** What is remembered of a batch between its events. */
  private record BatchInFlight(String workflow, BatchCounts counts) {}

  private WorkflowMetrics(MeterRegistry registry) {
    this.registry = registry;
    activeItems("pending", BatchCounts::pending);
    activeItems("running", BatchCounts::running);
    Gauge.builder("opsflow.attempts.abandoned.running", abandonedRunning, AtomicInteger::get)
        .description("Abandoned step attempts whose threads still run")
        .register(registry);
  }

  /**
   * Metrics recorded in {@code registry}.
   *
   * @param registry where the meters are registered (a Prometheus registry, a composite...)
   * @return the listener; add it to the engine and to the batches whose progress should show
   * @throws NullPointerException if registry is null
   */
  public static WorkflowMetrics of(MeterRegistry registry) {
    return new WorkflowMetrics(Objects.requireNonNull(registry, "registry must not be null"));
  }

  @Override
  public void onEvent(WorkflowEvent event) {
    if (event instanceof WorkflowEvent.RunStarted started) {
      runStarted(started);
      return;
    }
    if (event instanceof WorkflowEvent.AbandonedAttemptEnded) {
      // Delivered even after its run ended, when nothing else of the run is known any more.
      abandonedRunning.decrementAndGet();
      return;
    }
    RunInFlight run = runs.get(event.runId());
    if (run == null) {
      return; // started before this listener was added
    }
    if (event instanceof WorkflowEvent.StepStarted s) {
      if (s.attempt() == 1) {
        run.stepStarts().put(s.step(), s.timestamp());
      }
    } else if (event instanceof WorkflowEvent.StepSucceeded s) {
      run.stepStarts().remove(s.step());
      stepTimer(run, s.step(), "succeeded").record(Duration.ofMillis(s.durationMs()));
    } else if (event instanceof WorkflowEvent.StepFailed f) {
      // The event carries no duration: it is measured from the step's first attempt.
      Instant first = run.stepStarts().remove(f.step());
      if (first != null) {
        stepTimer(run, f.step(), "failed").record(between(first, f.timestamp()));
      }
    } else if (event instanceof WorkflowEvent.StepSkipped s) {
      Counter.builder("opsflow.steps.skipped")
          .description(
              "Steps skipped: their precheck found the work done or their condition was false")
          .tag("workflow", run.workflow())
          .tag("step", stepTag(s.step()))
          .register(registry)
          .increment();
    } else if (event instanceof WorkflowEvent.StepRetrying r) {
      Counter.builder("opsflow.step.retries")
          .description("Failed step attempts that are retried")
          .tag("workflow", run.workflow())
          .tag("step", stepTag(r.step()))
          .tag("error", lower(r.errorKind()))
          .register(registry)
          .increment();
    } else if (event instanceof WorkflowEvent.AttemptAbandoned a) {
      abandonedRunning.incrementAndGet();
      Counter.builder("opsflow.attempts.abandoned")
          .description("Step attempts abandoned: they ignored their timeout or a cancel")
          .tag("workflow", run.workflow())
          .tag("step", stepTag(a.step()))
          .register(registry)
          .increment();
    } else if (event instanceof WorkflowEvent.RunFinished finished) {
      runFinished(run, finished);
    }
  }

  private void runStarted(WorkflowEvent.RunStarted started) {
    Counter.builder("opsflow.runs.started")
        .description("Runs started or resumed")
        .tag("workflow", started.workflow())
        .tag("resumed", Boolean.toString(started.resumed()))
        .register(registry)
        .increment();
    if (runs.put(
            started.runId(),
            new RunInFlight(started.workflow(), started.timestamp(), new ConcurrentHashMap<>()))
        == null) {
      active(started.workflow()).incrementAndGet();
    }
  }

  private void runFinished(RunInFlight run, WorkflowEvent.RunFinished finished) {
    if (!runs.remove(finished.runId(), run)) {
      return;
    }
    active(run.workflow()).decrementAndGet();
    Timer.builder("opsflow.runs")
        .description("Executions of runs, from start or resumption to end, by status")
        .tag("workflow", run.workflow())
        .tag("status", lower(finished.state()))
        .register(registry)
        .record(between(run.started(), finished.timestamp()));
  }

  private AtomicInteger active(String workflow) {
    return activeRuns.computeIfAbsent(
        workflow,
        w -> {
          var count = new AtomicInteger();
          Gauge.builder("opsflow.runs.active", count, AtomicInteger::get)
              .description("Runs executing now")
              .tag("workflow", w)
              .register(registry);
          return count;
        });
  }

  private Timer stepTimer(RunInFlight run, String step, String outcome) {
    return Timer.builder("opsflow.steps")
        .description("Steps that ended, over all their attempts, by outcome")
        .tag("workflow", run.workflow())
        .tag("step", stepTag(step))
        .tag("outcome", outcome)
        .register(registry);
  }

  @Override
  public void onEvent(BatchEvent event) {
    if (event instanceof BatchEvent.BatchStarted started) {
      batches.put(started.batchId(), new BatchInFlight(started.workflow(), started.counts()));
      return;
    }
    BatchInFlight batch = batches.get(event.batchId());
    if (batch == null) {
      return;
    }
    if (event instanceof BatchEvent.BatchFinished) {
      batches.remove(event.batchId());
      return;
    }
    batches.put(event.batchId(), new BatchInFlight(batch.workflow(), event.counts()));
    if (event instanceof BatchEvent.ItemFinished item) {
      Counter.builder("opsflow.batch.items")
          .description("Batch items that ended, by state")
          .tag("workflow", batch.workflow())
          .tag("state", lower(item.state()))
          .register(registry)
          .increment();
    }
  }

  private void activeItems(String state, ToIntFunction<BatchCounts> count) {
    Gauge.builder(
            "opsflow.batch.items.active",
            batches,
            all -> all.values().stream().mapToInt(b -> count.applyAsInt(b.counts())).sum())
        .description("Items of the batches in flight, by state")
        .tag("state", state)
        .register(registry);
  }

  /** The step's name without a parallel item's index: one tag per step of the definition. */
  static String stepTag(String step) {
    return ITEM_INDEX.matcher(step).replaceAll("[]");
  }

  private static Duration between(Instant from, Instant to) {
    Duration d = Duration.between(from, to);
    return d.isNegative() ? Duration.ZERO : d;
  }

  private static String lower(Enum<?> value) {
    return value == null ? "none" : value.name().toLowerCase(Locale.ROOT);
  }
}
