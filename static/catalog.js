/* medatlas: search, facets, sorting and the comparison picker on the index page.
 *
 * Works from disk (file://) with no network: the data is search-index.js and the shards under
 * search/, plain scripts that call window.medatlasShard(name, data) (no fetch(), no modules, no
 * wasm; see src/derive/search_files.rs). search-index.js (the core: facets, synonyms, and per
 * dataset its facet terms and year) is loaded first; display records, postings of the words
 * with a prefix, letter files and sort orders are loaded when a view needs them, and the view
 * is shown once all it needs has arrived. Without JavaScript the page keeps its full table and
 * the browse-by links; this script hides them and shows the finder.
 *
 * The page's state lives in the URL fragment, e.g.
 *   index.html#q=effusion&modality=x-ray&access=open&sort=size
 * so a filtered view can be bookmarked, shared and opened from disk.
 *
 * In the single-file edition (the finder marked data-single-file) the shards are in the page,
 * as JSON data blocks <script type="application/json" data-shard="NAME">, read when a view
 * needs them; results link to the datasets' sections (data-dataset-href); there is no
 * comparison; and the finder owns only fragments that are empty or hold "=": any other names
 * a section, which single.js shows.
 */
(function () {
  "use strict";

  var finder = document.getElementById("finder");
  if (!finder) return;

  // Facets: URL key and heading, in the order of the core file's sets.
  var FACETS = [
    { key: "modality", title: "Modality" },
    { key: "region", title: "Body region" },
    { key: "task", title: "Task" },
    { key: "access", title: "Access" },
    { key: "commercial", title: "Commercial use" },
    { key: "redistribution", title: "Redistribution" },
    { key: "label", title: "Label", grouped: true },
    { key: "annotation", title: "Annotation types" },
    { key: "method", title: "Label method" }
  ];
  // Display record positions (Record in src/derive/search.rs).
  var SLUG = 0, NAME = 1, SUMMARY = 2, ALIASES = 3, SHOWN_SIZE = 4, SHOWN_PATIENTS = 5, SIZE_GROUP = 6;
  var WHAT = { modality: 7, region: 8, task: 9 };
  // Entries without a main-unit count, after the counted ones (src/derive/size.rs).
  var SIZE_GROUPS = ["", "Size not stated by the source", "Size not yet checked"];
  var PAGE = 50;
  var MAX_COMPARE = 4;
  var SINGLE = finder.hasAttribute("data-single-file");
  var DATASET_HREF = finder.getAttribute("data-dataset-href") || "datasets/{}.html";

  var el = {
    q: document.getElementById("finder-q"),
    sort: document.getElementById("finder-sort"),
    facets: document.getElementById("finder-facets"),
    status: document.getElementById("finder-status"),
    results: document.getElementById("finder-results"),
    more: document.getElementById("finder-more"),
    reset: document.getElementById("finder-reset"),
    compare: document.getElementById("finder-compare"),
    compareCount: document.getElementById("finder-compare-count"),
    compareLink: document.getElementById("finder-compare-link"),
    compareClear: document.getElementById("finder-compare-clear"),
    staticCatalog: document.getElementById("static-catalog"),
    filtersToggle: document.getElementById("finder-filters-toggle")
  };

  var data = null;          // the core file, also window.MEDATLAS_INDEX
  var N = 0;                // datasets
  var columns = {};         // facet key -> { start, items }: datasets' term indexes (CSR)
  var years = null;         // Int32Array, NO_YEAR for none
  var NO_YEAR = -2147483648;
  var shards = {};          // loaded shards by name
  var requested = {};       // shard names whose script was added
  var waitingFor = [];      // the shards the latest view waits for
  var missing = [];         // shards a computation found absent
  var counts = {};          // facet key -> Int32Array of counts per term
  var state = emptyState();
  var shown = PAGE;
  /* How many datasets the year filter leaves out only because they have no year. */
  var withoutYear = 0;
  var lastResults = [];
  /* lastUpdateMs: script time of the last update that showed results (stagesMs: of its
   * search, filter, sort and render); lastLatencyMs: from the change (keystroke, click) to the
   * shown results, shards loaded in between included; pending: a view waits for shards;
   * fragmentPending: the URL fragment is yet to follow the view shown; shardMs: per shard
   * loaded, the milliseconds from its request to its data. */
  var api = (window.medatlasFinder = { lastUpdateMs: 0, lastLatencyMs: 0, updates: 0, pending: false, fragmentPending: false, shardMs: {} });

  function emptyState() {
    var s = { q: "", sort: "", year: [null, null], d: [], filters: {} };
    FACETS.forEach(function (f) { s.filters[f.key] = []; });
    return s;
  }

  // ---------------------------------------------------------------- loading

  var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_", DIGIT = {};
  for (var di = 0; di < 64; di++) DIGIT[DIGITS.charCodeAt(di)] = di;

  /* Every shard calls this with its name and data. */
  window.medatlasShard = function (name, value) {
    shards[name] = value;
    if (requested[name]) api.shardMs[name] = performance.now() - requested[name];
    if (name === "core") return start(value);
    var at = waitingFor.indexOf(name);
    if (at < 0) return;
    waitingFor.splice(at, 1);
    if (!waitingFor.length) show();
  };

  function loadScript(name, path) {
    if (requested[name]) return;
    requested[name] = performance.now();
    var script = document.createElement("script");
    script.src = path;
    script.setAttribute("data-shard", name);
    // Without its data the finder cannot work: fall back to the full static table.
    script.onerror = fail;
    document.head.appendChild(script);
  }

  function fail() {
    document.documentElement.classList.remove("js");
    if (el.staticCatalog) el.staticCatalog.hidden = false;
    finder.hidden = true;
  }

  /* The shards carried by the page itself (the single-file edition), by name. */
  var inline = {};
  Array.prototype.forEach.call(document.querySelectorAll('script[type="application/json"][data-shard]'), function (block) {
    inline[block.getAttribute("data-shard")] = block;
  });

  /* A shard the page carries, read once; null when it carries none of that name. */
  function fromPage(name) {
    var block = inline[name];
    if (!block) return null;
    delete inline[name];
    return (shards[name] = JSON.parse(block.textContent));
  }

  /* A shard's data, or null (and its name in missing) when not yet loaded. */
  function shard(name) {
    if (shards[name] || fromPage(name)) return shards[name];
    if (missing.indexOf(name) < 0) missing.push(name);
    return null;
  }

  /* Load the shards in missing; show() runs again once they all have arrived. */
  function request(names) {
    waitingFor = names.slice();
    names.forEach(function (name) { loadScript(name, "search/" + name + ".js"); });
  }

  /* A list of varints (src/derive/search_files.rs): 5 bits per digit, lowest first, digits
   * 32..63 saying another follows. */
  function varints(text) {
    var out = [], value = 0, scale = 1;
    for (var i = 0; i < text.length; i++) {
      var v = DIGIT[text.charCodeAt(i)];
      if (v >= 32) { value += (v - 32) * scale; scale *= 32; }
      else { out.push(value + v * scale); value = 0; scale = 1; }
    }
    return out;
  }

  /* The datasets of a doc set: "b" and a bitmap of six per digit, or "g" and varint gaps. */
  function docSet(text, each) {
    if (text[0] === "b") {
      for (var i = 1; i < text.length; i++) {
        var bits = DIGIT[text.charCodeAt(i)];
        for (var b = 0; bits; b++, bits >>= 1) if (bits & 1) each((i - 1) * 6 + b);
      }
    } else {
      var doc = -1;
      varints(text.slice(1)).forEach(function (gap) { doc += gap + 1; each(doc); });
    }
  }

  /* Each facet's term sets, as per-dataset lists of term indexes (CSR: start, items). */
  function decodeColumns() {
    FACETS.forEach(function (f) {
      var sets = data.sets[f.key], start = new Int32Array(N + 1);
      sets.forEach(function (set) { docSet(set, function (d) { start[d + 1]++; }); });
      for (var d = 0; d < N; d++) start[d + 1] += start[d];
      var items = new Int32Array(start[N]), fill = start.slice(0, N);
      sets.forEach(function (set, t) { docSet(set, function (d) { items[fill[d]++] = t; }); });
      columns[f.key] = { start: start, items: items };
    });
    years = fixedColumn(data.years[1], data.years[2]);
    for (var y = 0; y < N; y++) years[y] = years[y] ? data.years[0] + years[y] - 1 : NO_YEAR;
  }

  /* A column of one number per dataset, each of width digits, highest first. */
  function fixedColumn(width, text) {
    var out = new Int32Array(N);
    for (var d = 0; d < N; d++) {
      var v = 0;
      for (var k = 0; k < width; k++) v = v * 64 + DIGIT[text.charCodeAt(d * width + k)];
      out[d] = v;
    }
    return out;
  }

  function load() {
    if (shards.core || fromPage("core")) return start(shards.core);
    loadScript("core", "search-index.js");
  }

  function start(core) {
    if (data) return;
    data = window.MEDATLAS_INDEX = core;
    N = data.n;
    decodeColumns();
    (data.synonyms || []).forEach(function (group, g) {
      group.forEach(function (phrase) { synonymOf[phrase] = g; });
    });
    FACETS.forEach(function (f) { counts[f.key] = new Int32Array(data.facets[f.key].length); });
    keySet = {};
    data.shards.forEach(function (k) { keySet[k] = true; });
    buildFacets();
    readFragment();
    el.staticCatalog.hidden = true;
    finder.hidden = false;
    bind();
    update(false);
  }

  // ---------------------------------------------------------------- search

  function words(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean).map(fold);
  }

  /* A word with its British spelling folded to the American one, as the index was built
   * (fold in src/derive/search.rs): tumour/tumor, haemorrhage/hemorrhage, oesophagus/esophagus,
   * centre/center, catalogue/catalog, also before a plural s. */
  function fold(word) {
    if (word.length < 5 || /[^\x00-\x7f]/.test(word)) return word;
    var consonant = function (c) { return c >= "a" && c <= "z" && "aeiouy".indexOf(c) < 0; };
    var out = "";
    for (var i = 0; i < word.length; i++) {
      var pair = word.substr(i, 2);
      if ((pair === "ae" && i > 0 && i + 2 < word.length && consonant(word[i - 1]) && consonant(word[i + 2])) ||
          (pair === "oe" && i === 0 && word.length > 2 && consonant(word[2]))) {
        out += "e";
        i++;
      } else {
        out += word[i];
      }
    }
    var plural = out.length > 5 && out[out.length - 1] === "s" ? 1 : 0, stem = out.length - plural;
    var head = out.slice(0, stem), tail = out.slice(stem);
    if (stem >= 6 && /our$/.test(head) && consonant(head[stem - 4])) head = head.slice(0, -3) + "or";
    else if (stem >= 5 && /tre$/.test(head) && consonant(head[stem - 4])) head = head.slice(0, -3) + "ter";
    else if (/ogue$/.test(head)) head = head.slice(0, -2);
    return head + tail;
  }

  /* The phrases search takes for one another (a vocabulary term's id, name and synonyms; a
   * finding's name and synonyms), by phrase: the index of its group in data.synonyms. */
  var synonymOf = {};

  /* The query as slots: a run of words that is a phrase of a synonym group is one slot that any
   * phrase of the group fills ("xray" = "x ray" = "radiograph"); any other word is a slot of its
   * own. A doc must fill every slot. */
  function slots(qwords) {
    var out = [], i = 0;
    while (i < qwords.length) {
      var taken = 1, group = -1;
      for (var n = Math.min(4, qwords.length - i); n >= 1; n--) {
        var phrase = qwords.slice(i, i + n).join(" ");
        if (Object.prototype.hasOwnProperty.call(synonymOf, phrase)) { taken = n; group = synonymOf[phrase]; break; }
      }
      var own = qwords.slice(i, i + taken), alts = [own];
      if (group >= 0) {
        data.synonyms[group].forEach(function (p) {
          if (p !== own.join(" ")) alts.push(p.split(" "));
        });
      }
      out.push({ words: own, alts: alts });
      i += taken;
    }
    return out;
  }

  function firstAtLeast(terms, prefix) {
    var lo = 0, hi = terms.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (terms[mid] < prefix) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /* The file name part of a shard key (key_name in src/derive/search_files.rs). */
  function keyName(key) {
    return Array.from(key).map(function (c) {
      return /^[a-z0-9]$/.test(c) ? c : "_" + c.codePointAt(0).toString(16) + "_";
    }).join("");
  }

  var keySet = {};

  /* The postings shards that may hold words starting with word (of two characters or more):
   * those whose key starts the word, and those whose key the word starts. */
  function shardsFor(word) {
    var chars = Array.from(word), names = [];
    for (var i = 1; i < chars.length; i++) {
      var head = chars.slice(0, i).join("");
      if (keySet[head]) names.push(head);
    }
    for (var k = firstAtLeast(data.shards, word); k < data.shards.length && data.shards[k].lastIndexOf(word, 0) === 0; k++) {
      names.push(data.shards[k]);
    }
    return names;
  }

  /* The letter file of a word's first character, or null: undefined when no word starts with
   * it; null (and the file in missing) when not yet loaded. */
  function letterFile(word) {
    var first = Array.from(word)[0];
    if (!data.shards.some(function (k) { return k.lastIndexOf(first, 0) === 0; })) return undefined;
    return shard("l-" + keyName(first));
  }

  /* The postings of a shard's i-th word, decoded on first use: [doc, field, doc, field, ...]. */
  function postings(part, i) {
    if (!part.decoded) part.decoded = [];
    if (!part.decoded[i]) {
      var list = varints(part.postings[i]), out = new Int32Array(list.length * 2), doc = 0;
      for (var j = 0; j < list.length; j++) {
        doc += Math.floor(list[j] / 8);
        out[2 * j] = doc;
        out[2 * j + 1] = list[j] % 8;
      }
      part.decoded[i] = out;
    }
    return part.decoded[i];
  }

  /* The best score of each doc for one word: the rank of the best field a word starting with
   * it was found in (name 7 ... body 1), doubled, plus one for a whole-word match; 0 where no
   * word of the doc starts with it. A word of one letter takes its letter file's scores.
   * null while a shard it needs is not loaded. */
  function wordScores(word, cache) {
    if (cache[word]) return cache[word];
    var best = new Int32Array(N);
    if (Array.from(word).length === 1) {
      var letter = letterFile(word);
      if (letter === null) return null;
      if (letter) {
        var list = varints(letter.best), doc = 0;
        for (var j = 0; j < list.length; j++) {
          doc += Math.floor(list[j] / 16);
          best[doc] = list[j] % 16;
        }
      }
      cache[word] = best;
      return best;
    }
    var names = shardsFor(word), parts = [];
    names.forEach(function (name) {
      var part = shard("p-" + keyName(name));
      if (part) parts.push(part);
    });
    if (parts.length < names.length) return null;
    parts.forEach(function (part) {
      for (var i = firstAtLeast(part.terms, word); i < part.terms.length && part.terms[i].lastIndexOf(word, 0) === 0; i++) {
        var list = postings(part, i), exact = part.terms[i] === word ? 1 : 0;
        for (var j = 0; j < list.length; j += 2) {
          var s = list[j + 1] * 2 + exact;
          if (s > best[list[j]]) best[list[j]] = s;
        }
      }
    });
    cache[word] = best;
    return best;
  }

  /* The indexed word closest to a word no indexed word starts with: one edit away (two for a
   * word of eight letters or more), starting with the same letter; null if none is (or while
   * the letter's file is not loaded). */
  function closestTerm(word) {
    if (word.length < 4) return null;
    var letter = letterFile(word);
    if (!letter) return null;
    var limit = word.length >= 8 ? 2 : 1, best = null, bestDistance = limit + 1;
    letter.terms.forEach(function (term) {
      if (Math.abs(term.length - word.length) > limit) return;
      var d = editDistance(word, term, limit);
      if (d < bestDistance) { bestDistance = d; best = term; }
    });
    return best;
  }

  /* Levenshtein distance, or limit + 1 once it is sure to exceed limit. */
  function editDistance(a, b, limit) {
    var previous = [], current = [];
    for (var j = 0; j <= b.length; j++) previous[j] = j;
    for (var i = 1; i <= a.length; i++) {
      current = [i];
      var rowMin = i;
      for (j = 1; j <= b.length; j++) {
        current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (current[j] < rowMin) rowMin = current[j];
      }
      if (rowMin > limit) return limit + 1;
      previous = current;
    }
    return previous[b.length];
  }

  /* What the last search did besides matching every word: words corrected, and whether it fell
   * back to datasets matching only some of the words. */
  var searchNote = { corrected: [], partial: false };

  /* Score every doc against the query. Each slot (see slots) must be filled: each word of one
   * of its phrases must start a word of the doc (case-insensitive); the score adds each slot's
   * best phrase, a phrase scoring the sum of its words (wordScores). A word that starts no
   * indexed word is replaced by the closest indexed word, if one is near. When no doc fills
   * every slot, docs filling some are ranked by how many. Returns null for an empty query
   * (everything matches); while shards it needs are not loaded, what it returns is not used
   * (missing names them). */
  function scoreQuery(query) {
    var qwords = words(query);
    searchNote = { corrected: [], partial: false };
    if (!qwords.length) return null;
    var n = N, cache = {}, list = slots(qwords);
    var total = new Int32Array(n), filled = new Uint8Array(n);
    list.forEach(function (slot) {
      var best = new Int32Array(n), any = false, absent = false;
      slot.alts.forEach(function (alt) {
        var scores = alt.map(function (w) { return wordScores(w, cache); });
        if (scores.some(function (s) { return !s; })) { absent = true; return; }
        for (var d = 0; d < n; d++) {
          var sum = 0;
          for (var k = 0; k < scores.length && sum >= 0; k++) sum = scores[k][d] ? sum + scores[k][d] : -1;
          if (sum > best[d]) { best[d] = sum; any = true; }
        }
      });
      if (absent) return;
      if (!any && slot.words.length === 1) {
        var near = closestTerm(slot.words[0]), scores = near && wordScores(near, cache);
        if (scores) {
          searchNote.corrected.push([slot.words[0], near]);
          for (var d = 0; d < n; d++) best[d] = scores[d];
        }
      }
      for (var e = 0; e < n; e++) {
        if (best[e]) { total[e] += best[e]; filled[e]++; }
      }
    });
    var all = 0;
    for (var k = 0; k < n; k++) if (filled[k] === list.length) all++;
    if (all === 0 && list.length > 1) {
      searchNote.partial = true;
      for (var m = 0; m < n; m++) if (filled[m]) total[m] += filled[m] * 1000;
      return total;
    }
    for (var z = 0; z < n; z++) if (filled[z] !== list.length) total[z] = 0;
    return total;
  }

  // ---------------------------------------------------------------- filtering and counting

  function facetSelected(d, key, selected) {
    if (!selected.length) return true;
    var c = columns[key];
    for (var i = c.start[d]; i < c.start[d + 1]; i++) if (selected.indexOf(c.items[i]) >= 0) return true;
    return false;
  }

  /* Does the doc pass every facet (for counting the results the year filter alone leaves out)? */
  function facetsPass(d) {
    for (var f = 0; f < FACETS.length; f++) {
      if (!facetSelected(d, FACETS[f].key, state.filters[FACETS[f].key])) return false;
    }
    return true;
  }

  function yearSelected(d) {
    var from = state.year[0], to = state.year[1], year = years[d];
    if (from === null && to === null) return true;
    if (year === NO_YEAR) return false;
    return (from === null || year >= from) && (to === null || year <= to);
  }

  /* One pass over the docs: a doc that fails no facet is a result; facet counts are
   * "disjunctive": a term's count is how many docs would match if that term were added to its
   * facet's selection, i.e. the doc must pass every other facet. */
  function filter(scores) {
    var results = [];
    withoutYear = 0;
    FACETS.forEach(function (f) { counts[f.key].fill(0); });
    var selections = FACETS.map(function (f) { return state.filters[f.key]; });
    var cols = FACETS.map(function (f) { return columns[f.key]; });
    var tallies = FACETS.map(function (f) { return counts[f.key]; });
    for (var d = 0; d < N; d++) {
      if (scores && !scores[d]) continue;
      if (!yearSelected(d)) {
        if (years[d] === NO_YEAR && facetsPass(d)) withoutYear++;
        continue;
      }
      var failed = -1, failures = 0;
      for (var f = 0; f < FACETS.length && failures < 2; f++) {
        if (!facetSelected(d, FACETS[f].key, selections[f])) { failed = f; failures++; }
      }
      if (failures === 0) results.push(d);
      if (failures >= 2) continue;
      for (var g = 0; g < FACETS.length; g++) {
        if (failures === 1 && g !== failed) continue;
        var col = cols[g], c = tallies[g];
        for (var i = col.start[d]; i < col.start[d + 1]; i++) c[col.items[i]]++;
      }
    }
    return results;
  }

  /* Sort the results: by relevance, then catalog order (which is by name); by name; by year,
   * newest first; by size or patients, as the sort file places them (largest first, those
   * without a number last). */
  function sortResults(results, scores) {
    var key = state.sort;
    if (key === "size" || key === "patients") {
      var sorted = shard("sort-" + key);
      if (!sorted) return;
      if (!sorted.place) sorted.place = fixedColumn(sorted[0], sorted[1]);
      var place = sorted.place;
      results.sort(function (a, b) { return place[a] - place[b]; });
      return;
    }
    results.sort(function (a, b) {
      if (key === "year") {
        var x = years[a], y = years[b];
        if (x !== y) {
          if (x === NO_YEAR) return 1;
          if (y === NO_YEAR) return -1;
          return y - x;
        }
      } else if (key !== "name" && scores && scores[a] !== scores[b]) {
        return scores[b] - scores[a];
      }
      return a - b;
    });
  }

  // ---------------------------------------------------------------- rendering

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /* Wrap each word that starts with a query word in <mark>. */
  function highlight(text, qwords) {
    if (!qwords.length) return escapeHtml(text);
    return text.split(/([\p{L}\p{N}]+)/u).map(function (part, i) {
      if (i % 2 === 1) {
        var lower = fold(part.toLowerCase());
        for (var w = 0; w < qwords.length; w++) {
          if (lower.lastIndexOf(qwords[w], 0) === 0) return "<mark>" + escapeHtml(part) + "</mark>";
        }
      }
      return escapeHtml(part);
    }).join("");
  }

  function number(n) {
    return n === null ? '<span class="unknown" title="not yet checked"><span aria-hidden="true">–</span><span class="visually-hidden">not yet checked</span></span>' : thousands(n);
  }

  /* A dataset's display record, from its loaded shard. */
  function record(d) {
    var part = shards["d-" + Math.floor(d / data.per)];
    return part ? part[d % data.per] : null;
  }

  /* The one term of a single-valued facet a dataset has, or -1. */
  function single(d, key) {
    var c = columns[key];
    return c.start[d + 1] > c.start[d] ? c.items[c.start[d]] : -1;
  }

  function names(doc, key) {
    var list = data.facets[key];
    return doc[WHAT[key]].map(function (i) { return escapeHtml(list[i][1]); }).join(", ");
  }

  /* What a licence allows, in words: from the doc's answers for commercial use and
   * redistribution (yes, no or unclear). */
  var LICENCE_WORDS = {
    commercial: { yes: "commercial use allowed", no: "no commercial use", unclear: "commercial use unclear" },
    redistribution: { yes: "may be redistributed", no: "no redistribution", unclear: "redistribution unclear" }
  };

  function licenceChips(d) {
    return ["commercial", "redistribution"].map(function (key) {
      var answer = data.facets[key][single(d, key)];
      if (!answer) return "";
      return '<span class="licence-chip licence-' + escapeHtml(answer[0]) + '">' + LICENCE_WORDS[key][answer[0]] + "</span>";
    }).join("");
  }

  /* One result: name, aliases and summary on the left; what it is (modality, region, task) under
   * them; size, patients, year, access and what its licence allows on the right. */
  function row(d, qwords) {
    var doc = record(d), slug = doc[SLUG], access = data.facets.access[single(d, "access")] || ["", ""];
    var checked = state.d.indexOf(slug) >= 0;
    var aliases = doc[ALIASES].length ? '<span class="aliases">' + highlight(doc[ALIASES].join(", "), qwords) + "</span>" : "";
    var what = [names(doc, "modality"), names(doc, "region"), names(doc, "task")].filter(Boolean).join(" · ");
    var more = [doc[SHOWN_PATIENTS] === null ? "" : escapeHtml(doc[SHOWN_PATIENTS]) + " patients", years[d] === NO_YEAR ? "" : String(years[d])].filter(Boolean).join(" · ");
    return '<li class="result' + (checked ? " selected" : "") + '">' +
      (el.compare ? '<input type="checkbox" class="result-select" data-slug="' + escapeHtml(slug) + '" aria-label="Compare ' + escapeHtml(doc[NAME]) + '"' + (checked ? " checked" : "") + ">" : "") +
      '<div class="result-main"><span class="result-title"><a class="result-name" href="' + escapeHtml(datasetHref(slug)) + '">' + highlight(doc[NAME], qwords) + "</a>" + aliases + "</span>" +
      '<span class="summary" title="' + escapeHtml(doc[SUMMARY]) + '">' + highlight(doc[SUMMARY], qwords) + "</span>" +
      '<span class="result-what">' + what + licenceChips(d) + "</span></div>" +
      '<div class="result-side"><span class="result-size">' + sizeCell(doc) + "</span>" +
      '<span class="badge access-' + escapeHtml(access[0]) + '">' + escapeHtml(access[1]) + "</span>" +
      (more ? '<span class="result-more">' + more + "</span>" : "") + "</div></li>";
  }

  /* Where a result links: the dataset's page, or its section of the single file. */
  function datasetHref(slug) {
    return DATASET_HREF.replace("{}", encodeURIComponent(slug));
  }

  function sizeCell(doc) {
    var text = escapeHtml(doc[SHOWN_SIZE]);
    return doc[SIZE_GROUP] ? '<span class="unknown">' + text + "</span>" : text;
  }

  /* Sorted by size, the entries without a main-unit count come in labelled groups. */
  function groupRow(results, i) {
    if (state.sort !== "size") return "";
    var group = record(results[i])[SIZE_GROUP];
    if (!group || (i > 0 && record(results[i - 1])[SIZE_GROUP] === group)) return "";
    return '<li class="size-group">' + SIZE_GROUPS[group] + "</li>";
  }

  function renderResults(results) {
    var qwords = words(state.q), html = [];
    var end = Math.min(shown, results.length);
    for (var i = 0; i < end; i++) html.push(groupRow(results, i) + row(results[i], qwords));
    if (!results.length) {
      html.push('<li class="empty">No datasets match. ' +
        (activeFilters() ? 'Try <button type="button" class="button-link" data-clear-filters>removing the filters</button>, or ' : "Try ") +
        "a shorter or different word: search matches the start of words, and knows other names of modalities, body regions and findings (xray, CXR, tumour, COVID).</li>");
    }
    el.results.innerHTML = html.join("");
    el.more.hidden = results.length <= shown;
    el.more.textContent = "Show " + Math.min(PAGE * 5, results.length - shown) + " more of " + thousands(results.length - shown) + " remaining";
    var total = N;
    el.status.textContent = results.length === total
      ? "All " + thousands(total) + " datasets"
      : thousands(results.length) + " of " + thousands(total) + " datasets match";
    if (searchNote.corrected.length) {
      el.status.textContent += "; no dataset has " + searchNote.corrected.map(function (c) { return "\u201c" + c[0] + "\u201d"; }).join(" or ") +
        ", so these are for " + searchNote.corrected.map(function (c) { return "\u201c" + c[1] + "\u201d"; }).join(" and ");
    }
    if (searchNote.partial) el.status.textContent += "; none matches every word: these match some of them";
    if (withoutYear) {
      el.status.textContent += "; " + thousands(withoutYear) + (withoutYear === 1 ? " dataset has" : " datasets have") +
        " no year and " + (withoutYear === 1 ? "is" : "are") + " left out by the year filter";
    }
    el.reset.hidden = !activeFilters() && !state.q;
    var active = FACETS.reduce(function (n, f) { return n + state.filters[f.key].length; }, 0) +
      (state.year[0] !== null || state.year[1] !== null ? 1 : 0);
    el.filtersToggle.textContent = active ? "Filters (" + active + " on)" : "Filters";
  }

  function facetItem(f, t, i, hidden) {
    var id = "facet-" + f.key + "-" + i;
    return '<li' + (hidden ? " hidden" : "") + ' data-index="' + i + '"><input type="checkbox" id="' + id + '" data-facet="' + f.key + '" value="' + i + '">' +
      '<label for="' + id + '" title="' + escapeHtml(t[1]) + '"><span class="term">' + escapeHtml(t[1]) + '</span> <span class="count" data-count></span></label></li>';
  }

  /* The label facet: the labels some dataset has, grouped under the body region their datasets
   * most often cover (ties to the region the vocabulary lists first; a closed group each), with
   * a box that filters them by name. */
  function groupedFacet(f, terms) {
    // How many datasets of each body region have each label (one row of R counts per label).
    var regions = data.facets.region, R = regions.length, own = columns[f.key], region = columns.region;
    var used = new Uint8Array(terms.length), byRegion = new Int32Array(terms.length * R);
    for (var d = 0; d < N; d++) {
      for (var j = own.start[d]; j < own.start[d + 1]; j++) {
        var i = own.items[j];
        used[i] = 1;
        for (var k = region.start[d]; k < region.start[d + 1]; k++) byRegion[i * R + region.items[k]]++;
      }
    }
    var groups = regions.map(function () { return []; }), other = [];
    terms.forEach(function (t, i) {
      if (!used[i]) return;
      var best = -1;
      for (var r = 0; r < R; r++) if (byRegion[i * R + r] && (best < 0 || byRegion[i * R + r] > byRegion[i * R + best])) best = r;
      (best < 0 ? other : groups[best]).push(i);
    });
    var named = groups.map(function (items, r) { return [regions[r][1], items]; }).filter(function (g) { return g[1].length; });
    if (other.length) named.push(["Other", other]);
    var count = named.reduce(function (n, g) { return n + g[1].length; }, 0);
    var html = ['<label class="visually-hidden" for="facet-' + f.key + '-filter">Filter the labels</label>' +
      '<input type="search" class="facet-filter" id="facet-' + f.key + '-filter" placeholder="Filter ' + count + ' labels" autocomplete="off" spellcheck="false">'];
    named.forEach(function (g) {
      html.push('<details class="facet-group"><summary>' + escapeHtml(g[0]) + ' <span class="group-size">' + g[1].length + "</span></summary><ul>");
      g[1].forEach(function (i) { html.push(facetItem(f, terms[i], i, false)); });
      html.push("</ul></details>");
    });
    return html.join("");
  }

  function filterGroupedFacet(input) {
    var box = input.closest("fieldset"), query = words(input.value);
    box.querySelectorAll("details.facet-group").forEach(function (group) {
      var any = false;
      group.querySelectorAll("li[data-index]").forEach(function (li) {
        var text = words(li.querySelector(".term").textContent).join(" ");
        var visible = query.every(function (w) { return text.indexOf(w) >= 0; });
        li.hidden = !visible;
        if (visible) any = true;
      });
      group.hidden = !any;
      group.open = query.length ? any : !!group.querySelector("input:checked");
    });
  }

  function buildFacets() {
    var html = [];
    FACETS.forEach(function (f) {
      var terms = data.facets[f.key];
      if (!terms.length) return;
      if (f.grouped) {
        html.push('<fieldset class="facet facet-grouped" data-facet="' + f.key + '"><legend>' + f.title + "</legend>" + groupedFacet(f, terms) + "</fieldset>");
        return;
      }
      html.push('<fieldset class="facet" data-facet="' + f.key + '"><legend>' + f.title + "</legend><ul>");
      terms.forEach(function (t, i) { html.push(facetItem(f, t, i, f.collapsed && i >= f.collapsed)); });
      html.push("</ul>");
      if (f.collapsed && terms.length > f.collapsed) {
        html.push('<button type="button" class="button-link" data-expand="' + f.key + '" aria-expanded="false">Show all ' + terms.length + "</button>");
      }
      html.push("</fieldset>");
    });
    var min = "", max = "";
    years.forEach(function (y) {
      if (y === NO_YEAR) return;
      if (min === "" || y < min) min = y;
      if (max === "" || y > max) max = y;
    });
    html.push('<fieldset class="facet facet-year"><legend>Year</legend>' +
      '<label for="facet-year-from">From</label> <input type="number" id="facet-year-from" inputmode="numeric" min="' + min + '" max="' + max + '" placeholder="' + min + '">' +
      ' <label for="facet-year-to">to</label> <input type="number" id="facet-year-to" inputmode="numeric" min="' + min + '" max="' + max + '" placeholder="' + max + '"></fieldset>');
    el.facets.innerHTML = html.join("");
  }

  /* Numbers with thousands separators (one formatter: toLocaleString makes one per call). */
  var formatter = new Intl.NumberFormat("en-US");
  function thousands(n) {
    return formatter.format(n);
  }

  /* Each facet's term items with their inputs and count elements, found once. */
  var facetItems = null;

  function renderFacets() {
    if (!facetItems) {
      facetItems = {};
      FACETS.forEach(function (f) {
        var box = el.facets.querySelector('fieldset[data-facet="' + f.key + '"]');
        facetItems[f.key] = box ? Array.prototype.map.call(box.querySelectorAll("li[data-index]"), function (li) {
          return { li: li, i: +li.getAttribute("data-index"), input: li.querySelector("input"), count: li.querySelector("[data-count]") };
        }) : [];
      });
    }
    FACETS.forEach(function (f) {
      var c = counts[f.key], selected = state.filters[f.key];
      facetItems[f.key].forEach(function (item) {
        var li = item.li, i = item.i, input = item.input, text = thousands(c[i]);
        input.checked = selected.indexOf(i) >= 0;
        if (input.checked && li.closest("details")) li.closest("details").open = true;
        if (item.count.textContent !== text) item.count.textContent = text;
        li.classList.toggle("empty", c[i] === 0 && !input.checked);
        // A term no dataset would match is shown, but skipped by Tab.
        input.tabIndex = c[i] === 0 && !input.checked ? -1 : 0;
        if (input.checked && !f.grouped) li.hidden = false;
      });
    });
    document.getElementById("facet-year-from").value = state.year[0] === null ? "" : state.year[0];
    document.getElementById("facet-year-to").value = state.year[1] === null ? "" : state.year[1];
  }

  function renderCompare() {
    if (!el.compare) return;
    var n = state.d.length;
    el.compare.hidden = n === 0;
    el.compareCount.textContent = n + " selected" + (n < 2 ? ": pick at least 2 to compare" : n >= MAX_COMPARE ? " (the most that can be compared)" : "");
    el.compareLink.href = "compare.html#d=" + state.d.map(encodeURIComponent).join(",");
    el.compareLink.classList.toggle("disabled", n < 2);
    el.compareLink.setAttribute("aria-disabled", n < 2 ? "true" : "false");
    el.results.querySelectorAll("input[data-slug]").forEach(function (box) {
      box.disabled = !box.checked && n >= MAX_COMPARE;
    });
  }

  function activeFilters() {
    return state.year[0] !== null || state.year[1] !== null ||
      FACETS.some(function (f) { return state.filters[f.key].length > 0; });
  }

  // ---------------------------------------------------------------- state in the URL fragment

  /* Whether the URL fragment is the finder's state: always on the site; in the single file
   * only when empty or holding "=" (any other names a section). */
  function ownsFragment() {
    var hash = location.hash.replace(/^#/, "");
    return !SINGLE || !hash || hash.indexOf("=") >= 0;
  }

  function writeFragment() {
    if (!ownsFragment()) return;
    var parts = [];
    if (state.q) parts.push("q=" + encodeURIComponent(state.q));
    FACETS.forEach(function (f) {
      var ids = state.filters[f.key].map(function (i) { return data.facets[f.key][i][0]; });
      if (ids.length) parts.push(f.key + "=" + ids.map(encodeURIComponent).join(","));
    });
    if (state.year[0] !== null || state.year[1] !== null) {
      parts.push("year=" + (state.year[0] === null ? "" : state.year[0]) + "-" + (state.year[1] === null ? "" : state.year[1]));
    }
    if (state.sort) parts.push("sort=" + state.sort);
    if (state.d.length) parts.push("d=" + state.d.map(encodeURIComponent).join(","));
    var hash = parts.length ? "#" + parts.join("&") : "";
    if (hash === location.hash || (!hash && !location.hash)) return;
    try {
      history.replaceState(null, "", hash || location.pathname + location.search);
    } catch (e) {
      location.replace(hash || "#");
    }
  }

  /* The fragment follows the view a moment later, once per burst of typing (the browser's
   * history update takes milliseconds on a large page), and at once before the page is left. */
  var FRAGMENT_DELAY = 250, fragmentTimer = 0;

  function scheduleFragment() {
    clearTimeout(fragmentTimer);
    api.fragmentPending = true;
    fragmentTimer = setTimeout(flushFragment, FRAGMENT_DELAY);
  }

  function flushFragment() {
    if (!api.fragmentPending) return;
    clearTimeout(fragmentTimer);
    api.fragmentPending = false;
    writeFragment();
  }

  function readFragment() {
    var s = emptyState();
    location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
      if (!pair) return;
      var eq = pair.indexOf("="), key = (eq < 0 ? pair : pair.slice(0, eq)).toLowerCase();
      var value = eq < 0 ? "" : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, " "));
      if (key === "q") s.q = value;
      else if (key === "sort" && /^(name|year|size|patients)$/.test(value)) s.sort = value;
      else if (key === "sort" && value === "images") s.sort = "size"; // links made before sizes had units
      else if (key === "year") {
        // "2010-2020", "2010-", "-2020", or one year "2015".
        var m = /^(\d*)(-?)(\d*)$/.exec(value);
        if (m && !m[2] && m[1]) s.year = [+m[1], +m[1]];
        else if (m) s.year = [m[1] ? +m[1] : null, m[3] ? +m[3] : null];
      } else if (key === "d") s.d = value.toLowerCase().split(",").filter(Boolean).slice(0, MAX_COMPARE);
      else if (s.filters[key]) {
        var list = data.facets[key];
        value.toLowerCase().split(",").forEach(function (id) {
          for (var i = 0; i < list.length; i++) if (list[i][0] === id) s.filters[key].push(i);
        });
      }
    });
    state = s;
    el.q.value = state.q;
    el.sort.value = state.sort;
  }

  // ---------------------------------------------------------------- wiring

  /* When the state last changed: the start of the latency of the view it leads to. */
  var changedAt = 0;

  function update(resetPaging) {
    if (resetPaging) shown = PAGE;
    changedAt = performance.now();
    show();
  }

  /* Show the view of the current state, or, if shards it needs are not loaded, load them and
   * show it once they have arrived (the view shown until then stays, marked busy). */
  function show() {
    var started = performance.now();
    missing = [];
    var scores = scoreQuery(state.q), results = [], searched = performance.now(), filtered = searched;
    if (!missing.length) {
      results = filter(scores);
      filtered = performance.now();
      sortResults(results, scores);
    }
    var sorted = performance.now();
    for (var i = 0; !missing.length && i < Math.min(shown, results.length); i++) {
      if (!record(results[i])) shard("d-" + Math.floor(results[i] / data.per));
    }
    if (missing.length) {
      api.pending = true;
      el.results.setAttribute("aria-busy", "true");
      request(missing);
      return;
    }
    api.pending = false;
    waitingFor = [];
    el.results.removeAttribute("aria-busy");
    lastResults = results;
    renderResults(results);
    renderFacets();
    renderCompare();
    scheduleFragment();
    var now = performance.now();
    api.stagesMs = { search: searched - started, filter: filtered - searched, sort: sorted - filtered, render: now - sorted };
    api.lastUpdateMs = now - started;
    api.lastLatencyMs = now - changedAt;
    api.updates++;
    api.results = results.length;
  }

  function bind() {
    // The facets are a form for their labels and keyboard use; it is never sent anywhere.
    el.facets.addEventListener("submit", function (event) { event.preventDefault(); });
    el.q.addEventListener("input", function () { state.q = el.q.value; update(true); });
    el.filtersToggle.addEventListener("click", function () {
      var open = !finder.classList.contains("filters-open");
      finder.classList.toggle("filters-open", open);
      el.filtersToggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
    // Enter opens the first result.
    el.q.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || !lastResults.length) return;
      event.preventDefault();
      var first = record(lastResults[0]);
      flushFragment();
      if (first) location.href = datasetHref(first[SLUG]);
    });
    // "/" anywhere but in a field goes to the search box, as on most sites with one.
    document.addEventListener("keydown", function (event) {
      var target = event.target, tag = target && target.tagName;
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) return;
      event.preventDefault();
      el.q.focus();
      el.q.select();
    });
    el.results.addEventListener("click", function (event) {
      if (!event.target.hasAttribute || !event.target.hasAttribute("data-clear-filters")) return;
      var keep = state;
      state = emptyState();
      state.q = keep.q;
      state.sort = keep.sort;
      state.d = keep.d;
      update(true);
      el.q.focus();
    });
    el.sort.addEventListener("change", function () { state.sort = el.sort.value; update(true); });
    el.facets.addEventListener("input", function (event) {
      if (event.target.classList.contains("facet-filter")) filterGroupedFacet(event.target);
    });
    el.facets.addEventListener("change", function (event) {
      var input = event.target;
      if (input.id === "facet-year-from" || input.id === "facet-year-to") {
        var v = input.value === "" ? null : parseInt(input.value, 10);
        state.year[input.id === "facet-year-from" ? 0 : 1] = isNaN(v) ? null : v;
      } else if (input.getAttribute("data-facet")) {
        var list = state.filters[input.getAttribute("data-facet")], i = +input.value;
        if (input.checked && list.indexOf(i) < 0) list.push(i);
        if (!input.checked) list.splice(list.indexOf(i), 1);
      }
      update(true);
    });
    el.facets.addEventListener("click", function (event) {
      var key = event.target.getAttribute && event.target.getAttribute("data-expand");
      if (!key) return;
      var box = el.facets.querySelector('fieldset[data-facet="' + key + '"]');
      var expand = event.target.getAttribute("aria-expanded") !== "true";
      var limit = FACETS.filter(function (f) { return f.key === key; })[0].collapsed;
      box.querySelectorAll("li[data-index]").forEach(function (li) {
        var i = +li.getAttribute("data-index");
        li.hidden = !expand && i >= limit && !li.querySelector("input").checked;
      });
      event.target.setAttribute("aria-expanded", expand ? "true" : "false");
      event.target.textContent = expand ? "Show fewer" : "Show all " + data.facets[key].length;
    });
    el.results.addEventListener("change", function (event) {
      var slug = event.target.getAttribute("data-slug");
      if (!slug) return;
      var at = state.d.indexOf(slug);
      if (event.target.checked && at < 0 && state.d.length < MAX_COMPARE) state.d.push(slug);
      if (!event.target.checked && at >= 0) state.d.splice(at, 1);
      event.target.parentNode.classList.toggle("selected", event.target.checked);
      renderCompare();
      writeFragment();
    });
    if (el.compare) {
      el.compareClear.addEventListener("click", function () { state.d = []; renderResults(lastResults); renderCompare(); writeFragment(); });
      el.compareLink.addEventListener("click", function (event) { if (state.d.length < 2) event.preventDefault(); });
    }
    el.more.addEventListener("click", function () { shown += PAGE * 5; changedAt = performance.now(); show(); });
    el.reset.addEventListener("click", function () {
      var keep = state.d;
      state = emptyState();
      state.d = keep;
      el.q.value = "";
      el.sort.value = "";
      update(true);
      el.q.focus();
    });
    window.addEventListener("hashchange", function () {
      if (!ownsFragment()) return;
      readFragment();
      update(true);
    });
    // Before a link is followed or the page is left, so that Back returns to this view.
    document.addEventListener("click", flushFragment, true);
    window.addEventListener("pagehide", flushFragment);
  }

  load();
})();
