"""`netkit templates check`: everything wrong with a template package, before anyone fills it in.

Each problem names the place: a paragraph or table cell of the Word file (never an XML offset), or a line
of form.yaml / rules.yaml / example.yaml. `fix_autocorrect` repairs Word's typographic quotes and other
autocorrect damage inside tags, run by run, so the formatting of the text around them is kept.
"""

from __future__ import annotations

import difflib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from docx.document import Document as DocumentObject

from toolkit.documents.docxfile import TAG, Place, open_docx, text_view
from toolkit.documents.generate import render_docx
from toolkit.documents.packages import TemplatePackage
from toolkit.documents.questions import Question
from toolkit.documents.tagscan import ITEM, Scan, scan_places
from toolkit.errors import Invalid, Problem

# Autocorrect damage inside tags, and the plain character Jinja needs instead.
AUTOCORRECT = {"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'",
               "‛": "'", "…": "...", "\u00a0": " ", "\u202f": " ", "\u2007": " ", "–": "-", "—": "-"}
DAMAGE = re.compile("[" + "".join(AUTOCORRECT) + "]")
# Plain-quoted string literals inside a tag are the author's text: a dash or ellipsis there is meant.
LITERAL = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")
# docxtpl tag delimiters that autocorrect or typing can damage: `{ {`, `{ %`.
SPLIT_DELIMITER = re.compile(r"\{ +[{%]|[}%] +\}")


@dataclass(frozen=True)
class CheckResult:
    package: str
    problems: list[Problem]
    rendered: bool

    @property
    def ok(self) -> bool:
        return not self.problems


def check_package(package: TemplatePackage) -> CheckResult:
    """Every problem of a loaded package: the Word file's tags against the questionnaire, and the example."""
    display = package.display("template.docx")
    try:
        document = open_docx(package.docx_bytes(), display)
    except Invalid as exc:
        return CheckResult(package.name, exc.problems, False)
    places = text_view(document)
    problems = docx_problems(places, display)
    scan = scan_places(places)
    problems += scan_problems(scan, display)
    if not scan.syntax_errors:
        problems += usage_problems(package, scan, display) + docxtpl_tag_problems(package, scan, display)
    rendered = False
    if not problems:
        try:
            generated = render_docx(package, package.example())
            open_docx(generated.data, f"{package.name} rendered from example.yaml")
            rendered = True
        except Invalid as exc:
            problems += [p if p.path != "answers" else Problem.at(package.display("example.yaml"), p.message,
                                                                  field=p.field) for p in exc.problems]
    return CheckResult(package.name, problems, rendered)


def docx_problems(places: list[Place], display: str) -> list[Problem]:
    """Autocorrect damage and broken delimiters inside tags."""
    problems = []
    for place in places:
        for tag in TAG.finditer(place.text):
            damaged = sorted({tag.group(0)[i] for i in damaged_positions(tag.group(0))})
            if damaged:
                shown = " ".join(repr(c) for c in damaged)
                problems.append(Problem.at(display, f"Word autocorrect changed characters inside {tag.group(0)!r} "
                                                    f"({shown}); run `netkit templates check --fix`",
                                           field=place.describe()))
        if SPLIT_DELIMITER.search(place.text):
            problems.append(Problem.at(display, "a tag delimiter has a space inside it ('{ {' or '{ %'); "
                                                "write {{ … }} and {% … %} without spaces between the braces",
                                       field=place.describe()))
    return problems


def scan_problems(scan: Scan, display: str) -> list[Problem]:
    """Syntax errors, and docxtpl features Netkit cannot fill (see toolkit.documents.tagscan), each at its place."""
    problems = [Problem.at(display, f"template syntax: {message}", field=place.describe())
                for place, message in scan.syntax_errors]
    problems += [Problem.at(display, message, field=place.describe()) for place, message in scan.refused]
    for tag in scan.docxtpl_tags:
        if tag.kind in ("tr", "tc"):
            problems.append(Problem.at(display, f"{{{{{tag.kind} …}}}} puts a value in place of a whole table "
                                                f"{'row' if tag.kind == 'tr' else 'cell'} (a docxtpl sub-document); "
                                                "no answer can fill that — use {{ … }} inside the cell instead",
                                       field=tag.place.describe()))
    return problems


