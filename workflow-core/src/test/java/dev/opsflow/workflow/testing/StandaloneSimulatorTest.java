package dev.opsflow.workflow.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandaloneSimulatorTest {

  @Test
  void parsesTheCommonOptionsAndTheSimulatorsOwn(@TempDir Path dir) {
    var options =
        StandaloneSimulator.parse(
            new String[] {
              "--port",
              "8443",
              "--state=" + dir,
              "--mockup",
              dir.toString(),
              "--faults",
              "fail-next=2:503, stick-updates"
            },
            Set.of("mockup"));

    assertThat(options.port()).isEqualTo(8443);
    assertThat(options.stateDirectory()).contains(dir);
    assertThat(options.mockup()).contains(dir);
    assertThat(options.faults())
        .containsExactly(
            new StandaloneSimulator.Fault("fail-next", "2:503"),
            new StandaloneSimulator.Fault("stick-updates", null));
  }

  @Test
  void badOptionsNameTheOptionTheValueAndWhatIsExpected(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("f"), "x");
    assertThatThrownBy(() -> StandaloneSimulator.parse(new String[] {"--port", "70000"}, Set.of()))
        .hasMessage("--port 70000: expected 0 to 65535");
    assertThatThrownBy(() -> StandaloneSimulator.parse(new String[] {"--colour", "red"}, Set.of()))
        .hasMessageContaining("unknown argument --colour");
    assertThatThrownBy(
            () -> StandaloneSimulator.parse(new String[] {"--state", file.toString()}, Set.of()))
        .hasMessageContaining("expected a directory");
    assertThatThrownBy(() -> StandaloneSimulator.parse(new String[] {"--port"}, Set.of()))
        .hasMessage("--port needs a value");
    assertThatThrownBy(() -> new StandaloneSimulator.Fault("fail-next count", "x").intValue(1, 10))
        .hasMessage("--faults fail-next count=x: expected an integer from 1 to 10");
  }

  @Test
  void theReadyLineIsOneJsonObjectWithTheKindFirst() {
    var ready = new LinkedHashMap<String, Object>();
    ready.put("url", "http://127.0.0.1:1/MAAS");
    ready.put("apiKey", "a:b:c");
    String line = StandaloneSimulator.readyLine("maas", ready);

    assertThat(line).doesNotContain("\n").startsWith("{\"kind\":\"maas\"");
    assertThat(Json.mapper().readValue(line, Map.class))
        .containsEntry("url", "http://127.0.0.1:1/MAAS")
        .containsEntry("apiKey", "a:b:c");
  }

  @Test
  void theStateFileIsReplacedWholeAndReadBack(@TempDir Path dir) throws Exception {
    var file = SimulatorStateFile.in(dir.resolve("state"), "maas");
    assertThat(file.read()).isEmpty();

    file.write(Map.of("machines", 2));
    file.write(Map.of("machines", 3));

    assertThat(
            SimulatorStateFile.in(dir.resolve("state"), "maas")
                .read()
                .orElseThrow()
                .path("machines")
                .asInt())
        .isEqualTo(3);
    try (var files = Files.list(dir.resolve("state"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("maas.json");
    }
  }

  @Test
  void aStateFileThatIsNotJsonIsReportedNotOverwritten(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("maas.json"), "{not json");

    assertThatThrownBy(() -> SimulatorStateFile.in(dir, "maas").read())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not valid JSON");
    assertThat(Files.readString(dir.resolve("maas.json"))).isEqualTo("{not json");
  }
}
