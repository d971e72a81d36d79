// Card density on feed pages: compact (the default) or comfortable, the
// reader's choice remembered in this browser. Loaded in <head>, so the page
// is laid out once, in the chosen density.
(function () {
  var root = document.documentElement;
  var saved = null;
  try { saved = localStorage.getItem("dp-density"); } catch (e) {}
  if (saved === "comfortable") root.setAttribute("data-density", "comfortable");

  function mark() {
    var current = root.getAttribute("data-density") || "compact";
    document.querySelectorAll("[data-density-choice]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.densityChoice === current));
    });
    document.querySelectorAll("[data-density-switch]").forEach(function (box) { box.hidden = false; });
  }
  document.addEventListener("DOMContentLoaded", mark);
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-density-choice]");
    if (!button) return;
    var choice = button.dataset.densityChoice;
    if (choice === "comfortable") root.setAttribute("data-density", choice);
    else root.removeAttribute("data-density");
    try { localStorage.setItem("dp-density", choice); } catch (e) {}
    mark();
  });
})();
