"""The CE-marking checklist, version 2 (issue 15): classification by every rule with MDCG 2019-11 Rev.1's official
examples, the IVDR route, research only, the manufacturer's type, contradictions, the new items — and above all
that an unanswered question never yields a permissive value: what it could change is "undetermined"."""

from __future__ import annotations

import io

import pytest
import yaml
from docx import Document

from tests.conftest import DATA
from toolkit.config import BUNDLED_TEMPLATES
from toolkit.documents.applicability import drop_inapplicable
from toolkit.documents.generate import render_docx
from toolkit.documents.packages import TemplateCatalogue
from toolkit.errors import Invalid

V1_EXAMPLE = DATA / "answers" / "ce-maerkning-v1.yaml"

# A complete set of version-2 answers: a company's decision-support tool (class IIa by Rule 11(a)).
COMPLETE = {
    "product_name": "Testprodukt", "manufacturer": "Test ApS", "manufacturer_type": "company",
    "intended_purpose": "Et formål.", "is_software": True, "beyond_storage": True, "individual_patients": True,
    "medical_purpose": True, "ivd": False, "drives_device": False, "informs_decisions": True, "worst_impact": "other",
    "monitors_physiology": False, "contraception": False, "clinical_use": True, "in_house_only": False,
    "uses_ai": True, "worst_harm": "non_serious", "personal_data": True, "large_scale": False,
}


@pytest.fixture(scope="module")
def package():
    return TemplateCatalogue(BUNDLED_TEMPLATES).get("ce-maerkning-tjekliste")


def answers(**changes):
    result = {**COMPLETE, **changes}
    return {key: value for key, value in result.items() if value is not None}


