// Light/dark: follows the system unless the reader picked one, remembered here.
(function () {
  var root = document.documentElement;
  var saved = null;
  try { saved = localStorage.getItem("dp-theme"); } catch (e) {}
  if (saved === "light" || saved === "dark") root.setAttribute("data-theme", saved);
  document.addEventListener("click", function (event) {
    if (!event.target.closest("[data-theme-toggle]")) return;
    var current = root.getAttribute("data-theme") ||
      (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
    var next = current === "dark" ? "light" : "dark";
    root.setAttribute("data-theme", next);
    try { localStorage.setItem("dp-theme", next); } catch (e) {}
  });
})();
