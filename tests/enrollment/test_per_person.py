"""The deductible and out-of-pocket figures of the plan table, in English and Spanish."""

from __future__ import annotations

from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

TABLE = Template("{% load enrollment_format %}{% per_person person family buyers %}")


def render(person: Decimal | None, family: Decimal | None, buyers: list[str]) -> str:
    return TABLE.render(Context({"person": person, "family": family, "buyers": buyers}))


def test_one_buyer_sees_the_amount_a_person_only() -> None:
    assert render(Decimal("1500"), Decimal("3000"), ["m1"]) == "$1,500 a person"


def test_a_family_sees_both_amounts() -> None:
    text = render(Decimal("1500"), Decimal("3000"), ["m1", "m2"])
    assert text == "$1,500 a person, $3,000 a family"


def test_a_missing_amount_says_so() -> None:
    assert render(None, None, ["m1"]) == "Not listed"


def test_in_spanish() -> None:
    with translation.override("es"):
        text = render(Decimal("1500"), Decimal("3000"), ["m1", "m2"])
        assert "por persona" in text and "por familia" in text
        assert render(None, None, ["m1"]) != "Not listed"
