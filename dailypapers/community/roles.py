"""Who may do what beyond ordinary members.

Roles are Django groups holding model permissions (made by the migration
community/0002_roles), so an operator grants them in the admin (Users ->
groups) and nothing here knows user names:

- Curators (papers.feature_listing): feature, unfeature, pin and hide papers
  on a day; submit papers older than SUBMISSION_MAX_AGE_DAYS; no daily cap.
- Moderators (community.moderate_comment): hide and restore comments.

Superusers have every permission.
"""

from __future__ import annotations

FEATURE_PERMISSION = "papers.feature_listing"
MODERATE_PERMISSION = "community.moderate_comment"


def is_curator(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(FEATURE_PERMISSION))


def is_moderator(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(MODERATE_PERMISSION))
