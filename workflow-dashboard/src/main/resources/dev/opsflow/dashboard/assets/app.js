// Shared by every page: the API client (the token rides in a header, never in a URL the server
// sees), a small DOM builder that only ever sets text (no HTML from data), live streams, formatting.
"use strict";

const Opsflow = (() => {
  const KEY = "opsflow-token";

  // A sign-in URL carries the token in its fragment: keep it for this tab, take it off the address.
  if (location.hash.startsWith("#token=")) {
    sessionStorage.setItem(KEY, decodeURIComponent(location.hash.slice(7)));
    history.replaceState(null, "", location.pathname + location.search);
  }

  function token() { return sessionStorage.getItem(KEY); }

  class ApiError extends Error {
    constructor(status, error) {
      super(error && error.message ? error.message : "HTTP " + status);
      this.status = status;
      this.error = error || {};
    }
  }

  async function api(method, path, body) {
    const headers = { "Accept": "application/json" };
    if (method !== "GET") {
      if (token()) headers["Authorization"] = "Bearer " + token();
      headers["Content-Type"] = "application/json";
    }
    const res = await fetch(path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit", cache: "no-store",
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : null;
    if (!res.ok) throw new ApiError(res.status, json && json.error);
    return json;
  }

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  function badge(state) {
    return el("span", { class: "badge s-" + state, text: String(state).replace(/_/g, " ") });
  }

  function bar(percent, big) {
    const p = Math.max(0, Math.min(100, percent || 0));
    const b = el("div", { class: "bar" + (big ? " big" : ""), role: "progressbar",
      "aria-valuenow": p, "aria-valuemin": 0, "aria-valuemax": 100 });
    const fill = el("span");
    fill.style.width = p + "%";
    b.append(fill);
    return b;
  }

  function time(iso) {
    if (!iso) return "";
    const d = new Date(iso);
    return d.toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
  }

  function duration(ms) {
    if (ms === null || ms === undefined) return "";
    if (ms < 1000) return ms + " ms";
    if (ms < 60000) return (ms / 1000).toFixed(1) + " s";
    return Math.floor(ms / 60000) + " min " + Math.round((ms % 60000) / 1000) + " s";
  }

  // Follows a live view: `update` gets the view's JSON at once and at every change; `done` once
  // the run or batch has finished (the stream then ends instead of reconnecting).
  function follow(path, update, done) {
    const indicator = document.getElementById("live");
    const source = new EventSource(path);
    source.addEventListener("update", (e) => {
      if (indicator) { indicator.className = "live"; indicator.textContent = "live"; }
      update(JSON.parse(e.data));
    });
    source.addEventListener("done", () => {
      source.close();
      if (indicator) { indicator.className = "live off"; indicator.textContent = "finished"; }
      if (done) done();
    });
    source.onerror = () => {
      if (indicator && source.readyState !== EventSource.OPEN) {
        indicator.className = "live off"; indicator.textContent = "reconnecting";
      }
    };
    return source;
  }

  function replace(id, ...children) {
    const node = document.getElementById(id);
    node.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined));
    return node;
  }

  function showError(id, err) {
    const items = (err.error && err.error.problems) || [];
    replace(id, el("div", { class: "notice error", role: "alert" },
      el("strong", { text: err.message }),
      items.length > 1 ? el("ul", {}, items.map((p) => el("li", { text: p }))) : null,
      err.status === 401 ? el("div", { text: "Enter the dashboard's token at the top right." }) : null));
  }

  function header(current) {
    const input = el("input", { type: "password", id: "token", placeholder: "dashboard token",
      autocomplete: "off", "aria-label": "dashboard token" });
    const state = el("span", { id: "token-state", text: token() ? "signed in" : "read-only" });
    const save = el("button", { id: "token-save", type: "button", text: "Sign in", onclick: () => {
      if (input.value) sessionStorage.setItem(KEY, input.value.trim());
      input.value = "";
      state.textContent = token() ? "signed in" : "read-only";
    } });
    const nav = el("nav", {},
      [["/", "Active"], ["/workflows", "Start"], ["/history", "History"]].map(([href, text]) =>
        el("a", { href, text, class: current === href ? "current" : null })));
    document.body.prepend(el("header", {},
      el("a", { class: "brand", href: "/", text: "Opsflow" }), nav,
      el("div", { class: "signin" }, state, input, save)));
  }

  return { api, el, badge, bar, time, duration, follow, replace, showError, header, token };
})();
