"""The apps' import graph, one line per app, and its cycles (grimp, which import-linter is built on).

    .venv/bin/python -m tests.architecture.app_graph        # add -v for the imports behind each arrow
"""

from __future__ import annotations

import sys

import grimp

APPS = ("config", "cases", "reviews", "notifications", "demo", "benchmarks")


def app_graph(apps: tuple[str, ...] = APPS) -> tuple[dict[str, list[str]], grimp.ImportGraph]:
    """app → the other apps any of its modules imports (lazy imports inside functions too)."""
    graph = grimp.build_graph(*apps, include_external_packages=False, cache_dir=None)
    edges = {a: sorted(b for b in apps if a != b and graph.direct_import_exists(
        importer=a, imported=b, as_packages=True)) for a in apps}
    return edges, graph


def cycles(edges: dict[str, list[str]]) -> list[list[str]]:
    """The groups of apps that reach each other through imports (strongly connected, > 1 app)."""
    def reach(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for other in edges[todo.pop()]:
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        return seen

    reached = {a: reach(a) for a in edges}
    groups = {frozenset({a} | {b for b in reached[a] if a in reached[b]}) for a in edges}
    return sorted(sorted(g) for g in groups if len(g) > 1)


def main(verbose: bool = False) -> None:
    edges, graph = app_graph()
    for app, imported in edges.items():
        print(f"{app:14} -> {', '.join(imported) or '(nothing)'}")
        for other in imported if verbose else ():
            for found in graph.find_matching_direct_imports(
                    import_expression=f"{app}.** -> {other}.**"):
                print(f"    {found['importer']} -> {found['imported']}")
    found = cycles(edges)
    print(f"cycles between apps: {len(found)}" + "".join(f"\n  {' <-> '.join(c)}" for c in found))


if __name__ == "__main__":
    main(verbose="-v" in sys.argv)
