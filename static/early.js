/* medatlas: loaded in the <head> of the index, before the page is laid out.
 *
 * Marks the page as scripted, so that style.css hides the full static table that the finder
 * replaces (10,000 rows are hidden before layout, not after load). Should catalog.js not run
 * (missing, blocked or failing before it starts), the mark is taken off once the page has
 * loaded, and the static table shows. A separate file, not an inline script: the pages'
 * Content-Security-Policy allows scripts from the site's own files only. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  window.addEventListener("load", function () {
    if (!window.medatlasFinder) root.classList.remove("js");
  });
})();