def document_text(package, given) -> str:
    document = Document(io.BytesIO(render_docx(package, given).data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


# -- MDCG 2019-11 Rev.1's official examples ----------------------------------------------------------------------

OFFICIAL = [
    ("stroke CT triage for thrombectomy: III (Rule 11(a))",
     answers(worst_impact="death_or_irreversible"), "III", "Regel 11(a)"),
    ("depression scoring: IIb (Rule 11(a))", answers(worst_impact="serious_or_surgery"), "IIb", "Regel 11(a)"),
    ("ICU vital-sign monitoring: IIb (Rule 11(b))",
     answers(informs_decisions=False, worst_impact=None, monitors_physiology=True, vital_parameters=True),
     "IIb", "Regel 11(b)"),
    ("home monitoring: IIa (Rule 11(b))",
     answers(informs_decisions=False, worst_impact=None, monitors_physiology=True, vital_parameters=False),
     "IIa", "Regel 11(b)"),
    ("conception app: I (Rule 11(c))", answers(informs_decisions=False, worst_impact=None), "I", "Regel 11(c)"),
    ("contraception software: IIb (Rule 15)",
     answers(informs_decisions=False, worst_impact=None, contraception=True), "IIb", "Regel 15"),
    ("closed-loop therapy: III (Rule 22)",
     answers(informs_decisions=False, worst_impact=None, drives_device=True, driven_device_class="IIb",
             closed_loop=True), "III", "Regel 22"),
]


@pytest.mark.parametrize(("name", "given", "expected", "rule"), OFFICIAL, ids=[o[0] for o in OFFICIAL])
def test_mdcg_2019_11_official_examples(package, name, given, expected, rule):
    explained = package.explain(given)
    assert explained["device_class"] == explained["mdr_class"] == expected, name
    assert explained["reasons"]["device_class"].startswith(rule), explained["reasons"]["device_class"]
    assert explained["notified_body"] is (expected != "I")
    assert explained["ai_act_high_risk"] is (expected != "I")  # uses AI, and a notified body decides it
    assert explained["undetermined"] == {}


# -- several functions: every rule, the highest class wins (implementing rule 3.5) ---------------------------------

@pytest.mark.parametrize(("changes", "expected"), [
    (dict(monitors_physiology=True, vital_parameters=False, worst_impact="serious_or_surgery"), "IIb"),  # 11(a) > 11(b)
    (dict(monitors_physiology=True, vital_parameters=True, worst_impact="other"), "IIb"),  # 11(b) over 11(a)
    (dict(monitors_physiology=True, vital_parameters=True, worst_impact="death_or_irreversible"), "III"),
    (dict(contraception=True, worst_impact="other"), "IIb"),  # Rule 15 over 11(a)
    (dict(drives_device=True, driven_device_class="I", closed_loop=False), "IIa"),  # 11(a) over 3.3
    (dict(drives_device=True, driven_device_class="III", closed_loop=False), "III"),  # 3.3 over 11(a)
])
def test_several_functions_take_the_highest_class(package, changes, expected):
    assert package.explain(answers(**changes))["device_class"] == expected


def test_a_readmission_risk_prognosis_is_at_least_iia_with_a_notified_body(package):
    """Version 1's "Andet" gave class I; a prognosis is information for decisions: Rule 11(a), IIa at least."""
    explained = package.explain(answers(worst_impact="other"))
    assert explained["device_class"] == "IIa" and explained["notified_body"] is True
    assert "4.2.1" in explained["references"]["device_class"]


# -- unanswered is not "no" ---------------------------------------------------------------------------------------

# Complete answers in which each yes/no and choice question applies (its show_if holds).
BASELINES = {
    "company tool": answers(),
    "monitoring closed loop": answers(monitors_physiology=True, vital_parameters=False, drives_device=True,
                                      driven_device_class="IIa", closed_loop=False, large_scale=True),
    "hospital in-house": answers(manufacturer_type="health_institution", in_house_only=True,
                                 equivalent_on_market=False, in_house_conditions=True),
    "research": answers(clinical_use=False, research_on_patients=False),
    "IVD": answers(ivd=True, ivd_purpose="other"),
}
FACTS = ["is_mdsw", "regulation", "device_class", "mdr_class", "in_house_exemption", "notified_body",
         "ai_act_high_risk", "ai_act_research_exclusion", "clinical_investigation", "iec62304_class", "dpia_required"]


def decision_questions(package, given):
    """The yes/no and choice questions that apply to these answers, with every answer they can take."""
    applies = package.form.applicable(given)
    for question in package.form.questions():
        if applies[question.id] and question.type == "boolean":
            yield question.id, [True, False]
        elif applies[question.id] and question.type == "choice":
            yield question.id, [option.value for option in question.options]


@pytest.mark.parametrize("baseline", BASELINES, ids=list(BASELINES))
def test_every_question_left_unanswered_gives_undetermined_never_a_permissive_value(package, baseline):
    """For each decision question: where its answers would lead to different values of a fact, leaving it
    unanswered makes that fact "undetermined" and names the question; where they all agree, the fact keeps
    that value. So no fact ever falls to the value of one particular (permissive) answer."""
    given = BASELINES[baseline]
    checked = exact = 0
    for question, choices in decision_questions(package, given):
        outcomes = [package.explain({**given, question: choice}) for choice in choices
                    if _valid(package, {**given, question: choice})]
        left_open = drop_inapplicable(package.form, {key: value for key, value in given.items() if key != question})
        unanswered = package.explain(left_open)  # (answers that no longer apply are dropped, as the web does)
        for fact in FACTS:
            values = {repr(outcome[fact]) for outcome in outcomes}
            if len(values) > 1:
                assert unanswered[fact] == "undetermined", (baseline, question, fact, values, unanswered[fact])
                assert fact not in unanswered["undetermined"] or question in unanswered["undetermined"][fact]
            else:  # every possible answer agrees: the same value (undetermined only where a contradiction rules
                #    out an answer the engine does not exclude by itself)
                assert repr(unanswered[fact]) in values | {"'undetermined'"}, (baseline, question, fact, values)
                exact += repr(unanswered[fact]) in values
            checked += 1
    assert checked > 100 and exact > 0.75 * checked


def _valid(package, given) -> bool:
    try:
        package.explain(given)
    except Invalid:
        return False  # a combination the checks refuse as contradictory
    return True


def test_a_blank_questionnaire_decides_nothing_and_keeps_the_stricter_items(package):
    explained = package.explain({"product_name": "X", "manufacturer": "Y", "intended_purpose": "Z"})
    assert all(explained[fact] == "undetermined" for fact in FACTS)
    assert explained["undetermined"]["is_mdsw"] == ["beyond_storage", "drives_device", "individual_patients",
                                                    "is_software", "medical_purpose"]
    for stricter in ("conformity-notified-body", "qms-iso13485", "vigilance", "ai-risk", "dpia",
                     "answer-open-questions"):
        assert stricter in explained["items"]
    for alternative in ("in-house-a", "in-house-gspr", "research-boundary"):  # paths, not obligations
        assert alternative not in explained["items"]


def test_the_equivalent_product_left_open_grants_no_exemption(package):
    """Version 1 granted the in-house exemption (and said no equivalent exists) when the question was blank."""
    given = answers(manufacturer_type="health_institution", in_house_only=True)
    explained = package.explain(given)
    assert explained["in_house_exemption"] == "undetermined"
    assert explained["notified_body"] == "undetermined" and explained["ai_act_high_risk"] == "undetermined"
    assert "equivalent_on_market" in explained["undetermined"]["in_house_exemption"]
    assert "qms-iso13485" in explained["items"] and "in-house-c" not in explained["items"]
    text = document_text(package, given)
    assert "Kan ikke afgøres" in text and "Findes der et tilsvarende CE-mærket produkt" in text
    assert "der findes ikke et tilsvarende produkt" not in text.lower()


def test_qualification_left_open_does_not_declare_a_sepsis_score_no_device(package):
    given = {key: value for key, value in answers().items()
             if key not in ("is_software", "beyond_storage", "individual_patients", "medical_purpose")}
    explained = package.explain(given)
    assert explained["is_mdsw"] == "undetermined" and explained["device_class"] == "undetermined"
    text = document_text(package, given)
    assert "Det kan endnu ikke afgøres, om Testprodukt er medicinsk udstyr" in text
    assert "er ikke medicinsk udstyr" not in text


def test_an_item_kept_because_it_is_undetermined_says_why(package):
    explained = package.context({k: v for k, v in answers().items() if k != "clinical_use"})
    item = next(i for i in explained["items"] if i["id"] == "vigilance")
    assert item["undetermined"] and "Medtaget, fordi det ikke kan afgøres endnu" in item["detail"]
    assert "»Skal softwaren bruges i behandlingen" in item["detail"]


# -- contradictions -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("changes", "fields"), [
    (dict(medical_purpose=False), {"medical_purpose", "informs_decisions"}),
    (dict(medical_purpose=False, informs_decisions=False, worst_impact=None, contraception=True),
     {"medical_purpose", "contraception"}),
    (dict(in_house_only=True, equivalent_on_market=False), {"manufacturer_type", "in_house_only"}),
    (dict(medical_purpose=False, informs_decisions=False, worst_impact=None, ivd=True, ivd_purpose="other"),
     {"medical_purpose", "ivd"}),
])
def test_contradictory_answers_are_refused_naming_both_fields(package, changes, fields):
    with pytest.raises(Invalid) as caught:
        package.explain(answers(**changes))
    assert {p.field for p in caught.value.problems} == fields
    assert all("modsiger hinanden" in p.message for p in caught.value.problems)


