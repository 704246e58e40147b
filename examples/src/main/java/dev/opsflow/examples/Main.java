package dev.opsflow.examples;

/**
 * The {@code opsflow} command. With no arguments it runs {@code init-cluster} against the embedded
 * Redis Enterprise simulator; {@code opsflow --help} lists the rest.
 */
public final class Main {
  private Main() {}

  /** Runs the command and exits with its status ({@code opsflow --help} lists them). */
  public static void main(String[] args) {
    int status;
    try (var cli = new Cli(System.out, System.err, System::getenv)) {
      cli.signals = Signals.install(System.err);
      cli.prompt = Inputs.SecretPrompt.console();
      String term = System.getenv("TERM");
      cli.terminal = System.console() != null && term != null && !term.equals("dumb");
      status = cli.run(args);
    }
    System.out.flush();
    System.exit(status);
  }
}
