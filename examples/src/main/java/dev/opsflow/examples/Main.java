package dev.opsflow.examples;

/**
 * The {@code opsflow} command. With no arguments it runs {@code init-cluster} against the embedded
 * Redis Enterprise simulator; {@code opsflow help} lists the rest.
 */
public final class Main {
  private Main() {}

  /** Runs the command and exits with its status: 0 success, 1 the run failed, 2 bad usage. */
  public static void main(String[] args) {
    int status;
    try (var cli = new Cli(System.out, System.err, System::getenv)) {
      status = cli.run(args);
    }
    System.exit(status);
  }
}
