"use strict";
(() => {
  const { el, api, badge, bar, time, duration, follow, replace, showError } = Opsflow;
  Opsflow.header("/");
  const id = decodeURIComponent(location.pathname.split("/")[2] || "");
  const path = "/api/runs/" + encodeURIComponent(id);
  document.getElementById("main").append(
    el("h1", {}, "Run ", el("span", { class: "mono", text: id })),
    el("p", { class: "sub" }, el("span", { id: "workflow" }), " ",
      el("span", { id: "live", class: "live off", text: "connecting" })),
    el("div", { id: "summary" }),
    el("div", { class: "actions" },
      el("button", { id: "cancel", class: "danger", type: "button", text: "Cancel", disabled: true, onclick: () => act("cancel") }),
      el("button", { id: "resume", type: "button", text: "Resume", disabled: true, onclick: () => act("resume") })),
    el("div", { id: "outcome" }),
    el("div", { id: "error" }),
    el("h2", { text: "Steps" }), el("ol", { id: "steps", class: "timeline" }),
    el("div", { class: "cols" },
      el("div", {}, el("h2", { text: "Inputs" }), el("div", { id: "inputs" })),
      el("div", {}, el("h2", { text: "Outputs" }), el("div", { id: "outputs" }))),
    el("h2", { text: "Event journal" }), el("div", { id: "events" }));

  async function act(what) {
    try {
      await api("POST", path + "/" + what);
      replace("outcome", el("div", { class: "notice", text: what === "cancel" ? "Cancelling…" : "Resumed." }));
      if (what === "resume") start();
    } catch (e) {
      showError("outcome", e);
    }
  }

  function values(map) {
    const entries = Object.entries(map || {});
    if (!entries.length) return el("p", { class: "empty", text: "None." });
    return el("table", {}, el("tbody", {}, entries.map(([k, v]) =>
      el("tr", {}, el("td", { class: "mono", text: k }),
        el("td", { class: "mono", text: typeof v === "string" ? v : JSON.stringify(v) })))));
  }

  function step(s) {
    const meta = [s.attempts ? s.attempts + (s.attempts === 1 ? " attempt" : " attempts") : null,
      s.durationMs ? duration(s.durationMs) : null, s.startedAt ? time(s.startedAt) : null].filter(Boolean).join(" · ");
    return el("li", { class: "s-" + s.status, "data-step": s.name },
      el("span", { class: "name", text: s.name }), badge(s.status), el("span", { class: "meta", text: meta }),
      s.subTask ? el("div", { class: "detail subtask", text: s.subTask }) : null,
      s.skipReason ? el("div", { class: "detail", text: "skipped: " + s.skipReason }) : null,
      s.description ? el("div", { class: "detail", text: s.description }) : null,
      s.error ? el("div", { class: "detail err", text: s.error }) : null);
  }

  function eventText(e) {
    const parts = [e.step, e.attempt ? "attempt " + e.attempt : null, e.subTask, e.percent !== undefined && e.type === "step-progress" ? e.percent + "%" : null,
      e.reason, e.state, e.message, e.cause, e.delayMs !== undefined ? "retry in " + duration(e.delayMs) : null];
    return parts.filter((p) => p !== null && p !== undefined && p !== "").join(" · ");
  }

  function errorBox(err) {
    if (!err) return null;
    return el("div", { class: "notice error", id: "run-error" },
      el("strong", { text: err.type + ": " + err.message }),
      el("div", { text: [err.step ? "step " + err.step : null, err.subTask ? "while " + err.subTask : null].filter(Boolean).join(", ") }),
      err.suggestions && err.suggestions.length ? el("ul", {}, err.suggestions.map((s) => el("li", { text: s }))) : null,
      err.details && Object.keys(err.details).length ? el("div", { class: "mono", text: JSON.stringify(err.details) }) : null,
      el("div", { text: err.retryable ? "Running again may succeed." : "Running again as it is will not help." }));
  }

  function render(v) {
    const s = v.status;
    document.getElementById("workflow").textContent = v.run.workflow + " v" + v.run.version + (v.run.dryRun ? " (dry run)" : "");
    replace("summary",
      el("div", { class: "facts" },
        el("div", {}, el("span", { class: "k", text: "State" }), el("span", { class: "v", id: "run-state" }, badge(s.state))),
        el("div", {}, el("span", { class: "k", text: "Progress" }),
          el("span", { class: "v" }, bar(s.progressPercent, true), el("span", { class: "pct", id: "run-percent", text: s.progressPercent + "% · " + s.stepsCompleted + " of " + s.totalSteps + " steps" }))),
        el("div", {}, el("span", { class: "k", text: "Current step" }), el("span", { class: "v", id: "run-step", text: s.currentStep || "—" })),
        el("div", {}, el("span", { class: "k", text: "Sub-task" }), el("span", { class: "v", id: "run-subtask", text: s.currentSubTask || "—" })),
        el("div", {}, el("span", { class: "k", text: "Started" }), el("span", { class: "v", text: time(v.run.createdAt) })),
        v.run.finishedAt ? el("div", {}, el("span", { class: "k", text: "Finished" }), el("span", { class: "v", text: time(v.run.finishedAt) })) : null),
      v.run.message ? el("p", { id: "run-message", text: v.run.message }) : null);
    document.getElementById("cancel").disabled = !v.executingHere;
    if (v.run.finishedAt) replace("outcome");
    document.getElementById("resume").disabled = !(s.state === "FAILED" || s.state === "PARTIAL" || s.state === "CANCELLED" || (s.state === "RUNNING" && !v.executingHere));
    replace("error", errorBox(v.result && v.result.error));
    replace("steps", v.steps.map(step));
    replace("inputs", values(v.inputs));
    replace("outputs", values(v.outputs));
    replace("events", v.events.length === 0 ? el("p", { class: "empty", text: "No event stored yet." }) :
      el("table", { id: "journal" },
        el("thead", {}, el("tr", {}, ["#", "Time", "Event", "Details"].map((h) => el("th", { text: h })))),
        el("tbody", {}, v.events.map((e) => el("tr", {},
          el("td", { class: "num", text: e.sequence }), el("td", { text: time(e.timestamp) }),
          el("td", { class: "mono", text: e.type }), el("td", { text: eventText(e) }))))));
  }

  function start() {
    follow(path + "/stream", render, () => {});
  }
  start();
  // An unknown id answers 404 before any stream starts: say so instead of "connecting".
  api("GET", path + "/status").catch((e) => showError("summary", e));
})();
