/* The installable app: register the service worker (kring.core.installable, /sw.js) and keep
   the device's offline store (IndexedDB "kring-offline") in one place.

   Every page works without this file; with it, static files come from the device, a page
   that cannot load shows the offline page, and the door list keeps working offline
   (gatherings/door.js uses window.KringOffline). */
(function () {
  "use strict";
  var script = document.currentScript;

  /* The offline store: "lists" (what a page keeps to show offline, e.g. a door list, by key)
     and "queue" (what was done offline and waits to be sent, by client id). Logging out
     empties "lists"; the queue stays (nothing done at the door is lost) and is only sent by
     the same person. */
  var DB_NAME = "kring-offline";
  var DB_VERSION = 1;
  var opening = null;

  function open() {
    if (!window.indexedDB) return Promise.reject(new Error("no IndexedDB"));
    if (opening) return opening;
    opening = new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains("lists")) db.createObjectStore("lists", { keyPath: "key" });
        if (!db.objectStoreNames.contains("queue")) {
          var queue = db.createObjectStore("queue", { keyPath: "client_id" });
          queue.createIndex("list", "list");
        }
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { opening = null; reject(request.error); };
    });
    return opening;
  }

  /* run("queue", "readwrite", function (store) { return store.put(item); }) → the result. */
  function run(storeName, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(storeName, mode);
        var request = work(tx.objectStore(storeName));
        tx.oncomplete = function () { resolve(request ? request.result : undefined); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  window.KringOffline = { open: open, run: run };

  /* Logging out forgets the lists kept on this device (the worker drops the kept pages). */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!script || form.dataset.forgotten || form.getAttribute("action") !== script.dataset.logout) return;
    if (!window.indexedDB) return;
    event.preventDefault();
    form.dataset.forgotten = "1";
    var sent = false;
    var done = function () { if (!sent) { sent = true; form.submit(); } };
    var timer = setTimeout(done, 1000);
    run("lists", "readwrite", function (store) { return store.clear(); })
      .catch(function () {})
      .then(function () { clearTimeout(timer); done(); });
  }, true);

  if (!script || !("serviceWorker" in navigator)) return;
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(script.dataset.worker, { scope: "/" }).catch(function () {
      /* No worker (a private window, an old browser): the site works as before. */
    });
  });
})();
