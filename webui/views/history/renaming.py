"""Renaming a material in the browser (facilitators: the "rename" permission), and the one place where an old
address is followed: every request for `/m/<old>/…` (the material, its editions, files, history, forms) and
`/api/materials/<old>` is redirected to the same path under the new slug — 301 for reading, 308 for a form sent
to the old address (the method and the text typed are kept; the save then follows the rename in the core).

The renaming itself is toolkit.history.renaming (Instance.rename): one commit with the links in other materials.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _

from toolkit.errors import Conflict, Invalid, InvalidSlug, NotFound, WriteFailed
from toolkit.history.gitstore import Author
from toolkit.library.folder import Library
from toolkit.library.materials import Material, validate_slug
from toolkit.library.render import wikilinks
from toolkit.people.accounts import User
from webui import csrf
from webui.context import has_history, instance, library
from webui.errors import not_saved
from webui.guards import needs
from webui.visibility import hidden_from_reader

bp = Blueprint("renaming", __name__)

FOLLOWED = ("/m/<slug>", "/api/materials/<slug>")  # the routes whose <slug> may be an old address


@bp.before_app_request
def follow_renames():
    """An old address answers with the new one, for good (the redirects file of the instance)."""
    rule, args = request.url_rule, request.view_args or {}
    if rule is None or "slug" not in args or not rule.rule.startswith(FOLLOWED) or not has_history():
        return None
    old = args["slug"]
    new = instance().revisions.renamed_to(old)
    if new is None or new in hidden_from_reader():  # a draft's new name is not told to those who may not read it
        return None
    values = {**args, "slug": new}
    if values.get("slug_again") == old:  # /m/<slug>/<slug>.docx names the file after the material
        values["slug_again"] = new
    target = url_for(request.endpoint, **values)
    if request.args:
        target += "?" + urlencode(list(request.args.items(multi=True)))
    response = redirect(target, 301 if request.method in ("GET", "HEAD") else 308)
    # Permanent, but asked again each time: a browser that kept a→b for good would loop once b is renamed back to a.
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/m/<slug>/omdoeb", methods=["GET", "POST"])
@needs("rename")
def rename(slug: str, user: User):
    versioned, lib = instance(), library()
    material = lib.get(slug)
    form = {"new": request.form.get("new", slug)[:100].strip(), "note": request.form.get("note", "")[:500]}

    def page(status: int = 200, message: str | None = None, errors: dict[str, str] | None = None):
        return render_template("renaming/rename.html", material=material, form=form, message=message,
                               errors=errors or {}, linking=linking_to(lib, slug),
                               former=versioned.revisions.redirects.former(slug)), status

    if request.method == "GET":
        return page()
    if not csrf.valid():
        return page(400, _("Formularen var for gammel. Prøv igen."))
    error = _slug_error(form["new"], slug)
    if error:
        return page(400, _("Materialet blev ikke omdøbt. Ret det markerede, og prøv igen."), {"new": error})
    try:
        versioned.rename(slug, form["new"], Author(user.name, f"{user.name}@netkit.localhost"),
                         form["note"].strip() or None)
    except Conflict:
        return page(409, _("Materialet blev ikke omdøbt. Ret det markerede, og prøv igen."),
                    {"new": _taken(form["new"])})
    except NotFound:  # renamed by someone else a moment ago
        return page(409, _("Materialet findes ikke længere under denne adresse; en anden har måske lige omdøbt "
                           "det. Åbn det igen fra forsiden."))
    except Invalid as exc:  # the redirects file was edited by hand and has a bad line: nothing is written
        return page(409, _("Materialet blev ikke omdøbt, fordi filen med gamle adresser (library/redirects.yaml) "
                           "har fejl, som en administrator skal rette først: %(reason)s",
                           reason="; ".join(str(p) for p in exc.problems[:3]) or str(exc)))
    except WriteFailed as exc:
        return page(503, not_saved(exc))
    return redirect(url_for("reader.material", slug=form["new"], gemt="omdoebt"))


def _taken(new: str) -> str:
    """Why a slug the core refused as taken is taken: a material has it, or it is another one's old address."""
    owner = instance().revisions.renamed_to(new)
    if owner is not None:
        return _("/m/%(slug)s/ er en tidligere adresse for et andet materiale og sender fortsat videre dertil. "
                 "Vælg en anden.", slug=new)
    return _("Der findes allerede et materiale med adressen /m/%(slug)s/. Vælg en anden.", slug=new)


def _slug_error(new: str, old: str) -> str | None:
    """What is wrong with the new slug, in Danish at the field (the core checks it again under the lock)."""
    if not new:
        return _("Skriv den nye adresse.")
    try:
        validate_slug(new)
    except InvalidSlug:
        return _("Brug kun små bogstaver (a–z), tal og enkelte bindestreger, højst 80 tegn – skriv æ som ae, "
                 "ø som oe og å som aa.")
    if new == old:
        return _("Det er materialets nuværende adresse. Skriv en ny.")
    return None


def linking_to(lib: Library, slug: str) -> list[Material]:
    """The materials that name this one (a [[link]], `related` or `replaced_by`): what the rename updates."""
    return [m for m in lib.materials() if m.slug != slug and (
        slug in m.related or m.replaced_by == slug or any(link.target == slug for link in wikilinks(m.body)))]
