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

/** The API's workflow and run routes, and each of their errors, without a browser. */
class DashboardApiTest {
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

  @Test
  void listsWorkflowsWithTheirInputsForTheForm() {
    var r = f.get("/api/workflows");

    assertThat(r.status()).isEqualTo(200);
    JsonNode wf = r.json().get(0);
    assertThat(wf.get("name").stringValue()).isEqualTo("provision-server");
    assertThat(wf.get("steps").toString()).isEqualTo("[\"check\",\"configure\",\"finalize\"]");
    JsonNode server = wf.get("inputs").get(0);
    assertThat(server.get("name").stringValue()).isEqualTo("server");
    assertThat(server.get("required").booleanValue()).isTrue();
    assertThat(server.get("expects").stringValue()).isEqualTo("a server id such as srv-001");
    JsonNode disks = wf.get("inputs").get(1);
    assertThat(disks.get("type").stringValue()).isEqualTo("number");
    assertThat(disks.get("default").stringValue()).isEqualTo("2");
    JsonNode password = wf.get("inputs").get(2);
    assertThat(password.get("type").stringValue()).isEqualTo("secret");
    assertThat(password.get("secret").booleanValue()).isTrue();
    assertThat(wf.get("inputs").get(3).get("type").stringValue()).isEqualTo("boolean");
    assertThat(f.get("/api/workflows/provision-server").json()).isEqualTo(wf);
  }

