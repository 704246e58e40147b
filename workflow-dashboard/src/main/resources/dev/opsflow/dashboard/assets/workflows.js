"use strict";
(async () => {
  const { el, api, replace, showError } = Opsflow;
  Opsflow.header("/workflows");
  document.getElementById("main").append(
    el("h1", { text: "Start a workflow" }),
    el("p", { class: "sub", text: "The workflows this application registered. Each opens a form made from its declared inputs." }),
    el("div", { id: "list" }));
  try {
    const workflows = await api("GET", "/api/workflows");
    replace("list", workflows.length === 0 ? el("p", { class: "empty", text: "No workflow is registered." }) :
      el("table", { id: "workflows" },
        el("thead", {}, el("tr", {}, ["Workflow", "Description", "Inputs", "Steps", ""].map((h) => el("th", { text: h })))),
        el("tbody", {}, workflows.map((w) => el("tr", {},
          el("td", { class: "mono" }, w.name),
          el("td", { text: w.description || "" }),
          el("td", { class: "num", text: w.inputs.length }),
          el("td", { class: "num", text: w.steps.length }),
          el("td", {}, el("a", { class: "button", href: "/start/" + encodeURIComponent(w.name), text: "Start…" })))))));
  } catch (e) {
    showError("list", e);
  }
})();
