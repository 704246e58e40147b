package dev.opsflow.workflow.batch;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A batch's events on their way to its listeners: added in sequence order (under the batch's lock),
 * delivered by one thread at a time in that order, without holding the lock, so a slow listener
 * never blocks the batch's bookkeeping and never sees events out of order.
 */
final class Outbox {
  private static final Logger LOG = LoggerFactory.getLogger("dev.opsflow.workflow.batch");

  private final List<BatchListener> listeners;

  /** Events, and tasks to run once the events before them were delivered. */
  private final Queue<Object> queue = new ConcurrentLinkedQueue<>();

  private final AtomicInteger delivering = new AtomicInteger();

  Outbox(List<BatchListener> listeners) {
    this.listeners = listeners;
  }

  /** Queues an event; call under the batch's lock, so the queue's order is the sequence. */
  void add(BatchEvent event) {
    if (!listeners.isEmpty()) {
      queue.add(event);
    }
  }

  /**
   * Queues {@code task} to run after every event queued so far was delivered (so a batch's result
   * is given only once its listeners have seen its last event). Call under the lock.
   */
  void then(Runnable task) {
    queue.add(task);
  }

  /** Delivers what is queued, unless another thread is at it (it will deliver this too). */
  void deliver() {
    if (delivering.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    do {
      Object next;
      while ((next = queue.poll()) != null) {
        if (next instanceof Runnable task) {
          task.run();
          continue;
        }
        BatchEvent event = (BatchEvent) next;
        for (BatchListener l : listeners) {
          try {
            l.onEvent(event);
          } catch (RuntimeException | LinkageError | AssertionError e) {
            LOG.warn(
                "batch listener {} threw on {} of batch {}; the batch goes on",
                l.getClass().getName(),
                event.getClass().getSimpleName(),
                event.batchId(),
                e);
          }
        }
      }
      missed = delivering.addAndGet(-missed);
    } while (missed != 0);
  }
}
