/* medatlas serve: reload the page after a rebuild; show the checker's errors over the page
 * while the content has errors. Injected by the development server only: `build` output never
 * contains it. */
(function () {
  "use strict";
  var overlay = null;

  function showErrors(report) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "medatlas-errors";
      overlay.setAttribute("role", "alertdialog");
      overlay.setAttribute("aria-label", "The catalog has errors");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,28,.96);" +
        "color:#f5f5f5;padding:2rem;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
      document.body.appendChild(overlay);
    }
    overlay.innerHTML = "";
    var title = document.createElement("h1");
    title.textContent = "The catalog has errors; the site will reload when they are fixed";
    title.style.cssText = "font:600 1.2rem/1.3 system-ui,sans-serif;margin:0 0 1rem;color:#ff8a80";
    var text = document.createElement("pre");
    text.textContent = report;
    text.style.cssText = "white-space:pre-wrap;margin:0";
    overlay.appendChild(title);
    overlay.appendChild(text);
  }

  var events = new EventSource("/__medatlas/events");
  events.addEventListener("reload", function () { location.reload(); });
  events.addEventListener("errors", function (event) { showErrors(JSON.parse(event.data).report); });
})();
