"""Who may do what: the one place every permission is decided (the web and the CLI ask here).

Anonymous readers read published materials and fill in templates; members also read drafts, create new
drafts and edit the materials of their working groups; facilitators may do everything with materials and
working groups; admins also manage users.
"""

from __future__ import annotations

from toolkit.accounts import User
from toolkit.materials import Material

ACTIONS = ("read_drafts", "create", "edit", "review", "publish", "retire", "restore", "manage_groups",
           "manage_users", "see_activity")
MEMBER_ACTIONS = {"read_drafts", "create"}


def can(user: User | None, action: str, material: Material | None = None) -> bool:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if user is None:
        return False
    if user.role == "admin":
        return True
    if user.role == "facilitator":
        return action != "manage_users"
    if action in MEMBER_ACTIONS:
        return True
    if action == "edit":
        return material is not None and material.working_group is not None and material.working_group in user.groups
    return False
