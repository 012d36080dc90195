/* The devices page (kring.push, /notifications/devices/): turn on notifications on this
   device. Asks permission, subscribes with the installation's VAPID key and sends the
   subscription to POST /api/v1/me/push-subscriptions (session + CSRF token). Removing this
   device also unsubscribes the browser. The page works without this file (list, remove, test). */
(function () {
  "use strict";
  var button = document.getElementById("push-on");
  var status = document.getElementById("push-status");
  var controls = document.getElementById("push-controls");
  if (!button || !status) return;

  function say(key) { status.textContent = status.dataset[key]; }

  function keyBytes(base64url) {
    var text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((base64url.length + 3) % 4));
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes;
  }

  function knownHere(endpoint) {
    return Array.prototype.some.call(document.querySelectorAll("[data-endpoint]"), function (row) {
      return row.dataset.endpoint === endpoint;
    });
  }

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say("unsupported");
    return;
  }
  if (Notification.permission === "denied") { say("denied"); return; }

  navigator.serviceWorker.ready.then(function (registration) {
    return registration.pushManager.getSubscription();
  }).then(function (existing) {
    if (existing && knownHere(existing.endpoint) && Notification.permission === "granted") {
      say("on");
    } else {
      status.textContent = "";
      controls.hidden = false;
    }
  }).catch(function () { controls.hidden = false; status.textContent = ""; });

  button.addEventListener("click", function () {
    button.disabled = true;
    say("working");
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") throw new Error(permission === "denied" ? "denied" : "dismissed");
      return Promise.all([
        navigator.serviceWorker.ready,
        fetch(button.dataset.keyUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); })
      ]);
    }).then(function (both) {
      var registration = both[0];
      return registration.pushManager.getSubscription().then(function (old) {
        return old || registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: keyBytes(both[1].public_key)
        });
      });
    }).then(function (subscription) {
      return fetch(button.dataset.api, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": button.dataset.csrf },
        body: JSON.stringify(subscription.toJSON())
      });
    }).then(function (response) {
      if (!response.ok) throw new Error("refused " + response.status);
      window.location.reload();
    }).catch(function (error) {
      button.disabled = false;
      say(error && error.message === "denied" ? "denied" : "failed");
    });
  });

  /* Removing this very device: also stop the browser's subscription (then the form posts). */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.dataset.removeEndpoint || form.dataset.unsubscribed) return;
    event.preventDefault();
    form.dataset.unsubscribed = "1";
    navigator.serviceWorker.ready.then(function (registration) {
      return registration.pushManager.getSubscription();
    }).then(function (subscription) {
      if (subscription && subscription.endpoint === form.dataset.removeEndpoint) return subscription.unsubscribe();
    }).catch(function () {}).then(function () { form.submit(); });
  });
})();
