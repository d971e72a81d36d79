"""A paper's page as Markdown (``/papers/{id}.md``), what huggingface_hub's
``read_paper`` reads: the metadata, the abstract and the discussion.

Text goes out as stored: abstracts carry LaTeX and members write Markdown,
and escaping either would garble it for the programs and agents this is for.
"""

from __future__ import annotations

from dailypapers.community.models import Comment
from dailypapers.community.selectors import Thread
from dailypapers.core.site import absolute_url
from dailypapers.papers.models import Listing, Paper


def _day(value) -> str:
    return f"{value:%b} {value.day}, {value.year}"


def _comment(comment: Comment, heading: str) -> list[str]:
    who = f"{heading} {comment.author.username}, {_day(comment.created_at)}"
    body = "_Deleted by its author._" if comment.is_deleted else comment.body.strip()
    if comment.is_hidden and not comment.is_deleted:
        body = "_Hidden by a moderator._\n\n" + body
    return [who, "", body, ""]


def paper_markdown(*, paper: Paper, listings: list[Listing], threads: list[Thread]) -> str:
    lines = [f"# {' '.join(paper.title.split())}", ""]
    facts = []
    if paper.arxiv_id:
        facts.append(f"arXiv: [{paper.versioned_arxiv_id}]({paper.arxiv_abs_url})")
    if paper.published_at:
        facts.append(f"Published on {_day(paper.published_at)}")
    if listings:
        facts.append("Featured on " + ", ".join(_day(item.day) for item in listings))
    facts.append(f"Upvotes: {paper.upvote_count}")
    facts.append(f"Page: {absolute_url(paper.get_absolute_url())}")
    lines += [f"- {fact}" for fact in facts]
    if paper.author_names:
        lines.append("- Authors: " + ", ".join(paper.author_names))
    if paper.category_list:
        lines.append("- Categories: " + ", ".join(paper.category_list))
    for label, url in (
        ("PDF", paper.arxiv_pdf_url if paper.arxiv_id else ""),
        ("Code", paper.code_url),
        ("Project page", paper.project_url),
    ):
        if url:
            lines.append(f"- {label}: {url}")
    if paper.doi:
        lines.append(f"- DOI: {paper.doi}")
    if paper.journal_ref:
        lines.append(f"- Journal reference: {paper.journal_ref}")
    lines += ["", "## Abstract", "", paper.abstract.strip() or "_No abstract._", ""]
    lines += ["## Comments", ""]
    if paper.comments_imported and paper.huggingface_url:
        lines += [f"{paper.comments_imported} on Hugging Face: {paper.huggingface_url}", ""]
    if not threads:
        lines += ["No comments here yet.", ""]
    for thread in threads:
        lines += _comment(thread.comment, "###")
        for reply in thread.replies:
            lines += _comment(reply, "#### Reply from")
    return "\n".join(lines).rstrip() + "\n"
