package dev.opsflow.dashboard.internal;

import dev.opsflow.workflow.RunOptions;
import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.batch.Batch;
import dev.opsflow.workflow.batch.BatchItem;
import dev.opsflow.workflow.batch.BatchOptions;
import dev.opsflow.workflow.batch.BatchRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The routes of batches: start one (explicit items, or the seed's list of servers with common
 * inputs), list, follow, result, cancel. Thread-safe.
 */
final class BatchRoutes {
  static final int MAX_BODY = 1024 * 1024;
  static final int MAX_ITEMS = 10_000;

  private final WorkflowEngine engine;
  private final RunRoutes runs;
  private final Batches batches;

  BatchRoutes(WorkflowEngine engine, RunRoutes runs, Batches batches) {
    this.engine = engine;
    this.runs = runs;
    this.batches = batches;
  }

  void register(Router router) {
    String one = "/api/batches/(?<id>[^/]+)";
    router
        .post("/api/batches", this::start)
        .get("/api/batches", r -> Reply.ok(list()))
        .get(one, r -> Reply.ok(tracked(r.path("id")).view()))
        .get(one + "/result", r -> result(r.path("id")))
        .post(one + "/cancel", r -> cancel(r.path("id")));
  }

  List<Map<String, Object>> list() {
    var out = new ArrayList<Map<String, Object>>();
    for (Batches.Tracked t : batches.all()) {
      out.add(0, Batches.summary(t.run.status()));
    }
    return out;
  }

  Batches.Tracked tracked(String batchId) {
    return batches
        .get(batchId)
        .orElseThrow(
            () ->
                HttpError.notFound(
                    "no batch '" + batchId + "' was started by this dashboard since it started"));
  }

  private Reply start(Request r) {
    JsonNode body = r.json(MAX_BODY);
    String name = Bodies.text(body.get("workflow"), "workflow", 200);
    Workflow wf = runs.definition(name);
    List<BatchItem> items = items(body);
    BatchOptions options = options(body);
    if (options.batchId() != null && batches.contains(options.batchId())) {
      throw HttpError.conflict(
          "BATCH_RUNNING", "batch '" + options.batchId() + "' is running already");
    }
    var tracked = new Batches.Tracked(items.stream().map(BatchItem::key).toList());
    BatchRun run;
    try {
      run = Batch.of(items).withOptions(options).withListener(tracked::onEvent).start(engine, wf);
    } catch (ValidationException e) {
      throw Bodies.invalid(e);
    }
    tracked.run = run;
    batches.add(run.batchId(), tracked);
    var out = new LinkedHashMap<String, Object>();
    out.put("batchId", run.batchId());
    out.put("batch", Batches.summary(run.status()));
    out.put(
        "links",
        Map.of("batch", "/api/batches/" + run.batchId(), "page", "/batches/" + run.batchId()));
    return Reply.json(202, out);
  }

  private static List<BatchItem> items(JsonNode body) {
    Map<String, Object> common = Bodies.inputs(body.get("inputs"));
    var out = new ArrayList<BatchItem>();
    JsonNode items = body.get("items");
    JsonNode servers = body.get("servers");
    if ((items == null) == (servers == null)) {
      throw HttpError.badRequest(
          "give either 'items' ([{\"key\", \"inputs\"}]) or 'servers' (a list of keys) with"
              + " 'serverInput' (the input each key goes to)");
    }
    JsonNode list = items != null ? items : servers;
    String field = items != null ? "items" : "servers";
    if (!list.isArray() || list.isEmpty() || list.size() > MAX_ITEMS) {
      throw HttpError.badRequest(field + " must be a list of 1 to " + MAX_ITEMS + " entries");
    }
    String serverInput =
        servers != null ? Bodies.text(body.get("serverInput"), "serverInput", 200) : null;
    int i = 0;
    for (JsonNode n : list) {
      String where = field + "[" + i++ + "]";
      try {
        if (items != null) {
          var inputs = new LinkedHashMap<>(common);
          inputs.putAll(Bodies.inputs(n.get("inputs")));
          out.add(BatchItem.of(Bodies.text(n.get("key"), where + ".key", 200), inputs));
        } else {
          String key = Bodies.text(n, where, 200);
          var inputs = new LinkedHashMap<>(common);
          inputs.put(serverInput, key);
          out.add(BatchItem.of(key, inputs));
        }
      } catch (IllegalArgumentException e) {
        throw HttpError.badRequest(where + ": " + e.getMessage());
      }
    }
    return out;
  }

  private static BatchOptions options(JsonNode body) {
    BatchOptions o = BatchOptions.defaults();
    try {
      if (body.hasNonNull("batchId")) {
        o = o.withBatchId(Bodies.text(body.get("batchId"), "batchId", 100));
      }
      if (body.hasNonNull("maxParallel")) {
        o = o.withMaxParallel(integer(body, "maxParallel"));
      }
      if (body.hasNonNull("maxFailedPercentage")) {
        o = o.withMaxFailedPercentage(integer(body, "maxFailedPercentage"));
      }
      if (body.hasNonNull("continueOnError")) {
        JsonNode v = body.get("continueOnError");
        if (!v.isBoolean()) {
          throw HttpError.badRequest("continueOnError must be true or false, was " + v);
        }
        o = o.withContinueOnError(v.booleanValue());
      }
      RunOptions runOptions = Bodies.runOptions(body.get("options"));
      if (runOptions.idempotencyKey() != null) {
        throw HttpError.badRequest(
            "options.idempotencyKey must be unset in a batch: each item's key is batchId:itemKey");
      }
      o = o.withRunOptions(runOptions);
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest(e.getMessage());
    }
    return o;
  }

  private static int integer(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (!v.isInt()) {
      throw HttpError.badRequest(field + " must be an integer, was " + v);
    }
    return v.intValue();
  }

  private Reply result(String batchId) {
    Batches.Tracked t = tracked(batchId);
    if (!t.run.isDone()) {
      throw HttpError.conflict(
          "NOT_FINISHED", "batch " + batchId + " is " + t.run.status().state() + "; no result yet");
    }
    return Reply.jsonText(t.run.await().toJson());
  }

  private Reply cancel(String batchId) {
    Batches.Tracked t = tracked(batchId);
    if (!t.run.cancel()) {
      throw HttpError.conflict("ALREADY_FINISHED", "batch " + batchId + " has finished");
    }
    return Reply.json(202, Map.of("batchId", batchId, "cancelling", true));
  }
}
