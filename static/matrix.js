/* medatlas: filters on the label matrix. Typing in "Findings" keeps the rows whose finding (or
 * synonym) contains the words typed; typing in "Datasets" keeps the columns whose dataset name
 * contains them. Without this script the whole matrix shows, unfiltered. */
(function () {
  "use strict";
  var box = document.getElementById("matrix-filters");
  var table = document.querySelector("table.matrix");
  if (!box || !table) return;
  var findings = document.getElementById("matrix-findings");
  var datasets = document.getElementById("matrix-datasets");
  var shown = document.getElementById("matrix-shown");
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells, 1);
  var rowText = rows.map(function (r) { return r.cells[0].textContent.toLowerCase(); });
  var columnText = headers.map(function (h) { return h.textContent.toLowerCase(); });

  function matches(text, query) {
    return query.split(/\s+/).filter(Boolean).every(function (w) { return text.indexOf(w) >= 0; });
  }

  function apply() {
    var rq = findings.value.toLowerCase(), cq = datasets.value.toLowerCase();
    var keep = columnText.map(function (t) { return matches(t, cq); });
    var rowsShown = 0;
    rows.forEach(function (row, i) {
      var visible = matches(rowText[i], rq);
      row.hidden = !visible;
      if (visible) rowsShown++;
      for (var c = 1; c < row.cells.length; c++) row.cells[c].hidden = !keep[c - 1];
    });
    headers.forEach(function (h, c) { h.hidden = !keep[c]; });
    var columnsShown = keep.filter(Boolean).length;
    shown.textContent = rowsShown + " of " + rows.length + " findings, " + columnsShown + " of " + headers.length + " datasets";
  }

  box.hidden = false;
  findings.addEventListener("input", apply);
  datasets.addEventListener("input", apply);
  apply();
})();
