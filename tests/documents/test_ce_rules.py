"""The CE-marking checklist's rules over a table of scenarios: derived facts, and the items in the real .docx."""

from __future__ import annotations

import io

import pytest
from docx import Document

from toolkit.config import BUNDLED_TEMPLATES
from toolkit.documents.generate import render_docx
from toolkit.documents.packages import TemplateCatalogue
from toolkit.errors import Invalid

BASE = {
    "product_name": "Testprodukt", "manufacturer": "Test ApS", "intended_purpose": "Et formål.",
    "is_software": True, "beyond_storage": True, "individual_patients": True, "medical_purpose": True,
    "drives_device": False, "function": "decision_support", "worst_impact": "other", "in_house_only": False,
    "uses_ai": True, "worst_harm": "non_serious", "personal_data": True,
}


def answers(**changes):
    result = {**BASE, **changes}
    return {k: v for k, v in result.items() if v is not None}


# name, answers, expected facts, item ids that must be there, item ids that must not be there
SCENARIOS = [
    ("not software", answers(is_software=False),
     dict(is_mdsw=False, mdr_class=None, notified_body=False, in_house_exemption=False, ai_act_high_risk=False),
     ["qualification-record", "requalify-on-change", "ai-annex-iii", "gdpr-basis"],
     ["qms-iso13485", "risk-iso14971", "lifecycle-all", "conformity-class-i"]),
    ("only storage", answers(beyond_storage=False, uses_ai=False),
     dict(is_mdsw=False, mdr_class=None, ai_act_high_risk=False),
     ["not-device-security"], ["ai-literacy", "clinical-plan", "vigilance"]),
    ("population statistics only", answers(individual_patients=False),
     dict(is_mdsw=False, notified_body=False), ["not-device-claims"], ["pms-system"]),
    ("no medical purpose", answers(medical_purpose=False, personal_data=False),
     dict(is_mdsw=False, dpia_required=False), ["requalify-on-change"], ["gdpr-basis", "dpia", "dpa"]),
    ("decision support, death or irreversible: class III", answers(worst_impact="death_or_irreversible"),
     dict(is_mdsw=True, mdr_class="III", notified_body=True, ai_act_high_risk=True),
     ["clinical-investigation", "conformity-notified-body", "psur-iib-iii", "ai-risk", "ai-oversight"],
     ["conformity-class-i", "psur-iia", "pms-report", "ai-annex-iii"]),
    ("decision support, serious or surgery: class IIb", answers(worst_impact="serious_or_surgery"),
     dict(mdr_class="IIb", notified_body=True), ["psur-iib-iii", "conformity-notified-body"],
     ["clinical-investigation", "psur-iia"]),
    ("decision support, other: class IIa", answers(),
     dict(mdr_class="IIa", notified_body=True, ai_act_high_risk=True), ["psur-iia"],
     ["psur-iib-iii", "clinical-investigation"]),
    ("monitoring vital parameters: class IIb", answers(function="monitoring", worst_impact=None,
                                                       vital_parameters=True),
     dict(mdr_class="IIb"), ["psur-iib-iii"], ["psur-iia"]),
    ("monitoring other processes: class IIa", answers(function="monitoring", worst_impact=None,
                                                      vital_parameters=False),
     dict(mdr_class="IIa"), ["psur-iia"], ["psur-iib-iii"]),
    ("other software: class I without notified body, AI not high-risk",
     answers(function="other", worst_impact=None),
     dict(mdr_class="I", notified_body=False, ai_act_high_risk=False),
     ["conformity-class-i", "pms-report", "ai-literacy", "ai-annex-iii"],
     ["conformity-notified-body", "ai-risk", "psur-iia"]),
    ("drives a class IIb device: class IIb by rule 3.3", answers(function="other", worst_impact=None,
                                                                  drives_device=True, device_class="IIb"),
     dict(is_mdsw=True, mdr_class="IIb", notified_body=True), ["psur-iib-iii"], ["conformity-class-i"]),
    ("drives a class I device, rule 11 gives IIa: the higher applies",
     answers(drives_device=True, device_class="I"), dict(mdr_class="IIa"), ["psur-iia"], []),
    ("in-house, no equivalent on the market", answers(in_house_only=True, equivalent_on_market=False,
                                                      worst_impact="serious_or_surgery"),
     dict(is_mdsw=True, mdr_class="IIb", in_house_exemption=True, notified_body=False, ai_act_high_risk=False),
     ["in-house-a", "in-house-b", "in-house-c", "in-house-d", "in-house-e", "in-house-f", "in-house-g",
      "in-house-h", "in-house-gspr", "risk-iso14971", "lifecycle-all", "ai-literacy"],
     ["qms-iso13485", "conformity-notified-body", "vigilance", "udi-eudamed", "ai-risk", "in-house-blocked"]),
    ("in-house, but an equivalent is on the market", answers(in_house_only=True, equivalent_on_market=True),
     dict(in_house_exemption=False, notified_body=True, ai_act_high_risk=True),
     ["in-house-blocked", "qms-iso13485", "conformity-notified-body"], ["in-house-a", "in-house-gspr"]),
    ("no AI: never high-risk under the AI Act", answers(uses_ai=False, worst_impact="death_or_irreversible"),
     dict(mdr_class="III", ai_act_high_risk=False), ["clinical-investigation"],
     ["ai-literacy", "ai-risk", "automated-decisions"]),
    ("no personal data: no DPIA", answers(personal_data=False),
     dict(dpia_required=False), [], ["gdpr-basis", "dpia", "dpa"]),
    ("personal data with AI: DPIA", answers(), dict(dpia_required=True), ["gdpr-basis", "dpia", "dpa",
                                                                          "automated-decisions"], []),
    ("IEC 62304 class A", answers(worst_harm="none"), dict(iec62304_class="A"), ["lifecycle-all"],
     ["lifecycle-b", "lifecycle-c"]),
    ("IEC 62304 class B", answers(worst_harm="non_serious"), dict(iec62304_class="B"), ["lifecycle-b"],
     ["lifecycle-c"]),
    ("IEC 62304 class C", answers(worst_harm="serious_or_death"), dict(iec62304_class="C"),
     ["lifecycle-b", "lifecycle-c"], []),
]


