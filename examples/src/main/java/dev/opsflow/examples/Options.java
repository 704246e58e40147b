package dev.opsflow.examples;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The options several commands share, as picocli mixins. */
final class Options {
  private Options() {}

  /** {@code --output json|human} and its alias {@code --json}. */
  static final class OutputOptions {
    @Option(
        names = {"--output", "-o"},
        paramLabel = "FORMAT",
        description = "json (only JSON on stdout; progress and logs on stderr) or human (default)")
    String output;

    @Option(names = "--json", description = "Same as --output json.")
    boolean json;

    boolean isJson() {
      if (output == null) {
        return json;
      }
      if (!output.equals("json") && !output.equals("human")) {
        throw CliException.usage("--output: '" + Inputs.shown(output) + "' is not json or human");
      }
      return json || output.equals("json");
    }
  }

  /** Where runs are kept. */
  static final class StoreOptions {
    @Option(
        names = "--store",
        paramLabel = "DIR",
        description =
            "Where runs are kept: a directory (default $OPSFLOW_STORE, else"
                + " $XDG_STATE_HOME/opsflow, else ~/.local/state/opsflow), or 'memory' for this"
                + " process only.")
    String store;

    @Option(
        names = "--lease",
        paramLabel = "DURATION",
        description =
            "How long a run stays held by this process without a heartbeat (default 10s): another"
                + " opsflow takes over a run of a process that died after it; a cancel from"
                + " another shell is seen within a sixth of it.")
    String lease;

    Duration lease() {
      return lease == null ? Duration.ofSeconds(10) : Durations.parse("--lease", lease);
    }
  }

  /** What the workflows act on. */
  static final class TargetOptions {
    @Option(
        names = "--target",
        paramLabel = "TARGET",
        description = "simulator (the embedded simulators, default) or real (the endpoints given)")
    String target;

    @Option(
        names = "--profile",
        paramLabel = "NAME",
        description =
            "A profile of the config file (targets and defaults); with --target real and no"
                + " --profile, the file's default profile. Implies --target real.")
    String profile;

    /**
     * The profile: the one named, else on {@code --target real} the file's default, else none (the
     * simulators need none, so a default profile never turns a plain {@code opsflow} real).
     */
    Profiles.Profile profile(Profiles profiles) {
      if (profile != null) {
        return profiles.choose(profile);
      }
      return "real".equals(target) ? profiles.choose(null) : null;
    }

    /** The target: the option, else real with a profile, else simulator. */
    String target(Profiles.Profile chosen) {
      String t = target != null ? target : chosen != null ? "real" : "simulator";
      if (!t.equals("simulator") && !t.equals("real")) {
        throw CliException.usage("--target: '" + Inputs.shown(t) + "' is not simulator or real");
      }
      return t;
    }
  }
}
