from pathlib import Path

from django_fsm.management.commands.graph_transitions import generate_dot

from cases.models import Case, Dispute

GRAPH = Path(__file__).resolve().parents[2] / "docs" / "dispute-transitions.dot"


def lines(dot: str) -> list[str]:
    # graphviz writes nodes and edges in set order: compare the lines, not their order.
    return sorted(line.strip() for line in dot.splitlines() if line.strip())


def test_the_committed_transition_graph_matches_the_workflow_in_the_code():
    current = str(generate_dot([(Case._meta.get_field("state"), Dispute)]))

    assert lines(GRAPH.read_text()) == lines(current), (
        "The dispute workflow changed: run "
        "`make graph` and commit docs/dispute-transitions.dot"
    )
