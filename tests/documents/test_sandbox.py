"""The sandbox's limits: memory and time bombs in expressions, short texts and Word templates are refused at once,
with a message that names the limit, while ordinary template arithmetic keeps working."""

from __future__ import annotations

import time

import pytest

from tests.helpers.docxmaker import write_package
from toolkit.documents.expressions import ExpressionError, evaluate, render_text
from toolkit.documents.generate import TemplateProblem, render_docx
from toolkit.documents.packages import load_package

# Generous: each of these took from tens of seconds to forever (or a MemoryError) without the limits.
QUICKLY = 3.0

FORM = """\
title: {da: Enkel, en: Simple}
description: En enkel skabelon.
version: 1.0.0
sections:
  - id: main
    title: Oplysninger
    questions:
      - {id: project_title, type: text, label: Titel, required: true}
"""
EXAMPLE = "project_title: Projekt\n"


def refused(function, *args) -> str:
    started = time.monotonic()
    with pytest.raises(ExpressionError) as caught:
        function(*args)
    assert time.monotonic() - started < QUICKLY
    return str(caught.value)


@pytest.mark.parametrize(("expression", "says"), [
    ("'A'*3000000000", "3,000,000,000 characters or items; the sandbox allows at most 100,000"),
    ("2**100000000", "about 30,102,999 digits; the sandbox allows at most 1,000"),
    ("range(10**9)|list", "range() would give 1,000,000,000 numbers; the sandbox allows at most 10,000"),
    ("['A'*100000]*100000", "'*' would make a value of 10,000,100,000"),
    ("'x'.ljust(10**9)", "'.ljust()' would make"),
    ("'x'|center(10**9)", "'|center' would make"),
    ("('A'*100000)|replace('A', 'AA')", "'|replace' would make a value of 200,000"),
    ("['A'*40000, 'B'*40000, 'C'*40000]|join", "'|join' would make a value of 120,003"),
    ("'%0999999999d' % 1", "the width in '%0999999999'"),
    ("'{:>999999999}'.format(1)", "the width in '{:>999999999}'"),
    ("[1]|batch(10**9, 0)|list", "'|batch' would make"),
])
def test_expressions_that_would_exhaust_memory_are_refused_at_once(expression, says):
    message = refused(evaluate, expression, {})
    assert f"expression '{expression}' was refused by the sandbox" in message
    assert says in message


def test_nested_loops_over_large_ranges_are_stopped_at_the_step_limit():
    text = "{% for a in range(10000) %}{% for b in range(10000) %}{{ b }}{% endfor %}{% endfor %}"
    assert "more than 100,000 loop iterations and calls in one render" in refused(render_text, text, {})


def test_a_loop_that_skips_every_item_still_counts_its_iterations():
    text = "{% for a in range(10000) %}{% for b in range(10000) if b < 0 %}{% endfor %}{% endfor %}"
    assert "loop iterations" in refused(render_text, text, {})


def test_the_iterations_of_a_recursive_loop_are_counted():
    text = ("{% for x in range(10000) recursive %}{% if loop.depth == 1 %}{{ loop(range(10000)) }}{% endif %}"
            "{% endfor %}")
    assert "loop iterations" in refused(render_text, text, {})


def test_a_macro_that_calls_itself_twice_is_stopped():
    text = "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}"
    assert "a macro that calls itself" in refused(render_text, text, {})


@pytest.mark.parametrize("growth", ["ns.s ~ ns.s", "ns.s + ns.s", "ns.s * 2", "ns.s|replace('a', 'aa')",
                                    "[ns.s, ns.s]|join"])
def test_a_value_doubled_in_a_loop_stops_at_the_size_limit(growth):
    text = "{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = " + growth + " %}{% endfor %}"
    assert "the sandbox allows at most 100,000" in refused(render_text, text, {})


def test_a_loop_repeating_a_long_text_is_stopped_before_the_text_is_made():
    text = "{% set s = 'A' * 100000 %}{% for i in range(10000) %}{{ s }}{% endfor %}"
    assert "more than 20,000,000 characters made in one render" in refused(render_text, text, {})


