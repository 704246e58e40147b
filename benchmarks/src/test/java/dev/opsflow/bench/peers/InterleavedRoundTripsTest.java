package dev.opsflow.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interleaved round trips step each system's serving JVM once per rotation, leave out a system
 * that does not start, and end every JVM they started. Real driver JVMs (the floor, which writes
 * into the test's directory, and Opsflow on its in-memory store); no figure is asserted.
 */
class InterleavedRoundTripsTest {
  @TempDir Path dir;

  private PeerComparison.Sut system(String name, String... main) {
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dopsflow.bench.dir=" + dir);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.addAll(Arrays.asList(main));
    return new PeerComparison.Sut(name, command);
  }

  private static long children() {
    return ProcessHandle.current().children().filter(ProcessHandle::isAlive).count();
  }

  @Test
  void everySystemDoesEveryTripAndEveryJvmEndsCleanly() throws Exception {
    long before = children();

    Map<String, Long[]> trips =
        InterleavedRoundTrips.run(
            List.of(
                system("floor", FloorDriver.class.getName()),
                system("opsflow memory", OpsflowDriver.class.getName(), "memory")),
            6);

    assertThat(trips).containsOnlyKeys("floor", "opsflow memory");
    assertThat(trips.values())
        .allSatisfy(t -> assertThat(t).hasSize(6).doesNotContainNull().allMatch(us -> us > 0));
    assertThat(children()).isEqualTo(before);
    // The floor's file is gone: its JVM quit through its tear-down, not by force.
    try (var left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void aSystemThatDoesNotStartIsLeftOutAndTheOthersRun() throws Exception {
    long before = children();

    Map<String, Long[]> trips =
        InterleavedRoundTrips.run(
            List.of(
                system("broken", "dev.opsflow.bench.peers.NoSuchDriver"),
                system("floor", FloorDriver.class.getName())),
            3);

    assertThat(trips).containsOnlyKeys("floor");
    assertThat(trips.get("floor")).doesNotContainNull();
    assertThat(children()).isEqualTo(before);
  }

  @Test
  void ratiosPairTripsByIndexWhereBothDidOne() {
    Long[] a = {300L, null, 500L, 800L};
    Long[] b = {100L, 200L, null, 400L};

    assertThat(InterleavedRoundTrips.ratios(a, b)).containsExactly(3.0, 2.0);
    assertThat(InterleavedRoundTrips.ratios(a, null)).isEmpty();
    assertThat(InterleavedRoundTrips.done(a)).containsExactly(300.0, 500.0, 800.0);
  }
}