# Question types whose answer can be printed as a run ({{r x}}) or a paragraph ({{p x}}): as text, or an image
# as a picture (toolkit.documents.richtext). Any other (a group, a list, a type added later) is refused until
# it is known to print well there.
PRINTABLE_AS_TEXT = {"text", "textarea", "number", "date", "choice", "boolean", "image"}


def docxtpl_tag_problems(package: TemplatePackage, scan: Scan, display: str) -> list[Problem]:
    """`{{r x}}` and `{{p x}}` print x as formatted text or a picture (toolkit.documents.richtext); a group or a
    list cannot become a run or a paragraph: docxtpl would drop it or print Python's notation for it."""
    questions = {q.id: q for q in package.form.questions()}
    problems = []
    for tag in scan.docxtpl_tags:
        if tag.kind not in ("r", "p") or tag.path is None or tag.path[0] not in questions:
            continue
        question = questions[tag.path[0]]
        target = question
        for part in tag.path[1:]:
            if part == ITEM:
                continue
            target = next((f for f in target.fields if f.id == part), None)
            if target is None:
                break
        if target is None or target.type in PRINTABLE_AS_TEXT:
            continue
        whole = "run of text" if tag.kind == "r" else "paragraph"
        shown = ".".join(p for p in tag.path if p != ITEM)
        advice = "loop over it and print its parts with {{ … }}"
        problems.append(Problem.at(display, f"{{{{{tag.kind} {shown}}}}} prints a whole {whole}, but '{shown}' is "
                                            f"a {target.type} question, not text (docxtpl would need a "
                                            f"{'RichText' if tag.kind == 'r' else 'Subdoc or RichTextParagraph'}"
                                            f"); {advice}", field=tag.place.describe()))
    return problems


def usage_problems(package: TemplatePackage, scan: Scan, display: str) -> list[Problem]:
    """Names used but not declared, group fields that do not exist, questions never used."""
    problems = []
    declared = package.names()
    questions = {q.id: q for q in package.form.questions()}
    defaulted_only = scan.defaulted_names()  # `x|default(…)` copes without x, declared or not
    for name, place in scan.names().items():
        if name not in declared and name not in defaulted_only:
            hint = difflib.get_close_matches(name, sorted(declared), n=1)
            problems.append(Problem.at(display, f"uses '{name}', which form.yaml does not declare"
                                       + (f"; did you mean '{hint[0]}'?" if hint else
                                          "; add a question for it or fix the tag"), field=place.describe()))
    used_paths = scan.paths()
    for path, place in used_paths.items():
        question = questions.get(path[0])
        if question is not None and len(path) > 1:
            problem = _field_problem(question, path[1:], path)
            if problem:
                problems.append(Problem.at(display, problem, field=place.describe()))
    used_elsewhere = _names_used_outside_docx(package)
    for question in package.form.questions():
        if question.id not in scan.names() and question.used_in_template:
            where = "; it is read by conditions or rules, so mark it `used_in_template: false`" \
                if question.id in used_elsewhere else "; use it in the .docx or mark it `used_in_template: false`"
            problems.append(Problem.at(package.display("form.yaml"), f"question is never used in template.docx{where}",
                                       line=question.line, field=question.id))
        elif question.is_group and question.used_in_template:
            problems += _unused_fields(package, question, (question.id,), set(used_paths))
    return problems


def _field_problem(question: Question, rest: tuple[str, ...], path: tuple[str, ...]) -> str | None:
    """Whether `rest` (after the question id) names an existing field of a group question."""
    if not question.is_group:
        return None  # attributes of plain values (today.year, a date's .year) are Jinja's business
    if question.repeat:
        if rest[0] != ITEM:
            return None  # e.g. members|length is a filter, members.append would be refused by the sandbox
        rest = rest[1:]
    if not rest:
        return None
    fields = {f.id: f for f in question.fields}
    field = fields.get(rest[0])
    if field is None:
        hint = difflib.get_close_matches(rest[0], sorted(fields), n=1)
        shown = ".".join(p for p in path if p != ITEM)
        return (f"uses '{shown}', but the group '{question.id}' has no field '{rest[0]}'"
                + (f"; did you mean '{hint[0]}'?" if hint else f"; its fields: {', '.join(fields)}"))
    return _field_problem(field, rest[1:], path) if len(rest) > 1 else None


