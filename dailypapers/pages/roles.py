"""What the reader may do, as pages show it (curation and moderation forms).

Asking ``has_perm`` costs two queries a request (the member's and their
groups' permissions); pages keep the answer per member under the version of
what pages show, which a change of role renews (community/roles.py).
Services still ask afresh before acting.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from dailypapers.community.roles import is_curator, is_moderator
from dailypapers.pages.page_cache import read_once


@dataclass(frozen=True)
class Roles:
    curator: bool = False
    moderator: bool = False


def viewer_roles(request: HttpRequest) -> Roles:
    user = request.user
    if not user.is_authenticated:
        return Roles()
    return read_once(
        request,
        ("roles", user.pk),
        lambda: Roles(curator=is_curator(user), moderator=is_moderator(user)),
    )
