package dev.opsflow.examples;

import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.RunStatus;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Where a command's output goes: with {@code --output json}, stdout holds one JSON document (the
 * result, the status, the list...) and nothing else; everything for a person goes to stderr.
 */
final class Output {
  final PrintStream out;
  final PrintStream err;
  final boolean json;

  Output(PrintStream out, PrintStream err, boolean json) {
    this.out = out;
    this.err = err;
    this.json = json;
  }

  /** Where progress and notes go: stderr under JSON, else stdout. */
  PrintStream human() {
    return json ? err : out;
  }

  /** Prints {@code value} as pretty JSON on stdout. */
  void printJson(Object value) {
    out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value));
  }

  /** A run's status as JSON ({@code docs/result-json.md}). */
  static String statusJson(RunStatus status, boolean pretty) {
    // One line a change under --watch (JSON Lines); else the core's documented form.
    return pretty ? status.toJson() : Json.mapper().writer().writeValueAsString(status);
  }

  /**
   * The error envelope: {@code {"code": 5, "type": "not_found", "message": ..., "suggestions":
   * [...], "runId": ...}} on stdout under JSON (so a script reads it where it reads results), one
   * line and the suggestions on stderr otherwise.
   */
  void error(ExitCodes exit, String message, List<String> suggestions, String runId) {
    if (json) {
      var envelope = new LinkedHashMap<String, Object>();
      envelope.put("code", exit.code);
      envelope.put("type", exit.type);
      envelope.put("message", message);
      envelope.put("suggestions", suggestions);
      if (runId != null) {
        envelope.put("runId", runId);
      }
      printJson(envelope);
    } else {
      err.println("opsflow: " + message);
      suggestions.forEach(s -> err.println("  - " + s));
    }
  }
}
