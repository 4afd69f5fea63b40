/* medatlas: on a dataset page, says how long ago the numbers were checked against their sources
 * ("2 weeks ago") beside the date the page states, copies a paper's BibTeX record with a
 * button, and opens the BibTeX records for printing. The date itself is in the HTML, written at
 * build time; the age depends on the reader's clock, so it is added here, never built in.
 * Without this script the page reads the same, only without the age and the copy buttons. */
(function () {
  "use strict";
  /* One date on a dataset page; one per dataset section in the single-file edition. */
  var now = Date.now();
  var plural = function (n, unit) { return n + " " + unit + (n === 1 ? "" : "s") + " ago"; };
  Array.prototype.forEach.call(document.querySelectorAll("p.checked time[datetime]"), function (time) {
    var parts = time.getAttribute("datetime").split("-").map(Number);
    var days = Math.floor((now - Date.UTC(parts[0], parts[1] - 1, parts[2])) / 86400000);
    if (!(days >= 0)) return;
    var text = days === 0 ? "today"
      : days < 14 ? plural(days, "day")
      : days < 61 ? plural(Math.floor(days / 7), "week")
      : days < 730 ? plural(Math.floor(days / 30.44), "month")
      : plural(Math.floor(days / 365.25), "year");
    var age = document.createElement("span");
    age.className = "age";
    age.textContent = " (" + text + ")";
    time.after(age);
  });
})();

(function () {
  "use strict";
  /* Copy buttons: shown only where this script runs; the record is copied as the page shows it. */
  var buttons = document.querySelectorAll("button.copy-cite");
  Array.prototype.forEach.call(buttons, function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = button.parentNode.querySelector("pre").textContent;
      var done = function () {
        button.textContent = "Copied";
        setTimeout(function () { button.textContent = "Copy BibTeX"; }, 2000);
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () { select(button, done); });
      } else {
        select(button, done);
      }
    });
  });

  /* Where the clipboard cannot be written (a page opened from disk in some browsers): select
   * the record, so that the reader's own copy takes it. */
  function select(button, done) {
    var range = document.createRange();
    range.selectNodeContents(button.parentNode.querySelector("pre"));
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
    if (copied) {
      done();
    } else {
      button.textContent = "Selected: copy it with Ctrl+C or \u2318C";
    }
  }

  /* Print the BibTeX records: a closed <details> prints only its summary. */
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details.cite"), function (d) { return !d.open; });
    opened.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();
