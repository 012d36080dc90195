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

// Exact amounts: a running total under the amounts as the person types ("€ 12,50 of
// € 40,00 assigned — € 27,50 left"). Amounts are read like the server reads them
// (ledger/forms.py parse_euros): "12,50", "12.50", "1.234,56", "€ 12".
(function () {
  "use strict";
  const form = document.querySelector("form[data-ledger-expense]");
  const out = form && form.querySelector("[data-split-total]");
  if (!out) return;
  const lang = (document.documentElement.lang || "nl").slice(0, 2);
  const money = new Intl.NumberFormat(lang === "nl" ? "nl-NL" : "en-GB", { style: "currency", currency: "EUR" });

  function cents(raw) {
    let text = String(raw || "").replace(/[€\s\u00a0]/g, "");
    if (!text) return 0;
    if (text.indexOf(",") >= 0 && text.indexOf(".") >= 0) {
      text = text.replace(text.lastIndexOf(",") > text.lastIndexOf(".") ? /\./g : /,/g, "");
    }
    if (!/^\d{1,9}([.,]\d{1,2})?$/.test(text)) return null;
    const parts = text.replace(",", ".").split(".");
    return parseInt(parts[0], 10) * 100 + parseInt(((parts[1] || "") + "00").slice(0, 2), 10);
  }
  function fmt(c) { return money.format(c / 100); }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_m, k) { return values[k]; });
  }
  const total = form.querySelector("input[name=amount]");
  const parts = form.querySelectorAll("input[name^=amount_]");
  function update() {
    let assigned = 0;
    parts.forEach(function (input) { assigned += cents(input.value) || 0; });
    const whole = cents(total && total.value);
    let text;
    if (!whole) text = fill(out.dataset.noTotal, { assigned: fmt(assigned) });
    else if (assigned < whole) text = fill(out.dataset.left, { assigned: fmt(assigned), total: fmt(whole), left: fmt(whole - assigned) });
    else if (assigned === whole) text = fill(out.dataset.done, { assigned: fmt(assigned), total: fmt(whole) });
    else text = fill(out.dataset.over, { assigned: fmt(assigned), total: fmt(whole), over: fmt(assigned - whole) });
    out.textContent = text;
    out.classList.toggle("over", !!whole && assigned > whole);
    out.classList.toggle("done", !!whole && assigned === whole);
  }
  out.hidden = false;
  form.addEventListener("input", function (e) {
    if (e.target === total || Array.prototype.indexOf.call(parts, e.target) >= 0) update();
  });
  update();
})();
