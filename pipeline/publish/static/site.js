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
