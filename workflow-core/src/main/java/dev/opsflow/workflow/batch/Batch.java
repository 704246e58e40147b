package dev.opsflow.workflow.batch;

import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.internal.InputBinder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * One workflow over many items (servers, racks, databases), each item one run of the engine, with
 * bounded parallelism, failure thresholds, aggregated progress and error isolation.
 *
 * <pre>{@code
 * BatchResult result = Batch.of(items)
 *     .withOptions(BatchOptions.defaults().withBatchId("rack-12").withMaxParallel(50)
 *         .withMaxFailedPercentage(20))
 *     .withListener(event -> log.info(event.toJson()))
 *     .run(engine, commissionWorkflow);
 * }</pre>
 *
 * <p>At most {@code maxParallel} item runs are in flight; the next item starts when one ends. An
 * item's failure, whatever it threw (an {@link Error} included), is that item's result and touches
 * no other item. Failures stop the batch (nothing new starts) when {@code continueOnError} is off,
 * or when more than {@code maxFailedPercentage} of all items failed; the runs in flight then finish
 * or are cancelled, per {@link BatchOptions#onStop()}. Each item's run has the idempotency key
 * {@code batchId:itemKey}: with a durable store, running the batch again with the same id after a
 * crash, a stop or a cancel runs only the items that did not complete. Items run on the engine's
 * threads: virtual threads on JDK 21+; on JDK 17 the engine's pool grows by the batch's parallelism
 * while it runs (see {@code docs/batch.md} for the cost).
 *
 * <p>Immutable and thread-safe; one batch may be run any number of times.
 */
public final class Batch {
  private final List<BatchItem> items;
  private final BatchOptions options;
  private final List<BatchListener> listeners;

  private Batch(List<BatchItem> items, BatchOptions options, List<BatchListener> listeners) {
    this.items = items;
    this.options = options;
    this.listeners = listeners;
  }

  /**
   * A batch over {@code items}, in that order, with the default options.
   *
   * @param items the items, each with a key unique in the batch and its run's inputs
   * @return the batch
   * @throws ValidationException if two items share a key (naming it)
   */
  public static Batch of(List<BatchItem> items) {
    Objects.requireNonNull(items, "items must not be null");
    var seen = new HashSet<String>();
    var duplicates = new ArrayList<String>();
    for (BatchItem item : items) {
      Objects.requireNonNull(item, "items must not contain null");
      if (!seen.add(item.key()) && !duplicates.contains(item.key())) {
        duplicates.add(item.key());
      }
    }
    if (!duplicates.isEmpty()) {
      throw new ValidationException("item keys must be unique in a batch; repeated: " + duplicates);
    }
    return new Batch(List.copyOf(items), BatchOptions.defaults(), List.of());
  }

  /**
   * A batch over {@code things}: each one's key and inputs come from the two functions.
   *
   * @param <T> the type of the things
   * @param things what the batch runs over (hosts, databases...)
   * @param key gives each thing's key, unique in the batch
   * @param inputs gives each thing's run inputs
   * @return the batch
   */
  public static <T> Batch over(
      Collection<T> things,
      Function<? super T, String> key,
      Function<? super T, ? extends Map<String, ?>> inputs) {
    Objects.requireNonNull(things, "things must not be null");
    return of(things.stream().map(t -> BatchItem.of(key.apply(t), inputs.apply(t))).toList());
  }

  /**
   * A copy that runs with {@code batchOptions}.
   *
   * @param batchOptions how the batch runs
   * @return a copy with those options
   */
  public Batch withOptions(BatchOptions batchOptions) {
    return new Batch(
        items, Objects.requireNonNull(batchOptions, "options must not be null"), listeners);
  }

  /**
   * A copy that also tells {@code listener} about its events.
   *
   * @param listener told about the batch's events
   * @return a copy with that listener added
   */
  public Batch withListener(BatchListener listener) {
    var all = new ArrayList<>(listeners);
    all.add(Objects.requireNonNull(listener, "listener must not be null"));
    return new Batch(items, options, List.copyOf(all));
  }

  /** {@return the items, in order} */
  public List<BatchItem> items() {
    return items;
  }

  /** {@return the options} */
  public BatchOptions options() {
    return options;
  }

  /**
   * Starts the batch and returns at once with a handle.
   *
   * @param engine the engine whose threads and store the item runs use
   * @param workflow the workflow each item runs
   * @return a handle to await, watch or cancel the batch
   * @throws ValidationException if an item's inputs are missing or bad (every bad item is named);
   *     nothing ran
   */
  public BatchRun start(WorkflowEngine engine, Workflow workflow) {
    Objects.requireNonNull(engine, "engine must not be null");
    Objects.requireNonNull(workflow, "workflow must not be null");
    var problems = new ArrayList<String>();
    for (BatchItem item : items) {
      try {
        InputBinder.bind(workflow, item.inputs());
      } catch (ValidationException e) {
        e.problems().forEach(p -> problems.add("item '" + item.key() + "': " + p));
      }
    }
    if (!problems.isEmpty()) {
      throw new ValidationException(problems);
    }
    String id = options.batchId() != null ? options.batchId() : "batch-" + UUID.randomUUID();
    var execution = new BatchExecution(engine, workflow, items, options, listeners, id);
    execution.begin();
    return new BatchHandle(execution);
  }

  /**
   * Runs the batch and waits for its result.
   *
   * @param engine the engine whose threads and store the item runs use
   * @param workflow the workflow each item runs
   * @return how the batch ended, item by item
   * @throws ValidationException if an item's inputs are missing or bad; nothing ran
   */
  public BatchResult run(WorkflowEngine engine, Workflow workflow) {
    return start(engine, workflow).await();
  }
}