  @Test
  void anUnknownWorkflowIsA404NamingTheRegisteredOnes() {
    var r = f.get("/api/workflows/nope");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().at("/error/code").stringValue()).isEqualTo("NOT_FOUND");
    assertThat(r.json().at("/error/message").stringValue())
        .isEqualTo("no workflow named 'nope'; registered are [provision-server]");
    assertThat(f.post("/api/workflows/nope/runs", "{}").status()).isEqualTo(404);
  }

  @Test
  void startsARunAndReportsItsStatusDetailResultAndJournal() {
    String id = f.start("srv-001");
    f.untilSubTask(id, "Exporting BIOS config");

    JsonNode status = f.get("/api/runs/" + id + "/status").json();
    assertThat(status.get("state").stringValue()).isEqualTo("RUNNING");
    assertThat(status.get("currentStep").stringValue()).isEqualTo("configure");
    assertThat(status.get("currentSubTask").stringValue())
        .isEqualTo("Exporting BIOS config of srv-001");
    assertThat(status.get("totalSteps").intValue()).isEqualTo(3);
    JsonNode seed = f.get("/api/orchestration/workflow/" + id + "/status").json();
    assertThat(seed.get("currentSubTask")).isEqualTo(status.get("currentSubTask"));
    JsonNode running = f.get("/api/runs/" + id).json();
    assertThat(running.get("executingHere").booleanValue()).isTrue();
    assertThat(running.at("/steps/1/status").stringValue()).isEqualTo("RUNNING");
    assertThat(running.at("/steps/1/subTask").stringValue())
        .isEqualTo("Exporting BIOS config of srv-001");

    f.gates.open("srv-001", 1);
    f.gates.open("srv-001", 2);
    f.untilState(id, RunState.COMPLETED);

    JsonNode result = f.get("/api/runs/" + id + "/result").json();
    assertThat(result.get("status").stringValue()).isEqualTo("COMPLETED");
    assertThat(result.at("/outputs/tag").stringValue()).isEqualTo("provisioned-srv-001");
    List<String> types = new ArrayList<>();
    f.get("/api/runs/" + id + "/events")
        .json()
        .forEach(e -> types.add(e.get("type").stringValue()));
    assertThat(types).startsWith("run-started").endsWith("run-finished").contains("step-progress");
    JsonNode detail = f.get("/api/runs/" + id).json();
    assertThat(detail.at("/run/state").stringValue()).isEqualTo("COMPLETED");
    assertThat(detail.at("/steps/2/status").stringValue()).isEqualTo("COMPLETED");
    assertThat(detail.at("/inputs/server").stringValue()).isEqualTo("srv-001");
    assertThat(detail.at("/outputs/tag").stringValue()).isEqualTo("provisioned-srv-001");
    assertThat(detail.get("events").size()).isEqualTo(types.size());
  }

  @Test
  void badInputsAreA400NamingEveryInputAndNothingRuns() {
    var r =
        f.post(
            "/api/workflows/provision-server/runs",
            "{\"inputs\": {\"server\": \"BAD ID\", \"disks\": 99, \"colour\": \"red\"}}");

    assertThat(r.status()).isEqualTo(400);
    JsonNode error = r.json().get("error");
    assertThat(error.get("code").stringValue()).isEqualTo("VALIDATION");
    assertThat(error.get("inputs").toString()).isEqualTo("[\"colour\",\"server\",\"disks\"]");
    assertThat(error.get("problems").toString())
        .contains("input 'server': 'BAD ID' is not a server id such as srv-001")
        .contains("input 'disks': '99' is not 1 to 24 disks");
    assertThat(f.get("/api/runs").json().get("runs").size()).isZero();
  }

  @Test
  void aMissingRequiredInputIsNamed() {
    var r = f.post("/api/workflows/provision-server/runs", "{\"inputs\": {}}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().at("/error/inputs").toString()).isEqualTo("[\"server\"]");
  }

  @Test
  void badOptionsAreA400NamingTheOption() {
    var r =
        f.post(
            "/api/workflows/provision-server/runs",
            "{\"inputs\": {\"server\": \"a\"}, \"options\": {\"timeout\": \"soon\"}}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().at("/error/message").stringValue())
        .isEqualTo("options.timeout 'soon' is not a duration such as 30s, 5m, 2h or PT30S");
    var dry =
        f.post(
            "/api/workflows/provision-server/runs",
            "{\"inputs\": {\"server\": \"a\"}, \"options\": {\"dryRun\": \"yes\"}}");
    assertThat(dry.json().at("/error/message").stringValue())
        .isEqualTo("options.dryRun must be true or false, was \"yes\"");
    assertThat(f.post("/api/workflows/provision-server/runs", "{\"inputs\": [1]}").status())
        .isEqualTo(400);
  }

  @Test
  void aSecretInputIsNeverInAnyResponse() {
    var r =
        f.post(
            "/api/workflows/provision-server/runs",
            "{\"inputs\": {\"server\": \"srv-9\", \"bmcPassword\": \"hunter2-very-secret\"}}");
    String id = r.json().get("runId").stringValue();
    f.gates.open("srv-9", 1);
    f.gates.open("srv-9", 2);
    f.untilState(id, RunState.COMPLETED);

    for (String path :
        List.of(
            "/api/runs/" + id,
            "/api/runs/" + id + "/status",
            "/api/runs/" + id + "/result",
            "/api/runs/" + id + "/events",
            "/api/runs",
            "/api/runs/active")) {
      assertThat(f.get(path).text()).as(path).doesNotContain("hunter2");
    }
    assertThat(r.text()).doesNotContain("hunter2");
  }

  @Test
  void anUnknownRunIsA404OnEveryRoute() {
    for (String path : List.of("", "/status", "/result", "/events", "/stream")) {
      var r = f.get("/api/runs/nope" + path);
      assertThat(r.status()).as(path).isEqualTo(404);
      assertThat(r.json().at("/error/message").stringValue())
          .isEqualTo("no run with id 'nope' in the store");
    }
    assertThat(f.get("/api/orchestration/workflow/nope/status").status()).isEqualTo(404);
    assertThat(f.post("/api/runs/nope/cancel", "").status()).isEqualTo(404);
    assertThat(f.post("/api/runs/nope/resume", "").status()).isEqualTo(404);
  }

  @Test
  void theResultOfARunningRunIsA409() {
    String id = f.start("srv-2");
    var r = f.get("/api/runs/" + id + "/result");
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.json().at("/error/code").stringValue()).isEqualTo("NOT_FINISHED");
    f.gates.open("srv-2", 1);
    f.gates.open("srv-2", 2);
  }

  @Test
  void cancelEndsARunCancelledAndAFinishedRunCannotBeCancelled() {
    String id = f.start("srv-3");
    f.untilSubTask(id, "Exporting");

    var r = f.post("/api/orchestration/workflow/" + id + "/cancel", "");
    assertThat(r.status()).isEqualTo(202);
    f.untilState(id, RunState.CANCELLED);

    var again = f.post("/api/runs/" + id + "/cancel", "");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().at("/error/code").stringValue()).isEqualTo("ALREADY_FINISHED");
  }

  @Test
  void resumeContinuesACancelledRunWithoutRepeatingItsCompletedStep() {
    String id = f.start("srv-4");
    f.untilSubTask(id, "Exporting");
    f.post("/api/runs/" + id + "/cancel", "");
    f.untilState(id, RunState.CANCELLED);

    // The engine stores the run's end a moment before it lets go of the run; until then resume
    // answers 409 ("executing in this engine now") and changes nothing.
    var answers = new ArrayList<Integer>();
    Fixture.until(
        "resume is accepted",
        () ->
            answers.add(f.post("/api/runs/" + id + "/resume", "").status())
                && answers.get(answers.size() - 1) != 409);
    assertThat(answers).last().isEqualTo(202);
    f.untilSubTask(id, "Exporting");
    f.gates.open("srv-4", 1);
    f.gates.open("srv-4", 2);
    f.untilState(id, RunState.COMPLETED);

    JsonNode result = f.get("/api/runs/" + id + "/result").json();
    assertThat(result.at("/steps/0/attempts").intValue()).isEqualTo(1);
    var completed = f.post("/api/runs/" + id + "/resume", "");
    assertThat(completed.status()).isEqualTo(409);
    assertThat(completed.json().at("/error/code").stringValue()).isEqualTo("NOT_RESUMABLE");
  }

  @Test
  void activeListsTheRunningRunsWithTheirLiveSubTask() {
    String id = f.start("srv-5");
    f.untilSubTask(id, "Exporting");

    JsonNode active = f.get("/api/runs/active").json();
    assertThat(active.size()).isEqualTo(1);
    assertThat(active.at("/0/runId").stringValue()).isEqualTo(id);
    assertThat(active.at("/0/status/currentSubTask").stringValue())
        .isEqualTo("Exporting BIOS config of srv-5");

    f.gates.open("srv-5", 1);
    f.gates.open("srv-5", 2);
    f.untilState(id, RunState.COMPLETED);
    assertThat(f.get("/api/runs/active").json().size()).isZero();
  }
}
