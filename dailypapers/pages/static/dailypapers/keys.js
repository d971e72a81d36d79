// Keyboard shortcuts on pages of paper cards (listed on the page):
// j / k move to the next / previous card, s saves it, v upvotes it, o opens it.
(function () {
  var current = -1;
  function cards() {
    return Array.prototype.slice.call(document.querySelectorAll("main .card"));
  }
  function move(to) {
    var all = cards();
    if (!all.length) return;
    current = Math.max(0, Math.min(to, all.length - 1));
    all.forEach(function (card) { card.classList.remove("card-current"); });
    all[current].classList.add("card-current");
    all[current].scrollIntoView({ block: "nearest" });
  }
  function press(selector) {
    var card = cards()[current];
    var button = card && card.querySelector(selector);
    if (button) button.click();
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    if (event.key === "j") move(current + 1);
    else if (event.key === "k") move(current < 0 ? 0 : current - 1);
    else if (event.key === "s") press(".save-button");
    else if (event.key === "v") press(".vote-button");
    else if (event.key === "o") {
      var card = cards()[current];
      var link = card && card.querySelector(".card-title a");
      if (link) window.location.href = link.href;
    } else return;
    event.preventDefault();
  });
})();
