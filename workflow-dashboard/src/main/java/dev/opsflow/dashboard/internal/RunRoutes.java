package dev.opsflow.dashboard.internal;

import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.RunState;
import dev.opsflow.workflow.RunStatus;
import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowRegistry;
import dev.opsflow.workflow.WorkflowRun;
import dev.opsflow.workflow.spi.RunQuery;
import dev.opsflow.workflow.spi.RunRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The routes of workflows and runs: list and describe workflows, start a run, a run's status,
 * detail, result and journal, cancel, resume, the active runs, and the paged history. Thread-safe.
 */
final class RunRoutes {
  static final int MAX_BODY = 64 * 1024;
  static final int MAX_PAGE = 500;
  static final int MAX_ACTIVE = 500;

  private final WorkflowEngine engine;
  private final WorkflowRegistry registry;

  RunRoutes(WorkflowEngine engine, WorkflowRegistry registry) {
    this.engine = engine;
    this.registry = registry;
  }

  void register(Router router) {
    String run = "/api/runs/(?<id>[^/]+)";
    router
        .get("/api/workflows", r -> Reply.ok(workflows()))
        .get("/api/workflows/(?<name>[^/]+)", r -> Reply.ok(describe(r.path("name"))))
        .post("/api/workflows/(?<name>[^/]+)/runs", this::start)
        .get("/api/runs", r -> Reply.ok(history(r)))
        .get("/api/runs/active", r -> Reply.ok(active()))
        .get(run, r -> Reply.ok(detail(r.path("id"))))
        .get(run + "/status", r -> Reply.ok(RunViews.status(status(r.path("id")))))
        .get(run + "/result", r -> result(r.path("id")))
        .get(
            run + "/events",
            r -> Reply.ok(RunViews.events(engine.events(record(r.path("id")).runId()))))
        .post(run + "/cancel", r -> cancel(r.path("id")))
        .post(run + "/resume", r -> resume(r.path("id")))
        // The seed's (HWAutomation's) routes, kept so its scripts work unchanged.
        .get(
            "/api/orchestration/workflow/(?<id>[^/]+)/status",
            r -> Reply.ok(RunViews.status(status(r.path("id")))))
        .post("/api/orchestration/workflow/(?<id>[^/]+)/cancel", r -> cancel(r.path("id")));
  }

  List<Map<String, Object>> workflows() {
    var out = new ArrayList<Map<String, Object>>();
    for (WorkflowRegistry.WorkflowInfo info : registry.describe()) {
      out.add(RunViews.workflow(definition(info.name()), info));
    }
    return out;
  }

  private Map<String, Object> describe(String name) {
    Workflow wf = definition(name);
    var info =
        registry.describe().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
    return RunViews.workflow(wf, info);
  }

  Workflow definition(String name) {
    return registry
        .get(name)
        .orElseThrow(
            () ->
                HttpError.notFound(
                    "no workflow named '" + name + "'; registered are " + registry.names()));
  }

  private Reply start(Request r) {
    Workflow wf = definition(r.path("name"));
    JsonNode body = r.json(MAX_BODY);
    Map<String, Object> inputs = Bodies.inputs(body.get("inputs"));
    RunOptions options = Bodies.runOptions(body.get("options"));
    WorkflowRun run;
    try {
      run = engine.start(wf, inputs, options);
    } catch (ValidationException e) {
      throw Bodies.invalid(e);
    }
    var out = new LinkedHashMap<String, Object>();
    out.put("runId", run.runId());
    out.put("status", RunViews.status(run.status()));
    out.put("links", Map.of("run", "/api/runs/" + run.runId(), "page", "/runs/" + run.runId()));
    return Reply.json(202, out);
  }

