"""Unanswered is not "no" (issue 15): the three-valued evaluation of rules, tri-state yes/no answers in forms,
rules that name what would decide them, contradictions, and answers of an earlier form version."""

from __future__ import annotations

import pytest

from toolkit.documents.formfile import parse_form
from toolkit.documents.rules import parse_rules
from toolkit.documents.undetermined import COMBINATIONS_MAX, Undetermined, UndeterminedUse, evaluate3
from toolkit.errors import Invalid

YES_NO = (True, False)


def open_question(name: str, answers=YES_NO) -> Undetermined:
    return Undetermined.question(name, answers)


# -- evaluation ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("source", "expected"), [
    ("a and b", False),            # false on one side decides it
    ("b and a", False),
    ("a or c", True),              # true on one side decides it
    ("'x' if a else 'x'", "x"),    # both branches agree
    ("k[level] > 0", True),        # every value the choice could take gives the same
    ("a is undetermined", True),
    ("b is undetermined", False),
])
def test_what_the_answers_given_decide_is_decided(source, expected):
    names = {"a": open_question("a"), "b": False, "c": True, "level": open_question("level", ("lav", "høj")),
             "k": {"lav": 1, "høj": 2}}
    assert evaluate3(source, names) == expected


@pytest.mark.parametrize("source", ["a and c", "a or b", "not a", "'x' if a else 'y'", "level == 'høj'", "k[level]"])
def test_what_depends_on_an_open_question_is_undetermined_and_names_it(source):
    names = {"a": open_question("a"), "b": False, "c": True, "level": open_question("level", ("lav", "høj")),
             "k": {"lav": 1, "høj": 2}}
    value = evaluate3(source, names)
    assert isinstance(value, Undetermined) and value.needs <= {"a", "level"} and value.needs


def test_facts_on_the_same_open_question_are_decided_together():
    """`a` and `not a` hang on one question: `a or not a` is true whatever it is answered (a three-valued
    logic that forgot the link would say undetermined)."""
    names = {"a": open_question("a")}
    names["x"] = evaluate3("a", names)
    names["y"] = evaluate3("not a", names)
    assert evaluate3("x or y", names) is True
    assert evaluate3("x and y", names) is False


def test_contradictory_answers_are_not_among_the_possibilities():
    names = {"medical": open_question("medical"), "informs": True}
    assert isinstance(evaluate3("medical", names), Undetermined)
    assert evaluate3("medical", names, impossible=["medical == false and informs"]) is True


def test_too_many_combinations_fall_back_to_three_valued_logic_which_is_never_wrong():
    names = {f"q{n}": open_question(f"q{n}", tuple(range(4))) for n in range(6)}  # 4**6 > COMBINATIONS_MAX
    assert COMBINATIONS_MAX < 4 ** 6
    source = " and ".join(f"q{n} > 5" for n in range(6))  # every answer makes it false; three-valued logic,
    assert isinstance(evaluate3(source, names), Undetermined)  # which looks at each part alone, cannot see that
    assert isinstance(evaluate3("q0 == 1 or q1 == 2 or q2 == 3 or q3 == 0 or q4 == 1 or q5 == 2", names),
                      Undetermined)
    assert evaluate3("false and q0 == 1", names) is False


def test_an_undetermined_value_refuses_to_be_read_as_yes_or_no():
    value = open_question("a")
    with pytest.raises(UndeterminedUse):
        bool(value)
    with pytest.raises(UndeterminedUse):
        value == "I"  # noqa: B015 - the comparison is what is tested
    assert str(value) == "kan ikke afgøres"


# -- forms: tri-state yes/no -----------------------------------------------------------------------------------------

FORM = {
    "title": "T", "description": "D", "version": "1.0.0",
    "sections": [{"id": "s", "title": "S", "questions": [
        {"id": "open", "type": "boolean", "label": "Åben", "allow_unknown": True},
        {"id": "firm", "type": "boolean", "label": "Fast", "required": True},
        {"id": "plain", "type": "boolean", "label": "Almindelig"},
    ]}],
    "legacy_answers": [
        {"when": "old == 'a'", "set": {"open": True}},
        {"when": "old is defined", "set": {"plain": False}, "assumed": True, "remove": ["old"]},
        {"when": "former is defined", "rename": {"former": "firm"}},
    ],
}


def test_a_yes_no_left_unanswered_is_none_never_false():
    form = parse_form(FORM, "form.yaml")
    clean = form.validate({"firm": "ja"})
    assert clean == {"open": None, "firm": True, "plain": None}
    assert form.validate({"open": "ved ikke", "firm": "nej"})["open"] is None


def test_ved_ikke_only_where_the_form_allows_it_and_a_required_yes_no_must_be_answered():
    form = parse_form(FORM, "form.yaml")
    with pytest.raises(Invalid) as caught:
        form.validate({"plain": "ved ikke"})
    problems = {p.field: p.message for p in caught.value.problems}
    assert problems["firm"] == "is required" and "'ved ikke' is not an answer" in problems["plain"]


