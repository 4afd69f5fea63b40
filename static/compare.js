/* medatlas: the comparison page, compare.html#d=first,second[,third[,fourth]].
 *
 * Works from disk (file://): each dataset's data is in compare-data/N.js, a plain script that
 * adds to window.MEDATLAS_COMPARE. N is the FNV-1a hash of the slug modulo the number of files
 * (src/browse.rs computes the same), so only the files holding the chosen datasets are loaded.
 */
(function () {
  "use strict";

  var box = document.getElementById("compare");
  if (!box) return;
  var chunks = +box.getAttribute("data-chunks");
  var view = document.getElementById("compare-view");
  var status = document.getElementById("compare-status");
  var intro = status.innerHTML;

  function chunkOf(slug) {
    var hash = 0x811c9dc5;
    var bytes = unescape(encodeURIComponent(slug));
    for (var i = 0; i < bytes.length; i++) {
      hash ^= bytes.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash % chunks;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  var MAX_COMPARE = 4;

  /* The slugs the fragment names, lowercased (slugs are), without repeats: the first four, and
   * those left over. */
  function selection() {
    var m = /(?:^#|&)d=([^&]*)/i.exec(location.hash), all = [];
    (m ? decodeURIComponent(m[1]).toLowerCase().split(",") : []).forEach(function (slug) {
      slug = slug.trim();
      if (slug && all.indexOf(slug) < 0) all.push(slug);
    });
    return { slugs: all.slice(0, MAX_COMPARE), over: all.slice(MAX_COMPARE) };
  }

  function load(slugs, then) {
    var needed = {}, pending = 0;
    window.MEDATLAS_COMPARE = window.MEDATLAS_COMPARE || {};
    slugs.forEach(function (slug) {
      if (!window.MEDATLAS_COMPARE[slug]) needed[chunkOf(slug)] = true;
    });
    Object.keys(needed).forEach(function (n) {
      pending++;
      var script = document.createElement("script");
      script.src = "compare-data/" + n + ".js";
      script.onload = script.onerror = function () { if (--pending === 0) then(); };
      document.head.appendChild(script);
    });
    if (!pending) then();
  }

  function link(entry) {
    return '<a href="datasets/' + encodeURIComponent(entry.slug) + '.html">' + escapeHtml(entry.name) + "</a>";
  }

  function remove(entries, slug) {
    var rest = entries.filter(function (e) { return e.slug !== slug; }).map(function (e) { return encodeURIComponent(e.slug); });
    return "compare.html#d=" + rest.join(",");
  }

  function fieldsTable(entries) {
    var html = ['<div class="table-scroll"><table class="compare-table"><caption>Facts side by side; rows whose values differ are highlighted</caption><thead><tr><th scope="col">Field</th>'];
    entries.forEach(function (e) {
      html.push('<th scope="col">' + link(e) + ' <a class="remove" href="' + remove(entries, e.slug) + '" aria-label="Remove ' + escapeHtml(e.name) + ' from the comparison">×</a></th>');
    });
    html.push("</tr></thead><tbody>");
    entries[0].fields.forEach(function (field, i) {
      var cells = entries.map(function (e) { return e.fields[i][1]; });
      var differs = cells.some(function (c) { return c !== cells[0]; });
      html.push("<tr" + (differs ? ' class="differs"' : "") + '><th scope="row">' + escapeHtml(field[0]) +
        (differs ? '<span class="visually-hidden"> (differs)</span>' : "") + "</th>");
      cells.forEach(function (c) {
        var text = c === "" ? '<span class="unknown">not published</span>' : /^https?:\/\//.test(c) ? '<a href="' + escapeHtml(c) + '" rel="noopener noreferrer">' + escapeHtml(c) + "</a>" : escapeHtml(c);
        html.push("<td>" + text + "</td>");
      });
      html.push("</tr>");
    });
    html.push("</tbody></table></div>");
    return html.join("");
  }

  /* Class tables aligned by canonical finding: one row per finding any of them has. */
  function labelsTable(entries) {
    var findings = [], byFinding = {};
    entries.forEach(function (e, column) {
      if (!e.table) return;
      e.table.rows.forEach(function (r) {
        var key = r[0].toLowerCase();
        if (!byFinding[key]) { byFinding[key] = { name: r[0], cells: entries.map(function () { return []; }) }; findings.push(byFinding[key]); }
        byFinding[key].cells[column].push(r);
      });
    });
    if (!findings.length) return "<p>None of these datasets publishes a class-count table.</p>";
    var html = ['<div class="table-scroll"><table class="compare-table compare-labels"><caption>Class counts aligned by finding, totals over the splits with prevalence: each dataset\'s table marked preferred, else its official split, else its first, named under the dataset</caption><thead><tr><th scope="col">Finding</th>'];
    entries.forEach(function (e) {
      html.push('<th scope="col">' + link(e) + (e.table ? '<span class="table-title">' +
        (e.table.official === true ? '<span class="badge official">Official split</span> ' : "") +
        '<a href="datasets/' + encodeURIComponent(e.slug) + ".html#" + escapeHtml(e.table.anchor) + '">' + escapeHtml(e.table.title) + "</a> (" + escapeHtml(e.table.unit) +
        (e.table.official === false ? "; not the official split" : "") + ")</span>" : "") + "</th>");
    });
    html.push("</tr></thead><tbody>");
    findings.forEach(function (f) {
      // A finding differs when a dataset that has a class table does not label it.
      var differs = f.cells.some(function (c, column) { return !c.length && entries[column].table; });
      html.push("<tr" + (differs ? ' class="differs"' : "") + '><th scope="row">' + escapeHtml(f.name) + "</th>");
      f.cells.forEach(function (cell, column) {
        if (!cell.length) {
          html.push('<td class="missing">' + (entries[column].table ? "not labelled" : "no counts by label") + "</td>");
          return;
        }
        html.push('<td class="num">' + cell.map(function (r) {
          var name = r[1] !== r[0] ? '<span class="as">as ' + escapeHtml(r[1]) + "</span> " : "";
          return name + escapeHtml(r[2]) + (r[3] ? '<span class="pct">' + escapeHtml(r[3]) + "</span>" : "") +
            (r[4].length ? '<span class="related-key">related to ' + escapeHtml(r[4].join(", ")) + "</span>" : "");
        }).join("<br>") + "</td>");
      });
      html.push("</tr>");
    });
    html.push("</tbody></table></div>");
    return html.join("");
  }

  /* Overlaps between the compared datasets, from the lineage in their data: a relation of one
   * to the other (direct or up a chain), or a dataset both are built from. */
  function overlaps(entries) {
    var found = [];
    function lineage(e) { return e.lineage || { overlap: [], up: [] }; }
    function said(e, slug) {
      var hit = lineage(e).overlap.filter(function (o) { return o[0] === slug; })[0];
      return hit ? hit[1] : null;
    }
    for (var i = 0; i < entries.length; i++) {
      for (var j = i + 1; j < entries.length; j++) {
        var a = entries[i], b = entries[j];
        var text = said(a, b.slug) || said(b, a.slug);
        if (!text) {
          var upB = {};
          lineage(b).up.forEach(function (u) { upB[u[0]] = u[1]; });
          var common = lineage(a).up.filter(function (u) { return upB[u[0]]; })[0];
          if (common) {
            text = a.name + " and " + b.name + " are both built from " + common[1] +
              " data: they may share images and patients, so testing on one after training on the other can leak them.";
          }
        }
        if (text) found.push(text);
      }
    }
    if (!found.length) return "";
    return '<aside class="callout overlap" id="overlap" aria-labelledby="overlap-title"><h2 id="overlap-title">These datasets overlap</h2><ul>' +
      found.map(function (t) { return "<li>" + escapeHtml(t) + "</li>"; }).join("") +
      '</ul><p>See the <a href="lineage.html">lineage page</a>.</p></aside>';
  }

  function render() {
    var chosen = selection(), slugs = chosen.slugs;
    if (slugs.length < 2) {
      status.innerHTML = intro;
      view.innerHTML = "";
      return;
    }
    load(slugs, function () {
      var entries = [], missing = [];
      slugs.forEach(function (s) {
        var e = window.MEDATLAS_COMPARE[s];
        if (e) entries.push(e); else missing.push(s);
      });
      status.textContent = "Comparing " + entries.length + (entries.length === 1 ? " dataset" : " datasets") +
        (missing.length ? "; not found: " + missing.join(", ") : "") +
        (chosen.over.length ? "; at most " + MAX_COMPARE + " datasets are compared at once, so " +
          chosen.over.join(", ") + (chosen.over.length === 1 ? " was" : " were") + " left out" : "") + ".";
      if (entries.length < 1) { view.innerHTML = ""; return; }
      view.innerHTML = overlaps(entries) + "<h2>Facts</h2>" + fieldsTable(entries) + "<h2>Class counts by finding</h2>" + labelsTable(entries) +
        '<p><a href="index.html#d=' + entries.map(function (e) { return encodeURIComponent(e.slug); }).join(",") + '">Change the selection</a></p>';
    });
  }

  window.addEventListener("hashchange", render);
  render();
})();
