package dev.opsflow.examples;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * Where the command keeps runs and looks for its config, after the XDG base directories: runs in
 * {@code --store DIR}, else {@code $OPSFLOW_STORE}, else {@code $XDG_STATE_HOME/opsflow}, else
 * {@code ~/.local/state/opsflow}; the config in {@code $XDG_CONFIG_HOME/opsflow/config.yaml}, else
 * {@code ~/.config/opsflow/config.yaml}.
 */
final class StateDirs {
  /** {@code --store memory}: runs kept in this process only. */
  static final String MEMORY = "memory";

  static final String STORE_ENV = "OPSFLOW_STORE";

  private StateDirs() {}

  /** The store directory, or null for {@value #MEMORY}. */
  static Path store(String option, Function<String, String> env) {
    String chosen = option != null ? option : env.apply(STORE_ENV);
    if (chosen != null && chosen.isBlank()) {
      throw CliException.usage("--store: the directory is blank (give a directory, or memory)");
    }
    if (MEMORY.equals(chosen)) {
      return null;
    }
    if (chosen != null) {
      return Path.of(chosen);
    }
    return base(env, "XDG_STATE_HOME", ".local/state").resolve("opsflow");
  }

  /** Where the embedded simulators would keep their state: beside the runs. */
  static Path simulators(Path store) {
    return store.resolve("simulators");
  }

  static Path config(Function<String, String> env) {
    return base(env, "XDG_CONFIG_HOME", ".config").resolve("opsflow").resolve("config.yaml");
  }

  private static Path base(Function<String, String> env, String xdg, String underHome) {
    String dir = env.apply(xdg);
    if (dir != null && !dir.isBlank() && Path.of(dir).isAbsolute()) {
      return Path.of(dir);
    }
    String home = env.apply("HOME");
    if (home == null || home.isBlank()) {
      home = System.getProperty("user.home");
    }
    return Path.of(home).resolve(underHome);
  }
}