def test_answers_of_an_earlier_version_are_read_and_what_it_assumed_is_named():
    form = parse_form(FORM, "form.yaml")
    upgraded = form.upgrade({"old": "a", "former": True})
    assert upgraded.answers == {"open": True, "plain": False, "firm": True}
    assert upgraded.assumed == ("plain",)
    assert form.upgrade({"open": False, "old": "a"}).answers["open"] is False  # an answer given is kept


def test_legacy_answers_and_allow_unknown_are_checked_when_the_form_is_read():
    bad = {**FORM, "legacy_answers": [{"when": "x ==", "set": {"a": 1}}, {"set": {"a": 1}}]}
    bad["sections"] = [{"id": "s", "title": "S", "questions": [
        {"id": "t", "type": "text", "label": "T", "allow_unknown": True}]}]
    with pytest.raises(Invalid) as caught:
        parse_form(bad, "form.yaml")
    messages = " ".join(str(p) for p in caught.value.problems)
    assert "does not parse" in messages and "each entry is a mapping with when" in messages
    assert "only a yes/no question" in messages


# -- rules: what is undetermined, contradictions, items, conclusion ------------------------------------------------

RULES = {
    "facts": [
        {"id": "device", "label": "Udstyr", "value": "software and purpose",
         "reasons": [{"when": "purpose == false", "text": "Intet formål."},
                     {"text": "Udstyr.", "reference": "Art. 2"}]},
        {"id": "body", "label": "Organ", "value": "device and not house"},
    ],
    "sections": [{"id": "s", "title": "S"}],
    "items": [
        {"id": "strict", "section": "s", "title": "Streng", "when": "body"},
        {"id": "alternative", "section": "s", "title": "Alternativ", "when": "house", "if_undetermined": False},
    ],
    "checks": [{"id": "c", "when": "software == false and purpose", "fields": ["software", "purpose"],
                "message": {"da": "Modsiger hinanden.", "en": "Contradict."}}],
    "conclusion": [{"when": "device is undetermined", "text": "Kan ikke afgøres: {{ undetermined.device }}."},
                   {"text": "Afgjort."}],
}
NAMES = {"software", "purpose", "house"}
LABELS = {"software": "Software?", "purpose": "Formål?", "house": "Egen?"}


def derive(**answers):
    rules = parse_rules(RULES, "rules.yaml", NAMES)
    names = {key: answers.get(key, open_question(key)) for key in NAMES}
    return rules.derive(names, labels=LABELS)


def test_an_undetermined_fact_says_what_to_answer_and_a_dependent_one_points_to_it():
    derived = derive(software=True, house=False)
    device, body = derived.facts
    assert device["display"] == "Kan ikke afgøres" and device["reason"] == "Besvar først: »Formål?«."
    assert body["undetermined"] and body["reason"] == "Afhænger af: Udstyr (se ovenfor)."
    assert derived.conclusion == "Kan ikke afgøres: »Formål?«."


def test_the_stricter_item_is_kept_and_says_why_the_alternative_is_not():
    derived = derive(software=True, house=False)
    assert [item["id"] for item in derived.items] == ["strict"]
    assert derived.items[0]["undetermined"] and "Medtaget, fordi" in derived.items[0]["detail"]


def test_a_decided_fact_has_its_reason_and_reference():
    derived = derive(software=True, purpose=True, house=False)
    device = derived.facts[0]
    assert (device["value"], device["reason"], device["reference"]) == (True, "Udstyr.", "Art. 2")
    assert derived.conclusion == "Afgjort."


def test_contradictory_answers_are_problems_at_both_fields():
    rules = parse_rules(RULES, "rules.yaml", NAMES)
    problems = rules.check({"software": False, "purpose": True, "house": False})
    assert [(p.field, p.message) for p in problems] == [("software", "Modsiger hinanden."),
                                                       ("purpose", "Modsiger hinanden.")]
    assert rules.check({"software": open_question("software"), "purpose": True, "house": False}) == []


def test_a_text_that_branches_on_an_undetermined_value_is_a_rules_error():
    rules_data = {**RULES, "facts": [{**RULES["facts"][0], "reasons": [
        {"text": "{% if software %}Software.{% else %}Ikke software.{% endif %}"}]}, RULES["facts"][1]]}
    rules = parse_rules(rules_data, "rules.yaml", NAMES)
    with pytest.raises(Invalid) as caught:
        rules.derive({"software": open_question("software"), "purpose": False, "house": False})
    assert "depends on an unanswered question" in str(caught.value)


def test_checks_and_conclusion_are_checked_when_the_rules_are_read():
    bad = {**RULES, "checks": [{"id": "c", "when": "software", "fields": ["nope"], "message": "M"}],
           "conclusion": [{"when": "x", "text": "{{ y }}"}]}
    with pytest.raises(Invalid) as caught:
        parse_rules(bad, "rules.yaml", NAMES)
    messages = " ".join(str(p) for p in caught.value.problems)
    assert "must list the questions" in messages and "reads 'x'" in messages and "reads 'y'" in messages
