// Digest periods follow the reader's local day: fill the time-zone fields
// from the browser (the form falls back to UTC without JavaScript).
(function () {
  var zone = "UTC";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC"; } catch (e) {}
  document.querySelectorAll("[data-local-timezone]").forEach(function (input) { input.value = zone; });
  document.querySelectorAll("[data-local-timezone-default]").forEach(function (input) {
    if (!input.value || input.value === "UTC") input.value = zone;
  });
})();
