"""Value parsers and file discovery of the PUF reader (no database)."""

from __future__ import annotations

from pathlib import Path

import pytest

from apps.plans.puf import (
    OPEN_ENDED_AGE_MAX,
    PufError,
    catalog_rules,
    find_files,
    parse_age,
    parse_date,
    parse_money,
    parse_number,
    parse_rating_area,
)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("0-14", (0, 14)),
        ("0-20", (0, 20)),
        ("15", (15, 15)),
        ("63", (63, 63)),
        ("64 and over", (64, OPEN_ENDED_AGE_MAX)),
        ("65 and over", (65, OPEN_ENDED_AGE_MAX)),
        (" 64 AND OVER ", (64, OPEN_ENDED_AGE_MAX)),
        ("Family Option", None),
    ],
)
def test_age_labels(label: str, expected: tuple[int, int] | None) -> None:
    assert parse_age(label) == expected


@pytest.mark.parametrize("label", ["", "abc", "14-0", "64+", "-3"])
def test_bad_age_labels(label: str) -> None:
    with pytest.raises(ValueError, match="age"):
        parse_age(label)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$6,850 ", 6850),
        ("$5750 per person", 5750),
        ("$11500 per group", 11500),
        ("$0", 0),
        ("2000", 2000),
        ("$1,000.00", 1000),
        ("Not Applicable", None),
        ("per person not applicable", None),
        ("per group not applicable", None),
        ("", None),
    ],
)
def test_money(text: str, expected: int | None) -> None:
    assert parse_money(text) == expected


@pytest.mark.parametrize("text", ["abc", "$12.50", "20%", "$-5"])
def test_bad_money(text: str) -> None:
    with pytest.raises(ValueError, match="amount"):
        parse_money(text)


def test_numbers_dates_and_rating_areas() -> None:
    assert str(parse_number(" 352.18 ")) == "352.18"
    assert str(parse_number("1,024.5")) == "1024.5"
    with pytest.raises(ValueError, match=r"not a number: 'abc'"):
        parse_number("abc")
    assert parse_date("2026-01-01").isoformat() == "2026-01-01"
    assert parse_date("1/31/2026").isoformat() == "2026-01-31"
    assert parse_date("2015-08-22 15:09:32").isoformat() == "2015-08-22"
    with pytest.raises(ValueError, match="not a date"):
        parse_date("2026-02-30")
    assert parse_rating_area("Rating Area 7") == 7
    assert parse_rating_area("rating area 12") == 12
    for bad in ("Area 7", "Rating Area 0", "7"):
        with pytest.raises(ValueError, match="rating area"):
            parse_rating_area(bad)


def test_error_format() -> None:
    assert str(PufError("rate-puf.csv", 17, "IndividualRate", "not a number: 'abc'")) == (
        "rate-puf.csv:17: IndividualRate: not a number: 'abc'"
    )
    assert str(PufError("x.csv", None, None, "empty file")) == "x.csv: empty file"


def test_massachusetts_rules_come_from_the_parameters() -> None:
    rules = catalog_rules(2026).for_state("MA")
    assert rules.rating_areas == frozenset(range(1, 8))
    assert rules.counties == tuple(f"25{n:03d}" for n in range(1, 28, 2))  # the 14 counties
    assert rules.subsidy_variants is not None
    assert rules.subsidy_variants["31"] == "1"
    assert rules.subsidy_variants["37"] == "3D"
    assert catalog_rules(2026).for_state("CT").counties is None


def touch(folder: Path, *names: str) -> None:
    folder.mkdir(exist_ok=True)
    for name in names:
        (folder / name).write_text("x\n")


def test_find_files_by_exact_name_and_prefix(tmp_path: Path) -> None:
    touch(
        tmp_path / "a",
        "plan-attributes-puf.csv",
        "rate-puf.csv",
        "service-area-puf.csv",
        "notes.txt",
    )
    found, errors = find_files(tmp_path / "a")
    assert errors == []
    assert sorted(found) == ["plan_attributes", "rate", "service_area"]  # no crosswalk: optional

    touch(
        tmp_path / "b",
        "Plan_Attributes_PUF.csv",
        "Rate_PUF_2015-12-08.csv",
        "SERVICE_AREA_PUF.CSV",
        "Plan_ID_Crosswalk_PUF.csv",
        "rating-areas.csv",
    )
    found, errors = find_files(tmp_path / "b")
    assert errors == []
    assert {k: p.name for k, p in found.items()} == {
        "plan_attributes": "Plan_Attributes_PUF.csv",
        "rate": "Rate_PUF_2015-12-08.csv",
        "service_area": "SERVICE_AREA_PUF.CSV",
        "crosswalk": "Plan_ID_Crosswalk_PUF.csv",
    }


def test_find_files_reports_missing_and_ambiguous(tmp_path: Path) -> None:
    touch(tmp_path, "rate-puf.csv", "rates_2026.csv", "crosswalk.csv")
    _, errors = find_files(tmp_path)
    text = [str(e) for e in errors]
    assert any("no Plan Attributes PUF: expected plan-attributes-puf.csv" in t for t in text)
    assert any("more than one Rate PUF: rate-puf.csv, rates_2026.csv" in t for t in text)
    assert any("no Service Area PUF" in t for t in text)
    _, errors = find_files(tmp_path / "missing")
    assert [e.reason for e in errors] == ["not a folder"]
