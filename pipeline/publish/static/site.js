// Task tables: filter by unit and text, sort by deadline. Without JS the full table is shown.
(function () {
  "use strict";
  function setup(section) {
    var form = section.querySelector(".task-filter");
    var tbody = section.querySelector("tbody");
    var counter = section.querySelector("[data-count]");
    if (!form || !tbody) { return; }
    var rows = Array.prototype.slice.call(tbody.querySelectorAll("tr"));
    form.hidden = false;
    function apply() {
      var unit = form.elements.unit.value;
      var q = form.elements.q.value.trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (tr) {
        var units = (tr.getAttribute("data-units") || "").split("|");
        var ok = (!unit || units.indexOf(unit) >= 0) && (!q || tr.textContent.toLowerCase().indexOf(q) >= 0);
        tr.hidden = !ok;
        if (ok) { shown += 1; }
      });
      if (counter) { counter.textContent = String(shown); }
    }
    function sort() {
      var byDeadline = form.elements.sort.value === "deadline";
      var sorted = rows.slice().sort(function (a, b) {
        if (byDeadline) {
          var da = a.getAttribute("data-deadline") || "9999";
          var db = b.getAttribute("data-deadline") || "9999";
          if (da !== db) { return da < db ? -1 : 1; }
        }
        return Number(a.getAttribute("data-seq")) - Number(b.getAttribute("data-seq"));
      });
      sorted.forEach(function (tr) { tbody.appendChild(tr); });
    }
    form.addEventListener("input", apply);
    form.addEventListener("change", function (ev) { if (ev.target.name === "sort") { sort(); } apply(); });
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    var params = new URLSearchParams(window.location.search);
    if (params.get("unit")) { form.elements.unit.value = params.get("unit"); }
    apply();
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("section.tasks"), setup);
  });
}());

// Site search: the index (search-index.js, built at ingest) is loaded on first use, so it works offline.
// A query is cut into the index's jieba words by longest match; an entry matches when it holds every word.
(function () {
  "use strict";
  var MAX_WORD = 12, MAX_HITS = 30;
  function segment(q, vocab) {
    var words = [], i = 0;
    q = q.replace(/[\s，。、；：,.;:!?！？（）()《》“”"'\u3000]+/g, " ");
    while (i < q.length) {
      if (q[i] === " ") { i += 1; continue; }
      var found = "";
      for (var n = Math.min(MAX_WORD, q.length - i); n > 1; n -= 1) {
        if (vocab[q.substr(i, n)]) { found = q.substr(i, n); break; }
      }
      if (!found) {
        var m = /^[A-Za-z0-9.%]+/.exec(q.substr(i));
        found = m ? m[0] : q[i];
      }
      words.push(found);
      i += found.length;
    }
    return words;
  }
  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) { return {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"}[c]; });
  }
  function snippet(text, words) {
    var at = -1;
    words.forEach(function (w) { var k = text.indexOf(w); if (k >= 0 && (at < 0 || k < at)) { at = k; } });
    var start = Math.max(0, at - 30), part = text.substr(start, 90);
    var html = escapeHtml(part);
    words.slice().sort(function (a, b) { return b.length - a.length; }).forEach(function (w) {
      var ew = escapeHtml(w);
      if (ew) { html = html.split(ew).join("\u0000" + ew + "\u0001"); }
    });
    html = html.replace(/\u0000/g, "<mark>").replace(/\u0001/g, "</mark>");
    return (start > 0 ? "…" : "") + html + (start + 90 < text.length ? "…" : "");
  }
  function setup(form) {
    var input = form.querySelector("input"), list = form.querySelector(".search-results");
    var root = form.getAttribute("data-root") || "", vocab = null, waiting = null;
    function load(then) {
      if (window.GZ_INDEX) { then(); return; }
      if (waiting) { waiting.push(then); return; }
      waiting = [then];
      var s = document.createElement("script");
      s.src = root + "search-index.js";
      s.onload = function () { var w = waiting; waiting = null; w.forEach(function (f) { f(); }); };
      (document.head || form).appendChild(s);
    }
    function run() {
      var q = input.value.trim();
      if (!q) { list.hidden = true; list.innerHTML = ""; return; }
      load(function () {
        var index = window.GZ_INDEX;
        if (!vocab) { vocab = {}; index.v.forEach(function (w) { vocab[w] = true; }); }
        var words = segment(q, vocab).filter(function (w) { return w.trim(); });
        var hits = index.e.filter(function (e) {
          var hay = e.t + " " + e.x;
          return words.every(function (w) { return hay.indexOf(w) >= 0; });
        });
        var order = {task: 0, doc: 1, para: 2};
        hits.sort(function (a, b) { return order[a.k] - order[b.k]; });
        var html = "<li class=\"count\">" + escapeHtml(form.getAttribute(hits.length ? "data-found" : "data-none").replace("{n}", String(hits.length))) + "</li>";
        hits.slice(0, MAX_HITS).forEach(function (e) {
          html += "<li class=\"hit hit-" + e.k + "\"><a href=\"" + escapeHtml(root + e.u) + "\">" + snippet(e.x || e.t, words) + "</a><span class=\"where\">" + escapeHtml(e.t) + "</span></li>";
        });
        list.innerHTML = html;
        list.hidden = false;
      });
    }
    form.hidden = false;
    input.addEventListener("focus", function () { load(function () {}); });
    input.addEventListener("input", run);
    form.addEventListener("submit", function (ev) { ev.preventDefault(); run(); });
    document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { list.hidden = true; } });
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form.search"), setup);
  });
}());
