/* medatlas: on a dataset page, says how long ago the numbers were checked against their sources
 * ("2 weeks ago") beside the date the page states. The date itself is in the HTML, written at
 * build time; the age depends on the reader's clock, so it is added here, never built in.
 * Without this script the page reads the same, only without the age. */
(function () {
  "use strict";
  var time = document.querySelector("p.checked time[datetime]");
  if (!time) return;
  var parts = time.getAttribute("datetime").split("-").map(Number);
  var days = Math.floor((Date.now() - Date.UTC(parts[0], parts[1] - 1, parts[2])) / 86400000);
  if (!(days >= 0)) return;
  var plural = function (n, unit) { return n + " " + unit + (n === 1 ? "" : "s") + " ago"; };
  var text = days === 0 ? "today"
    : days < 14 ? plural(days, "day")
    : days < 61 ? plural(Math.floor(days / 7), "week")
    : days < 730 ? plural(Math.floor(days / 30.44), "month")
    : plural(Math.floor(days / 365.25), "year");
  var age = document.createElement("span");
  age.className = "age";
  age.textContent = " (" + text + ")";
  time.after(age);
})();
