package dev.opsflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.RunState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The API's batch and history routes, and each of their errors, without a browser. */
class DashboardBatchAndHistoryApiTest {
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

  private void finish(String... servers) {
    for (String s : servers) {
      f.gates.open(s, 1);
      f.gates.open(s, 2);
    }
  }

  @Test
  void aBatchOfServersRunsFollowsAndGivesItsResult() {
    var r =
        f.post(
            "/api/batches",
            "{\"workflow\": \"provision-server\", \"batchId\": \"rack-1\","
                + " \"servers\": [\"a\", \"b\", \"c\"], \"serverInput\": \"server\","
                + " \"inputs\": {\"disks\": 4}, \"maxParallel\": 2}");
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    assertThat(r.json().get("batchId").stringValue()).isEqualTo("rack-1");
    Fixture.until(
        "two items run",
        () -> f.get("/api/batches/rack-1").json().at("/batch/counts/running").intValue() == 2);
    JsonNode view = f.get("/api/batches/rack-1").json();
    assertThat(view.at("/batch/counts/pending").intValue()).isEqualTo(1);
    assertThat(view.at("/items/0/key").stringValue()).isEqualTo("a");
    assertThat(view.at("/items/2/state").stringValue()).isEqualTo("PENDING");
    var early = f.get("/api/batches/rack-1/result");
    assertThat(early.status()).isEqualTo(409);

    finish("a", "b", "c");
    Fixture.until(
        "the batch completes",
        () ->
            f.get("/api/batches/rack-1")
                .json()
                .at("/batch/state")
                .stringValue()
                .equals("COMPLETED"));

    JsonNode result = f.get("/api/batches/rack-1/result").json();
    assertThat(result.at("/counts/succeeded").intValue()).isEqualTo(3);
    assertThat(result.at("/items/1/result/outputs/tag").stringValue()).isEqualTo("provisioned-b");
    assertThat(f.get("/api/batches").json().at("/0/batchId").stringValue()).isEqualTo("rack-1");
    JsonNode items = f.get("/api/batches/rack-1").json().get("items");
    items.forEach(i -> assertThat(i.get("state").stringValue()).isEqualTo("SUCCEEDED"));
    var cancel = f.post("/api/batches/rack-1/cancel", "");
    assertThat(cancel.status()).isEqualTo(409);
  }

