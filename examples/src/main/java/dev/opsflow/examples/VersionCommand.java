package dev.opsflow.examples;

import java.util.LinkedHashMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code opsflow version}: the command's and the JVM's versions. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Show the version.")
final class VersionCommand implements Callable<Integer> {
  @ParentCommand OpsflowCommand root;
  @Mixin Options.OutputOptions output;

  /** The version the jar's manifest names (the build's), or "development". */
  static String version() {
    String v = VersionCommand.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }

  @Override
  public Integer call() {
    Cli cli = root.cli;
    var out = new Output(cli.out, cli.err, output.isJson());
    if (out.json) {
      var doc = new LinkedHashMap<String, Object>();
      doc.put("version", version());
      doc.put("java", System.getProperty("java.version"));
      out.printJson(doc);
    } else {
      out.out.println(
          "opsflow " + version() + " (Java " + System.getProperty("java.version") + ")");
    }
    return 0;
  }

  /** For {@code opsflow --version}. */
  static final class Provider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"opsflow " + version()};
    }
  }
}
