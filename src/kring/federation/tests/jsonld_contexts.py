"""A pyld document loader for the tests: the contexts Kring's documents name, offline.

The ActivityStreams 2.0 context is the copy bovine ships (read from its source with ``ast``,
so importing bovine's JSON-LD module, which opens a cache file, is not needed). Of the
security vocabulary only the terms the fediverse uses for keys are defined. Any other URL is
an error: expansion never reaches the network.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path
from typing import Any

from pyld import jsonld


def _bovine_as2_context() -> dict[str, Any]:
    spec = importlib.util.find_spec("bovine")
    assert spec is not None and spec.origin is not None
    source = (Path(spec.origin).parent / "jsonld" / "__init__.py").read_text()
    for node in ast.parse(source).body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == "activitystreams_context"
        ):
            return ast.literal_eval(node.value)
    raise LookupError("bovine no longer ships the ActivityStreams context")


SECURITY_V1 = {
    "id": "@id",
    "type": "@type",
    "sec": "https://w3id.org/security#",
    "publicKey": {"@id": "sec:publicKey", "@type": "@id"},
    "publicKeyPem": "sec:publicKeyPem",
    "owner": {"@id": "sec:owner", "@type": "@id"},
}

CONTEXTS = {
    "https://www.w3.org/ns/activitystreams": _bovine_as2_context(),
    "https://w3id.org/security/v1": SECURITY_V1,
}


def document_loader(url: str, options: Any = None) -> dict[str, Any]:
    if url not in CONTEXTS:
        raise jsonld.JsonLdError(
            f"unknown context {url}", "jsonld.LoadDocumentError", code="loading document failed"
        )
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": {"@context": CONTEXTS[url]},
    }
