package dev.opsflow.workflow.store;

import dev.opsflow.workflow.ErrorInfo;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.StepOutcome;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.spi.RunRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs and events for the store tests. */
final class StoreSamples {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456Z");

  private StoreSamples() {}

  /** A run of {@code workflow} created at {@code created}, owned by engine-a for 30 s. */
  static RunRecord run(String id, String workflow, String key, RunState state, Instant created) {
    var context = new LinkedHashMap<String, Object>();
    context.put("server", Map.of("ip", "10.0.0.5", "port", 22));
    context.put("tags", List.of("a", "b"));
    context.put("count", 2);
    var steps =
        List.of(
            new StepOutcome(
                "bootstrap",
                StepStatus.COMPLETED,
                2,
                1500,
                created,
                created.plusMillis(1500),
                null,
                null,
                null),
            StepOutcome.pending("join"));
    return new RunRecord(
        id,
        workflow,
        3,
        List.of("bootstrap", "join"),
        key,
        state,
        false,
        true,
        Duration.ofMinutes(5),
        Map.of("host", "10.0.0.5", "nodes", 3),
        context,
        Map.of("clusterId", "c-1"),
        steps,
        null,
        "engine-a",
        created.plusSeconds(30),
        created,
        created,
        0);
  }

  static RunRecord run(String id, Instant created) {
    return run(id, "init-cluster", null, RunState.RUNNING, created);
  }

  /** {@code r} finished in {@code state} at {@code at}, with a result, lease released. */
  static RunRecord finished(RunRecord r, RunState state, Instant at) {
    var error =
        state == RunState.COMPLETED
            ? null
            : new ErrorInfo(
                ErrorKind.API,
                "HTTP 503",
                "join",
                "Joining node 2",
                Map.of("status", 503),
                List.of("retry later"),
                true);
    var result =
        new WorkflowResult(
            r.runId(),
            r.workflow(),
            r.workflowVersion(),
            state == RunState.COMPLETED,
            state,
            "done",
            r.outputs(),
            r.steps(),
            error,
            false,
            r.createdAt(),
            at);
    return r.withProgress(state, r.steps(), r.context(), r.outputs(), result, at)
        .withLease(null, null);
  }

  /** One event of each kind, numbered from {@code from}. */
  static List<WorkflowEvent> events(String runId, long from, Instant at) {
    return List.of(
        new WorkflowEvent.RunStarted(runId, from, at, "init-cluster", 3, 2, false, true),
        new WorkflowEvent.StepStarted(runId, from + 1, at, "join", 1),
        new WorkflowEvent.StepProgress(runId, from + 2, at, "join", 50, "Joining node 2"),
        new WorkflowEvent.StepRetrying(
            runId, from + 3, at, "join", 1, 2000, ErrorKind.API, "HTTP 503"),
        new WorkflowEvent.StepSucceeded(runId, from + 4, at, "join", 2, 3100),
        new WorkflowEvent.StepSkipped(runId, from + 5, at, "verify", "already verified"),
        new WorkflowEvent.StepFailed(runId, from + 6, at, "tune", 3, ErrorKind.TIMEOUT, "slow"),
        new WorkflowEvent.Compensation(runId, from + 7, at, "join", true, "compensated"),
        new WorkflowEvent.RunFinished(runId, from + 8, at, RunState.PARTIAL, "failed at tune"));
  }

  /**
   * The journal segments in store directory {@code d} whose process is dead (this JVM's own, made
   * at open, are not counted).
   */
  static long deadSegments(Path d) throws java.io.IOException {
    Path real = d.toRealPath();
    try (java.util.stream.Stream<Path> files =
        java.nio.file.Files.list(real.resolve(Journal.DIR))) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(
              n ->
                  LiveOwners.process(real, n.substring(0, n.indexOf('-')))
                      == LiveOwners.Liveness.DEAD)
          .count();
    }
  }
}
