package dev.opsflow.examples;

import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.event.WorkflowListener;
import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.SecretResolver;
import dev.opsflow.workflow.spi.StoreException;
import dev.opsflow.workflow.store.FileExecutionStore;
import dev.opsflow.workflow.store.InMemoryExecutionStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * One invocation of the {@code opsflow} command: its streams, environment, targets, store and
 * engine, shared by the picocli commands ({@link OpsflowCommand} and its subcommands). {@link #run}
 * parses and executes a command line and returns its exit status ({@link ExitCodes}).
 *
 * <p>A value {@code @env:NAME} is read from the environment variable NAME, {@code @file:PATH} from
 * a file, {@code @prompt} from the terminal, so secrets never appear on the command line; every
 * workflow's secret inputs are refused in clear. Not thread-safe; one per invocation.
 */
final class Cli implements AutoCloseable {
  static final String DEFAULT_WORKFLOW = "init-cluster";

  final PrintStream out;
  final PrintStream err;
  final Function<String, String> env;
  private final Function<SimulatorWorld, Targets> simulators;
  private Targets targets;

  /** Where the embedded simulators keep their state for this command, or null: nowhere. */
  private Path worldDir;

  private SimulatorWorld world;
  private ExecutionStore store;
  private WorkflowEngine engine;

  /** Who asks for secrets the command line did not give (tests: no one). */
  Inputs.SecretPrompt prompt = input -> null;

  /** Whether a person watches on a terminal: then progress is a bar redrawn in place. */
  boolean terminal;

  /** What the first SIGINT/SIGTERM does: cancel the run being supervised. Set by Main. */
  Signals signals = Signals.none();

  Cli(PrintStream out, PrintStream err, Function<String, String> env) {
    this(out, err, env, world -> Targets.simulators(world));
  }

  /**
   * A CLI whose simulator target comes from {@code simulators}, given the world to keep their state
   * in or null (tests speed the hardware up).
   */
  Cli(
      PrintStream out,
      PrintStream err,
      Function<String, String> env,
      Function<SimulatorWorld, Targets> simulators) {
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

  /** Parses and executes {@code args}; returns the exit status. */
  int run(String... args) {
    return OpsflowCommand.commandLine(this).execute(args);
  }

  int usage(String problem) {
    err.println("opsflow: " + problem + " (try 'opsflow --help')");
    return 2;
  }

  /** The profiles of the user's config file. */
  Profiles profiles() {
    return Profiles.load(env);
  }

  /**
   * The store of {@code options}: a directory (created if needed), or memory.
   *
   * @throws CliException (configuration) when the directory cannot be used
   */
  ExecutionStore store(Options.StoreOptions options) {
    if (store == null) {
      Path dir = StateDirs.store(options.store, env);
      if (dir == null) {
        store = new InMemoryExecutionStore();
      } else {
        try {
          store = FileExecutionStore.open(dir);
        } catch (StoreException e) {
          throw new CliException(ExitCodes.CONFIGURATION, e.getMessage(), "give --store DIR");
        }
      }
    }
    return store;
  }

  /**
   * The engine on {@code options}' store, with {@code listener} and {@code secrets} for resumed
   * runs. One per invocation.
   */
  WorkflowEngine engine(
      Options.StoreOptions options, WorkflowListener listener, SecretResolver secrets) {
    if (engine == null) {
      var b =
          WorkflowEngine.builder()
              .store(store(options))
              .lease(options.lease())
              .ownerId(ownerId())
              .secretResolver(secrets);
      if (listener != null) {
        b.listener(listener);
      }
      engine = b.build();
    }
    return engine;
  }

  /** {@code opsflow@HOST:PID}: who holds a run, for a person reading the store. */
  private static String ownerId() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "localhost";
    }
    return "opsflow@" + host + ":" + ProcessHandle.current().pid() + ":" + UUID.randomUUID();
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

  /**
   * The targets, on real endpoints with {@code profile}'s Redis Cloud account (its {@code
   * redisCloud*} keys) when it has one.
   */
  Targets targets(String target, Profiles.Profile profile) {
    if (targets == null && target.equals("real") && profile != null) {
      Function<String, String> overlay =
          name -> {
            for (var e : Profiles.CLOUD_KEYS.entrySet()) {
              String ref = profile.values().get(e.getKey());
              if (e.getValue().equals(name) && ref != null) {
                return Inputs.dereference(e.getKey(), ref, env, prompt);
              }
            }
            return env.apply(name);
          };
      targets = Targets.real(overlay);
    }
    return targets(target);
  }

  Targets targets(String target) {
    if (targets == null) {
      targets = target.equals("real") ? Targets.real(env) : simulators(claimWorld());
    }
    return targets;
  }

  /**
   * The embedded simulators of this command keep their state beside the store of {@code options}
   * (not with {@code --store memory}), so that a run continued by another process meets the same
   * world: what {@code run}, {@code resume} and {@code batch-commission} ask before their targets.
   */
  void simulatorsBeside(Options.StoreOptions options) {
    Path dir = StateDirs.store(options.store, env);
    worldDir = dir == null ? null : StateDirs.simulators(dir);
  }

  /** The embedded simulators in {@code kept} (or none); a state they cannot read is exit 3. */
  private Targets simulators(SimulatorWorld kept) {
    try {
      return simulators.apply(kept);
    } catch (IllegalStateException | java.io.UncheckedIOException e) {
      if (kept == null) {
        throw e;
      }
      kept.close();
      world = null;
      throw new CliException(
          ExitCodes.CONFIGURATION,
          "the embedded simulators cannot start from their state in "
              + kept.directory()
              + ": "
              + e.getMessage(),
          "remove " + kept.directory() + " (when no opsflow runs) to start a new simulated world",
          "or give --store memory");
    }
  }

  private SimulatorWorld claimWorld() {
    if (worldDir == null) {
      return null;
    }
    world = SimulatorWorld.claim(worldDir).orElse(null);
    if (world == null) {
      err.println(
          "opsflow: the embedded simulators of "
              + worldDir
              + " are in use by another opsflow process; this one starts simulators of its own,"
              + " which keep nothing when it ends");
    }
    return world;
  }

  @Override
  public void close() {
    if (engine != null) {
      engine.close();
    }
    // After the engine (it does not close the store it was given): the store's last journal
    // segment is checkpointed into the run files, so the next opsflow process has nothing to
    // finish.
    if (store instanceof FileExecutionStore files) {
      files.close();
    }
    if (targets != null) {
      targets.close();
    }
    if (world != null) {
      world.close();
    }
  }
}
