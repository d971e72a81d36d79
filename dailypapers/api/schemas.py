"""Response shapes of the Daily Papers API (see ../shared/data/hf_daily_papers),
so that clients written for it, such as huggingface_hub, work against this server."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.schema import DjangoGetter
from pydantic import ConfigDict, model_validator


class Author(Schema):
    name: str
    hidden: bool = False


class Submitter(Schema):
    # The Daily Papers API names the handle "name" in submittedBy and "user"
    # in submittedOnDailyBy; both are given so either reader finds it.
    name: str
    user: str
    fullname: str
    avatarUrl: str = ""
    type: str = "user"


class Paper(Schema):
    """A paper. Keys without a value are left out, as the original leaves them out.

    The original's ``discussionId``, ``ai_summary``, ``ai_keywords``,
    ``ai_summary_model``, ``githubStars``, ``githubRepoAddedBy``,
    ``organization`` and ``mediaUrls`` are never given: they are Hugging
    Face's own (its discussion ids, its model's summaries, its organisations
    and media) and this site has no such data (docs/api.md).
    """

    id: str = Field(description="arXiv id without version, or dp-<key> for papers without one")
    title: str
    summary: str
    authors: list[Author]
    publishedAt: str | None = None
    upvotes: int
    numComments: int
    githubRepo: str | None = None
    projectPage: str | None = None
    categories: list[str] = []
    url: str
    submittedOnDailyAt: str | None = None
    submittedOnDailyBy: Submitter | None = None


class DailyPaper(Schema):
    """A featured paper. The original's ``thumbnail``, ``organization`` and
    ``mediaUrls`` are never given (Hugging Face's images and organisations)."""

    paper: Paper
    publishedAt: str | None = Field(None, description="the paper's date, as paper.publishedAt")
    title: str
    summary: str
    numComments: int
    submittedBy: Submitter | None = None
    isAuthorParticipating: bool = False
    githubRepo: str | None = Field(None, description="as paper.githubRepo")
    projectPage: str | None = Field(None, description="as paper.projectPage")


class PaperPage(Schema):
    papers: list[Paper]
    nextCursor: str | None = Field(
        None, description="pass as ?cursor= for the next page; absent on the last page"
    )


class Suggestion(Schema):
    q: str
    suggestion: str | None = Field(
        description="q with each misspelt word replaced by the word the papers hold; "
        "null when no word looks misspelt"
    )


class Error(Schema):
    error: str
    detail: list | None = None


class Body(Schema):
    """A request body: a JSON object with exactly the documented keys and types.

    Ninja's schemas read attributes of whatever they are given, so without
    this a body of ``[]`` or ``"x"`` validated as an object of defaults.
    """

    model_config = ConfigDict(extra="forbid", strict=True)

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data):
        if not isinstance(data._obj if isinstance(data, DjangoGetter) else data, dict):
            raise ValueError("the body must be a JSON object")
        return data


class VoteIn(Body):
    up: bool = True


class VoteOut(Schema):
    voted: bool
    upvotes: int


class CommentIn(Body):
    body: str = Field(..., max_length=10_000)
    parent: int | None = None


class CommentOut(Schema):
    id: int
    paper: str
    author: str
    body: str
    html: str
    parent: int | None
    createdAt: str


class SubmissionIn(Body):
    reference: str = Field(..., max_length=300, description="arXiv id or abs/pdf URL")


class SubmissionOut(Schema):
    paper: Paper
    day: str
    submittedBy: str


class SubmissionQueued(Schema):
    """arXiv could not be reached: the paper is fetched and listed when it answers."""

    queued: bool
    message: str


class EntryIn(Body):
    saved: bool | None = None
    read: bool | None = None
    notInterested: bool | None = None
    note: str | None = Field(None, max_length=2000)


class Entry(Schema):
    paper: Paper
    savedAt: str | None = None
    readAt: str | None = None
    notInterestedAt: str | None = None
    note: str = ""


class Pick(Schema):
    paper: Paper
    reason: str = Field("", description="why it is here: a paper it is like, or a follow")
    score: float


class ForYou(Schema):
    model: str = Field(description='"linear" (learned), "centroid" (few signals) or "" (trending)')
    papers: list[Pick]
