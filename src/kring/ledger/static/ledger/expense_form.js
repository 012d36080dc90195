// Show only the part of the split that the chosen method needs (everything shows without JS).
(function () {
  "use strict";
  const form = document.querySelector("form[data-ledger-expense]");
  if (!form) return;
  const parts = form.querySelectorAll("[data-split]");
  function update() {
    const checked = form.querySelector("input[name=split_method]:checked");
    const method = checked ? checked.value : "equal";
    parts.forEach(function (el) { el.hidden = el.dataset.split !== method; });
  }
  form.querySelectorAll("input[name=split_method]").forEach(function (r) {
    r.addEventListener("change", update);
  });
  update();
})();
