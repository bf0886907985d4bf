"""The workflow of a material: which status changes are allowed, what an edit does to the workflow fields
(status, version, replaced_by), and version numbers and their bumps.

Rules only, on texts and names: the instance applies them under its writer lock (`Instance.save`,
`set_status`, `publish`).
"""

from __future__ import annotations

import re
from collections.abc import Container
from typing import Literal

from toolkit.errors import Forbidden, Invalid, Problem
from toolkit.library.frontmatter import FrontMatterError, drop_fields, parse, set_fields
from toolkit.library.materials import VERSION_RE

Bump = Literal["major", "minor", "patch"]

# Which status changes the workflow allows by `set_status`; `publish` is the only way into "published".
TRANSITIONS = {
    "draft": {"review"},
    "review": {"draft", "approved"},
    "approved": {"draft"},
    "published": {"draft", "retired"},
    "retired": {"draft"},
}
FIRST_VERSION = "0.1.0"
WORKFLOW_FIELDS = ("status", "version", "replaced_by")  # changed only by set_status and publish


# -- a status change ------------------------------------------------------------------------------------------------


def status_change(slug: str, current: str, status: str, replaced_by: str | None, *, materials: Container[str],
                  where: str) -> dict[str, str]:
    """The fields that move `slug` from status `current` to `status` (TRANSITIONS); retiring may name the
    material that replaces it (one of `materials`). Forbidden or Invalid (at `where`) when the move is not
    allowed."""
    if status not in TRANSITIONS.get(current, set()):
        allowed = ", ".join(sorted(TRANSITIONS.get(current, set()))) or "none"
        raise Forbidden(f"'{slug}' is {current}; it can move to: {allowed}"
                        + ("; use publish to publish it" if status == "published" else ""))
    fields = {"status": status}
    if replaced_by:
        if status != "retired":
            raise Invalid("only a retired material has a replacement", [Problem.at(
                where, "name a replacement only when retiring", field="replaced_by")])
        if replaced_by == slug or replaced_by not in materials:
            raise Invalid(f"'{replaced_by}' cannot replace '{slug}'", [Problem.at(
                where, f"'{replaced_by}' is " + ("this material itself" if replaced_by == slug
                                                 else "no material") + "; choose another",
                field="replaced_by")])
        fields["replaced_by"] = replaced_by
    return fields


# -- what an edit does ----------------------------------------------------------------------------------------------


def keep_workflow_fields(current: str | None, text: str) -> str:
    """`text` with the workflow fields (status, version, replaced_by) of `current`, whatever it says itself; a
    new material (or one whose file cannot be read) starts as a draft, at 0.1.0 when new."""
    now = _front_data(current) if current is not None else None
    if now is None:
        wanted = {"status": "draft"} | ({"version": FIRST_VERSION} if current is None else {})
    else:
        wanted = {name: str(now[name]) for name in WORKFLOW_FIELDS if now.get(name) not in (None, "")}
        wanted.setdefault("status", "draft")
    mine = _front_data(text)
    if mine is None:
        return text  # not valid front matter: the check that follows names the problem
    changes = {name: value for name, value in wanted.items() if str(mine.get(name, "")) != value}
    text = set_fields(text, changes) if changes else text
    if "replaced_by" not in wanted and mine.get("replaced_by") not in (None, ""):
        text = drop_fields(text, {"replaced_by"})  # only retiring names a replacement
    return text


def after_edit(current: str | None, text: str) -> tuple[str, tuple[str, ...]]:
    """A change to a published or retired material's text starts a new draft; the edition stays tagged."""
    if current is None:
        return text, ()
    status = _field(current, "status")
    if _without_fields(current) == _without_fields(text):
        return text, ()
    if status in ("published", "retired"):
        return set_fields(text, {"status": "draft"}), (
            f"the material was {status}; your change is saved as a draft until it is published again",)
    if status == "approved":  # an approval is of the text that was approved
        return set_fields(text, {"status": "review"}), (
            "the text changed after it was approved; it is back in review",)
    return text, ()


def _front_data(text: str) -> dict | None:
    try:
        return parse(text).data
    except FrontMatterError:
        return None


def _field(text: str, name: str) -> str | None:
    match = re.search(rf"^{name}:\s*(\S+)\s*$", text.split("\n---", 1)[0], re.MULTILINE)
    return match[1] if match else None


def _without_fields(text: str) -> str:
    """The text without its status and version lines: what counts as a change of content."""
    return re.sub(r"^(status|version):.*$", "", text, flags=re.MULTILINE)


# -- versions -------------------------------------------------------------------------------------------------------


def next_version(slug: str, published: list[str], current: str, bump: Bump) -> str:
    """The version a publish gives: the last published one (or the material's own, before the first edition)
    bumped; Invalid when it is published already."""
    version = bump_version(published[-1] if published else current, bump)
    if version in published:
        raise Invalid(f"'{slug}' already has version {version}", [Problem.at(slug, "choose another bump",
                                                                              field="version")])
    return version


def bump_version(version: str, bump: Bump) -> str:
    match = VERSION_RE.match(version)
    major, minor, patch = (int(x) for x in match.groups()) if match else (0, 0, 0)
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def version_key(version: str) -> tuple[int, ...]:
    """A version for sorting: 1.10.0 after 1.9.0, anything unreadable first."""
    match = VERSION_RE.match(version)
    return tuple(int(x) for x in match.groups()) if match else (-1,)
