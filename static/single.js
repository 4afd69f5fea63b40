/* medatlas: the single-file edition shows one section at a time, chosen by the URL fragment.
 *
 * `#d-SLUG` (or an id inside that section, `#d-SLUG--papers`) shows a dataset, `#lineage` the
 * lineage page; no fragment, or the finder's state (`#q=chest&modality=x-ray`), shows the index,
 * whose finder reads that state. Every link between sections is a fragment, so the browser's
 * history, back button and bookmarks work as between pages. A fragment naming an element
 * outside every section (the skip link's `#main`) keeps the section shown. Without this
 * script every section shows, one after the other. */
(function () {
  "use strict";
  var pages = Array.prototype.slice.call(document.querySelectorAll("[data-single-page]"));
  if (!pages.length) return;
  var index = pages[0], current = null;

  /* The element the fragment names, if it names one (the finder's state names none). */
  function target() {
    var id = location.hash.replace(/^#/, "");
    if (!id || id.indexOf("=") >= 0) return null;
    try { id = decodeURIComponent(id); } catch (e) { return null; }
    return document.getElementById(id);
  }

  function route() {
    var element = target(), page = element && element.closest("[data-single-page]");
    if (element && !page && current) {
      element.scrollIntoView();
      return;
    }
    page = page || index;
    var changed = page !== current;
    if (changed) {
      pages.forEach(function (p) { p.classList.toggle("current", p === page); });
      document.title = page.getAttribute("data-title") || document.title;
    }
    if (element && element !== page) element.scrollIntoView();
    else if (changed && current) window.scrollTo(0, 0);
    if (changed && current) page.focus({ preventScroll: true });
    current = page;
  }

  window.addEventListener("hashchange", route);
  route();
})();
