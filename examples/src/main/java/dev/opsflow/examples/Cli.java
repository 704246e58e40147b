package dev.opsflow.examples;

import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowRegistry;
import dev.opsflow.workflow.WorkflowResult;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The command line over the workflow registry.
 *
 * <pre>
 * opsflow                               run init-cluster on the embedded simulators
 * opsflow list                          the workflows and their parameters
 * opsflow run NAME [key=value ...]      run a workflow
 *     --json                            print only the result JSON (progress goes to stderr)
 *     --dry-run                         change nothing; say what each step would do
 *     --rollback                        undo completed steps when the run fails
 *     --key KEY                         idempotency key: a completed run with it is not repeated
 *     --target simulator|real           simulators (default) or the endpoints in the arguments
 * opsflow batch-commission servers=... [ipRange=... gateway=... maxParallel=N key=value ...]
 *                                       commission many servers (BatchCommissioning); --json,
 *                                       --dry-run, --rollback and --target as for run
 * </pre>
 *
 * <p>A value {@code @env:NAME} is read from the environment variable NAME, so passwords and API
 * keys never appear on the command line; the hardware workflows' secrets ({@code maasApiKey},
 * {@code bmcPassword}...) are refused in clear. Not thread-safe; one per invocation.
 */
final class Cli implements AutoCloseable {
  static final String DEFAULT_WORKFLOW = "init-cluster";

  private final PrintStream out;
  private final PrintStream err;
  private final Function<String, String> env;
  private final Supplier<Targets> simulators;
  private Targets targets;

  Cli(PrintStream out, PrintStream err, Function<String, String> env) {
    this(out, err, env, Targets::simulators);
  }

  /** A CLI whose simulator target comes from {@code simulators} (tests speed the hardware up). */
  Cli(
      PrintStream out,
      PrintStream err,
      Function<String, String> env,
      Supplier<Targets> simulators) {
    this.out = out;
    this.err = err;
    this.env = env;
    this.simulators = simulators;
  }

  /** A command's arguments: the workflow name, the options and the key=value pairs. */
  static final class Parsed {
    String name;
    boolean json;
    RunOptions options = RunOptions.defaults();
    final Map<String, String> values = new LinkedHashMap<>();

    /** The keys whose value was given in clear, not as {@code @env:NAME}. */
    final Set<String> clear = new HashSet<>();
  }

  int run(String... args) {
    List<String> rest = new ArrayList<>(List.of(args));
    String command = rest.isEmpty() ? "run" : rest.remove(0);
    try {
      return switch (command) {
        case "run" -> runWorkflow(rest);
        case "list" -> list(rest);
        case BatchCommand.NAME -> new BatchCommand(this, out, err).run(rest);
        case "help", "--help", "-h" -> help();
        default -> usage("unknown command '" + command + "'");
      };
    } catch (ValidationException e) {
      err.println("opsflow: " + e.getMessage());
      return 2;
    }
  }

  private int help() {
    out.println(
        """
        usage: opsflow [list | run NAME [key=value ...] [--json] [--dry-run] [--rollback]
                       [--key KEY] [--target simulator|real]]
               opsflow batch-commission servers=N|ID@BMC,... [ipRange=FIRST-LAST gateway=IP]
                       [netmask=MASK] [maxParallel=N] [maxFailedPercentage=P]
                       [continueOnError=true|false] [batchId=ID] [workflow=commission-server]
                       [key=value ...] [--json] [--dry-run] [--rollback] [--target simulator|real]
        With no arguments, runs init-cluster on the embedded Redis Enterprise simulator.
        The hardware workflows run on a simulated MAAS with Redfish BMCs; on the simulators,
        batch-commission servers=N commissions N new simulated machines.
        A value @env:NAME is read from the environment variable NAME (for secrets).
        --target real reads MAAS's URL and API key from maasUrl= and maasApiKey=@env:VAR, or from
        OPSFLOW_MAAS_URL and OPSFLOW_MAAS_API_KEY.""");
    return 0;
  }

  int usage(String problem) {
    err.println("opsflow: " + problem + " (try 'opsflow help')");
    return 2;
  }

  private int list(List<String> args) {
    WorkflowRegistry registry = targets(target(args)).registry();
    for (var w : registry.describe()) {
      out.println(w.name() + ": " + w.description());
      for (var p : w.parameters()) {
        out.println(
            "    "
                + p.name()
                + (p.required() ? " (required)" : "")
                + (p.secret() ? " (secret)" : "")
                + (p.defaultValue() != null ? " [default " + p.defaultValue() + "]" : "")
                + ": "
                + (p.description() == null ? "" : p.description() + "; ")
                + p.expects());
      }
    }
    return 0;
  }

