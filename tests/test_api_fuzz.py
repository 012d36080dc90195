"""Schemathesis over /api/v1/openapi.json, in-process (WSGI): anonymous and as a host.

Every generated request must get an answer that is not a server error, whose status code
is documented for the operation and that matches the documented response schema. Bounded:
a few examples per operation (KRING_FUZZ_EXAMPLES, default 6), so the whole run takes well
under a minute.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_test_connection() -> Any:
    """Like Django's test client: a WSGI request must not close the test's connection
    (on PostgreSQL ``close_old_connections`` would close it inside the test transaction)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


EXAMPLES = int(os.environ.get("KRING_FUZZ_EXAMPLES", "6"))
# Every answer: no server error, a documented status code (404 and 429 included), the
# documented body shape and content type.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
]


def _schema() -> Any:
    import schemathesis
    from django.core.wsgi import get_wsgi_application

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


def _real_slug(pair: tuple[Any, bool]) -> Any:
    """Half of the cases use the real network's slug, so the fuzzer gets past the 404."""
    case, real = pair
    if real and case.path_parameters and "slug" in case.path_parameters:
        case.path_parameters["slug"] = "testnet"
    return case


def _fuzz(schema: Any, headers: dict[str, str]) -> list[str]:
    failures: list[str] = []
    calls = [0]
    operations = [r.ok() for r in schema.get_all_operations()]
    assert operations, "the OpenAPI document lists no operations"
    for op in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=st.tuples(op.as_strategy(), st.booleans()).map(_real_slug))
        def check(case: Any) -> None:
            calls[0] += 1
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS, headers=headers)

        try:
            check()
        except Exception as exc:  # collect, so one report lists every broken operation
            first = str(exc).strip().splitlines()
            failures.append(f"{op.method.upper()} {op.path}: {' | '.join(first[:6])}")
    assert calls[0] >= len(operations), "the fuzzer made fewer calls than operations"
    return failures


def test_api_fuzz_anonymous(network: Any) -> None:
    failures = _fuzz(_schema(), {})
    assert not failures, "\n".join(failures)


def test_api_fuzz_as_host(host: Any, member: Any, network: Any) -> None:
    from kring.people.services import create_api_token

    _token, raw = create_api_token(user=host)
    failures = _fuzz(_schema(), {"Authorization": f"Bearer {raw}"})
    assert not failures, "\n".join(failures)
