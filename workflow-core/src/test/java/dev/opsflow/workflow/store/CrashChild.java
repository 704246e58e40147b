package dev.opsflow.workflow.store;

import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.spi.ExecutionStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The child JVM of {@link CrashRecoveryTest}: runs {@link CrashWorkflow} on a file store or a
 * PostgreSQL store with a 1 s lease, and blocks inside one step until the parent kills it.
 *
 * <p>Arguments: {@code file <dir> | postgres <jdbc-url>}, run id, side-effect file, step to stop
 * in, {@code BEFORE_EFFECT | AFTER_EFFECT}, and optionally the lease in seconds (default 1). The
 * PostgreSQL user and password come from the environment ({@code OPSFLOW_PG_USER}, {@code
 * OPSFLOW_PG_PASSWORD}), never the command line.
 */
public final class CrashChild {
  private CrashChild() {}

  public static void main(String[] args) {
    ExecutionStore store =
        args[0].equals("file")
            ? FileExecutionStore.open(Path.of(args[1]))
            : JdbcExecutionStore.create(
                new TestPool(
                    args[1],
                    System.getenv("OPSFLOW_PG_USER"),
                    System.getenv("OPSFLOW_PG_PASSWORD")));
    var wf =
        CrashWorkflow.create(
            Path.of(args[3]), args[4], CrashWorkflow.Stop.valueOf(args[5]), System.out);
    try (var engine =
        WorkflowEngine.builder()
            .store(store)
            .ownerId("child-engine")
            .lease(Duration.ofSeconds(args.length > 6 ? Long.parseLong(args[6]) : 1))
            .build()) {
      engine.run(
          wf,
          Map.of(),
          RunOptions.defaults().withRunId(args[2]).withIdempotencyKey("key-" + args[2]));
    }
    System.out.println("OPSFLOW-CHILD finished without being killed");
  }
}
