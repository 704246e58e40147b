package dev.opsflow.workflow.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.StepOutcome;
import dev.opsflow.workflow.spi.RunQuery;
import dev.opsflow.workflow.spi.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two JVMs on one store directory: they share the expired runs without ever running one twice at
 * once, and an idempotency key started in both executes once.
 */
class FileStoreProcessesTest {
  private static final int RUNS = 40;
  @TempDir Path tmp;

  @Test
  void twoProcessesOnOneDirectoryRunEachRunAndEachKeyOnce() throws Exception {
    Path dir = tmp.resolve("store");
    Path markers = Files.createDirectories(tmp.resolve("markers"));
    Path effects = tmp.resolve("effects.txt");
    var store = FileExecutionStore.open(dir);
    Instant past = Instant.now().minusSeconds(600);
    for (int i = 0; i < RUNS; i++) {
      store.create(
          new RunRecord(
              "run-" + i,
              "recovered",
              1,
              FileStoreProcessesChild.STEPS,
              null,
              RunState.RUNNING,
              false,
              false,
              null,
              Map.of(),
              Map.of(),
              Map.of(),
              FileStoreProcessesChild.STEPS.stream().map(StepOutcome::pending).toList(),
              null,
              "crashed",
              past,
              past.plusMillis(i),
              past.plusMillis(i),
              0));
    }

    var children = new ArrayList<Process>();
    for (String owner : List.of("jvm-1", "jvm-2")) {
      children.add(
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-XX:TieredStopAtLevel=1",
                  "-cp",
                  System.getProperty("java.class.path"),
                  FileStoreProcessesChild.class.getName(),
                  dir.toString(),
                  effects.toString(),
                  markers.toString(),
                  owner)
              .redirectOutput(tmp.resolve(owner + ".out").toFile())
              .redirectError(tmp.resolve(owner + ".err").toFile())
              .start());
    }
    for (Process p : children) {
      try {
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("child finished in time").isTrue();
      } finally {
        p.destroyForcibly();
      }
      assertThat(p.exitValue()).as("child exit; stderr in %s", tmp).isZero();
    }

    List<String> lines = Files.readAllLines(effects);
    assertThat(lines).noneMatch(l -> l.startsWith("OVERLAP"));
    Map<String, Long> perRunStep =
        lines.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(perRunStep.values()).containsOnly(1L);
    int keyed = FileStoreProcessesChild.KEYS;
    assertThat(perRunStep).hasSize((RUNS + keyed) * FileStoreProcessesChild.STEPS.size());
    assertThat(store.query(RunQuery.all().withState(RunState.COMPLETED).withLimit(1000)))
        .hasSize(RUNS + keyed);
    assertThat(markers).isEmptyDirectory();
  }
}
