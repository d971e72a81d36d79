"""A paper's page as Markdown (/papers/{id}.md), as huggingface_hub's read_paper reads it."""

import pytest

from dailypapers.community import services
from tests.factories import make_paper


@pytest.mark.django_db
def test_a_paper_as_markdown_with_its_visible_discussion(client, member, other, moderator):
    paper = make_paper(
        "2510.06217",
        title="TaTToo:  Tool-Grounded\nThinking",
        abstract="We study $x_i$ and <b>tags</b>.",
        code_url="https://github.com/example/tattoo",
        categories=["cs.AI", "cs.CL"],
    )
    first = services.comment_create(author=member, paper_id=paper.pk, body="Nice *work*.")
    services.comment_create(author=other, paper_id=paper.pk, body="Agreed.", parent_id=first.pk)
    spam = services.comment_create(author=other, paper_id=paper.pk, body="Buy now")
    services.comment_moderate(moderator=moderator, comment_id=spam.pk, hidden=True)

    response = client.get("/papers/2510.06217.md")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("# TaTToo: Tool-Grounded Thinking\n")
    assert "- arXiv: [2510.06217](https://arxiv.org/abs/2510.06217)" in text
    assert "- Authors: Ada Lovelace" in text and "- Categories: cs.AI, cs.CL" in text
    assert "- Code: https://github.com/example/tattoo" in text
    # Text as stored: LaTeX and angle brackets are not escaped away.
    assert "## Abstract\n\nWe study $x_i$ and <b>tags</b>.\n" in text
    assert "### ada" in text and "Nice *work*." in text
    assert "#### Reply from bob" in text and "Agreed." in text
    assert "Buy now" not in text  # hidden by a moderator
    # Any spelling of the id finds it; an unknown one is a 404.
    assert client.get("/papers/2510.06217v1.md").status_code == 200
    assert client.get("/papers/2510.99999.md").status_code == 404
    # The paper page links to it.
    assert b'href="/papers/2510.06217.md"' in client.get("/papers/2510.06217").content
