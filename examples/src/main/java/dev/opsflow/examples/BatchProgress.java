package dev.opsflow.examples;

import dev.opsflow.workflow.batch.BatchCounts;
import dev.opsflow.workflow.batch.BatchEvent;
import dev.opsflow.workflow.batch.BatchListener;
import dev.opsflow.workflow.batch.BatchResult;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prints a batch's progress for a person: one line per server started or finished, with the counts
 * of the whole batch, then a summary. Thread-safe.
 */
final class BatchProgress implements BatchListener {
  private final PrintStream out;
  private final Map<String, String> hostnames;
  private final Map<String, String> assignments;

  /**
   * @param hostnames each server's hostname by system id, when known
   * @param assignments each server's new BMC address by system id
   */
  BatchProgress(PrintStream out, Map<String, String> hostnames, Map<String, String> assignments) {
    this.out = out;
    this.hostnames = new LinkedHashMap<>(hostnames);
    this.assignments = new LinkedHashMap<>(assignments);
  }

  @Override
  public synchronized void onEvent(BatchEvent event) {
    if (event instanceof BatchEvent.BatchStarted e) {
      out.println(
          "Batch "
              + e.batchId()
              + ": "
              + e.workflow()
              + " on "
              + e.counts().total()
              + " server(s), at most "
              + e.maxParallel()
              + " at a time");
      assignments.forEach((id, ip) -> out.println("  " + name(id) + " -> BMC " + ip));
    } else if (event instanceof BatchEvent.ItemStarted e) {
      out.println(counts(e.counts()) + " " + name(e.item()) + ": started");
    } else if (event instanceof BatchEvent.ItemFinished e) {
      out.println(
          counts(e.counts()) + " " + name(e.item()) + ": " + e.state() + ", " + e.message());
    } else if (event instanceof BatchEvent.BatchStopping e) {
      out.println(
          "Stopping: "
              + e.reason()
              + (e.cancellingRunning()
                  ? "; cancelling the runs in flight"
                  : "; the runs in flight finish"));
    }
  }

  /** The end of the batch, for a person. */
  synchronized void summary(BatchResult result) {
    out.println();
    out.println(result.message());
    if (result.stopReason() != null) {
      out.println("Stopped: " + result.stopReason());
    }
    out.println();
    for (BatchResult.Item item : result.items()) {
      var line = new StringBuilder("  ").append(name(item.key())).append(": ").append(item.state());
      if (item.result() != null && item.result().success()) {
        Object bmc = item.result().outputs().get("bmcAddress");
        if (bmc != null) {
          line.append(", BMC ").append(bmc);
        }
      } else if (item.result() != null && item.result().error() != null) {
        line.append(", ").append(item.result().error().message());
      }
      out.println(line);
    }
    out.println();
    out.println("batch " + result.batchId());
  }

  private String name(String systemId) {
    String host = hostnames.get(systemId);
    return host == null ? systemId : systemId + " (" + host + ")";
  }

  private static String counts(BatchCounts c) {
    return "["
        + c.finished()
        + "/"
        + c.total()
        + " done, "
        + c.running()
        + " running, "
        + c.failed()
        + " failed]";
  }
}
