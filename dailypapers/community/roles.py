"""Who may do what beyond ordinary members.

Roles are Django groups holding model permissions (made by the migration
community/0002_roles), so an operator grants them in the admin (Users ->
groups) and nothing here knows user names:

- Curators (papers.feature_listing): feature, unfeature, pin and hide papers
  on a day; submit papers older than SUBMISSION_MAX_AGE_DAYS; no daily cap.
- Moderators (community.moderate_comment): hide and restore comments.

Superusers have every permission.

Services ask ``has_perm`` afresh before every action. Pages show what a
member may do from a memo kept under the version of what pages show
(pages/roles.py), so a change of role gives pages a new version
(``role_changed``, connected in apps.py): a member made curator sees the
curation form on their next request.
"""

from __future__ import annotations

from dailypapers.core import page_version

FEATURE_PERMISSION = "papers.feature_listing"
MODERATE_PERMISSION = "community.moderate_comment"


def is_curator(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(FEATURE_PERMISSION))


def is_moderator(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(MODERATE_PERMISSION))


# Saves of a user that cannot change a role: signing in stamps last_login.
_ROLELESS_FIELDS = frozenset({"last_login", "password"})


def role_changed(sender, **kwargs) -> None:
    """Receiver of the signals that may change someone's role: group
    memberships, a group's or a user's permissions (m2m_changed), a user
    saved (superuser, active) and a group deleted."""
    action = kwargs.get("action")
    if action is not None and not action.startswith("post_"):
        return
    instance = kwargs.get("instance")
    if kwargs.get("created") and not getattr(instance, "is_superuser", False):
        return  # a new member has no role until given one (m2m_changed)
    fields = kwargs.get("update_fields")
    if fields is not None and set(fields) <= _ROLELESS_FIELDS:
        return
    page_version.changed()
