"""The core's rooms (toolkit/<room>/) import only the rooms before them, and the core never imports Flask,
click or the web UI: every module is read for its imports, and loading all of them leaves Flask unimported."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

TOOLKIT = Path(__file__).resolve().parent.parent / "toolkit"

# Each room may import the rooms before it in this list (and the top-level modules); never one after it.
ROOMS = ["library", "history", "search", "documents", "people", "publishing", "network"]
# Rooms of the same rank do not know each other: history and search both build on library only;
# documents and people are independent.
INDEPENDENT = {frozenset({"history", "search"}), frozenset({"documents", "people"})}
TOP_LEVEL = {"config", "errors", "files", "yamlfile", "__init__"}
LOADED_LIMIT = 500  # lines: a module past this is split along its seams (issue 16)
SPLIT_PENDING: set[str] = set()  # being split now; this set only shrinks


def core_modules() -> list[Path]:
    return sorted(path for path in TOOLKIT.rglob("*.py") if "__pycache__" not in path.parts)


def imported_toolkit_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name == "toolkit" or name.startswith("toolkit.")}


def room_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ROOMS else None


def test_every_core_module_lives_in_a_room_or_is_one_of_the_shared_top_level_modules():
    for path in core_modules():
        relative = path.relative_to(TOOLKIT)
        if len(relative.parts) == 1:
            assert relative.stem in TOP_LEVEL, f"{relative} belongs in a room (toolkit/<room>/)"
        else:
            assert relative.parts[0] in [*ROOMS, "cli"], f"{relative}: unknown room {relative.parts[0]}"


@pytest.mark.parametrize("room", ROOMS)
def test_a_room_imports_only_the_rooms_before_it(room):
    allowed = set(ROOMS[:ROOMS.index(room)]) - {other for pair in INDEPENDENT if room in pair for other in pair}
    wrong = []
    for path in (TOOLKIT / room).rglob("*.py"):
        for module in imported_toolkit_modules(path):
            target = room_of(module)
            if module.startswith("toolkit.cli") or (target and target != room and target not in allowed):
                wrong.append(f"{path.relative_to(TOOLKIT)} imports {module}")
    assert wrong == [], wrong


def test_the_shared_top_level_modules_import_no_room():
    for name in TOP_LEVEL - {"__init__"}:
        modules = imported_toolkit_modules(TOOLKIT / f"{name}.py")
        assert not [m for m in modules if room_of(m) or m.startswith("toolkit.cli")], (name, modules)


def test_no_core_module_is_over_the_size_limit():
    long = {str(path.relative_to(TOOLKIT)): count for path in core_modules()
            if (count := len(path.read_text(encoding="utf-8").splitlines())) > LOADED_LIMIT
            and str(path.relative_to(TOOLKIT)) not in SPLIT_PENDING}
    assert long == {}, long


def test_toolkit_does_not_import_flask():
    code = ("import pkgutil, importlib, sys, toolkit\n"
            "for m in pkgutil.walk_packages(toolkit.__path__, 'toolkit.'):\n"
            "    importlib.import_module(m.name)\n"
            "print(sorted(n for n in sys.modules if n.split('.')[0] in ('flask', 'webui', 'werkzeug')))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# -- the web UI: infrastructure beside thin views in rooms that mirror the core's -------------------------------------

WEBUI = TOOLKIT.parent / "webui"


def web_modules() -> dict[str, Path]:
    modules = {}
    for path in WEBUI.rglob("*.py"):
        if "__pycache__" in path.parts:
            continue
        parts = path.relative_to(WEBUI.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def web_imports(path: Path, known: set[str]) -> set[str]:
    """The webui modules a module imports anywhere in it (at the top or inside a function)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:  # `from webui import csrf` imports the module webui.csrf
                found.add(f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in known else node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name in known and name != "webui"}


def test_the_web_modules_import_each_other_without_a_circle():
    modules = web_modules()
    graph = {name: web_imports(path, set(modules)) - {name} for name, path in modules.items()}
    circles = []

    def visit(name: str, trail: list[str]) -> None:
        for target in sorted(graph[name]):
            if target in trail:
                circles.append([*trail[trail.index(target):], target])
            elif len(trail) < 12:
                visit(target, [*trail, target])

    for start in sorted(graph):
        visit(start, [start])
    assert circles == [], circles[:5]


def test_the_web_infrastructure_never_imports_a_view():
    modules = web_modules()
    for name, path in modules.items():
        if name.startswith("webui.views") or name in ("webui", "webui.views"):
            continue
        views = {m for m in web_imports(path, set(modules)) if m.startswith("webui.views")}
        assert not views or name.startswith("webui.staticsite"), (name, views)


def test_no_web_module_is_over_the_size_limit():
    long = {name: count for name, path in web_modules().items()
            if (count := len(path.read_text(encoding="utf-8").splitlines())) > LOADED_LIMIT}
    assert long == {}, long


# What the command line imports only in the commands that use them (the search, Word in and out, spreadsheets,
# calendars, images, sign-in, the web UI); tests/cli/test_startup.py runs the commands against the same list.
HEAVY = ("whoosh", "numpy", "docx", "docxtpl", "openpyxl", "mammoth", "markdownify", "icalendar", "PIL", "authlib",
         "joserfc", "flask", "webui")


def test_the_command_line_loads_the_heavy_libraries_only_for_the_commands_that_use_them():
    """`netkit --help`, `list` or `show` must not pay ~0.5 s for Whoosh, numpy, python-docx or docxtpl."""
    code = ("import sys\nfrom toolkit.cli import main\n"
            f"print(sorted({{n.split('.')[0] for n in sys.modules}} & set({HEAVY!r})))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
