package dev.opsflow.workflow.batch;

import dev.opsflow.workflow.ErrorInfo;
import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.RunStatus;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.WorkflowRun;
import dev.opsflow.workflow.internal.CallerContext;
import dev.opsflow.workflow.internal.Scheduler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one batch. There is no dispatcher thread: whoever frees a slot (the batch's starter, or the
 * thread of a run that just ended) starts the next items, one thread at a time ({@link #pump}), so
 * a run that ends at once (an item that completed in an earlier attempt) never recurses. Counts,
 * item states and events change together under this object's lock, so every event's counts add up.
 */
final class BatchExecution {
  private static final Logger LOG = LoggerFactory.getLogger("dev.opsflow.workflow.batch");

  private final WorkflowEngine engine;
  private final Workflow workflow;
  private final BatchOptions options;
  private final String batchId;
  private final Slot[] slots;
  private final Outbox outbox;
  private final Instant startedAt;
  private final CompletableFuture<BatchResult> done = new CompletableFuture<>();
  private final AtomicInteger pumping = new AtomicInteger();
  private final Scheduler.Reservation room;

  /** The context of the thread that started the batch, for its items' runs. */
  private final CallerContext caller;

  // Guarded by this.
  private final Set<Integer> inFlight = new LinkedHashSet<>();
  private int next;
  private int succeeded;
  private int failed;
  private int cancelled;
  private long sequence;
  private BatchState state = BatchState.RUNNING;
  private boolean cancelRequested;
  private String stopReason;

  /** One item's place in the batch; written under the batch's lock, read anywhere. */
  private static final class Slot {
    final BatchItem item;
    volatile ItemState state = ItemState.PENDING;
    volatile WorkflowRun run;

    /** The id given to the item's run before it starts, so status sees it at once. */
    volatile String runId;

    volatile WorkflowResult result;

    Slot(BatchItem item) {
      this.item = item;
    }
  }

  BatchExecution(
      WorkflowEngine engine,
      Workflow workflow,
      List<BatchItem> items,
      BatchOptions options,
      List<BatchListener> listeners,
      String batchId) {
    this.engine = engine;
    this.workflow = workflow;
    this.options = options;
    this.batchId = batchId;
    this.slots = items.stream().map(Slot::new).toArray(Slot[]::new);
    this.outbox = new Outbox(listeners);
    this.startedAt = engine.clock().instant();
    // Room for the runs in flight and for the threads of runs that just ended and are starting
    // the next ones: on the JDK 17 pool, each waiting run holds a thread.
    this.room = engine.scheduler().reserve(2 * options.maxParallel());
    this.caller = engine.callerContext();
  }

  void begin() {
    LOG.info(
        "batch {} of '{}': {} items, at most {} in parallel, on {}",
        batchId,
        workflow.name(),
        slots.length,
        options.maxParallel(),
        engine.scheduler().describe());
    synchronized (this) {
      long seq = ++sequence;
      outbox.add(
          new BatchEvent.BatchStarted(
              batchId,
              seq,
              engine.clock().instant(),
              counts(),
              workflow.name(),
              options.maxParallel()));
    }
    outbox.deliver();
    // Start the first items on the engine's threads: start() returns at once, however long the
    // starting goes on (a thread that pumps keeps pumping while runs end and free slots).
    engine.scheduler().execute(this::pump);
  }

  /** Starts items while there is room; one thread at a time, the others leave it work. */
  private void pump() {
    if (pumping.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    do {
      while (true) {
        int index;
        synchronized (this) {
          if (state != BatchState.RUNNING
              || next >= slots.length
              || inFlight.size() >= options.maxParallel()) {
            break;
          }
          index = next++;
          slots[index].state = ItemState.RUNNING;
          inFlight.add(index);
        }
        launch(index);
      }
      finishIfDone();
      missed = pumping.addAndGet(-missed);
    } while (missed != 0);
  }

  private void launch(int index) {
    Slot slot = slots[index];
    Instant starting = engine.clock().instant();
    // The run may reach its first wait before start() returns here: name it first, so that
    // status() can find it through the engine meanwhile.
    slot.runId = java.util.UUID.randomUUID().toString();
    // Told before the run starts: its steps may run (and end) on an engine thread before start()
    // returns, and a listener must see the item running first (a metric of items in flight).
    synchronized (this) {
      long seq = ++sequence;
      outbox.add(
          new BatchEvent.ItemStarted(
              batchId, seq, starting, counts(), slot.item.key(), slot.runId));
    }
    outbox.deliver();
    WorkflowRun run;
    try {
      // As if the batch's caller started it, whichever engine thread does.
      run =
          caller.during(
              () ->
                  engine.start(
                      workflow, slot.item.inputs(), runOptions(slot.item).withRunId(slot.runId)));
    } catch (Throwable e) {
      // Inputs were checked before the batch started: this is the store or the engine failing.
      LOG.warn("batch {}: item '{}' could not start: {}", batchId, slot.item.key(), e.toString());
      finish(index, null, e);
      return;
    }
    boolean cancelNow;
    synchronized (this) {
      slot.run = run;
      cancelNow =
          cancelRequested
              || (state == BatchState.STOPPING
                  && options.onStop() == BatchOptions.OnStop.CANCEL_RUNNING);
    }
    if (cancelNow) {
      run.cancel();
    }
    run.future()
        .whenComplete(
            (result, error) -> {
              try {
                finish(index, result, error);
              } catch (RuntimeException | Error e) {
                // A future swallows what its callbacks throw: say it, or the batch would wait
                // silently.
                LOG.error(
                    "batch {}: recording the end of item '{}' failed", batchId, slot.item.key(), e);
                throw e;
              }
            });
  }

  private RunOptions runOptions(BatchItem item) {
    RunOptions base = options.runOptions();
    return base.dryRun() ? base : base.withIdempotencyKey(batchId + ":" + item.key());
  }

  /** Records how an item's run ended, stops the batch if that is too many failures, goes on. */
  private void finish(int index, WorkflowResult given, Throwable error) {
    Slot slot = slots[index];
    WorkflowResult result = given != null ? given : failedResult(slot, error);
    ItemState end =
        result.status() == RunState.COMPLETED
            ? ItemState.SUCCEEDED
            : result.status() == RunState.CANCELLED ? ItemState.CANCELLED : ItemState.FAILED;
    List<WorkflowRun> toCancel = List.of();
    synchronized (this) {
      slot.result = result;
      slot.state = end;
      inFlight.remove(index);
      switch (end) {
        case SUCCEEDED -> succeeded++;
        case CANCELLED -> cancelled++;
        default -> failed++;
      }
      long seq = ++sequence;
      outbox.add(
          new BatchEvent.ItemFinished(
              batchId,
              seq,
              engine.clock().instant(),
              counts(),
              slot.item.key(),
              result.runId(),
              end,
              result.message()));
      if (end == ItemState.FAILED && state == BatchState.RUNNING) {
        String why = null;
        if (!options.continueOnError()) {
          why = "item '" + slot.item.key() + "' failed and continueOnError is off";
        } else if ((long) failed * 100 > (long) options.maxFailedPercentage() * slots.length) {
          why =
              failed
                  + " of "
                  + slots.length
                  + " items failed, more than maxFailedPercentage "
                  + options.maxFailedPercentage()
                  + "%";
        }
        if (why != null) {
          toCancel = stop(why, options.onStop() == BatchOptions.OnStop.CANCEL_RUNNING);
        }
      }
    }
    LOG.debug("batch {}: item '{}' {}: {}", batchId, slot.item.key(), end, result.message());
    outbox.deliver();
    toCancel.forEach(WorkflowRun::cancel);
    pump();
  }

  private WorkflowResult failedResult(Slot slot, Throwable error) {
    Throwable cause =
        error instanceof java.util.concurrent.CompletionException c && c.getCause() != null
            ? c.getCause()
            : error;
    Instant now = engine.clock().instant();
    var info = ErrorInfo.of(cause, null, null);
    return new WorkflowResult(
        slot.run == null ? null : slot.run.runId(),
        workflow.name(),
        workflow.version(),
        false,
        RunState.FAILED,
        "item '" + slot.item.key() + "' of batch " + batchId + " could not run: " + info.message(),
        Map.of(),
        List.of(),
        info,
        options.runOptions().dryRun(),
        now,
        now);
  }

  /** Stops starting items; returns the runs to cancel. Call under the lock. */
  private List<WorkflowRun> stop(String reason, boolean cancelRunning) {
    state = BatchState.STOPPING;
    stopReason = reason;
    long seq = ++sequence;
    outbox.add(
        new BatchEvent.BatchStopping(
            batchId, seq, engine.clock().instant(), counts(), reason, cancelRunning));
    LOG.warn(
        "batch {} stopping: {}; {} run(s) in flight {}",
        batchId,
        reason,
        inFlight.size(),
        cancelRunning ? "cancelled" : "left to finish");
    var runs = new ArrayList<WorkflowRun>();
    if (cancelRunning) {
      for (int i : inFlight) {
        if (slots[i].run != null) {
          runs.add(slots[i].run);
        }
      }
    }
    return runs;
  }

  private void finishIfDone() {
    BatchResult result;
    synchronized (this) {
      if (state.isFinished()
          || !inFlight.isEmpty()
          || (state == BatchState.RUNNING && next < slots.length)) {
        return;
      }
      state =
          cancelRequested
              ? BatchState.CANCELLED
              : stopReason != null
                  ? BatchState.STOPPED
                  : failed + cancelled > 0
                      ? BatchState.COMPLETED_WITH_FAILURES
                      : BatchState.COMPLETED;
      BatchCounts c = counts();
      String message =
          "Batch "
              + batchId
              + " of '"
              + workflow.name()
              + "' "
              + switch (state) {
                case COMPLETED -> "completed: all " + c.total() + " items succeeded";
                case CANCELLED -> "was cancelled";
                case STOPPED -> "stopped: " + stopReason;
                default -> "completed with failures";
              }
              + " ("
              + c.succeeded()
              + " succeeded, "
              + c.failed()
              + " failed, "
              + c.cancelled()
              + " cancelled, "
              + c.pending()
              + " not started)";
      long seq = ++sequence;
      Instant now = engine.clock().instant();
      outbox.add(new BatchEvent.BatchFinished(batchId, seq, now, c, state, message));
      var items = new ArrayList<BatchResult.Item>(slots.length);
      for (Slot s : slots) {
        items.add(
            new BatchResult.Item(
                s.item.key(),
                s.state,
                s.result != null ? s.result.runId() : s.run != null ? s.run.runId() : null,
                s.result));
      }
      result =
          new BatchResult(
              batchId,
              workflow.name(),
              state,
              state == BatchState.COMPLETED,
              message,
              stopReason,
              c,
              items,
              startedAt,
              now);
      final BatchResult end = result;
      outbox.then(() -> done.complete(end));
    }
    room.close();
    if (result.success()) {
      LOG.info("{}", result.message());
    } else {
      LOG.warn("{}", result.message());
    }
    outbox.deliver();
  }

  /** Call under the lock. */
  private BatchCounts counts() {
    int running = inFlight.size();
    return new BatchCounts(
        slots.length, slots.length - next, running, succeeded, failed, cancelled);
  }

  String batchId() {
    return batchId;
  }

  BatchStatus status() {
    BatchCounts c;
    BatchState s;
    var running = new ArrayList<Slot>();
    synchronized (this) {
      c = counts();
      s = state;
      for (int i : inFlight) {
        running.add(slots[i]);
      }
    }
    var flights = new ArrayList<BatchStatus.InFlight>(running.size());
    long progress = 100L * c.finished();
    for (Slot slot : running) {
      WorkflowRun run = slot.run;
      String id = slot.runId;
      java.util.Optional<RunStatus> live =
          run != null
              ? java.util.Optional.of(run.status())
              : id != null ? engine.status(id) : java.util.Optional.empty();
      if (live.isEmpty()) {
        flights.add(new BatchStatus.InFlight(slot.item.key(), null, null, null, 0));
        continue;
      }
      RunStatus rs = live.get();
      progress += rs.progressPercent();
      flights.add(
          new BatchStatus.InFlight(
              slot.item.key(),
              rs.runId(),
              rs.currentStep(),
              rs.currentSubTask(),
              rs.progressPercent()));
    }
    int percent = c.total() == 0 ? 100 : (int) Math.min(100, progress / c.total());
    return new BatchStatus(
        batchId,
        workflow.name(),
        s,
        c.total(),
        c.pending(),
        c.running(),
        c.succeeded(),
        c.failed(),
        c.cancelled(),
        percent,
        flights,
        startedAt,
        engine.clock().instant());
  }

  boolean cancel() {
    List<WorkflowRun> toCancel;
    synchronized (this) {
      if (state.isFinished()) {
        return false;
      }
      if (cancelRequested) {
        return true;
      }
      cancelRequested = true;
      toCancel =
          stop(
              stopReason == null
                  ? "the batch was cancelled"
                  : stopReason + "; then the batch was cancelled",
              true);
    }
    outbox.deliver();
    toCancel.forEach(WorkflowRun::cancel);
    pump();
    return true;
  }

  /** The future the batch's result completes. */
  CompletableFuture<BatchResult> done() {
    return done;
  }
}
