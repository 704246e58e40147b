package dev.opsflow.examples;

import java.util.List;

/**
 * A command that cannot do what was asked, outside a run's own result: bad usage or input, an
 * unknown run, a store that cannot be opened. Printed as one line (human) or the JSON error
 * envelope, with its exit status.
 */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final transient ExitCodes exit;
  final transient List<String> suggestions;
  final String runId;

  CliException(ExitCodes exit, String message, List<String> suggestions, String runId) {
    super(message);
    this.exit = exit;
    this.suggestions = List.copyOf(suggestions);
    this.runId = runId;
  }

  CliException(ExitCodes exit, String message, String... suggestions) {
    this(exit, message, List.of(suggestions), null);
  }

  static CliException usage(String message, String... suggestions) {
    return new CliException(ExitCodes.USAGE, message, suggestions);
  }
}