# -- IVDR, research only, the manufacturer ------------------------------------------------------------------------

@pytest.mark.parametrize(("purpose", "expected"), [("transfusion_or_life_threatening_agent", "D"),
                                                   ("class_c_purpose", "C"), ("self_testing", "C"), ("other", "B")])
def test_ivd_software_is_classified_under_the_ivdr(package, purpose, expected):
    explained = package.explain(answers(ivd=True, ivd_purpose=purpose))
    assert explained["regulation"] == "ivdr" and explained["device_class"] == expected
    assert explained["mdr_class"] is None
    assert explained["notified_body"] is True and explained["ai_act_high_risk"] is True  # IVDR B–D
    assert "ivdr-performance" in explained["items"] and "clinical-plan" not in explained["items"]
    assert "ivdr-performance-study" in explained["items"] and "clinical-investigation-any" not in explained["items"]
    assert ("ivdr-psur" in explained["items"]) is (expected in "CD")
    assert ("ivdr-pms-report" in explained["items"]) is (expected == "B")
    assert not {"psur-iia", "psur-iib-iii", "pms-report"} & set(explained["items"])
    text = document_text(package, answers(ivd=True, ivd_purpose=purpose))
    assert "IVDR art. 82 og 83" in text and "IVDR art. 2(46), 57–77" in text  # vigilance, performance studies


def test_research_only_needs_no_ce_marking_and_is_outside_the_ai_act(package):
    explained = package.explain(answers(clinical_use=False, research_on_patients=False,
                                        worst_impact="death_or_irreversible"))
    assert explained["is_mdsw"] is True and explained["device_class"] == "III"
    assert explained["notified_body"] is False and explained["ai_act_high_risk"] is False
    assert explained["ai_act_research_exclusion"] is True
    assert {"research-boundary", "research-on-patients", "research-real-world-testing"} <= set(explained["items"])
    assert not {"conformity-notified-body", "declaration-ce", "vigilance"} & set(explained["items"])
    assert "research-ai-on-patients" not in explained["items"]


def test_research_on_patients_is_real_world_testing_not_excluded_from_the_ai_act(package):
    explained = package.explain(answers(clinical_use=False, research_on_patients=True))
    assert explained["ai_act_research_exclusion"] is False and explained["notified_body"] is False
    assert "art. 2(8)" in explained["reasons"]["ai_act_research_exclusion"]
    assert "ikke undtaget" in explained["reasons"]["ai_act_high_risk"]
    assert {"research-ai-on-patients", "research-on-patients"} <= set(explained["items"])
    assert "research-real-world-testing" not in explained["items"]
    left_open = package.explain(answers(clinical_use=False))
    assert left_open["ai_act_research_exclusion"] == "undetermined"
    assert left_open["undetermined"]["ai_act_research_exclusion"] == ["research_on_patients"]
    assert {"research-ai-on-patients", "ai-literacy"} <= set(left_open["items"])  # the stricter way


