package dev.opsflow.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A host project outside the reactor, as a new user writes it, builds against the modules just
 * built: it imports {@code workflow-bom}, depends on the core, both integrations and the test kit,
 * and its test runs a workflow with metrics and traces and reads them back.
 *
 * <p>The modules' jars and poms are copied into a private local repository under {@code target/}
 * (never {@code ~/.m2}); every other artifact comes from {@code ~/.m2/repository}, declared as a
 * file repository in a private settings file (it keeps no checksums, so none are checked), or from
 * Maven Central when it is not there. Needs the jars, so it runs under {@code mvn verify} (it skips
 * itself, saying so, under {@code mvn test}).
 */
class HostProjectTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final List<String> MODULES =
      List.of("workflow-core", "workflow-micrometer", "workflow-opentelemetry", "workflow-test");

  @Test
  void aHostProjectUsingTheBomRunsAWorkflowWithMetricsAndTraces() throws Exception {
    String version = property("opsflow.version");
    for (String module : MODULES) {
      assumeTrue(
          Files.exists(jar(module, version)),
          "the modules' jars are not built (" + jar(module, version) + "): run mvn verify");
    }
    Path target = Path.of("target").toAbsolutePath();
    Path repo = fresh(target.resolve("host-repo"));
    Path host = fresh(target.resolve("host-project"));
    install(repo, "opsflow-parent", version, ROOT.resolve("pom.xml"), null);
    install(repo, "workflow-bom", version, ROOT.resolve("workflow-bom/pom.xml"), null);
    for (String module : MODULES) {
      install(repo, module, version, ROOT.resolve(module).resolve("pom.xml"), jar(module, version));
    }
    copyTree(Path.of("src/test/resources/host-project"), host);
    Path settings = target.resolve("host-settings.xml");
    Files.writeString(settings, settings(repo));

    Path log = target.resolve("host-project.log");
    var command = new ArrayList<>(List.of("mvn", "-B", "-s", settings.toString()));
    command.add("-Dmaven.repo.local=" + repo);
    for (String p :
        List.of(
            "opsflow.version",
            "junit.version",
            "opentelemetry.version",
            "compiler.plugin.version",
            "surefire.plugin.version")) {
      command.add("-D" + p + "=" + property(p));
    }
    command.add("test");
    var builder = new ProcessBuilder(command).directory(host.toFile());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process mvn = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    // A bound for a hang only: the build takes well under a minute.
    boolean ended = mvn.waitFor(5, TimeUnit.MINUTES);
    if (!ended) {
      mvn.destroyForcibly();
    }

    assertThat(ended).as("the host build ended").isTrue();
    assertThat(mvn.exitValue()).as("the host build's exit status; see " + log).isZero();
    String report =
        Files.readString(
            host.resolve("target/surefire-reports/TEST-com.example.host.ProvisionTest.xml"));
    assertThat(report).contains("tests=\"1\"").contains("failures=\"0\"").contains("errors=\"0\"");
    assertThat(repo.resolve("dev/opsflow/workflow-redis-enterprise"))
        .as("the kit's adapters are optional: a host that does not use them does not get them")
        .doesNotExist();
  }

  @Test
  void everyPublishedJarNamesItsModuleAndHasSourcesAndJavadocBesideIt() throws Exception {
    String version = property("opsflow.version");
    // The modules this one depends on, so the reactor has packaged them before its tests run.
    var names =
        Map.of(
            "workflow-core", "dev.opsflow.workflow",
            "workflow-redis-enterprise", "dev.opsflow.redis.enterprise",
            "workflow-redis-cloud", "dev.opsflow.redis.cloud",
            "workflow-hardware", "dev.opsflow.hardware",
            "workflow-micrometer", "dev.opsflow.workflow.micrometer",
            "workflow-opentelemetry", "dev.opsflow.workflow.opentelemetry",
            "workflow-test", "dev.opsflow.workflow.test");
    for (var module : names.entrySet()) {
      Path jar = jar(module.getKey(), version);
      assumeTrue(
          Files.exists(jar), "the modules' jars are not built (" + jar + "): run mvn verify");
      try (var file = new JarFile(jar.toFile())) {
        assertThat(file.getManifest().getMainAttributes().getValue("Automatic-Module-Name"))
            .as(jar.toString())
            .isEqualTo(module.getValue());
      }
      for (String classifier : List.of("sources", "javadoc")) {
        assertThat(jar.resolveSibling(module.getKey() + "-" + version + "-" + classifier + ".jar"))
            .exists();
      }
    }
    try (var javadoc =
        new JarFile(
            jar("workflow-core", version)
                .resolveSibling("workflow-core-" + version + "-javadoc.jar")
                .toFile())) {
      assertThat(javadoc.stream().map(e -> e.getName()))
          .contains("dev/opsflow/workflow/WorkflowEngine.html")
          .noneMatch(name -> name.contains("/internal/"));
    }
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    assertThat(value).as("system property " + name + " (set by the examples pom)").isNotBlank();
    return value;
  }

  private static Path jar(String module, String version) {
    return ROOT.resolve(module).resolve("target").resolve(module + "-" + version + ".jar");
  }

  /** Lays an artifact out as {@code mvn install} would (a pom, and a jar unless it is a pom). */
  private static void install(Path repo, String artifact, String version, Path pom, Path jar)
      throws IOException {
    Path dir = repo.resolve("dev/opsflow").resolve(artifact).resolve(version);
    Files.createDirectories(dir);
    Files.copy(pom, dir.resolve(artifact + "-" + version + ".pom"));
    if (jar != null) {
      Files.copy(jar, dir.resolve(artifact + "-" + version + ".jar"));
    }
  }

  private static String settings(Path repo) {
    String m2 = Path.of(System.getProperty("user.home"), ".m2", "repository").toUri().toString();
    return """
        <settings>
          <localRepository>%s</localRepository>
          <profiles>
            <profile>
              <id>user-repository</id>
              <repositories>
                <repository>
                  <id>user-m2</id>
                  <url>%s</url>
                  <releases><checksumPolicy>ignore</checksumPolicy></releases>
                  <snapshots><enabled>false</enabled></snapshots>
                </repository>
              </repositories>
              <pluginRepositories>
                <pluginRepository>
                  <id>user-m2</id>
                  <url>%s</url>
                  <releases><checksumPolicy>ignore</checksumPolicy></releases>
                  <snapshots><enabled>false</enabled></snapshots>
                </pluginRepository>
              </pluginRepositories>
            </profile>
          </profiles>
          <activeProfiles>
            <activeProfile>user-repository</activeProfile>
          </activeProfiles>
        </settings>
        """
        .formatted(repo, m2, m2);
  }

  private static Path fresh(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    return Files.createDirectories(dir);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path dest = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
