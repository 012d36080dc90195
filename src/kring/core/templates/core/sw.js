/* Kring's service worker (served at /sw.js by kring.core.installable; see docs/design.md,
   "The installable app").

   - Static files: cache-first in a versioned cache (production names carry a content hash;
     in development, where they do not, network first with the cache as fallback).
   - Pages: always from the network; member pages are never stored, except one a response
     marks "X-Kring-Offline: keep" (the door list), kept for offline use until log-out.
   - A page that cannot load without a connection: the kept copy, or the offline page in the
     language of the last page seen.
   - Apps add their own events with scripts imported below (web push: push/sw-push.js). */
"use strict";

const CONFIG = {{ config|safe }};
const STATIC_CACHE = "kring-static-" + CONFIG.version;
const PAGES_CACHE = "kring-pages";
const STATE_CACHE = "kring-state";
const LANGUAGE_KEY = "/__kring/language";
const MAX_PAGES = 12;
// Apps' own worker events (register_worker_script), e.g. web push (push/sw-push.js).
if (CONFIG.imports.length) importScripts(...CONFIG.imports);

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(STATIC_CACHE)
      .then((cache) => cache.addAll(CONFIG.precache))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(
      names.filter((n) => n.startsWith("kring-static-") && n !== STATIC_CACHE).map((n) => caches.delete(n))
    );
    if (self.registration.navigationPreload) await self.registration.navigationPreload.enable();
    await self.clients.claim();
  })());
});

async function rememberLanguage(response) {
  const language = (response.headers.get("Content-Language") || "").slice(0, 2);
  if (!CONFIG.offline[language]) return;
  const cache = await caches.open(STATE_CACHE);
  await cache.put(LANGUAGE_KEY, new Response(language));
}

async function offlinePage() {
  const state = await caches.open(STATE_CACHE);
  const stored = await state.match(LANGUAGE_KEY);
  let language = stored ? await stored.text() : (self.navigator.language || "").slice(0, 2);
  if (!CONFIG.offline[language]) language = CONFIG.default_language;
  const page = await caches.match(CONFIG.offline[language], { cacheName: STATIC_CACHE });
  return page || new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain" } });
}

function pageKey(url) {
  const u = new URL(url);
  return u.origin + u.pathname;  // a search (?q=) shows the same kept page
}

async function keepPage(url, response) {
  const cache = await caches.open(PAGES_CACHE);
  await cache.put(pageKey(url), response);
  const keys = await cache.keys();
  for (const old of keys.slice(0, Math.max(0, keys.length - MAX_PAGES))) await cache.delete(old);
}

async function navigate(event) {
  const request = event.request;
  try {
    const response = (await event.preloadResponse) || (await fetch(request));
    if (response.type === "basic" && response.ok) {
      const work = [rememberLanguage(response)];
      if (response.headers.get(CONFIG.keep_header) === "keep") work.push(keepPage(request.url, response.clone()));
      event.waitUntil(Promise.all(work));
    }
    return response;
  } catch (error) {
    const kept = await caches.match(pageKey(request.url), { cacheName: PAGES_CACHE });
    return kept || offlinePage();
  }
}

async function fromStatic(event) {
  const request = event.request;
  const cache = await caches.open(STATIC_CACHE);
  if (CONFIG.hashed) {
    const hit = await cache.match(request);
    if (hit) return hit;
  }
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") event.waitUntil(cache.put(request, response.clone()));
    return response;
  } catch (error) {
    const hit = await cache.match(request);
    if (hit) return hit;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === CONFIG.logout) {
    // Logging out forgets the pages kept on this device (queued check-ins stay: nothing lost).
    event.waitUntil(caches.delete(PAGES_CACHE));
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    event.respondWith(navigate(event));
  } else if (url.pathname.startsWith(CONFIG.static_url)) {
    event.respondWith(fromStatic(event));
  }
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "forget-pages") event.waitUntil(caches.delete(PAGES_CACHE));
});
