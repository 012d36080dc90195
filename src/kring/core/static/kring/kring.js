/* Kring's small enhancements. Every page works without this file (CSP: a static file, no
   inline scripts). See docs/design.md: menus, toasts, copy buttons, table scroll cues,
   list filters and the text editor toolbar. */
(function () {
  "use strict";

  /* Menus (<details class="menu">): one open at a time; close on Escape or outside click. */
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      var summary = menu.querySelector("summary");
      if (summary) summary.focus();
    });
  });

  function init(root) {
    /* Toasts: a dismiss button. */
    root.querySelectorAll(".toast [data-dismiss]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var toast = button.closest(".toast");
        var list = toast.parentElement;
        toast.remove();
        if (list && !list.children.length) list.remove();
      });
    });

    /* Copy buttons: <button class="copy" data-copy="text" data-copied="Copied" hidden>. */
    root.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
      if (!navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var label = button.querySelector(".label");
        navigator.clipboard.writeText(button.dataset.copy).then(function () {
          if (!label) return;
          var before = label.textContent;
          label.textContent = button.dataset.copied || before;
          setTimeout(function () { label.textContent = before; }, 2000);
        });
      });
    });

    /* Wide tables: say so when they scroll sideways. */
    root.querySelectorAll(".table-wrap").forEach(function (wrap) {
      if (!wrap.hasAttribute("tabindex")) wrap.setAttribute("tabindex", "0");
      var mark = function () {
        wrap.dataset.overflows = wrap.scrollWidth > wrap.clientWidth + 1 ? "true" : "false";
      };
      mark();
      window.addEventListener("resize", mark);
    });

    /* List filter: <input data-filter="#list-id"> hides rows whose text does not match. */
    root.querySelectorAll("input[data-filter]").forEach(function (input) {
      var list = document.querySelector(input.dataset.filter);
      if (!list) return;
      var status = input.dataset.status ? document.querySelector(input.dataset.status) : null;
      input.addEventListener("input", function () {
        var q = input.value.trim().toLocaleLowerCase();
        var shown = 0;
        Array.prototype.forEach.call(list.children, function (row) {
          var hit = !q || row.textContent.toLocaleLowerCase().indexOf(q) !== -1;
          row.hidden = !hit;
          if (hit) shown += 1;
        });
        if (status) status.textContent = (status.dataset.template || "{n}").replace("{n}", shown);
      });
    });

    /* Text editor toolbar: <textarea data-editor> gets bold, italic, heading, list, link,
       quote buttons that write Markdown around the selection. */
    root.querySelectorAll("textarea[data-editor]").forEach(function (area) {
      if (area.previousElementSibling && area.previousElementSibling.classList.contains("editor-toolbar")) return;
      var template = document.getElementById("editor-toolbar");
      if (!template) return;
      var bar = template.content.firstElementChild.cloneNode(true);
      area.parentNode.insertBefore(bar, area);
      bar.addEventListener("click", function (event) {
        var button = event.target.closest("button[data-md]");
        if (!button) return;
        if (button.dataset.md === "image") { uploadImage(area, bar); return; }
        var start = area.selectionStart, end = area.selectionEnd;
        var text = area.value.slice(start, end) || button.dataset.sample || "";
        var kind = button.dataset.md, out = text;
        if (kind === "bold") out = "**" + text + "**";
        else if (kind === "italic") out = "_" + text + "_";
        else if (kind === "heading") out = "\n## " + text + "\n";
        else if (kind === "list") out = text.split("\n").map(function (l) { return "- " + l; }).join("\n");
        else if (kind === "quote") out = text.split("\n").map(function (l) { return "> " + l; }).join("\n");
        else if (kind === "link") out = "[" + text + "](https://)";
        area.setRangeText(out, start, end, "end");
        area.focus();
        area.dispatchEvent(new Event("input", { bubbles: true }));
      });
    });
  }

  /* The toolbar's image button: pick a file, upload it (JSON), insert its Markdown line. */
  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }
  function uploadImage(area, bar) {
    var template = document.getElementById("editor-toolbar");
    var url = template && template.dataset.upload;
    if (!url) return;
    var picker = document.createElement("input");
    picker.type = "file";
    picker.accept = "image/jpeg,image/png,image/gif,image/webp";
    picker.addEventListener("change", function () {
      if (!picker.files.length) return;
      var body = new FormData();
      body.append("image", picker.files[0]);
      var status = bar.querySelector(".editor-status");
      status.textContent = template.dataset.busy || "…";
      fetch(url, { method: "POST", body: body, credentials: "same-origin",
                   headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" } })
        .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); })
        .then(function (res) {
          if (!res.ok) { status.textContent = res.data.detail || ""; return; }
          status.textContent = "";
          area.setRangeText("\n" + res.data.markdown + "\n", area.selectionStart, area.selectionEnd, "end");
          area.focus();
        })
        .catch(function () { status.textContent = template.dataset.failed || "!"; });
    });
    picker.click();
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
