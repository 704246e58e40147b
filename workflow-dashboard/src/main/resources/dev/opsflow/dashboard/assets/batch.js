"use strict";
(() => {
  const { el, api, badge, bar, follow, replace, showError } = Opsflow;
  Opsflow.header("/");
  const id = decodeURIComponent(location.pathname.split("/")[2] || "");
  const path = "/api/batches/" + encodeURIComponent(id);
  document.getElementById("main").append(
    el("h1", {}, "Batch ", el("span", { class: "mono", text: id })),
    el("p", { class: "sub" }, el("span", { id: "workflow" }), " ", el("span", { id: "live", class: "live off", text: "connecting" })),
    el("div", { id: "totals" }),
    el("div", { class: "actions" }, el("button", { id: "cancel", class: "danger", type: "button", text: "Cancel batch",
      disabled: true, onclick: cancel })),
    el("div", { id: "outcome" }),
    el("h2", { text: "Servers" }), el("div", { id: "items" }));

  async function cancel() {
    try {
      await api("POST", path + "/cancel");
      replace("outcome", el("div", { class: "notice", text: "Cancelling the batch…" }));
    } catch (e) { showError("outcome", e); }
  }

  function total(name, value) {
    return el("div", { id: "total-" + name }, el("div", { class: "k", text: name }), el("div", { class: "v", text: value }));
  }

  function render(v) {
    const b = v.batch, c = b.counts;
    document.getElementById("workflow").textContent = b.workflow;
    replace("totals",
      el("div", { class: "facts" },
        el("div", {}, el("span", { class: "k", text: "State" }), el("span", { class: "v", id: "batch-state" }, badge(b.state))),
        el("div", {}, el("span", { class: "k", text: "Progress" }),
          el("span", { class: "v" }, bar(b.percent, true), el("span", { class: "pct", id: "batch-percent", text: b.percent + "%" })))),
      el("div", { class: "totals" }, total("total", c.total), total("pending", c.pending), total("running", c.running),
        total("succeeded", c.succeeded), total("failed", c.failed), total("cancelled", c.cancelled)));
    document.getElementById("cancel").disabled = b.state !== "RUNNING";
    replace("items", el("table", { id: "batch-items" },
      el("thead", {}, el("tr", {}, ["Server", "State", "Progress", "Step", "Sub-task", "Run", "Message"].map((h) => el("th", { text: h })))),
      el("tbody", {}, v.items.map((i) => el("tr", { "data-item": i.key },
        el("td", { class: "mono", text: i.key }),
        el("td", {}, badge(i.state)),
        el("td", {}, i.percent !== undefined ? bar(i.percent) : null),
        el("td", { text: i.currentStep || "" }),
        el("td", { text: i.currentSubTask || "" }),
        el("td", { class: "mono" }, i.runId ? el("a", { href: "/runs/" + encodeURIComponent(i.runId), text: i.runId.slice(0, 8) }) : null),
        el("td", { text: i.message || "" }))))));
  }

  follow(path + "/stream", render);
  api("GET", path).catch((e) => showError("totals", e));
})();
