"""Markdown from members, rendered safely.

Reports are written by members and read by others, so their Markdown is
hostile input: it is rendered, then cleaned to a short list of tags with
nh3, which drops scripts, event handlers, styles and javascript: links.
"""

from __future__ import annotations

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
MAX_LENGTH = 100_000


def render_markdown(text: str) -> SafeString:
    html = markdown_lib.markdown(text[:MAX_LENGTH], extensions=["tables", "fenced_code"])
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 - cleaned by nh3 just above
