"""The API's contract is strict and complete (issue 15, finding 15)."""

from __future__ import annotations

import json
import socket
from typing import Any
from unittest import mock

import pytest
from gunicorn.http.errors import LimitRequestLine

from kring.core.gunicorn_worker import ThreadWorker

pytestmark = pytest.mark.django_db


def test_a_date_is_iso_text_only(api_client: Any, host: Any) -> None:
    """``?start=0`` was read as 1970-01-01 (pydantic's Unix time)."""
    c = api_client(host)
    r = c.get("/api/v1/networks/testnet/expenses?start=0")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "start"
    assert c.get("/api/v1/networks/testnet/expenses?start=2026-01-01").status_code == 200


def test_a_body_must_be_a_json_object(api_client: Any, member: Any) -> None:
    """``[null, null]`` on /met passed the schema as "no body"."""
    c = api_client(member)
    url = "/api/v1/introductions/999999/met"
    r = c.post(url, data="[null, null]", content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "error"
    assert c.post(url, data="{}", content_type="application/json").status_code == 404


def test_unknown_api_paths_answer_json_404(client: Any) -> None:
    r = client.get("/api/v1/no-such-thing")
    assert r.status_code == 404 and r["Content-Type"] == "application/json"
    assert r.json() == {"detail": "Not found.", "code": "not_found", "errors": []}


def test_every_operation_documents_404_and_429(client: Any) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    missing = [
        f"{method.upper()} {path}"
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if not {"404", "429"} <= set(op["responses"])
    ]
    assert not missing, missing


def test_gunicorn_answers_a_too_long_request_line_as_json() -> None:
    """gunicorn's own 414 was an HTML page, also under /api/."""
    worker = ThreadWorker.__new__(ThreadWorker)
    worker.log = mock.Mock()
    ours, theirs = socket.socketpair()
    with ours, theirs:
        worker.handle_error(None, ours, ("127.0.0.1", 1), LimitRequestLine(9000, 8190))
        raw = theirs.recv(65536).decode()
    head, body = raw.split("\r\n\r\n", 1)
    assert head.startswith("HTTP/1.1 414 ")
    assert "Content-Type: application/json" in head
    assert json.loads(body)["code"] == "uri_too_long"
