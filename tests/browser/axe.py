"""axe-core in the page: its serious and critical violations (issue 14: there must be none)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"


def axe_serious(page: Any) -> list[Any]:
    """axe's serious and critical violations on the page as it is now. Evaluated in the page:
    an injected <script> would be blocked by Kring's CSP."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map("
        "v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))})))"
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]
