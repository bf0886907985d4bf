"""Who may do what: the one place every permission is decided (the web and the CLI ask here).

Anonymous readers read published materials and fill in templates; members also read drafts, create new
drafts and edit the materials of their working groups; facilitators may do everything with materials and
working groups; admins also manage users.
"""

from __future__ import annotations

from toolkit.history.workflow import TRANSITIONS
from toolkit.library.materials import Material
from toolkit.people.accounts import User

ACTIONS = ("read_drafts", "create", "edit", "review", "publish", "retire", "restore", "manage_groups",
           "manage_users", "see_activity", "see_reviews", "propose_topic", "plan_meetings", "create_project",
           "edit_project", "comment", "resolve", "rename")
MEMBER_ACTIONS = {"read_drafts", "create", "propose_topic", "create_project", "comment"}


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
    if action in ("edit", "resolve"):  # resolve: a comment thread on a material of their group
        return material is not None and material.working_group is not None and material.working_group in user.groups
    return False


def can_resolve(user: User | None, material: Material, started_by: str) -> bool:
    """A comment thread on a material (toolkit.history.comments) is resolved and reopened by the one who started
    it, the material's working group, facilitators and admins."""
    return can(user, "resolve", material) or (can(user, "comment") and user is not None and user.name == started_by)


def can_edit_project(user: User | None, project) -> bool:
    """Projects of the registry (toolkit.network.projects): facilitators and admins edit every project; a member edits
    their own — one they created (`created_by` is their user name) or one that lists them as a contact by
    their account's own e-mail address, all of it (a name or the part before @ could be somebody else's).
    Anyone else: no."""
    if user is None:
        return False
    if user.role in ("facilitator", "admin"):
        return True
    if project is None or user.role != "member":
        return False
    email = user.email.casefold()
    return (project.created_by.casefold() == user.name.casefold()
            or (bool(email) and any(c.email.strip().casefold() == email for c in project.contacts)))


# The status changes offered in the browser: action → (target status, None for publishing; the permission).
WORKFLOW = {
    "request_review": ("review", "edit"),
    "approve": ("approved", "review"),
    "return": ("draft", "review"),
    "publish": (None, "publish"),
    "retire": ("retired", "retire"),
    "reopen": ("draft", "edit"),
}


def workflow_actions(user: User | None, material: Material) -> list[str]:
    """What this user may do with the material in its current status (TRANSITIONS says what the status allows)."""
    possible = TRANSITIONS.get(material.status, set())
    actions = []
    for action, (target, permission) in WORKFLOW.items():
        if not can(user, permission, material):
            continue
        if action == "publish":
            offered = material.status in ("draft", "review", "approved")
        elif action == "return":  # back to the group, with a comment
            offered = material.status in ("review", "approved")
        elif action == "reopen":  # a new draft of a published or retired material
            offered = material.status in ("published", "retired")
        else:
            offered = target in possible
        if offered:
            actions.append(action)
    return actions
