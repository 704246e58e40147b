package dev.opsflow.examples;

import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.spi.RunQuery;
import dev.opsflow.workflow.spi.RunRecord;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code opsflow history}: the runs in the store, newest first. */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = "List the runs in the store, newest first.")
final class HistoryCommand implements Callable<Integer> {
  @ParentCommand OpsflowCommand root;
  @Mixin Options.OutputOptions output;
  @Mixin Options.StoreOptions store;

  @Option(names = "--workflow", paramLabel = "NAME", description = "Only runs of this workflow.")
  String workflow;

  @Option(
      names = "--status",
      paramLabel = "STATE",
      description = "Only runs in this state (RUNNING, COMPLETED, FAILED, PARTIAL, CANCELLED...).")
  String status;

  @Option(
      names = "--since",
      paramLabel = "WHEN",
      description =
          "Only runs created since then: a duration ago (1h, 7d) or an instant (ISO-8601).")
  String since;

  @Option(names = "--limit", paramLabel = "N", description = "At most N runs (default 20).")
  int limit = 20;

  @Override
  public Integer call() {
    Cli cli = root.cli;
    var out = new Output(cli.out, cli.err, output.isJson());
    RunQuery q = query();
    List<RunRecord> runs = cli.store(store).query(q);
    if (out.json) {
      var rows = new ArrayList<Map<String, Object>>();
      for (RunRecord r : runs) {
        rows.add(row(r));
      }
      out.printJson(rows);
    } else if (runs.isEmpty()) {
      out.out.println("no runs");
    } else {
      for (RunRecord r : runs) {
        out.out.printf(
            "%-36s  %-28s  %-11s  %s%s%n",
            r.runId(),
            r.workflow(),
            r.state(),
            r.createdAt(),
            r.idempotencyKey() == null ? "" : "  key=" + r.idempotencyKey());
      }
    }
    return ExitCodes.SUCCESS.code;
  }

  private RunQuery query() {
    if (limit < 1 || limit > 10_000) {
      throw CliException.usage("--limit: " + limit + " is not from 1 to 10000");
    }
    RunQuery q = RunQuery.all().withLimit(limit);
    if (workflow != null) {
      q = q.withWorkflow(workflow);
    }
    if (status != null) {
      try {
        q = q.withState(RunState.valueOf(status.toUpperCase(java.util.Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw CliException.usage(
            "--status: '"
                + Inputs.shown(status)
                + "' is not a run state: one of "
                + Arrays.toString(RunState.values()));
      }
    }
    if (since != null) {
      Instant from;
      try {
        from = Instant.parse(since);
      } catch (DateTimeParseException e) {
        from = Instant.now().minus(Durations.parse("--since", since));
      }
      q = q.createdBetween(from, null);
    }
    return q;
  }

  /** A run's line of the JSON list. */
  static Map<String, Object> row(RunRecord r) {
    var row = new LinkedHashMap<String, Object>();
    row.put("runId", r.runId());
    row.put("workflow", r.workflow());
    row.put("state", r.state());
    row.put("idempotencyKey", r.idempotencyKey());
    row.put("dryRun", r.dryRun());
    row.put("createdAt", r.createdAt());
    row.put("updatedAt", r.updatedAt());
    row.put("owner", r.state().isFinished() ? null : r.owner());
    row.put("message", r.result() == null ? null : r.result().message());
    return row;
  }
}
