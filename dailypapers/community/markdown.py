"""Comment Markdown to HTML that is safe to show to everyone.

Two independent layers: markdown-it renders CommonMark with raw HTML turned
off (a ``<script>`` typed by a user comes out as text), then nh3 (Rust's
ammonia) keeps only the tags and attributes a comment needs and the URL
schemes http, https and mailto, so a ``javascript:`` link or an event handler
cannot survive even if the renderer let one through.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def _image_as_link(self, tokens, idx, options, env) -> str:
    # An image would load third-party content into every reader's page (the
    # CSP allows none): it becomes a link to the image, labelled by its alt text.
    token = tokens[idx]
    src = escapeHtml(token.attrGet("src") or "")
    label = escapeHtml(self.renderInlineAsText(token.children or [], options, env) or src)
    return f'<a href="{src}">{label}</a>'


_renderer.add_render_rule("image", _image_as_link)

_TAGS = {
    "p", "br", "hr", "em", "strong", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "code": {"class"}}


def render(text: str) -> str:
    html = _renderer.render(text)
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
    )
