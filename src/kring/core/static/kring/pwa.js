/* The installable app: register the service worker (kring.core.installable, /sw.js).
   Every page works without it; with it, static files come from the device, a page that
   cannot load shows the offline page, and the door list keeps working offline. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !("serviceWorker" in navigator)) return;
  var url = script.dataset.worker;
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(url, { scope: "/" }).catch(function () {
      /* No worker (a private window, an old browser): the site works as before. */
    });
  });
})();
