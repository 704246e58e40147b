package dev.opsflow.dashboard.internal;

import dev.opsflow.workflow.batch.BatchEvent;
import dev.opsflow.workflow.batch.BatchRun;
import dev.opsflow.workflow.batch.BatchStatus;
import dev.opsflow.workflow.batch.ItemState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The batches started through this dashboard (a batch's bookkeeping is not stored; its item runs
 * are), each with a row per item kept from the batch's events. At most {@value #MAX_KEPT} are kept:
 * the oldest finished ones go first. Thread-safe.
 */
final class Batches {
  static final int MAX_KEPT = 100;

  /** One item's row: where it is, its run and its last message. */
  static final class Row {
    final String key;
    volatile ItemState state = ItemState.PENDING;
    volatile String runId;
    volatile String message;

    Row(String key) {
      this.key = key;
    }
  }

  /** A batch with its rows, filled by its listener. */
  static final class Tracked {
    final Map<String, Row> rows = new LinkedHashMap<>();
    volatile BatchRun run;

    Tracked(List<String> keys) {
      keys.forEach(k -> rows.put(k, new Row(k)));
    }

    void onEvent(BatchEvent event) {
      if (event instanceof BatchEvent.ItemStarted s) {
        Row row = rows.get(s.item());
        row.runId = s.runId();
        row.state = ItemState.RUNNING;
      } else if (event instanceof BatchEvent.ItemFinished f) {
        Row row = rows.get(f.item());
        row.runId = f.runId();
        row.message = f.message();
        row.state = f.state();
      }
    }

    /** The batch as the API shows it: its status and one row per item. */
    Map<String, Object> view() {
      BatchStatus status = run.status();
      var inFlight = new LinkedHashMap<String, BatchStatus.InFlight>();
      status.inFlight().forEach(f -> inFlight.put(f.item(), f));
      var items = new ArrayList<Map<String, Object>>();
      for (Row row : rows.values()) {
        var m = new LinkedHashMap<String, Object>();
        m.put("key", row.key);
        m.put("state", row.state);
        BatchStatus.InFlight f = inFlight.get(row.key);
        String runId = f != null ? f.runId() : row.runId;
        if (runId != null) {
          m.put("runId", runId);
        }
        if (f != null) {
          m.put("state", ItemState.RUNNING);
          m.put("percent", f.percent());
          putIfSet(m, "currentStep", f.currentStep());
          putIfSet(m, "currentSubTask", f.currentSubTask());
        } else if (row.state == ItemState.SUCCEEDED) {
          m.put("percent", 100);
        }
        putIfSet(m, "message", row.message);
        items.add(m);
      }
      var out = new LinkedHashMap<String, Object>();
      out.put("batch", summary(status));
      out.put("items", items);
      return out;
    }
  }

  private final Map<String, Tracked> batches = new LinkedHashMap<>();

  synchronized void add(String batchId, Tracked tracked) {
    if (batches.size() >= MAX_KEPT) {
      batches.entrySet().stream()
          .filter(e -> e.getValue().run.isDone())
          .findFirst()
          .ifPresent(e -> batches.remove(e.getKey()));
    }
    batches.put(batchId, tracked);
  }

  synchronized boolean contains(String batchId) {
    return batches.containsKey(batchId) && !batches.get(batchId).run.isDone();
  }

  synchronized Optional<Tracked> get(String batchId) {
    return Optional.ofNullable(batches.get(batchId));
  }

  synchronized List<Tracked> all() {
    return new ArrayList<>(batches.values());
  }

  /** The list row of a batch: its status without the in-flight details. */
  static Map<String, Object> summary(BatchStatus s) {
    var m = new LinkedHashMap<String, Object>();
    m.put("batchId", s.batchId());
    m.put("workflow", s.workflow());
    m.put("state", s.state());
    m.put("percent", s.percent());
    m.put("counts", s.counts());
    m.put("startedAt", s.startedAt());
    m.put("updatedAt", s.updatedAt());
    return m;
  }

  private static void putIfSet(Map<String, Object> m, String k, Object v) {
    if (v != null) {
      m.put(k, v);
    }
  }
}
