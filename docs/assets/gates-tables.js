/* Sort and filter for the dashboard's long tables (those marked data-gates-sortable).
 *
 * Progressive enhancement: without this script the tables are complete and in the report's order.
 * With it, each header becomes a button (keyboard: Tab, then Enter or Space) that sorts by its
 * column, and a labelled text box above the table hides the rows that do not contain what is typed.
 * No dependency and no network: the file is served with the site.
 */
(function () {
  "use strict";

  var NUMBER = /^-?\d+(?:\.\d+)?%?$/;
  var FILTER_FROM = 6; // rows: a shorter table is read at a glance, a box above it would only be clutter
  var counter = 0;

  // A cell's sort key: a data-sort value inside it when the page gives one (severity ranks), else its text.
  function key(row, column) {
    var cell = row.cells[column];
    if (!cell) return "";
    var ranked = cell.querySelector("[data-sort]");
    return (ranked ? ranked.getAttribute("data-sort") : cell.textContent || "").trim();
  }

  function compare(a, b) {
    if (NUMBER.test(a) && NUMBER.test(b)) return parseFloat(a) - parseFloat(b);
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
  }

  function sortBy(table, column, header) {
    var body = table.tBodies[0];
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var order = compare(key(a, column), key(b, column));
      if (!ascending) order = -order;
      // Stable: equal keys keep the report's order.
      return order || Number(a.getAttribute("data-gates-row")) - Number(b.getAttribute("data-gates-row"));
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function addSorting(table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
      var label = th.textContent;
      if (!label) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "gates-sort";
      button.textContent = label;
      button.title = "Sort by " + label;
      button.addEventListener("click", function () { sortBy(table, column, th); });
      th.textContent = "";
      th.appendChild(button);
    });
  }

  function addFilter(table) {
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var id = "gates-filter-" + (++counter);
    var box = document.createElement("div");
    box.className = "gates-filter";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = "Filter rows";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    var count = document.createElement("span");
    count.className = "gates-filter-count";
    count.setAttribute("role", "status");
    input.addEventListener("input", function () {
      var wanted = input.value.trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (row) {
        var keep = !wanted || (row.textContent || "").toLowerCase().indexOf(wanted) >= 0;
        row.hidden = !keep;
        if (keep) shown += 1;
      });
      count.textContent = wanted ? shown + " of " + rows.length + " rows" : "";
    });
    box.appendChild(label);
    box.appendChild(input);
    box.appendChild(count);
    var wrapper = table.closest(".gates-scroll") || table;
    wrapper.parentNode.insertBefore(box, wrapper);
  }

  function enhance() {
    document.querySelectorAll("table[data-gates-sortable]").forEach(function (table) {
      if (table.hasAttribute("data-gates-enhanced") || !table.tHead || !table.tBodies.length) return;
      table.setAttribute("data-gates-enhanced", "");
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row, index) {
        row.setAttribute("data-gates-row", String(index));
      });
      addSorting(table);
      if (table.tBodies[0].rows.length >= FILTER_FROM) addFilter(table);
    });
  }

  // Material's instant navigation swaps pages without reloading scripts: document$ emits on each page.
  if (typeof document$ !== "undefined") {
    document$.subscribe(enhance);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
