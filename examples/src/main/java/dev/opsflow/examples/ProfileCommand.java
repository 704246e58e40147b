package dev.opsflow.examples;

import java.util.LinkedHashMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code opsflow profile list|show NAME}: the config file's profiles, secrets masked. */
@Command(
    name = "profile",
    mixinStandardHelpOptions = true,
    description = "The profiles of the config file ($XDG_CONFIG_HOME/opsflow/config.yaml).",
    subcommands = {ProfileCommand.ListProfiles.class, ProfileCommand.Show.class})
final class ProfileCommand {
  @ParentCommand OpsflowCommand root;

  /** {@code opsflow profile list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the profiles.")
  static final class ListProfiles implements Callable<Integer> {
    @ParentCommand ProfileCommand parent;
    @Mixin Options.OutputOptions output;

    @Override
    public Integer call() {
      Cli cli = parent.root.cli;
      var out = new Output(cli.out, cli.err, output.isJson());
      Profiles profiles = cli.profiles();
      if (out.json) {
        var doc = new LinkedHashMap<String, Object>();
        doc.put("file", profiles.file().toString());
        doc.put("default", profiles.defaultName());
        doc.put("profiles", profiles.all().keySet());
        out.printJson(doc);
      } else if (profiles.all().isEmpty()) {
        out.out.println("no profiles (" + profiles.file() + ")");
      } else {
        for (String name : profiles.all().keySet()) {
          out.out.println(name + (name.equals(profiles.defaultName()) ? " (default)" : ""));
        }
      }
      return 0;
    }
  }

  /** {@code opsflow profile show NAME}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show a profile, secrets masked.")
  static final class Show implements Callable<Integer> {
    @ParentCommand ProfileCommand parent;
    @Mixin Options.OutputOptions output;

    @Parameters(paramLabel = "NAME", description = "The profile.")
    String name;

    @Override
    public Integer call() {
      Cli cli = parent.root.cli;
      var out = new Output(cli.out, cli.err, output.isJson());
      Profiles.Profile p = cli.profiles().choose(name);
      if (out.json) {
        var doc = new LinkedHashMap<String, Object>();
        doc.put("name", p.name());
        doc.put("values", p.masked());
        out.printJson(doc);
      } else {
        out.out.println(p.name() + ":");
        p.masked().forEach((k, v) -> out.out.println("  " + k + ": " + v));
      }
      return 0;
    }
  }
}
