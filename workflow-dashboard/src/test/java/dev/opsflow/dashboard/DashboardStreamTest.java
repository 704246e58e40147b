package dev.opsflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The live streams (Server-Sent Events) of a run, a batch and the active runs. */
class DashboardStreamTest {
  @TempDir Path dir;
  Fixture f;

  @BeforeEach
  void start() {
    f = new Fixture(dir);
  }

  @AfterEach
  void stop() {
    f.close();
  }

  /** Reads a stream's events; each {@code update}'s JSON goes to {@code onUpdate}. */
  private BufferedReader open(String path) throws Exception {
    HttpResponse<java.io.InputStream> r =
        f.http.send(
            HttpRequest.newBuilder(f.uri(path)).timeout(Duration.ofSeconds(60)).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
    return new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
  }

  /** The next {@code update}'s data, or null after {@code done}. */
  private static JsonNode next(BufferedReader in) throws Exception {
    String event = null;
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.startsWith("event: ")) {
        event = line.substring(7);
      } else if (line.startsWith("data: ")) {
        if ("done".equals(event)) {
          return null;
        }
        return Json.mapper().readTree(line.substring(6));
      }
    }
    throw new AssertionError("the stream ended without 'done'");
  }

  @Test
  void aRunsStreamSendsEachSubTaskAsItChangesThenDone() throws Exception {
    String id = f.start("s-1");
    f.untilSubTask(id, "Exporting");
    try (BufferedReader in = open("/api/runs/" + id + "/stream")) {
      assertThat(next(in).at("/status/currentSubTask").stringValue())
          .isEqualTo("Exporting BIOS config of s-1");

      f.gates.open("s-1", 1);
      JsonNode update = next(in);
      while (update.at("/status/currentSubTask").stringValue().startsWith("Exporting")) {
        update = next(in);
      }
      assertThat(update.at("/status/currentSubTask").stringValue())
          .isEqualTo("Applying BMC settings of s-1");

      f.gates.open("s-1", 2);
      List<String> states = new ArrayList<>();
      JsonNode last = null;
      for (JsonNode u = next(in); u != null; u = next(in)) {
        states.add(u.at("/run/state").stringValue());
        last = u;
      }
      assertThat(states).last().isEqualTo("COMPLETED");
      JsonNode events = last.get("events");
      assertThat(events.get(events.size() - 1).get("type").stringValue()).isEqualTo("run-finished");
      assertThat(last.at("/status/state").stringValue()).isEqualTo("COMPLETED");
    }
  }

  @Test
  void theActiveStreamShowsARunStartingAndEnding() throws Exception {
    try (BufferedReader in = open("/api/active/stream")) {
      assertThat(next(in).get("runs").size()).isZero();
      String id = f.start("s-2");
      JsonNode u = next(in);
      while (u.get("runs").isEmpty()) {
        u = next(in);
      }
      assertThat(u.at("/runs/0/runId").stringValue()).isEqualTo(id);
      f.gates.open("s-2", 1);
      f.gates.open("s-2", 2);
      while (!u.get("runs").isEmpty()) {
        u = next(in);
      }
    }
  }

  @Test
  void aBatchStreamEndsWithTheFinalCounts() throws Exception {
    f.post(
        "/api/batches",
        "{\"workflow\": \"provision-server\", \"batchId\": \"b-1\", \"servers\": [\"p\", \"q\"],"
            + " \"serverInput\": \"server\"}");
    try (BufferedReader in = open("/api/batches/b-1/stream")) {
      assertThat(next(in).at("/batch/counts/total").intValue()).isEqualTo(2);
      for (String s : List.of("p", "q")) {
        f.gates.open(s, 1);
        f.gates.open(s, 2);
      }
      JsonNode last = null;
      for (JsonNode u = next(in); u != null; u = next(in)) {
        last = u;
      }
      assertThat(last.at("/batch/counts/succeeded").intValue()).isEqualTo(2);
    }
  }
}
