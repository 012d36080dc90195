/* The door list without a connection (docs/gatherings.md, "The door list offline").

   Online, a tick goes to the server as before (htmx). Without a connection — or when the
   request fails, or while earlier ticks still wait — the tick is queued on this phone
   (IndexedDB, window.KringOffline from kring/pwa.js) with a client id and the moment, the row
   shows "not saved yet", and the queue is sent in one batch to the API
   (POST /api/v1/gatherings/<id>/check-ins/batch) as soon as the phone is online again. The
   server answers per client id; a note (someone who cancelled meanwhile is recorded as
   attended) is shown on the row. Nothing is dropped before the server has answered for it.

   The list itself is kept too: the service worker keeps the page, and this script keeps the
   rows' state, so a door list reopened offline shows the latest ticks. */
(function () {
  "use strict";
  var list = document.querySelector("[data-door]");
  var store = window.KringOffline;
  if (!list || !store || !window.indexedDB) return;

  var texts = JSON.parse(document.getElementById("door-texts").textContent);
  var marks = document.getElementById("door-marks");
  var status = document.getElementById("door-sync");
  var gathering = Number(list.dataset.gathering);
  var user = Number(list.dataset.user);
  var key = "door:" + gathering;
  var searching = new URLSearchParams(location.search).has("q");
  var pending = {};  /* rsvp id -> queue item, for this list and this person */
  var syncing = false;

  function say(text) { status.textContent = text || ""; }
  function fill(text, n) { return text.replace("{n}", n); }

  function rowFor(rsvp) { return document.getElementById("rsvp-" + rsvp); }
  function rows() { return list.querySelectorAll(".door-row[data-rsvp]"); }
  function rsvpOf(row) { return Number(row.dataset.rsvp); }
  function nameOf(row) {
    var name = row.querySelector(".door-name");
    return name ? name.textContent.trim() : "";
  }

  function setMark(row, which) {
    var mark = row.querySelector(".door-mark");
    mark.textContent = "";
    if (!which) return;
    var icon = marks.content.querySelector('[data-mark="' + which + '"]');
    if (icon) mark.appendChild(icon.firstElementChild.cloneNode(true));
  }

  /* state: "open", "pending" or "in"; note: text from the server for the host. */
  function setRow(row, state, note) {
    var form = row.querySelector("form");
    var button = row.querySelector(".door-button");
    row.classList.toggle("is-in", state === "in");
    row.classList.toggle("is-pending", state === "pending");
    button.setAttribute("aria-pressed", state === "open" ? "false" : "true");
    setMark(row, state === "in" ? "in" : state === "pending" ? "pending" : "");
    var hidden = button.querySelector(".visually-hidden");
    if (hidden) hidden.textContent = texts[state === "in" ? "checked_row" : state === "pending" ? "pending_row" : "open_row"];
    var badge = button.querySelector(".door-pending");
    if (state === "pending" && !badge) {
      badge = document.createElement("span");
      badge.className = "badge warn door-pending";
      badge.textContent = texts.pending_badge;
      button.insertBefore(badge, hidden);
    } else if (state !== "pending" && badge) {
      badge.remove();
    }
    var undo = form.querySelector('input[name="undo"]');
    if (state === "in" && !undo) {
      undo = document.createElement("input");
      undo.type = "hidden";
      undo.name = "undo";
      undo.value = "1";
      form.appendChild(undo);
    } else if (state !== "in" && undo) {
      undo.remove();
    }
    if (note !== undefined) {
      var message = row.querySelector(".door-error");
      message.textContent = note || "";
      message.classList.remove("message", "error");
      message.classList.toggle("door-note", Boolean(note));
    }
  }

  function count() {
    var span = document.getElementById("checked-count");
    if (!span) return;
    var waiting = Object.keys(pending).filter(function (id) {
      var row = rowFor(id);
      return !(row && row.classList.contains("is-in"));
    }).length;
    span.textContent = texts.count
      .replace("{n}", Number(span.dataset.checked || 0) + waiting)
      .replace("{total}", span.dataset.total || "0");
  }

  function sayPending() {
    var n = Object.keys(pending).length;
    if (n) say(n === 1 ? texts.pending_one : fill(texts.pending_many, n));
    return n;
  }

  /* The rows' state, for a door list reopened offline from the worker's copy. */
  function keep() {
    if (searching) return Promise.resolve();
    var span = document.getElementById("checked-count");
    var state = Array.prototype.map.call(rows(), function (row) {
      return { rsvp: rsvpOf(row), in: row.classList.contains("is-in") };
    });
    return store.run("lists", "readwrite", function (s) {
      return s.put({
        key: key, user: user, title: list.dataset.title, url: location.pathname,
        rendered: list.dataset.rendered, saved_at: new Date().toISOString(), rows: state,
        checked: span ? Number(span.dataset.checked) : null, total: span ? Number(span.dataset.total) : null
      });
    }).catch(function () {});
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }

  function enqueue(row) {
    var item = {
      client_id: newId(), list: key, user: user, gathering: gathering, rsvp: rsvpOf(row),
      name: nameOf(row), checked_in_at: new Date().toISOString(), sync: list.dataset.sync
    };
    pending[item.rsvp] = item;
    setRow(row, "pending", "");
    count();
    sayPending();
    return store.run("queue", "readwrite", function (s) { return s.put(item); })
      .then(sync, function () { /* not stored: it stays in this page and is sent from here */ sync(); });
  }

  function takeBack(row) {
    var item = pending[rsvpOf(row)];
    delete pending[rsvpOf(row)];
    setRow(row, "open", "");
    count();
    if (!sayPending()) say("");
    if (item) store.run("queue", "readwrite", function (s) { return s.delete(item.client_id); }).catch(function () {});
  }

  function csrf() {
    var found = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (found) return decodeURIComponent(found[1]);
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }

  function settle(data) {
    var span = document.getElementById("checked-count");
    data.results.forEach(function (result) {
      var item = pending[result.rsvp_id];
      if (item && item.client_id === result.client_id) delete pending[result.rsvp_id];
      store.run("queue", "readwrite", function (s) { return s.delete(result.client_id); }).catch(function () {});
      var row = rowFor(result.rsvp_id);
      if (row) setRow(row, result.status === "missing" ? "open" : "in", result.note);
    });
    if (span) { span.dataset.checked = data.checked; span.dataset.total = data.total; }
    count();
    keep();
    var missing = data.results.filter(function (r) { return r.status === "missing"; });
    if (!sayPending()) say(missing.length ? missing[0].note : texts.saved);
  }

  function sync() {
    var items = Object.keys(pending).map(function (id) { return pending[id]; });
    if (syncing || !items.length || !navigator.onLine) return;
    syncing = true;
    say(texts.saving);
    fetch(list.dataset.sync, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify({
        check_ins: items.map(function (i) {
          return { client_id: i.client_id, rsvp_id: i.rsvp, checked_in_at: i.checked_in_at };
        })
      })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.ok) { settle(data); return true; }
        if (response.status === 401) { say(texts.login); return; }
        say(texts.failed.replace("{reason}", data.detail || String(response.status)));
      });
    }, function () {
      sayPending();  /* still no connection: wait for the next chance */
    }).then(function (saved) {
      syncing = false;
      if (saved) sync();  /* ticks made while this batch was on its way */
    });
  }

  function isUndo(form) { return Boolean(form.querySelector('input[name="undo"]')); }

  /* Ticks: before htmx sees the submit (capture on the list). */
  list.addEventListener("submit", function (event) {
    var form = event.target;
    var row = form.closest(".door-row");
    if (!row) return;
    var stop = function () { event.preventDefault(); event.stopPropagation(); };
    if (row.classList.contains("is-pending")) { stop(); takeBack(row); return; }
    if (isUndo(form)) {
      if (!navigator.onLine) { stop(); say(texts.undo_offline); }
      return;  /* online: htmx undoes it as before */
    }
    if (!navigator.onLine || Object.keys(pending).length) { stop(); enqueue(row); }
  }, true);

  /* The request failed on the way (a connection that says it is online but is not). */
  document.body.addEventListener("htmx:sendError", function (event) {
    var form = event.detail.elt;
    var row = form && form.closest && form.closest(".door-row");
    if (!row || !list.contains(row)) return;
    if (isUndo(form)) { say(texts.undo_offline); return; }
    enqueue(row);
  });

  /* An online tick changed a row: keep the new state. */
  document.body.addEventListener("htmx:afterSettle", function (event) {
    if (list.contains(event.detail.elt) || event.detail.elt === list) keep();
  });

  window.addEventListener("online", sync);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) sync(); });
  setInterval(sync, 30000);

  /* Start: the kept state (when this page is an older copy), then what still waits. */
  store.run("lists", "readonly", function (s) { return s.get(key); }).then(function (kept) {
    /* Server times on both sides: the kept state counts when it grew from this same copy of
       the page (or a newer one), i.e. this page came from the worker's store. */
    var rendered = Date.parse(list.dataset.rendered || "") || 0;
    if (kept && kept.user === user && !searching && (Date.parse(kept.rendered) || 0) >= rendered) {
      kept.rows.forEach(function (r) {
        var row = rowFor(r.rsvp);
        if (row) setRow(row, r.in ? "in" : "open");
      });
      var span = document.getElementById("checked-count");
      if (span && kept.checked !== null) { span.dataset.checked = kept.checked; span.dataset.total = kept.total; }
    } else {
      return keep();
    }
  }).catch(function () {}).then(function () {
    return store.run("queue", "readonly", function (s) { return s.index("list").getAll(key); });
  }).then(function (items) {
    (items || []).forEach(function (item) {
      if (item.user !== user) return;  /* someone else's ticks on this phone wait for them */
      pending[item.rsvp] = item;
      var row = rowFor(item.rsvp);
      if (row && !row.classList.contains("is-in")) setRow(row, "pending");
    });
    count();
    if (sayPending()) sync();
  }).catch(function () {});
})();