  private Map<String, Object> history(Request r) {
    RunQuery q = RunQuery.all().withLimit(Bodies.limit(r.param("limit"), 50, MAX_PAGE));
    if (r.param("workflow") != null) {
      q = q.withWorkflow(r.param("workflow"));
    }
    if (r.param("state") != null) {
      q = q.withState(Bodies.state(r.param("state")));
    }
    Instant from = Bodies.instant("from", r.param("from"));
    Instant to = Bodies.instant("to", r.param("to"));
    if (from != null || to != null) {
      q = q.createdBetween(from, to);
    }
    q = q.after(Bodies.cursor(r.param("after")));
    // One more than the page tells whether another page follows, without counting.
    List<RunRecord> found = engine.history(q.withLimit(q.limit() + 1));
    List<RunRecord> page = found.subList(0, Math.min(q.limit(), found.size()));
    var out = new LinkedHashMap<String, Object>();
    out.put("runs", page.stream().map(RunViews::summary).toList());
    out.put(
        "next",
        found.size() > q.limit()
            ? Bodies.cursor(RunQuery.Cursor.of(page.get(page.size() - 1)))
            : null);
    return out;
  }

  /** The unfinished runs in the store, newest first, each with its live status. */
  List<Map<String, Object>> active() {
    var runs = new ArrayList<RunRecord>();
    runs.addAll(engine.history(RunQuery.all().withState(RunState.RUNNING).withLimit(MAX_ACTIVE)));
    runs.addAll(engine.history(RunQuery.all().withState(RunState.PENDING).withLimit(MAX_ACTIVE)));
    runs.sort(RunQuery.NEWEST_FIRST);
    var out = new ArrayList<Map<String, Object>>();
    for (RunRecord rec : runs) {
      Optional<RunStatus> live = engine.status(rec.runId());
      if (live.isEmpty() || live.get().state().isFinished()) {
        continue;
      }
      Map<String, Object> row = RunViews.summary(rec);
      row.put("status", RunViews.status(live.get()));
      out.add(row);
    }
    return out;
  }

  Map<String, Object> detail(String runId) {
    RunStatus live = status(runId); // first: a record read after it is at least as far
    return detail(record(runId), live);
  }

  /** The detail of {@code rec} with {@code live}, its status read once by the caller. */
  Map<String, Object> detail(RunRecord rec, RunStatus live) {
    String runId = rec.runId();
    boolean here = !live.state().isFinished() && engine.ownerId().equals(rec.owner());
    return RunViews.detail(rec, live, engine.events(runId), here);
  }

  RunStatus status(String runId) {
    return engine.status(runId).orElseThrow(() -> unknown(runId));
  }

  private Reply result(String runId) {
    RunRecord rec = record(runId);
    if (rec.result() == null) {
      throw HttpError.conflict(
          "NOT_FINISHED", "run " + runId + " is " + rec.state() + "; it has no result yet");
    }
    return Reply.jsonText(rec.result().toJson());
  }

  private Reply cancel(String runId) {
    RunRecord rec = record(runId);
    if (rec.state().isFinished()) {
      throw HttpError.conflict(
          "ALREADY_FINISHED", "run " + runId + " has finished (" + rec.state() + ")");
    }
    if (engine.cancel(runId)) {
      return Reply.json(202, Map.of("runId", runId, "cancelling", true));
    }
    throw HttpError.conflict(
        "NOT_HERE",
        "run "
            + runId
            + " is not executing in this dashboard's engine"
            + (rec.owner() != null ? " (its owner is " + rec.owner() + ")" : "")
            + "; cancel it in the engine that runs it");
  }

  private Reply resume(String runId) {
    RunRecord rec = record(runId);
    Workflow wf = definition(rec.workflow());
    WorkflowRun run;
    try {
      run = engine.resume(runId, wf);
    } catch (ValidationException e) {
      throw HttpError.conflict("NOT_RESUMABLE", e.getMessage());
    }
    return Reply.json(202, Map.of("runId", run.runId(), "status", RunViews.status(run.status())));
  }

  RunRecord record(String runId) {
    return engine.store().find(runId).orElseThrow(() -> unknown(runId));
  }

  private static HttpError unknown(String runId) {
    return HttpError.notFound("no run with id '" + runId + "' in the store");
  }
}