  @Test
  void aBatchWithExplicitItemsAndABadItemIsA400NamingTheItemAndNothingRuns() {
    var r =
        f.post(
            "/api/batches",
            "{\"workflow\": \"provision-server\", \"items\": ["
                + "{\"key\": \"ok\", \"inputs\": {\"server\": \"ok\"}},"
                + "{\"key\": \"bad\", \"inputs\": {\"server\": \"NOT OK\"}}]}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().at("/error/problems/0").stringValue())
        .isEqualTo("item 'bad': input 'server': 'NOT OK' is not a server id such as srv-001");
    assertThat(f.get("/api/runs").json().get("runs").size()).isZero();
  }

  @Test
  void batchBodyErrorsNameTheField() {
    assertThat(error(f.post("/api/batches", "{\"workflow\": \"provision-server\"}")))
        .startsWith("give either 'items'");
    assertThat(error(f.post("/api/batches", "{\"servers\": [\"a\"]}")))
        .isEqualTo("workflow must be a non-empty string");
    assertThat(
            error(
                f.post(
                    "/api/batches",
                    "{\"workflow\": \"provision-server\", \"servers\": [], \"serverInput\": \"server\"}")))
        .isEqualTo("servers must be a list of 1 to 10000 entries");
    assertThat(
            error(
                f.post(
                    "/api/batches",
                    "{\"workflow\": \"provision-server\", \"servers\": [\"a\"], \"serverInput\":"
                        + " \"server\", \"maxParallel\": 0}")))
        .isEqualTo("maxParallel must be >= 1, was 0");
    assertThat(
            error(
                f.post(
                    "/api/batches",
                    "{\"workflow\": \"provision-server\", \"servers\": [\"a\", \"a\"], \"serverInput\":"
                        + " \"server\"}")))
        .isEqualTo("item keys must be unique in a batch; repeated: [a]");
    assertThat(f.get("/api/batches/nope").status()).isEqualTo(404);
    assertThat(f.get("/api/batches/nope/result").status()).isEqualTo(404);
    assertThat(f.get("/api/batches/nope/stream").status()).isEqualTo(404);
    assertThat(f.post("/api/batches/nope/cancel", "").status()).isEqualTo(404);
  }

  private static String error(Fixture.Response r) {
    assertThat(r.status()).as(r.text()).isIn(400, 404, 409);
    return r.json().at("/error/message").stringValue();
  }

  @Test
  void cancellingABatchCancelsItsRuns() {
    f.post(
        "/api/batches",
        "{\"workflow\": \"provision-server\", \"batchId\": \"rack-2\", \"servers\": [\"x\", \"y\"],"
            + " \"serverInput\": \"server\"}");
    Fixture.until(
        "both run",
        () -> f.get("/api/batches/rack-2").json().at("/batch/counts/running").intValue() == 2);

    assertThat(f.post("/api/batches/rack-2/cancel", "").status()).isEqualTo(202);
    Fixture.until(
        "the batch is cancelled",
        () ->
            f.get("/api/batches/rack-2")
                .json()
                .at("/batch/state")
                .stringValue()
                .equals("CANCELLED"));
    assertThat(f.get("/api/batches/rack-2").json().at("/batch/counts/cancelled").intValue())
        .isEqualTo(2);
  }

  @Test
  void historyPagesNewestFirstWithFilters() {
    List<String> ids = new ArrayList<>();
    for (String s : List.of("h-1", "h-2", "h-3", "h-4", "h-5")) {
      String id = f.start(s);
      ids.add(0, id);
      if (!s.equals("h-5")) {
        finish(s);
        f.untilState(id, RunState.COMPLETED);
      }
    }
    f.untilSubTask(ids.get(0), "Exporting");

    List<String> seen = new ArrayList<>();
    String next = null;
    int pages = 0;
    do {
      JsonNode page = f.get("/api/runs?limit=2" + (next == null ? "" : "&after=" + next)).json();
      page.get("runs").forEach(r -> seen.add(r.get("runId").stringValue()));
      next = page.get("next").isNull() ? null : page.get("next").stringValue();
      pages++;
    } while (next != null);
    assertThat(seen).containsExactlyElementsOf(ids);
    assertThat(pages).isEqualTo(3);

    assertThat(f.get("/api/runs?state=completed").json().get("runs").size()).isEqualTo(4);
    assertThat(f.get("/api/runs?state=RUNNING").json().at("/runs/0/runId").stringValue())
        .isEqualTo(ids.get(0));
    assertThat(f.get("/api/runs?workflow=other").json().get("runs").size()).isZero();
    assertThat(
            f.get("/api/runs?from=2000-01-01T00:00:00Z&to=2001-01-01T00:00:00Z")
                .json()
                .get("runs")
                .size())
        .isZero();
    finish("h-5");
  }

  @Test
  void historyQueryErrorsNameTheParameter() {
    assertThat(error(f.get("/api/runs?state=DONE")))
        .isEqualTo(
            "state 'DONE' must be one of [PENDING, RUNNING, COMPLETED, FAILED, PARTIAL,"
                + " ROLLED_BACK, CANCELLED]");
    assertThat(error(f.get("/api/runs?limit=501")))
        .isEqualTo("limit '501' must be an integer from 1 to 500");
    assertThat(error(f.get("/api/runs?limit=x")))
        .isEqualTo("limit 'x' must be an integer from 1 to 500");
    assertThat(error(f.get("/api/runs?from=yesterday")))
        .isEqualTo("from 'yesterday' must be an ISO-8601 instant such as 2026-01-15T10:30:00Z");
    assertThat(error(f.get("/api/runs?after=zzz")))
        .isEqualTo("after 'zzz' is not a cursor: pass the 'next' of the previous page as it is");
  }
}
