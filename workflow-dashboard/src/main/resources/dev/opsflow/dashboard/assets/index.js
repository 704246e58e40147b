"use strict";
(() => {
  const { el, badge, bar, time, follow, replace } = Opsflow;
  Opsflow.header("/");
  document.getElementById("main").append(
    el("h1", { text: "Active runs" }),
    el("p", { class: "sub" }, "Runs of every engine that shares this store, as they happen. ",
      el("span", { id: "live", class: "live off", text: "connecting" })),
    el("div", { id: "runs" }),
    el("h2", { text: "Batches" }),
    el("div", { id: "batches" }));

  function runsTable(runs) {
    if (!runs.length) return el("p", { class: "empty", id: "no-runs", text: "No run is active." });
    return el("table", { id: "active-runs" },
      el("thead", {}, el("tr", {}, ["Run", "Workflow", "State", "Progress", "Step", "Sub-task", "Started"]
        .map((h) => el("th", { text: h })))),
      el("tbody", {}, runs.map((r) => el("tr", { "data-run": r.runId },
        el("td", { class: "mono" }, el("a", { href: "/runs/" + encodeURIComponent(r.runId), text: r.runId })),
        el("td", { text: r.workflow }),
        el("td", {}, badge(r.status.state)),
        el("td", {}, bar(r.status.progressPercent),
          el("span", { class: "pct", text: r.status.stepsCompleted + " of " + r.status.totalSteps + " steps" })),
        el("td", { class: "step", text: r.status.currentStep || "" }),
        el("td", { class: "subtask", text: r.status.currentSubTask || "" }),
        el("td", { text: time(r.createdAt) })))));
  }

  function batchesTable(batches) {
    if (!batches.length) return el("p", { class: "empty", text: "No batch was started from this dashboard." });
    return el("table", { id: "batch-list" },
      el("thead", {}, el("tr", {}, ["Batch", "Workflow", "State", "Progress", "Succeeded", "Failed", "Running", "Total"]
        .map((h) => el("th", { text: h })))),
      el("tbody", {}, batches.map((b) => el("tr", {},
        el("td", { class: "mono" }, el("a", { href: "/batches/" + encodeURIComponent(b.batchId), text: b.batchId })),
        el("td", { text: b.workflow }),
        el("td", {}, badge(b.state)),
        el("td", {}, bar(b.percent), el("span", { class: "pct", text: b.percent + "%" })),
        el("td", { class: "num", text: b.counts.succeeded }),
        el("td", { class: "num", text: b.counts.failed }),
        el("td", { class: "num", text: b.counts.running }),
        el("td", { class: "num", text: b.counts.total })))));
  }

  follow("/api/active/stream", (view) => {
    replace("runs", runsTable(view.runs));
    replace("batches", batchesTable(view.batches));
  });
})();
