package dev.opsflow.workflow.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM that opens a file store and runs a plain workflow (strings, numbers, no result error)
 * reaches the first step without loading Jackson: the run's first frames are written by hand
 * ({@link PlainFrames}). Jackson's classes are most of what the file store used to add to a JVM's
 * start-up (docs/performance.md). Counted from a child JVM's class-loading log, never timed.
 */
class FirstStepClassesTest {
  @TempDir Path tmp;

  @Test
  void noJacksonClassIsLoadedBeforeTheFirstStepOfAPlainRun() throws Exception {
    Path log = tmp.resolve("classes.log");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto",
                "-Xlog:class+load=info:file=" + log,
                "-cp",
                System.getProperty("java.class.path"),
                FirstStepChild.class.getName(),
                tmp.resolve("store").toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as(out).isZero();
    assertThat(out).contains("COMPLETED");

    List<String> lines = Files.readAllLines(log);
    int first = -1;
    for (int i = 0; i < lines.size() && first < 0; i++) {
      if (lines.get(i).contains(FirstStepChild.AtFirstStep.class.getName() + " ")) {
        first = i;
      }
    }
    assertThat(first).as("the first step's marker class in the log").isPositive();
    List<String> before = lines.subList(0, first);
    // The store's own classes did load (the test would pass vacuously otherwise).
    assertThat(before).anyMatch(l -> l.contains(PlainFrames.class.getName() + " "));
    assertThat(before).noneMatch(l -> l.contains(" tools.jackson.core.JsonGenerator "));
    assertThat(before).noneMatch(l -> l.contains(" tools.jackson.core.json.JsonFactory "));
    assertThat(before).noneMatch(l -> l.contains(" tools.jackson.databind."));
  }
}
