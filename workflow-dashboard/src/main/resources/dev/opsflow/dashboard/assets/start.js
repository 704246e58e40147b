"use strict";
(async () => {
  const { el, api, replace, showError } = Opsflow;
  Opsflow.header("/workflows");
  const name = decodeURIComponent(location.pathname.split("/")[2] || "");
  const main = document.getElementById("main");
  main.append(el("h1", { text: "Start " + name }), el("p", { class: "sub", id: "description" }),
    el("div", { id: "form" }), el("div", { id: "outcome" }));

  let workflow;
  try {
    workflow = await api("GET", "/api/workflows/" + encodeURIComponent(name));
  } catch (e) {
    showError("form", e);
    return;
  }
  document.getElementById("description").textContent = workflow.description || "";

  function field(input) {
    const id = "in-" + input.name;
    let control;
    if (input.type === "boolean" || input.type === "choice") {
      const choices = input.type === "boolean" ? ["true", "false"] : input.choices;
      control = el("select", { id, name: input.name },
        el("option", { value: "", text: input.default !== undefined ? "default (" + input.default + ")" : "—" }),
        choices.map((c) => el("option", { value: c, text: c })));
    } else {
      control = el("input", {
        id, name: input.name,
        type: input.secret ? "password" : "text",
        autocomplete: input.secret ? "new-password" : "off",
        inputmode: input.type === "number" ? "decimal" : null,
        placeholder: input.default !== undefined ? input.default : "",
      });
    }
    const rule = [input.javaType !== "String" || input.expects !== "a String" ? "expects " + input.expects : null,
      input.default !== undefined ? "default " + input.default : null,
      input.secret ? "secret: sent once to start the run, never stored or shown" : null]
      .filter(Boolean).join(" · ");
    return [
      el("label", { for: id }, input.name, input.required ? el("span", { class: "req", title: "required", text: "*" }) : null),
      el("div", { id: "f-" + input.name }, control,
        input.description ? el("div", { class: "help", text: input.description }) : null,
        rule ? el("div", { class: "help", text: rule }) : null),
    ];
  }

  const textInputs = workflow.inputs.filter((i) => !i.secret);
  const form = el("form", { id: "start-form", autocomplete: "off" },
    el("div", { class: "grid" },
      workflow.inputs.map(field),
      el("label", { text: "Options" }),
      el("div", {},
        el("label", {}, el("input", { type: "checkbox", id: "opt-dry-run" }), " dry run (change nothing)"), el("br"),
        el("label", {}, el("input", { type: "checkbox", id: "opt-rollback" }), " roll back on failure"))),
    el("h2", { text: "Batch (optional)" }),
    el("p", { class: "sub", text: "Give a list to run the workflow once per server, with the inputs above in common." }),
    el("div", { class: "grid" },
      el("label", { for: "batch-servers", text: "Servers, one per line" }),
      el("textarea", { id: "batch-servers", placeholder: "srv-001\nsrv-002" }),
      el("label", { for: "batch-input", text: "Each server goes to input" }),
      el("select", { id: "batch-input" }, textInputs.map((i) => el("option", { value: i.name, text: i.name }))),
      el("label", { for: "batch-parallel", text: "At most in parallel" }),
      el("input", { type: "number", id: "batch-parallel", value: "10", min: "1" })),
    el("div", { class: "actions" }, el("button", { class: "primary", type: "submit", id: "start", text: "Start" })));
  replace("form", form);

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    document.querySelectorAll(".invalid").forEach((n) => n.classList.remove("invalid"));
    const inputs = {};
    for (const input of workflow.inputs) {
      const value = document.getElementById("in-" + input.name).value;
      if (value !== "") inputs[input.name] = value;
    }
    const options = {
      dryRun: document.getElementById("opt-dry-run").checked,
      rollbackOnFailure: document.getElementById("opt-rollback").checked,
    };
    const servers = document.getElementById("batch-servers").value.split("\n").map((s) => s.trim()).filter(Boolean);
    const button = document.getElementById("start");
    button.disabled = true;
    try {
      if (servers.length) {
        const input = document.getElementById("batch-input").value;
        delete inputs[input];
        const out = await api("POST", "/api/batches", { workflow: name, servers, serverInput: input, inputs, options,
          maxParallel: Number(document.getElementById("batch-parallel").value) || 10 });
        location.href = "/batches/" + encodeURIComponent(out.batchId);
      } else {
        const out = await api("POST", "/api/workflows/" + encodeURIComponent(name) + "/runs", { inputs, options });
        location.href = "/runs/" + encodeURIComponent(out.runId);
      }
    } catch (e) {
      for (const n of (e.error && e.error.inputs) || []) {
        const f = document.getElementById("f-" + n);
        if (f) f.classList.add("invalid");
      }
      showError("outcome", e);
      button.disabled = false;
    }
  });
})();
