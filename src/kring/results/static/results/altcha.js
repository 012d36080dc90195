/* Kring anti-spam proof of work, in the spirit of ALTCHA (https://altcha.org).
 * Finds `number` with sha256(salt + number) == challenge, then fills the hidden field with
 * base64(JSON{algorithm, challenge, number, salt, signature}). No third parties, no tracking.
 * Loaded as a static file with the page's CSP nonce; no inline script needed. */
(function () {
  "use strict";
  function hex(buffer) {
    var bytes = new Uint8Array(buffer), out = "";
    for (var i = 0; i < bytes.length; i++) out += ("0" + bytes[i].toString(16)).slice(-2);
    return out;
  }
  async function solve(c) {
    var enc = new TextEncoder();
    for (var n = 0; n <= c.maxnumber; n++) {
      var digest = await crypto.subtle.digest("SHA-256", enc.encode(c.salt + n));
      if (hex(digest) === c.challenge) return n;
    }
    return null;
  }
  function init(box) {
    if (box.dataset.altchaStarted) return;
    box.dataset.altchaStarted = "1";
    var status = box.querySelector(".altcha-status");
    var field = document.getElementById(box.dataset.target);
    var form = box.closest("form");
    var button = form ? form.querySelector("button[type=submit]") : null;
    var done = false, wantSubmit = false;
    if (field) field.value = "";
    if (status) status.textContent = box.dataset.working;
    var challenge = JSON.parse(box.dataset.challenge);
    if (!window.crypto || !crypto.subtle) {
      if (status) status.textContent = box.dataset.failed;
      return;
    }
    if (form) {
      form.addEventListener("submit", function (ev) {
        if (!done) { ev.preventDefault(); wantSubmit = true; if (button) button.setAttribute("aria-busy", "true"); }
      });
    }
    solve(challenge).then(function (n) {
      if (n === null) { if (status) status.textContent = box.dataset.failed; return; }
      var payload = {algorithm: challenge.algorithm, challenge: challenge.challenge, number: n,
                     salt: challenge.salt, signature: challenge.signature};
      if (field) field.value = btoa(JSON.stringify(payload));
      done = true;
      box.dataset.state = "verified";
      if (status) status.textContent = box.dataset.done;
      if (button) button.removeAttribute("aria-busy");
      if (wantSubmit && form) form.requestSubmit ? form.requestSubmit(button || undefined) : form.submit();
    }).catch(function () { if (status) status.textContent = box.dataset.failed; });
  }
  function start() { document.querySelectorAll("[data-altcha]").forEach(init); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
