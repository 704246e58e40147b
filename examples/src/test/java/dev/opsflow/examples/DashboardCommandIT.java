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
 * {@code opsflow dashboard} in a child process serves the dashboard over the CLI's store: the API
 * lists the CLI's workflows and the run an earlier {@code opsflow} left in that store.
 */
class DashboardCommandIT {
  @TempDir Path home;

  @Test
  void theDashboardShowsTheWorkflowsAndTheRunsOfTheCliStore() throws Exception {
    Path store = home.resolve("runs");
    var run =
        OpsflowProcess.start(
            home,
            Map.of(),
            List.of("run", "init-cluster", "--store", store.toString(), "--output", "json"));
    assertThat(run.exit()).as(run.err()).isZero();
    String runId = Json.mapper().readTree(run.out()).path("runId").asString();

    var dashboard =
        OpsflowProcess.start(
            home,
            Map.of(DashboardCommand.TOKEN_ENV, "a-token-of-the-operator-0123456789"),
            List.of("dashboard", "--store", store.toString(), "--port", "0", "--output", "json"));
    try {
      JsonNode ready = Json.mapper().readTree(firstLine(dashboard));
      String url = ready.path("url").asString();
      assertThat(url).startsWith("http://127.0.0.1:");
      assertThat(ready.has("signInUrl")).as("a token the operator gave is never printed").isFalse();

      assertThat(get(url + "api/workflows")).contains("\"init-cluster\"");
      assertThat(get(url + "api/runs")).contains(runId);
      assertThat(get(url + "api/runs/" + runId + "/status")).contains("\"state\":\"COMPLETED\"");
    } finally {
      dashboard.process.destroy(); // SIGTERM
    }
    assertThat(dashboard.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(dashboard.out() + dashboard.err()).doesNotContain("a-token-of-the-operator");
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> answer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(url + ": " + answer.body()).isEqualTo(200);
    return answer.body();
  }

  /** The first line of stdout, once the child wrote it (60 s at most: a bound for a hang). */
  private static String firstLine(OpsflowProcess opsflow) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < end) {
      String out = Files.readString(opsflow.stdout);
      int nl = out.indexOf('\n');
      if (nl > 0 && out.strip().endsWith("}")) {
        return out.strip();
      }
      assertThat(opsflow.process.isAlive())
          .as("dashboard is running; stderr: %s", opsflow.err())
          .isTrue();
      Thread.sleep(50);
    }
    throw new AssertionError("nothing on stdout within 60 s; stderr: " + opsflow.err());
  }
}