def _unused_fields(package: TemplatePackage, group: Question, prefix: tuple[str, ...],
                   used: set[tuple[str, ...]]) -> list[Problem]:
    base = (*prefix, ITEM) if group.repeat else prefix
    problems = []
    for field in group.fields:
        path = (*base, field.id)
        if not any(u[:len(path)] == path for u in used) and field.used_in_template:
            problems.append(Problem.at(package.display("form.yaml"),
                                       "field is never used in template.docx; use it or mark it "
                                       "`used_in_template: false`", line=field.line,
                                       field=".".join(p for p in path if p != ITEM)))
        elif field.is_group:
            problems += _unused_fields(package, field, path, used)
    return problems


def _names_used_outside_docx(package: TemplatePackage) -> set[str]:
    from toolkit.documents.expressions import expression_names, text_names

    names: set[str] = set()
    for question in package.form.questions():
        if question.show_if:
            names |= expression_names(question.show_if)
    for value in package.form.computed:
        names |= expression_names(value.value)
    if package.rules:
        for fact in package.rules.facts:
            names |= expression_names(fact.value)
            for reason in fact.reasons:
                names |= text_names(reason.text) | (expression_names(reason.when) if reason.when else set())
        for item in package.rules.items:
            names |= expression_names(item.when) if item.when else set()
    return names


# --- repairing autocorrect damage ------------------------------------------------------------------------------

def fix_autocorrect(path: Path, display: str | None = None) -> int:
    """Replace autocorrected characters inside tags in the .docx at `path` (every story docxtpl renders: body,
    headers, footers, footnotes, text boxes, content controls); returns how many were replaced."""
    from toolkit.documents.wordstories import all_paragraphs, stories

    display = display or str(path)
    document = open_docx(path.read_bytes(), display)
    count = 0
    for story in stories(document):
        fixed = sum(_fix_paragraph(paragraph) for paragraph in all_paragraphs(story))
        if fixed:
            story.save()
        count += fixed
    if count:
        out = io.BytesIO()
        document.save(out)
        from toolkit.files import write_atomically

        write_atomically(out.getvalue(), path)
    return count


def damaged_positions(tag: str) -> list[int]:
    """Positions of autocorrected characters in a tag, outside plain-quoted string literals."""
    inside = set()
    for literal in LITERAL.finditer(tag):
        inside.update(range(*literal.span()))
    return [m.start() for m in DAMAGE.finditer(tag) if m.start() not in inside]


def _fix_paragraph(paragraph) -> int:
    """Repair one w:p element text piece by piece (w:t of its runs, in insertions and content controls too), so
    the formatting of each run is kept."""
    from toolkit.documents.wordstories import text_elements

    pieces = text_elements(paragraph)
    texts = [piece.text or "" for piece in pieces]
    joined = "".join(texts)
    positions = {m.start() + i for m in TAG.finditer(joined) for i in damaged_positions(m.group(0))}
    if not positions:
        return 0
    count = 0
    offset = 0
    for piece, text in zip(pieces, texts, strict=True):
        start = offset
        offset += len(text)
        chars = list(text)
        for i in range(len(chars)):
            if start + i in positions:
                chars[i] = AUTOCORRECT[chars[i]]
                count += 1
        fixed = "".join(chars)
        if fixed != text:
            piece.text = fixed
    return count


def check_docx_only(document: DocumentObject, display: str) -> list[Problem]:
    """For a bare .docx (no package yet): syntax and autocorrect damage only."""
    places = text_view(document)
    return docx_problems(places, display) + scan_problems(scan_places(places), display)