@pytest.mark.parametrize("kind", ["university", "other"])
def test_only_a_health_institution_can_use_the_in_house_exemption(package, kind):
    explained = package.explain(answers(manufacturer_type=kind, in_house_only=True, equivalent_on_market=False))
    assert explained["in_house_exemption"] is False and explained["notified_body"] is True
    assert "sundhedsinstitution" in explained["reasons"]["in_house_exemption"]
    assert "in-house-company" in explained["items"]


def test_a_health_institution_without_an_equivalent_product_can_use_it(package):
    explained = package.explain(answers(manufacturer_type="health_institution", in_house_only=True,
                                        equivalent_on_market=False, in_house_conditions=True))
    assert explained["in_house_exemption"] is True and explained["notified_body"] is False
    assert explained["ai_act_high_risk"] is False
    assert {"in-house-a", "ai-in-house", "incident-reporting-hospital"} <= set(explained["items"])
    assert "juridisk enhed" in explained["reasons"]["in_house_exemption"]
    assert "herunder men ikke begrænset til" in explained["reasons"]["ai_act_high_risk"]
    assert "art. 26" not in " ".join(explained["references"].values())
    row = next(f for f in package.context(answers(manufacturer_type="health_institution", in_house_only=True,
                                                  equivalent_on_market=False, in_house_conditions=True))["facts"]
               if f["id"] == "clinical_investigation")
    assert row["display"] == "Afklar"  # not "Nej": testing on patients is still to be settled


@pytest.mark.parametrize(("conditions", "exemption"), [(None, "undetermined"), (False, False)])
def test_the_in_house_exemption_needs_every_condition_affirmed(package, conditions, exemption):
    given = answers(manufacturer_type="health_institution", in_house_only=True, equivalent_on_market=False,
                    in_house_conditions=conditions)
    explained = package.explain(given)
    assert explained["in_house_exemption"] == exemption
    assert "qms-iso13485" in explained["items"] and "in-house-a" not in explained["items"]
    if conditions is None:
        assert explained["undetermined"]["in_house_exemption"] == ["in_house_conditions"]
    else:
        assert explained["notified_body"] is True and "in-house-conditions-unmet" in explained["items"]


def test_large_scale_health_data_always_needs_a_dpia(package):
    explained = package.explain(answers(uses_ai=False, medical_purpose=False, informs_decisions=False,
                                        worst_impact=None, large_scale=True))
    assert explained["is_mdsw"] is False and explained["dpia_required"] is True
    assert "35(3)(b)" in explained["reasons"]["dpia_required"]


def test_the_new_items_for_a_marketed_device(package):
    explained = package.explain(answers())
    assert {"declaration-ce", "labelling-danish", "liability-cover", "record-retention", "authorised-representative",
            "iec82304", "change-control", "incident-reporting-hospital"} <= set(explained["items"])
    text = document_text(package, answers())
    for words in ("art. 10(16)", "art. 10(8)", "art. 11", "IEC 82304-1", "MDCG 2020-3", "Lægemiddelstyrelsen",
                  "2021/2226"):
        assert words in text, words


# -- version 1 answer files ------------------------------------------------------------------------------------------

def test_a_version_1_answer_file_keeps_its_meaning_and_names_what_was_assumed(package):
    given = yaml.safe_load(V1_EXAMPLE.read_text(encoding="utf-8"))
    assert "function" in given and "informs_decisions" not in given
    explained = package.explain(given)
    assert explained["device_class"] == "IIb" and explained["notified_body"] is True
    assert explained["undetermined"] == {}
    assert explained["assumed"] == ["ivd", "informs_decisions", "monitors_physiology", "contraception", "clinical_use"]
    text = document_text(package, given)
    assert "Svarfilen er fra en ældre udgave af spørgeskemaet" in text
    assert "antaget: svarfilen er fra en ældre udgave" in text


def test_the_example_uses_version_2_and_decides_everything(package):
    explained = package.explain(package.example())
    assert explained["undetermined"] == {} and explained["assumed"] == []
    assert explained["device_class"] == "IIb" and explained["dpia_required"] is True


def test_hardware_is_told_the_software_checklist_does_not_apply(package):
    given = answers(is_software=False)
    explained = package.explain(given)
    assert explained["is_mdsw"] is False
    text = document_text(package, given)
    assert "er ikke software i MDCG 2019-11's forstand" in text and "Hardware kan stadig være medicinsk udstyr" in text


def test_a_dpia_not_required_by_the_rules_is_shown_as_a_judgement_not_a_no(package):
    given = answers(uses_ai=False, medical_purpose=False, informs_decisions=False, worst_impact=None)
    row = next(f for f in package.context(given)["facts"] if f["id"] == "dpia_required")
    assert row["value"] is False and row["display"] == "Ikke automatisk – vurder"
    row = next(f for f in package.context(answers(personal_data=False))["facts"] if f["id"] == "dpia_required")
    assert row["display"] == "Nej"
