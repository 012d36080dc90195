"""A picture of who has met whom: positions computed in Python, drawn as inline SVG."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

SIZE = 560
MARGIN = 40


def layout(
    member_ids: list[int], pairs: Iterable[frozenset[int]], *, seed: int = 7
) -> dict[str, Any]:
    """Node positions (spring layout seeded, circular for small or sparse graphs) and edges."""
    g = nx.Graph()
    g.add_nodes_from(member_ids)
    edges = sorted(tuple(sorted(p)) for p in pairs if len(p) == 2 and p <= set(member_ids))
    g.add_edges_from(edges)
    if len(member_ids) <= 2 or g.number_of_edges() < len(member_ids) // 2:
        pos = nx.circular_layout(g)
    else:
        pos = nx.spring_layout(g, seed=seed, k=1.6 / max(1, len(member_ids)) ** 0.5, iterations=80)
    xs = [p[0] for p in pos.values()] or [0.0]
    ys = [p[1] for p in pos.values()] or [0.0]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    inner = SIZE - 2 * MARGIN

    def place(v: Any) -> tuple[float, float]:
        x, y = pos[v]
        return (
            round(MARGIN + (x - min(xs)) / span_x * inner, 1),
            round(MARGIN + (y - min(ys)) / span_y * inner, 1),
        )

    nodes = {v: place(v) for v in member_ids}
    return {
        "size": SIZE,
        "nodes": [
            {"id": v, "x": nodes[v][0], "y": nodes[v][1], "degree": g.degree(v)} for v in member_ids
        ],
        "edges": [
            {
                "a": a,
                "b": b,
                "x1": nodes[a][0],
                "y1": nodes[a][1],
                "x2": nodes[b][0],
                "y2": nodes[b][1],
            }
            for a, b in edges
        ],
    }


def with_names(
    picture: dict[str, Any], names: Mapping[int, str], initials: Mapping[int, str]
) -> dict[str, Any]:
    for node in picture["nodes"]:
        node["name"] = names.get(node["id"], "?")
        node["initials"] = initials.get(node["id"], "?")
    return picture
