"""Collections: a member's named lists of papers, private or public.

Writes check that the collection is the member's; reads of a public
collection are anyone's, of a private one only its owner's.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from dailypapers.library.models import Collection, CollectionPaper
from dailypapers.papers.models import Paper

MAX_COLLECTIONS = 200
MAX_PAPERS = 5000


def _owned(user, collection_id: int) -> Collection:
    found = Collection.objects.filter(pk=collection_id, user=user).first()
    if found is None:
        raise ValidationError("You have no such collection.")
    return found


def collection_create(*, user, name: str, public: bool = False) -> Collection:
    name = " ".join((name or "").split())
    if not name or len(name) > 100:
        raise ValidationError("A collection needs a name of at most 100 characters.")
    slug = slugify(name)[:100] or "collection"
    if Collection.objects.filter(user=user).count() >= MAX_COLLECTIONS:
        raise ValidationError(f"At most {MAX_COLLECTIONS} collections.")
    try:
        with transaction.atomic():
            return Collection.objects.create(user=user, name=name, slug=slug, public=public)
    except IntegrityError:
        raise ValidationError(f"You already have a collection called “{name}”.") from None


def collection_update(*, user, collection_id: int, public: bool | None = None) -> Collection:
    collection = _owned(user, collection_id)
    if public is not None:
        collection.public = public
    collection.updated_at = timezone.now()
    collection.save(update_fields=["public", "updated_at"])
    return collection


def collection_delete(*, user, collection_id: int) -> None:
    _owned(user, collection_id).delete()


def collection_set(*, user, collection_id: int, paper_id: int, member: bool) -> Collection:
    """Put a paper in the collection (``member``) or take it out; twice changes nothing."""
    collection = _owned(user, collection_id)
    if not Paper.objects.filter(pk=paper_id).exists():
        raise ValidationError("This paper does not exist.")
    if member:
        if collection.items.count() >= MAX_PAPERS:
            raise ValidationError(f"A collection holds at most {MAX_PAPERS:,} papers.")
        try:
            with transaction.atomic():
                CollectionPaper.objects.get_or_create(collection=collection, paper_id=paper_id)
        except IntegrityError:
            pass  # the same member's concurrent request added it
    else:
        CollectionPaper.objects.filter(collection=collection, paper_id=paper_id).delete()
    Collection.objects.filter(pk=collection.pk).update(updated_at=timezone.now())
    return collection


def collections_of(*, user) -> list[Collection]:
    return list(Collection.objects.filter(user=user).order_by("name"))


def visible_collection(*, viewer, username: str, slug: str) -> Collection | None:
    """The collection, if ``viewer`` may see it: public, or theirs."""
    found = (
        Collection.objects.filter(user__username=username, slug=slug).select_related("user").first()
    )
    if found is None or not (found.public or found.user_id == getattr(viewer, "pk", None)):
        return None
    return found


def collection_papers(*, collection: Collection, limit: int = MAX_PAPERS) -> list[Paper]:
    """Its papers, the latest added first."""
    items = collection.items.select_related("paper").order_by("-added_at", "-pk")[:limit]
    return [item.paper for item in items]
