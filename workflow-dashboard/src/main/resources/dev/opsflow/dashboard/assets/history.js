"use strict";
(async () => {
  const { el, api, badge, time, replace, showError } = Opsflow;
  Opsflow.header("/history");
  const params = new URLSearchParams(location.search);
  const states = ["", "PENDING", "RUNNING", "COMPLETED", "FAILED", "PARTIAL", "ROLLED_BACK", "CANCELLED"];
  const workflowSelect = el("select", { name: "workflow", id: "filter-workflow" }, el("option", { value: "", text: "any" }));
  const form = el("form", { class: "filters", id: "filters", method: "get", action: "/history" },
    el("label", {}, "Workflow", workflowSelect),
    el("label", {}, "State", el("select", { name: "state", id: "filter-state" },
      states.map((s) => el("option", { value: s, text: s || "any", selected: params.get("state") === s && s !== "" })))),
    el("label", {}, "Created from (UTC)", el("input", { type: "text", name: "from", placeholder: "2026-01-15T00:00:00Z", value: params.get("from") || "" })),
    el("label", {}, "Created before (UTC)", el("input", { type: "text", name: "to", placeholder: "2026-01-16T00:00:00Z", value: params.get("to") || "" })),
    el("button", { type: "submit", id: "filter-apply", text: "Filter" }),
    el("a", { href: "/history", text: "clear" }));
  document.getElementById("main").append(
    el("h1", { text: "History" }),
    el("p", { class: "sub", text: "Every stored run, newest first, in pages of 50." }),
    form, el("div", { id: "page" }), el("div", { class: "actions", id: "paging" }));

  // Empty filters stay out of the URL.
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const q = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) q.set(k, v);
    location.search = q.toString();
  });

  try {
    const workflows = await api("GET", "/api/workflows");
    for (const w of workflows) {
      workflowSelect.append(el("option", { value: w.name, text: w.name, selected: params.get("workflow") === w.name }));
    }
  } catch (e) { /* the filter still works by typing the URL */ }

  const query = new URLSearchParams();
  for (const k of ["workflow", "state", "from", "to", "after"]) if (params.get(k)) query.set(k, params.get(k));
  query.set("limit", "50");
  try {
    const page = await api("GET", "/api/runs?" + query);
    replace("page", page.runs.length === 0 ? el("p", { class: "empty", id: "no-history", text: "No run matches." }) :
      el("table", { id: "history" },
        el("thead", {}, el("tr", {}, ["Run", "Workflow", "State", "Steps", "Created", "Finished", "Message"].map((h) => el("th", { text: h })))),
        el("tbody", {}, page.runs.map((r) => el("tr", { "data-run": r.runId },
          el("td", { class: "mono" }, el("a", { href: "/runs/" + encodeURIComponent(r.runId), text: r.runId })),
          el("td", { text: r.workflow }),
          el("td", {}, badge(r.state)),
          el("td", { class: "num", text: r.stepsCompleted + "/" + r.totalSteps }),
          el("td", { text: time(r.createdAt) }),
          el("td", { text: time(r.finishedAt) }),
          el("td", { text: r.message || "" }))))));
    const paging = [];
    if (params.get("after")) paging.push(el("button", { type: "button", text: "← Newest", onclick: () => {
      params.delete("after"); location.search = params.toString(); } }));
    if (page.next) paging.push(el("button", { type: "button", id: "older", text: "Older runs →", onclick: () => {
      params.set("after", page.next); location.search = params.toString(); } }));
    replace("paging", paging);
  } catch (e) {
    showError("page", e);
  }
})();
