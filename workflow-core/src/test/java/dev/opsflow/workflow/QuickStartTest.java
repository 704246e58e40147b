package dev.opsflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's quick start is compiled and run here, so it cannot rot. */
class QuickStartTest {

  @Test
  void theReadmeQuickStartCompilesAndRuns(@TempDir Path dir) throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    var m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertThat(m.find()).as("README.md has a java quick start").isTrue();
    Path source = dir.resolve("QuickStart.java");
    Files.writeString(source, m.group(1));

    var compiler = ToolProvider.getSystemJavaCompiler();
    var errors = new ByteArrayOutputStream();
    int status =
        compiler.run(
            null,
            null,
            errors,
            "--release",
            "17",
            "-d",
            dir.toString(),
            "-cp",
            System.getProperty("java.class.path"),
            source.toString());
    assertThat(status).as(errors.toString(StandardCharsets.UTF_8)).isZero();

    var out = new ByteArrayOutputStream();
    PrintStream previous = System.out;
    try (var loader =
        new URLClassLoader(new java.net.URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      loader
          .loadClass("QuickStart")
          .getMethod("main", String[].class)
          .invoke(null, (Object) new String[0]);
    } finally {
      System.setOut(previous);
    }
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines.get(0)).isEqualTo("COMPLETED {address=db-01:22}");
    WorkflowResult result =
        WorkflowResult.fromJson(String.join("\n", lines.subList(1, lines.size())));
    assertThat(result.steps())
        .extracting(StepOutcome::name)
        .containsExactly("resolve", "register", "report");
  }
}