  /**
   * Parses {@code args}: options, key=value pairs and, when {@code named}, a first bare word (the
   * workflow). Returns null after printing the usage problem.
   */
  Parsed parse(List<String> args, boolean named, Set<String> allowed) {
    var parsed = new Parsed();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.startsWith("--") && !allowed.contains(a)) {
        usage("unknown option '" + a + "'");
        return null;
      }
      switch (a) {
        case "--json" -> parsed.json = true;
        case "--dry-run" -> parsed.options = parsed.options.withDryRun(true);
        case "--rollback" -> parsed.options = parsed.options.withRollback(true);
        case "--key" ->
            parsed.options = parsed.options.withIdempotencyKey(value(args, ++i, "--key"));
        case "--target" -> i++;
        default -> {
          if (a.startsWith("--")) {
            usage("unknown option '" + a + "'");
            return null;
          }
          int eq = a.indexOf('=');
          if (eq > 0) {
            String key = a.substring(0, eq);
            String raw = a.substring(eq + 1);
            parsed.values.put(key, resolve(key, raw));
            if (raw.startsWith("@env:")) {
              parsed.clear.remove(key);
            } else {
              parsed.clear.add(key);
            }
          } else if (i == 0 && named) {
            parsed.name = a;
          } else {
            usage("argument '" + a + "' is not key=value");
            return null;
          }
        }
      }
    }
    return parsed;
  }

  private int runWorkflow(List<String> args) {
    String target = target(args);
    Parsed parsed =
        parse(args, true, Set.of("--json", "--dry-run", "--rollback", "--key", "--target"));
    if (parsed == null) {
      return 2;
    }
    String name = parsed.name == null ? DEFAULT_WORKFLOW : parsed.name;
    Targets t = targets(target);
    if (Targets.HARDWARE.contains(name)) {
      refuseSecretsInClear(t, name, parsed.clear);
    }
    Map<String, String> inputs = new LinkedHashMap<>(t.defaults(name, parsed.values));
    inputs.putAll(parsed.values);
    var progress = new ConsoleProgress(parsed.json ? err : out);
    try (var engine = WorkflowEngine.builder().listener(progress).build()) {
      WorkflowResult result = t.registry().run(engine, name, inputs, parsed.options);
      if (parsed.json) {
        out.println(result.toJson());
      } else {
        progress.summary(result);
      }
      return result.success() ? 0 : 1;
    }
  }

  /**
   * Refuses a secret input of {@code workflow} given in clear on the command line, where other
   * users see it (ps, shell history): it must come from the environment.
   */
  void refuseSecretsInClear(Targets t, String workflow, Set<String> clear) {
    var problems = new ArrayList<String>();
    for (var w : t.registry().describe()) {
      if (!w.name().equals(workflow)) {
        continue;
      }
      for (var p : w.parameters()) {
        if (p.secret() && clear.contains(p.name())) {
          problems.add(
              "input '"
                  + p.name()
                  + "' is a secret: give it as "
                  + p.name()
                  + "=@env:VARIABLE"
                  + (p.name().equals("maasApiKey")
                      ? " (or set " + Targets.MAAS_API_KEY_ENV + ")"
                      : "")
                  + ", never in clear on the command line");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ValidationException(problems);
    }
  }

  private String resolve(String key, String raw) {
    if (!raw.startsWith("@env:")) {
      return raw;
    }
    String var = raw.substring(5);
    String v = env.apply(var);
    if (v == null) {
      throw new ValidationException(
          "input '" + key + "': environment variable " + var + " is not set");
    }
    return v;
  }

  private static String value(List<String> args, int i, String option) {
    if (i >= args.size()) {
      throw new ValidationException(option + " needs a value");
    }
    return args.get(i);
  }

  static String target(List<String> args) {
    int i = args.indexOf("--target");
    if (i < 0) {
      return "simulator";
    }
    String t = value(args, i + 1, "--target");
    if (!t.equals("simulator") && !t.equals("real")) {
      throw new ValidationException("--target: '" + t + "' is not simulator or real");
    }
    return t;
  }

  Targets targets(String target) {
    if (targets == null) {
      targets = target.equals("real") ? Targets.real(env) : simulators.get();
    }
    return targets;
  }

  @Override
  public void close() {
    if (targets != null) {
      targets.close();
    }
  }
}