@pytest.fixture(scope="module")
def package():
    return TemplateCatalogue(BUNDLED_TEMPLATES).get("ce-maerkning-tjekliste")


ITEM_TITLES: dict[str, str] = {}


def item_title_fragment(package, item_id: str) -> str:
    """A distinctive plain piece of an item's title to look for in the document text."""
    item = next(i for i in package.rules.items if i.id == item_id)
    return item.title.split("{{")[0].strip()[:45]


@pytest.mark.parametrize(("name", "given", "facts", "present", "absent"), SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_scenario(package, name, given, facts, present, absent):
    explained = package.explain(given)
    for key, value in facts.items():
        assert explained[key] == value, f"{name}: {key}"
    assert set(present) <= set(explained["items"]), f"{name}: missing {set(present) - set(explained['items'])}"
    assert not set(absent) & set(explained["items"]), f"{name}: unexpected {set(absent) & set(explained['items'])}"
    # The generated document really contains (and lacks) those items, and opens again in python-docx.
    document = Document(io.BytesIO(render_docx(package, given).data))
    text = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    for item_id in present:
        assert item_title_fragment(package, item_id) in text, f"{name}: {item_id} not in the document"
    present_fragments = {item_title_fragment(package, i) for i in explained["items"]}
    for item_id in absent:
        fragment = item_title_fragment(package, item_id)
        if fragment not in present_fragments:
            assert fragment not in text, f"{name}: {item_id} in the document"


def test_every_explain_has_the_required_keys_and_types(package):
    explained = package.explain(answers())
    assert isinstance(explained["is_mdsw"], bool)
    assert explained["mdr_class"] in (None, "I", "IIa", "IIb", "III")
    for key in ("notified_body", "in_house_exemption", "ai_act_high_risk", "dpia_required"):
        assert isinstance(explained[key], bool)
    assert explained["iec62304_class"] in ("A", "B", "C")
    assert explained["device_class"] == explained["mdr_class"] and explained["regulation"] == "mdr"
    assert all(explained["reasons"][key] for key in ("is_mdsw", "device_class", "ai_act_high_risk"))
    assert explained["undetermined"] == {}


def test_document_opens_with_the_summary_and_reasons(package):
    document = Document(io.BytesIO(render_docx(package, answers(worst_impact="death_or_irreversible")).data))
    paragraphs = [p.text for p in document.paragraphs]
    conclusion = next(p for p in paragraphs if p.startswith("Konklusion:"))
    assert "klasse III" in conclusion and "bemyndiget organ" in conclusion and "højrisiko" in conclusion
    summary = document.tables[2]
    rows = {row.cells[0].text: (row.cells[1].text, row.cells[2].text) for row in summary.rows[1:]}
    assert rows["Klasse"][0] == "Klasse III"
    assert "Regel 11(a)" in rows["Klasse"][1] and "irreversibel" in rows["Klasse"][1]
    assert "MDR bilag VIII, regel 11(a)" in rows["Klasse"][1]  # the reference, beside the reason
    assert document.core_properties.title == "CE-mærkning – tjekliste for Testprodukt"


def test_not_a_device_says_so_why_and_what_still_applies(package):
    document = Document(io.BytesIO(render_docx(package, answers(medical_purpose=False)).data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Testprodukt er ikke medicinsk udstyr" in text
    assert "ikke et medicinsk formål" in text
    assert "Det gælder stadig" in text
    assert "Klasse" not in [p.text for p in document.paragraphs]


def test_questions_that_do_not_apply_are_refused(package):
    with pytest.raises(Invalid) as caught:
        package.explain(answers(function="other", worst_impact="serious_or_surgery", device_class="III"))
    fields = {p.field for p in caught.value.problems}
    assert fields == {"worst_impact", "driven_device_class"}  # version 1's device_class, read as version 2's


def test_missing_answers_are_listed_by_field(package):
    """What a document cannot do without is required; the decision questions may stay open (undetermined)."""
    with pytest.raises(Invalid) as caught:
        package.explain({"product_name": "X", "drives_device": True, "function": "decision_support"})
    fields = {p.field for p in caught.value.problems}
    assert fields == {"manufacturer", "intended_purpose"}
