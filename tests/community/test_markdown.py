"""Comment Markdown: what it keeps, and hostile input made inert."""

import pytest

from dailypapers.community.markdown import render
from tests.hostile import HOSTILE_MARKDOWN, assert_inert


@pytest.mark.parametrize("text", HOSTILE_MARKDOWN)
def test_hostile_markdown_renders_inert(text):
    assert_inert(render(text))


def test_markdown_keeps_what_comments_need():
    html = render("**bold** _em_ `code` [link](https://example.org)\n\n- a\n- b\n\n> quote")
    for tag in (
        "<strong>",
        "<em>",
        "<code>",
        '<a href="https://example.org"',
        "<li>",
        "<blockquote>",
    ):
        assert tag in html
    assert 'rel="nofollow ugc noopener"' in html
