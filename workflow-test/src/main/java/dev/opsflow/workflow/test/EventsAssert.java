package dev.opsflow.workflow.test;

import dev.opsflow.workflow.event.WorkflowEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on a run's events (those of several runs are checked run by run, in sequence
 * order: parallel steps may deliver theirs out of order). Start from {@link
 * WorkflowAssertions#assertThat(EventLog)} or {@link WorkflowAssertions#assertThatEvents}.
 */
public final class EventsAssert extends AbstractAssert<EventsAssert, List<WorkflowEvent>> {

  EventsAssert(List<WorkflowEvent> actual) {
    super(actual, EventsAssert.class);
  }

  /**
   * The events tell a consistent story: each run's sequence numbers go 1, 2, 3... without a gap or
   * a repeat, times never go back, a run begins with {@code RunStarted} and nothing but a
   * resumption follows its {@code RunFinished}, and a step's attempt ends (succeeded, retrying,
   * failed) only after it started.
   *
   * @return this assertion, to chain more
   */
  public EventsAssert areInOrder() {
    isNotNull();
    for (var run : byRun().entrySet()) {
      List<WorkflowEvent> events = run.getValue();
      var started = new HashMap<String, Integer>();
      boolean finished = false;
      for (int i = 0; i < events.size(); i++) {
        WorkflowEvent e = events.get(i);
        if (e.sequence() != i + 1) {
          failWithMessage(
              "Expected run %s's events to be numbered 1, 2, 3... but event %d is %s",
              run.getKey(), i + 1, e);
        }
        if (i > 0 && e.timestamp().isBefore(events.get(i - 1).timestamp())) {
          failWithMessage("Expected run %s's times never to go back, but %s", run.getKey(), e);
        }
        if (i == 0 && !(e instanceof WorkflowEvent.RunStarted)) {
          failWithMessage(
              "Expected run %s to begin with RunStarted but it began with %s", run.getKey(), e);
        }
        if (finished && !(e instanceof WorkflowEvent.RunStarted)) {
          failWithMessage("Expected nothing after run %s finished, but got %s", run.getKey(), e);
        }
        finished = e instanceof WorkflowEvent.RunFinished;
        checkAttempt(run.getKey(), e, started);
      }
    }
    return this;
  }

  private void checkAttempt(String runId, WorkflowEvent e, Map<String, Integer> started) {
    if (e instanceof WorkflowEvent.StepStarted s) {
      started.put(s.step(), s.attempt());
    } else if (e instanceof WorkflowEvent.StepRetrying r) {
      expectStarted(runId, e, r.step(), r.attempt(), started);
    } else if (e instanceof WorkflowEvent.StepSucceeded s) {
      expectStarted(runId, e, s.step(), s.attempts(), started);
    } else if (e instanceof WorkflowEvent.StepFailed f && started.containsKey(f.step())) {
      // A step can fail before any attempt (a precheck that threw): then nothing started.
      expectStarted(runId, e, f.step(), f.attempts(), started);
    }
  }

  private void expectStarted(
      String runId, WorkflowEvent e, String step, int attempt, Map<String, Integer> started) {
    Integer last = started.get(step);
    if (last == null || last != attempt) {
      failWithMessage(
          "Expected attempt %d of step '%s' in run %s to have started before %s, but the last"
              + " attempt started was %s",
          attempt, step, runId, e, last);
    }
  }

  /**
   * The kinds of the events, in sequence order, are exactly {@code expected} ({@code
   * WorkflowEvent.RunStarted.class}, ...).
   *
   * @param expected the event classes, one per event, in order
   * @return this assertion, to chain more
   */
  public EventsAssert haveTypes(Class<?>... expected) {
    isNotNull();
    List<String> kinds = sorted().stream().map(e -> e.getClass().getSimpleName()).toList();
    List<String> wanted = Arrays.stream(expected).map(Class::getSimpleName).toList();
    if (!kinds.equals(wanted)) {
      failWithMessage("Expected the events to be%n  %s%nbut they were%n  %s", wanted, kinds);
    }
    return this;
  }

  /**
   * The steps' first attempts started in exactly this order.
   *
   * @param expected the steps' names, in the order their first attempts started
   * @return this assertion, to chain more
   */
  public EventsAssert startedSteps(String... expected) {
    isNotNull();
    List<String> steps =
        sorted().stream()
            .filter(e -> e instanceof WorkflowEvent.StepStarted s && s.attempt() == 1)
            .map(e -> ((WorkflowEvent.StepStarted) e).step())
            .toList();
    if (!steps.equals(List.of(expected))) {
      failWithMessage(
          "Expected the steps to start in the order %s but they started in the order %s",
          List.of(expected), steps);
    }
    return this;
  }

  /**
   * No attempt was retried.
   *
   * @return this assertion, to chain more
   */
  public EventsAssert haveNoRetries() {
    return retried(null, 0);
  }

  /**
   * Step {@code step} (null: any step) was retried exactly {@code times} times.
   *
   * @param step the step's name, or null for any step
   * @param times how many retries are expected
   * @return this assertion, to chain more
   */
  public EventsAssert retried(String step, int times) {
    isNotNull();
    List<WorkflowEvent.StepRetrying> retries =
        sorted().stream()
            .filter(e -> e instanceof WorkflowEvent.StepRetrying)
            .map(WorkflowEvent.StepRetrying.class::cast)
            .filter(r -> step == null || r.step().equals(step))
            .toList();
    if (retries.size() != times) {
      failWithMessage(
          "Expected %s to be retried %d time(s) but got %d: %s",
          step == null ? "the steps" : "step '" + step + "'", times, retries.size(), retries);
    }
    return this;
  }

  private Map<String, List<WorkflowEvent>> byRun() {
    var runs = new LinkedHashMap<String, List<WorkflowEvent>>();
    for (WorkflowEvent e : actual) {
      runs.computeIfAbsent(e.runId(), k -> new ArrayList<>()).add(e);
    }
    runs.values().forEach(list -> list.sort(Comparator.comparingLong(WorkflowEvent::sequence)));
    return runs;
  }

  private List<WorkflowEvent> sorted() {
    return byRun().values().stream().flatMap(List::stream).toList();
  }
}
