package dev.opsflow.examples;

import dev.opsflow.dashboard.Dashboard;
import dev.opsflow.dashboard.DashboardServer;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.spi.SecretResolver;
import java.util.LinkedHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code opsflow dashboard [--store DIR] [--port N]}: the web dashboard over the CLI's store, so an
 * operator sees every {@code opsflow} process's runs live, and starts, cancels and resumes them
 * from a browser, until SIGINT or SIGTERM. It listens on 127.0.0.1. Changing requests need a token:
 * {@code $OPSFLOW_DASHBOARD_TOKEN} when set (then never printed), else a random one, printed once
 * on stdout inside the sign-in URL (as a notebook server does), never logged.
 */
@Command(
    name = "dashboard",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the web dashboard over the store's runs on 127.0.0.1 until SIGINT/SIGTERM.",
      "Prints where it listens on stdout (JSON with --output json); the sign-in URL carries the"
          + " token unless $OPSFLOW_DASHBOARD_TOKEN gives it."
    })
final class DashboardCommand implements Callable<Integer> {
  /** Where the operator's own token comes from, when they give one. */
  static final String TOKEN_ENV = "OPSFLOW_DASHBOARD_TOKEN";

  @ParentCommand OpsflowCommand root;
  @Mixin Options.OutputOptions output;
  @Mixin Options.StoreOptions store;

  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "8000",
      description = "The port (default 8000; 0 picks a free one).")
  int port;

  @Override
  public Integer call() throws InterruptedException {
    Cli cli = root.cli;
    if (port < 0 || port > 65535) {
      throw new CliException(
          ExitCodes.USAGE, "--port " + port + ": expected a port from 0 to 65535");
    }
    var out = new Output(cli.out, cli.err, output.isJson());
    var registry = cli.targets("simulator").registry();
    WorkflowEngine engine = cli.engine(store, null, SecretResolver.none());
    var builder = Dashboard.builder(engine, registry).port(port);
    String given = cli.env.apply(TOKEN_ENV);
    if (given != null && !given.isBlank()) {
      builder.token(given);
    }
    try (DashboardServer dashboard = builder.start()) {
      boolean showToken = given == null || given.isBlank();
      if (out.json) {
        var doc = new LinkedHashMap<String, Object>();
        doc.put("url", dashboard.url().toString());
        if (showToken) {
          doc.put("signInUrl", dashboard.signInUrl().toString());
        }
        out.printJson(doc);
      } else {
        out.out.println("Dashboard: " + dashboard.url());
        if (showToken) {
          out.out.println(
              "Sign in (starting, cancelling and resuming runs): " + dashboard.signInUrl());
        }
      }
      out.out.flush();
      cli.err.println("opsflow dashboard: serving; stop it with Ctrl-C or SIGTERM");
      new CountDownLatch(1).await(); // until a signal ends the process
    }
    return ExitCodes.SUCCESS.code;
  }
}
