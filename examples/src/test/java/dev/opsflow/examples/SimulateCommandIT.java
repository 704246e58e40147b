package dev.opsflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code opsflow simulate maas} in a child process: one JSON line on stdout when ready, a MAAS API
 * that answers an anonymous {@code version/} at the URL it names, and SIGTERM stops it.
 */
class SimulateCommandIT {
  @TempDir Path home;

  @Test
  void simulateServesOneSimulatorUntilSigtermAndPrintsOnlyItsReadyLine() throws Exception {
    var opsflow = OpsflowProcess.start(home, Map.of(), List.of("simulate", "maas", "--port", "0"));
    try {
      String line = readyLine(opsflow);
      JsonNode ready = Json.mapper().readTree(line);
      assertThat(ready.path("kind").asString()).isEqualTo("maas");
      String url = ready.path("url").asString();
      assertThat(url).startsWith("http://127.0.0.1:");

      HttpResponse<String> version =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url + "/api/2.0/version/"))
                      .timeout(Duration.ofSeconds(30))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(version.statusCode()).isEqualTo(200);
      assertThat(version.body()).contains("version");
    } finally {
      opsflow.process.destroy(); // SIGTERM
    }
    assertThat(opsflow.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(opsflow.out().strip().lines()).hasSize(1);
  }

  @Test
  void anUnknownSimulatorIsAUsageError() throws Exception {
    var opsflow = OpsflowProcess.start(home, Map.of(), List.of("simulate", "vmware"));

    assertThat(opsflow.exit()).isEqualTo(2);
    assertThat(opsflow.err()).contains("unknown simulator 'vmware'").contains("redis-enterprise");
  }

  /** The first line of stdout, once the child wrote it (60 s at most: a bound for a hang). */
  private static String readyLine(OpsflowProcess opsflow) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < end) {
      String out = Files.readString(opsflow.stdout);
      int nl = out.indexOf('\n');
      if (nl > 0) {
        return out.substring(0, nl);
      }
      assertThat(opsflow.process.isAlive())
          .as("simulate is running; stderr: %s", opsflow.err())
          .isTrue();
      Thread.sleep(50);
    }
    throw new AssertionError("no ready line within 60 s; stderr: " + opsflow.err());
  }
}
