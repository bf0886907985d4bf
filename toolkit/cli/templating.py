"""Template commands: generate, and templates list|show|check|scaffold."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from toolkit.cli.base import Context, core_errors, main, pass_context
from toolkit.errors import Invalid, Problem

if TYPE_CHECKING:  # the templates' modules are imported by the commands that use them (see toolkit/cli/base.py)
    from toolkit.documents.packages import TemplatePackage
    from toolkit.documents.questions import Question


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _read_answers(source: str) -> dict[str, Any]:
    from toolkit.yamlfile import load_yaml, parse_yaml

    if source == "-":
        data = parse_yaml(sys.stdin.read(), "answers from standard input")
    else:
        path = Path(source)
        if not path.is_file():
            raise click.BadParameter(f"{source} is not a file", param_hint="--answers")
        data = load_yaml(path, source)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise Invalid(f"{source} must map question ids to answers",
                      [Problem.at(source, "write one 'question_id: answer' per line")])
    return data


@main.command("generate")
@click.argument("name")
@click.option("--answers", "answers_file", metavar="FILE.yaml", help="The answers (YAML; '-' reads standard input).")
@click.option("--interactive", is_flag=True, help="Ask the questions in the terminal instead.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The .docx to write (default: a name made from the answers, in the current folder).")
@click.option("--pdf", is_flag=True, help="Also write a PDF beside the .docx (needs LibreOffice).")
@click.option("--explain", is_flag=True, help="Print the computed values and facts as JSON; write nothing.")
@click.option("--save-answers", type=click.Path(dir_okay=False, path_type=Path),
              help="With --interactive: also save the answers given, to reuse with --answers.")
@pass_context
@core_errors
def generate_command(ctx: Context, name: str, answers_file: str | None, interactive: bool, output: Path | None,
                     pdf: bool, explain: bool, save_answers: Path | None) -> None:
    """Fill in a Word template from answers and write the tailored .docx (and PDF).

    Example: netkit generate ce-maerkning-tjekliste --answers svar.yaml -o tjekliste.docx --pdf
    """
    if (answers_file is None) == (not interactive):
        raise click.UsageError("give either --answers FILE.yaml or --interactive")
    package = _package(ctx, name)
    if interactive:
        from toolkit.cli.interactive import ask_form

        answers = ask_form(package.form)
        if save_answers:
            _write_output(_dump_answers(answers).encode(), save_answers)
    else:
        from toolkit.documents.images import load_image_files

        answers = _read_answers(answers_file)  # type: ignore[arg-type]
        base = Path.cwd() if answers_file == "-" else Path(answers_file).parent  # type: ignore[arg-type]
        answers = load_image_files(package.form, answers, base, answers_file)  # type: ignore[arg-type]
    if explain:
        click.echo(json.dumps(package.explain(answers), ensure_ascii=False, indent=2, default=_json_default))
        return
    from toolkit.documents.generate import render_docx  # docxtpl: only for the commands that write Word
    from toolkit.documents.pdf import docx_to_pdf

    generated = render_docx(package, answers)
    target = output or Path(generated.filename)
    if target.suffix.lower() != ".docx":
        raise click.BadParameter(f"{target} must end in .docx", param_hint="-o")
    pdf_data = docx_to_pdf(generated.data, target.stem) if pdf else None  # before writing: all or nothing
    _write_output(generated.data, target)
    click.echo(f"wrote {target}")
    if pdf_data is not None:
        _write_output(pdf_data, target.with_suffix(".pdf"))
        click.echo(f"wrote {target.with_suffix('.pdf')}")


def _package(ctx: Context, target: str) -> TemplatePackage:
    """A template by name, or a package folder (as `templates check FOLDER` takes it)."""
    from toolkit.documents.packages import FORM, load_package

    if (Path(target) / FORM).is_file():
        return load_package(Path(target))
    return ctx.templates.get(target)


def _write_output(data: bytes, target: Path) -> None:
    """Write a file for the user as `netkit export` does: permissions from the umask (0644 typically), not the
    0600 of a temporary file."""
    from toolkit.files import write_atomically

    write_atomically(data, target)
    mask = os.umask(0)
    os.umask(mask)
    target.chmod(0o666 & ~mask)


def _dump_answers(answers: dict[str, Any]) -> str:
    """YAML of the answers given; an image is written as a data: URL, which an answers file may hold."""
    import yaml

    from toolkit.documents.images import ImageAnswer

    def plain(value: Any) -> Any:
        if isinstance(value, ImageAnswer):
            return value.data_url()
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value

    return yaml.safe_dump(plain(answers), allow_unicode=True, sort_keys=False)


@main.group("templates")
def templates_group() -> None:
    """The Word templates: list, show, check and scaffold them.

    Example: netkit templates check ce-maerkning-tjekliste
    """


@templates_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@pass_context
@core_errors
def templates_list(ctx: Context, as_json: bool) -> None:
    """List the template packages.

    Example: netkit templates list --json
    """
    packages, problems = ctx.templates.packages()
    if as_json:
        click.echo(json.dumps([{"name": p.name, "title": p.title, "title_en": p.form.title.get("en"),
                                "version": p.version, "description": p.form.description.da,
                                "questions": len(p.form.ids), "rules": p.rules is not None} for p in packages],
                              ensure_ascii=False, indent=2))
    else:
        width = max((len(p.name) for p in packages), default=4)
        for package in packages:
            click.echo(f"{package.name:{width}}  {package.version:7}  {package.title}")
    for problem in problems:
        click.echo(f"problem: {problem}", err=True)
    if problems:
        sys.exit(1)


@templates_group.command("show")
@click.argument("name")
@click.option("--rules", "show_rules", is_flag=True,
              help="Show the rules instead: facts with their reasons, contradictions, items and conditions.")
@pass_context
@core_errors
def templates_show(ctx: Context, name: str, show_rules: bool) -> None:
    """Show a template's description and its questions (or, with --rules, its rules for review).

    Example: netkit templates show ce-maerkning-tjekliste --rules
    """
    package = ctx.templates.get(name)
    if show_rules:
        _show_rules(package)
        return
    click.echo(f"{package.title} ({package.name} {package.version})")
    click.echo(package.form.description.da)
    if package.form.related:
        click.echo(f"Relateret: {', '.join(package.form.related)}")
    for section in package.form.sections:
        click.echo(click.style(f"\n{section.title.da}", bold=True)
                   + (f"  (hvis {section.show_if})" if section.show_if else ""))
        for question in section.questions:
            _show_question(question, "  ")
    if package.rules:
        click.echo(f"\nRegler: {len(package.rules.facts)} afledte fakta, {len(package.rules.items)} punkter")


def _show_rules(package) -> None:
    from toolkit.documents.rulesview import rules_view

    view = rules_view(package)
    if view is None:
        raise click.ClickException(f"{package.name} has no rules (no rules.yaml); its questions: "
                                   f"netkit templates show {package.name}")
    heading = functools.partial(click.style, bold=True)
    click.echo(heading(f"Regler for {view.title} ({view.name} {view.version})"))
    click.echo("Et ubesvaret spørgsmål er aldrig et nej: det, der afhænger af det, er »kan ikke afgøres«.")
    click.echo(heading("\nAfledte fakta, i rækkefølge"))
    for fact in view.facts:
        click.echo(f"  {fact.id}" + (f" — {fact.label}" if fact.label else " (trin i ræsonnementet)"))
        click.echo(f"      = {fact.value}")
        for line in fact.reasons:
            where = f"hvis {line.when}" if line.when else "ellers"
            click.echo(f"      · {where}: {line.text}" + (f" [{line.reference}]" if line.reference else ""))
    if view.checks:
        click.echo(heading("\nModstridende svar (afvises)"))
        for check in view.checks:
            click.echo(f"  {check.id}: hvis {check.when} → {', '.join(check.fields)}: {check.message}")
    click.echo(heading("\nPunkter i tjeklisten"))
    for title, items in view.sections:
        click.echo(f"  {title}")
        for item in items:
            when = f"hvis {item.when}" if item.when else "altid"
            kept = "" if item.kept_if_undetermined or not item.when else "; udelades, hvis det ikke kan afgøres"
            click.echo(f"    {item.id}: {item.title} [{item.reference}; {item.role}] ({when}{kept})")
    if view.conclusion:
        click.echo(heading("\nKonklusion (den første, der gælder)"))
        for line in view.conclusion:
            click.echo(f"  {'hvis ' + line.when if line.when else 'ellers'}: {line.text}")
    if view.legacy:
        click.echo(heading("\nSvar fra en ældre udgave af spørgeskemaet"))
        for rule in view.legacy:
            click.echo(f"  hvis {rule.when}: {rule.changes}" + (" (antaget)" if rule.assumed else ""))
    click.echo(heading("\nNavne"))
    kinds = {"question": "spørgsmål", "fact": "faktum", "step": "trin"}
    for term in view.terms:
        click.echo(f"  {term.name} — {kinds[term.kind]}" + (f": {term.label}" if term.label else ""))


def _show_question(question: Question, indent: str) -> None:
    details = [question.type + (" af tal" if question.type == "list" and question.items == "number" else "")
               + (" (hele tal)" if question.integer else "")] + (["påkrævet"] if question.required else [])
    if question.options:
        details.append("valg: " + ", ".join(f"{o.value} ({o.label.da})" if o.label.da != o.value else o.value
                                            for o in question.options))
    if question.show_if:
        details.append(f"hvis {question.show_if}")
    click.echo(f"{indent}{question.id}: {question.label.da} ({'; '.join(details)})")
    for field in question.fields:
        _show_question(field, indent + "    ")


@templates_group.command("check")
@click.argument("target", required=False)
@click.option("--fix", is_flag=True, help="Repair Word autocorrect damage inside tags (typographic quotes …).")
@pass_context
@core_errors
def templates_check(ctx: Context, target: str | None, fix: bool) -> None:
    """Check template packages: tags against the questionnaire, autocorrect damage, the example renders.

    TARGET is a template name, a package folder or a bare .docx; without it, every template is checked.
    Exit code 1 when there are problems.

    Example: netkit templates check templates/mit-skema --fix
    """
    from toolkit.documents.docxfile import open_docx
    from toolkit.documents.templatelint import CheckResult, check_docx_only, check_package, fix_autocorrect

    results: list[CheckResult] = []
    if target and Path(target).suffix.lower() == ".docx":
        path = Path(target)
        if not path.is_file():
            raise click.BadParameter(f"{target} is not a file", param_hint="TARGET")
        if fix:
            _report_fix(fix_autocorrect(path), target)
        problems = check_docx_only(open_docx(path.read_bytes(), target), target)
        results.append(CheckResult(path.name, problems, False))
    else:
        for label, package, problems in _packages_to_check(ctx, target):
            if package is None:  # unreadable: reported, and the others are still checked
                results.append(CheckResult(label, problems, False))
                continue
            if fix:
                _report_fix(fix_autocorrect(package.docx_path, package.display("template.docx")), package.name)
            results.append(check_package(package))
    failed = False
    for result in results:
        if result.ok:
            click.echo(f"ok      {result.package}" + ("  (example renders)" if result.rendered else ""))
        else:
            failed = True
            click.echo(f"FAILED  {result.package}: {len(result.problems)} problem(s)")
            for problem in result.problems:
                click.echo(f"  {problem}")
    if failed:
        sys.exit(1)


def _packages_to_check(ctx: Context, target: str | None) -> list[tuple[str, TemplatePackage | None, list[Problem]]]:
    """(name, package, []) for each package to check, or (name, None, problems) for one that cannot be read."""
    if target:
        return [(target, _package(ctx, target), [])]
    names = ctx.templates.names()
    if not names:
        raise click.ClickException(f"no templates in {ctx.templates.root}")
    found: list[tuple[str, TemplatePackage | None, list[Problem]]] = []
    for name in names:
        try:
            found.append((name, ctx.templates.get(name), []))
        except Invalid as exc:
            found.append((name, None, list(exc.problems)))
    return found


def _report_fix(count: int, where: str) -> None:
    click.echo(f"fixed   {where}: {count} character(s) inside tags" if count else f"clean   {where}: nothing to fix")


@templates_group.command("scaffold")
@click.argument("docx", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--name", required=True, help="The new template's name, e.g. mit-skema.")
@click.option("--into", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True,
              help="The folder to create the package in.")
@click.option("--title", help="The template's title (default: from the name).")
@pass_context
@core_errors
def templates_scaffold(ctx: Context, docx: Path, name: str, into: Path, title: str | None) -> None:
    """Make a template package from any Word file with docxtpl tags, inferring the questionnaire.

    Example: netkit templates scaffold referat.docx --name mit-referat --into templates
    """
    from toolkit.documents.packages import load_package
    from toolkit.documents.scaffold import scaffold
    from toolkit.documents.templatelint import check_package

    if not docx.is_file():
        raise click.BadParameter(f"{docx} is not a file", param_hint="DOCX")
    made = scaffold(docx, name, into, title=title)
    click.echo(f"wrote {made.folder}/ with {made.questions} question(s), {made.groups} of them group(s)")
    for old, new in made.renamed.items():
        click.echo(f"renamed {old} → {new} in the tags (question ids are lowercase letters, digits and _)")
    result = check_package(load_package(made.folder))
    if result.ok:
        click.echo("ok: the example renders; now write labels, help texts and a description in form.yaml")
    else:
        for problem in result.problems:
            click.echo(f"  {problem}")
        sys.exit(1)
