"""gunicorn's threaded worker, answering an over-long request line in the API's error shape.

gunicorn refuses a request line longer than ``--limit-request-line`` itself (before Django
sees it) with an HTML page; API clients expect JSON. ``kring serve`` runs this worker class.
It also warms each worker once after the fork.
"""

from __future__ import annotations

import json
from typing import Any

from gunicorn import util
from gunicorn.http.errors import LimitRequestLine
from gunicorn.workers.gthread import ThreadWorker as _ThreadWorker

URI_TOO_LONG = {
    "detail": "The address (request line) is too long.",
    "code": "uri_too_long",
    "errors": [],
}


def write_json_error(sock: Any, status: int, reason: str, body: dict[str, Any]) -> None:
    payload = json.dumps(body).encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
    ).encode("latin1")
    util.write_nonblock(sock, head + payload)


class ThreadWorker(_ThreadWorker):  # type: ignore[misc]  # gunicorn is untyped
    def load_wsgi(self) -> None:
        """After the fork, before the first connection is accepted: one pass through the pages
        visitors open first (kring.core.warm.warm_worker), so the first visitor does not pay
        for this process's first touches (its copy of the master's memory, its first
        connection to the database and the cache)."""
        super().load_wsgi()
        from kring.core.warm import warm_worker

        warm_worker(self.wsgi)

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        if isinstance(exc, LimitRequestLine):
            self.log.warning("Request line too long from ip=%s: %s", (addr or ("",))[0], exc)
            try:
                write_json_error(client, 414, "URI Too Long", URI_TOO_LONG)
            except Exception:
                self.log.debug("Failed to send error message.")
            return
        super().handle_error(req, client, addr, exc)
