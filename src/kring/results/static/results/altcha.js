/* Kring anti-spam proof of work, in the spirit of ALTCHA (https://altcha.org).
 * Finds `number` with sha256(salt + number) == challenge, then fills the hidden field with
 * base64(JSON{algorithm, challenge, number, salt, signature}). No third parties, no tracking.
 * Loaded as a static file with the page's CSP nonce; no inline script needed.
 *
 * The same file runs twice: on the page it wires the forms, and as a Web Worker it does the
 * hashing, so typing stays smooth on a slow phone. The work starts only when someone begins
 * to fill the form in (or sends it), not on page load: a visitor who only reads pays nothing.
 * Without Workers the page hashes itself, yielding every few hundred hashes. */
(function () {
  "use strict";
  function hex(buffer) {
    var bytes = new Uint8Array(buffer), out = "";
    for (var i = 0; i < bytes.length; i++) out += ("0" + bytes[i].toString(16)).slice(-2);
    return out;
  }
  /* Small SHA-256 for pages served without WebCrypto (plain HTTP on a LAN address). */
  var K = [];
  (function () {
    var n = 2, found = 0;
    function frac(x) { return ((x - Math.floor(x)) * 4294967296) | 0; }
    while (found < 64) {
      var prime = true;
      for (var d = 2; d * d <= n; d++) if (n % d === 0) { prime = false; break; }
      if (prime) { K[found++] = frac(Math.pow(n, 1 / 3)); }
      n++;
    }
  })();
  function sha256hex(bytes) {
    var H = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var len = bytes.length, total = ((len + 9 + 63) >> 6) << 6, m = new Uint8Array(total);
    m.set(bytes); m[len] = 0x80;
    var bits = len * 8;
    m[total - 4] = (bits >>> 24) & 255; m[total - 3] = (bits >>> 16) & 255;
    m[total - 2] = (bits >>> 8) & 255; m[total - 1] = bits & 255;
    var w = new Array(64);
    function r(x, k) { return (x >>> k) | (x << (32 - k)); }
    for (var off = 0; off < total; off += 64) {
      for (var i = 0; i < 16; i++) w[i] = (m[off + 4 * i] << 24) | (m[off + 4 * i + 1] << 16) | (m[off + 4 * i + 2] << 8) | m[off + 4 * i + 3];
      for (i = 16; i < 64; i++) {
        var s0 = r(w[i - 15], 7) ^ r(w[i - 15], 18) ^ (w[i - 15] >>> 3);
        var s1 = r(w[i - 2], 17) ^ r(w[i - 2], 19) ^ (w[i - 2] >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
      }
      var a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
      for (i = 0; i < 64; i++) {
        var t1 = (h + (r(e, 6) ^ r(e, 11) ^ r(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
        var t2 = ((r(a, 2) ^ r(a, 13) ^ r(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      H[0] = (H[0] + a) | 0; H[1] = (H[1] + b) | 0; H[2] = (H[2] + c) | 0; H[3] = (H[3] + d) | 0;
      H[4] = (H[4] + e) | 0; H[5] = (H[5] + f) | 0; H[6] = (H[6] + g) | 0; H[7] = (H[7] + h) | 0;
    }
    var out = "";
    for (i = 0; i < 8; i++) out += ("0000000" + (H[i] >>> 0).toString(16)).slice(-8);
    return out;
  }
  async function solve(c, yieldEvery) {
    var enc = new TextEncoder();
    var subtle = self.crypto && self.crypto.subtle;
    for (var n = 0; n <= c.maxnumber; n++) {
      var data = enc.encode(c.salt + n);
      var digest = subtle ? hex(await subtle.digest("SHA-256", data)) : sha256hex(data);
      if (digest === c.challenge) return n;
      if (yieldEvery && n % yieldEvery === 0) await new Promise(function (ok) { setTimeout(ok, 0); });
    }
    return null;
  }

  if (typeof document === "undefined") {  /* running as the Worker */
    self.onmessage = function (ev) {
      solve(ev.data, 0).then(function (n) { self.postMessage({number: n}); },
                             function () { self.postMessage({number: null}); });
    };
    return;
  }

  var scriptUrl = document.currentScript && document.currentScript.src;

  function solveOffThread(c) {
    if (!scriptUrl || typeof Worker === "undefined") return solve(c, 300);
    return new Promise(function (resolve) {
      var worker;
      try { worker = new Worker(scriptUrl); } catch (e) { resolve(solve(c, 300)); return; }
      worker.onmessage = function (ev) { worker.terminate(); resolve(ev.data.number); };
      worker.onerror = function () { worker.terminate(); resolve(solve(c, 300)); };
      worker.postMessage(c);
    });
  }

  function init(box) {
    if (box.dataset.altchaStarted) return;
    box.dataset.altchaStarted = "1";
    var status = box.querySelector(".altcha-status");
    var field = document.getElementById(box.dataset.target);
    var form = box.closest("form");
    var button = form ? form.querySelector("button[type=submit]") : null;
    var started = false, done = false, wantSubmit = false;
    if (field) field.value = "";
    var challenge = JSON.parse(box.dataset.challenge);
    function begin() {
      if (started) return;
      started = true;
      if (status) status.textContent = box.dataset.working;
      solveOffThread(challenge).then(function (n) {
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
    if (!form) { begin(); return; }
    form.addEventListener("focusin", begin);
    form.addEventListener("input", begin);
    form.addEventListener("pointerdown", begin);
    form.addEventListener("submit", function (ev) {
      if (!done) {
        ev.preventDefault(); wantSubmit = true;
        if (button) button.setAttribute("aria-busy", "true");
        begin();
      }
    });
  }
  function start() { document.querySelectorAll("[data-altcha]").forEach(init); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
