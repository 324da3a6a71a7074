from pathlib import Path

import pytest
from django_fsm.management.commands.graph_transitions import generate_dot

from cases.models import Case, Dispute
from reviews.models import ReviewCase

DOCS = Path(__file__).resolve().parents[2] / "docs"


def lines(dot: str) -> list[str]:
    # graphviz writes nodes and edges in set order: compare the lines, not their order.
    return sorted(line.strip() for line in dot.splitlines() if line.strip())


@pytest.mark.parametrize(("workflow", "drawing"), [(Dispute, "dispute-transitions.dot"),
                                                   (ReviewCase, "review-transitions.dot")])
def test_the_committed_transition_graph_matches_the_workflow_in_the_code(workflow, drawing):
    current = str(generate_dot([(Case._meta.get_field("state"), workflow)]))

    assert lines((DOCS / drawing).read_text()) == lines(current), (
        f"The {workflow.__name__} workflow changed: run `make graph` and commit docs/{drawing}"
    )
