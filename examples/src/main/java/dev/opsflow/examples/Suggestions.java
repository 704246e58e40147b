package dev.opsflow.examples;

import dev.opsflow.workflow.ErrorInfo;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.WorkflowResult;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A result's suggestions as an operator at a shell can follow them: {@code opsflow resume ID}
 * rather than the library's {@code engine.resume("ID", workflow)}.
 */
final class Suggestions {
  private static final Pattern ENGINE_RESUME =
      Pattern.compile("engine\\.resume\\(\"([^\"]+)\", workflow\\)");

  private Suggestions() {}

  static WorkflowResult forShell(WorkflowResult r) {
    ErrorInfo e = r.error();
    if (e == null) {
      return r;
    }
    var out = new ArrayList<String>();
    for (String s : e.suggestions()) {
      Matcher m = ENGINE_RESUME.matcher(s);
      String shell = m.replaceAll(x -> Matcher.quoteReplacement("opsflow resume " + x.group(1)));
      shell =
          shell.replace(
              "run again with rollbackOnFailure",
              "run again with 'opsflow run " + r.workflow() + " ... --rollback'");
      out.add(shell);
    }
    if (r.status() == RunState.CANCELLED && !r.dryRun()) {
      String resume = "continue it later: opsflow resume " + r.runId();
      if (!out.contains(resume)) {
        out.add(resume);
      }
    }
    var error =
        new ErrorInfo(
            e.type(),
            e.message(),
            e.step(),
            e.subTask(),
            e.details(),
            List.copyOf(out),
            e.retryable());
    return new WorkflowResult(
        r.runId(),
        r.workflow(),
        r.version(),
        r.success(),
        r.status(),
        r.message(),
        r.outputs(),
        r.steps(),
        error,
        r.dryRun(),
        r.startedAt(),
        r.finishedAt());
  }
}
