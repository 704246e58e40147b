package dev.opsflow.dashboard.internal;

import dev.opsflow.workflow.Input;
import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.RunStatus;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.StepOutcome;
import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowRegistry;
import dev.opsflow.workflow.event.WorkflowEvent;
import dev.opsflow.workflow.spi.RunRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The JSON shapes of the API (documented in {@code docs/dashboard.md}), made from the core's types.
 * Everything here comes from what the store keeps, which never holds a secret; a secret input's
 * default is never shown. Stateless.
 */
final class RunViews {
  private RunViews() {}

  /** The status JSON of a run: the core's own ({@link RunStatus#toJson()}, docs/result-json.md). */
  static JsonNode status(RunStatus s) {
    return Json.mapper().readTree(s.toJson());
  }

  /** A history row. */
  static Map<String, Object> summary(RunRecord r) {
    var out = new LinkedHashMap<String, Object>();
    out.put("runId", r.runId());
    out.put("workflow", r.workflow());
    out.put("version", r.workflowVersion());
    out.put("state", r.state());
    out.put("dryRun", r.dryRun());
    out.put("stepsCompleted", r.steps().stream().filter(s -> s.status().isDone()).count());
    out.put("totalSteps", r.stepNames().size());
    out.put("createdAt", r.createdAt());
    out.put("updatedAt", r.updatedAt());
    if (r.result() != null) {
      out.put("finishedAt", r.result().finishedAt());
      out.put("message", r.result().message());
      if (r.result().error() != null) {
        out.put("errorType", r.result().error().type());
      }
    }
    if (r.owner() != null) {
      out.put("owner", r.owner());
    }
    return out;
  }

  /** Everything about a run: summary, live status, inputs, outputs, steps, result and journal. */
  static Map<String, Object> detail(
      RunRecord r, RunStatus live, List<WorkflowEvent> events, boolean executingHere) {
    var out = new LinkedHashMap<String, Object>();
    out.put("run", summary(r));
    out.put("status", status(live));
    out.put("executingHere", executingHere);
    out.put("inputs", r.inputs());
    out.put("outputs", r.result() != null ? r.result().outputs() : r.outputs());
    out.put("steps", steps(r, live));
    if (r.result() != null) {
      out.put("result", r.result());
    }
    out.put("events", events(events));
    return out;
  }

  /** The journal, each event with its {@code type} (a list loses the sealed type's annotation). */
  static List<JsonNode> events(List<WorkflowEvent> events) {
    var writer = Json.mapper().writerFor(WorkflowEvent.class);
    return events.stream().map(e -> Json.mapper().readTree(writer.writeValueAsString(e))).toList();
  }

  /** The steps as a timeline: the stored outcomes, with the step running now marked RUNNING. */
  private static List<Map<String, Object>> steps(RunRecord r, RunStatus live) {
    List<StepOutcome> outcomes = r.result() != null ? r.result().steps() : r.steps();
    if (outcomes.isEmpty()) {
      outcomes = r.stepNames().stream().map(StepOutcome::pending).toList();
    }
    var out = new ArrayList<Map<String, Object>>();
    for (StepOutcome s : outcomes) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = Json.mapper().convertValue(s, LinkedHashMap.class);
      if (!live.state().isFinished()
          && s.name().equals(live.currentStep())
          && (s.status() == StepStatus.PENDING || s.status() == StepStatus.RUNNING)) {
        m.put("status", StepStatus.RUNNING);
        if (live.currentSubTask() != null) {
          m.put("subTask", live.currentSubTask());
        }
      }
      out.add(m);
    }
    return out;
  }

  /** A workflow for the start form: its inputs with types, defaults, checks, and its steps. */
  static Map<String, Object> workflow(Workflow wf, WorkflowRegistry.WorkflowInfo info) {
    var out = new LinkedHashMap<String, Object>();
    out.put("name", wf.name());
    out.put("version", wf.version());
    out.put("description", wf.description());
    var inputs = new ArrayList<Map<String, Object>>();
    for (WorkflowRegistry.ParameterSpec p : info.parameters()) {
      Input<?> decl = wf.inputs().get(p.name());
      var m = new LinkedHashMap<String, Object>();
      m.put("name", p.name());
      m.put("type", formType(decl));
      m.put("javaType", p.type());
      m.put("required", p.required());
      m.put("secret", p.secret());
      if (!p.secret() && decl.defaultValue() != null) {
        m.put("default", display(decl.defaultValue()));
      }
      if (p.description() != null) {
        m.put("description", p.description());
      }
      m.put("expects", p.expects());
      if (decl.key().type().isEnum()) {
        m.put(
            "choices",
            Arrays.stream(decl.key().type().getEnumConstants()).map(String::valueOf).toList());
      }
      inputs.add(m);
    }
    out.put("inputs", inputs);
    out.put("steps", wf.stepNames());
    return out;
  }

  private static String formType(Input<?> decl) {
    Class<?> t = decl.key().type();
    if (t == Secret.class) {
      return "secret";
    }
    if (t == Boolean.class) {
      return "boolean";
    }
    if (t == Integer.class || t == Long.class || t == Double.class) {
      return "number";
    }
    if (t.isEnum()) {
      return "choice";
    }
    if (t == Duration.class) {
      return "duration";
    }
    return "text";
  }

  private static String display(Object value) {
    if (value instanceof Duration d) {
      return d.toString();
    }
    if (value instanceof List<?> l) {
      return String.join(",", l.stream().map(String::valueOf).toList());
    }
    return String.valueOf(value);
  }
}