def test_a_macro_collecting_a_long_text_is_stopped_too():
    text = ("{% macro m() %}{% for i in range(10000) %}{{ long }}{% endfor %}{% endmacro %}"
            "{% set collected = m() %}{{ collected|length }}")
    assert "characters made in one render" in refused(render_text, text, {"long": "A" * 100_000})


def test_lists_cannot_be_grown_in_place():
    text = "{% set l = [1] %}{% for i in range(40) %}{{ l.extend(l) }}{% endfor %}"
    assert "access to attribute 'extend' of 'list' object is unsafe" in refused(render_text, text, {})


def test_each_render_gets_its_own_budget():
    text = "{% for a in range(300) %}{% for b in range(200) %}{% endfor %}{% endfor %}done"  # 60,300 steps
    assert [render_text(text, {}) for _ in range(3)] == ["done"] * 3


@pytest.mark.parametrize(("expression", "value"), [
    ("2**10", 1024),
    ("price * 1.25 + 10", 135.0),
    ("'ab' * 3", "ababab"),
    ("[1, 2] * 2 + [3]", [1, 2, 1, 2, 3]),
    ("'%05.2f' % 3.14159", "03.14"),
    ("'{:,}'.format(1234567)", "1,234,567"),
    ("'Projekt ' ~ 7 ~ ' af ' ~ members|length", "Projekt 7 af 2"),
    ("members|map(attribute='name')|join(', ')", "Ane, Bo"),
    ("range(1, 4)|list|sum", 6),
    ("(10 // 3, 10 % 3, 2 ** -1)", (3, 1, 0.5)),
    ("'a-b'.replace('-', ' og ').center(9, '*')", "**a og b*"),
])
def test_ordinary_arithmetic_still_works(expression, value):
    names = {"price": 100, "members": [{"name": "Ane"}, {"name": "Bo"}]}
    assert evaluate(expression, names) == value


def test_ordinary_loops_still_work():
    text = ("{% for m in members %}{{ loop.index }}/{{ loop.length }} {{ m }}{{ ', ' if not loop.last }}"
            "{% else %}ingen{% endfor %}; {% for x in [[1, [2]], [3]] recursive %}"
            "{% if x is iterable %}({{ loop(x) }}){% else %}{{ x }}{% endif %}{% endfor %}")
    assert render_text(text, {"members": ["Ane", "Bo"]}) == "1/2 Ane, 2/2 Bo; (1(2))(3)"


@pytest.mark.parametrize(("tag", "says"), [
    ("{{ 'A'*3000000000 }}", "'*' would make a value of 3,000,000,000 characters or items"),
    ("{{ 2**100000000 }}", "digits; the sandbox allows at most 1,000"),
    ("{% for a in range(10**9) %}x{% endfor %}", "range() would give 1,000,000,000 numbers"),
    ("{% for a in range(10000) %}{% for b in range(10000) %}{{ project_title }}{% endfor %}{% endfor %}",
     "more than 100,000 loop iterations and calls"),
])
def test_a_word_template_asking_for_too_much_is_a_clear_template_problem(tmp_path, tag, says):
    package = load_package(write_package(tmp_path, "grådig", ["Titel: {{ project_title }}", tag], FORM, EXAMPLE))
    started = time.monotonic()
    with pytest.raises(TemplateProblem) as caught:
        render_docx(package, {"project_title": "x"})
    assert time.monotonic() - started < QUICKLY
    problem = caught.value.problems[0]
    assert problem.message.startswith("stopped by the sandbox's limits: ") and says in problem.message
    assert "Python internals" not in problem.message  # a limit is no attempt at Python's insides
    assert problem.path.endswith("template.docx")


def test_a_document_budget_spans_the_whole_document(tmp_path):
    loop = "{% for a in range(200) %}{% for b in range(200) %}{% endfor %}{% endfor %}"  # 40,200 steps each
    package = load_package(write_package(tmp_path, "lang", ["{{ project_title }}", loop, loop, loop], FORM, EXAMPLE))
    with pytest.raises(TemplateProblem, match="loop iterations"):
        render_docx(package, {"project_title": "x"})
