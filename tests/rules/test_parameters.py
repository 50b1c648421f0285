"""Meta-tests on the parameter files, and the errors a bad file gives."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from rules.parameters import ParameterError, ParameterSet, load_parameters
from rules.parameters.loader import PARAMETERS_ROOT, load_parameter_files

FILES = sorted(PARAMETERS_ROOT.rglob("*.yaml"))


def test_parameter_files_exist() -> None:
    assert len(FILES) >= 25


@pytest.mark.parametrize(
    "path", FILES, ids=[p.relative_to(PARAMETERS_ROOT).as_posix() for p in FILES]
)
def test_every_parameter_has_unit_description_and_a_reference_per_value(path: Path) -> None:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert raw.get("unit"), "unit missing"
    assert raw.get("description"), "description missing"
    assert raw.get("values"), "values missing"
    for start, entry in raw["values"].items():
        assert isinstance(start, dt.date), f"{start!r} is not a date"
        refs = entry.get("reference")
        refs = refs if isinstance(refs, list) else [refs]
        assert refs and all(refs), f"{start}: reference missing"
        for ref in refs:
            title = ref.get("title") if isinstance(ref, dict) else ref
            assert isinstance(title, str) and title.strip(), f"{start}: reference without a title"
        if "provisional" in entry:
            assert isinstance(entry["provisional"], str)
            assert len(entry["provisional"]) > 10


def test_every_supported_year_resolves() -> None:
    params = load_parameters()
    assert params.coverage_years == (2025, 2026, 2027)
    for year in params.coverage_years:
        yp = params.for_year(year)
        assert yp.coverage_year == year
        assert yp.guideline("premium_tax_credit", "MA").guideline_year == year - 1
        assert yp.guideline("medicaid", "MA").guideline_year == year


def test_2027_guideline_is_flagged_provisional() -> None:
    yp = load_parameters().for_year(2027)
    assert yp.guideline("medicaid", "MA").provisional
    assert any(u.name == "gov/hhs/poverty_guidelines" for u in yp.provisional)


def test_known_values() -> None:
    params = load_parameters()
    y26 = params.for_year(2026)
    assert y26.guideline("premium_tax_credit", "MA").for_size(4) == 32150
    assert y26.guideline("premium_tax_credit", "AK").for_size(1) == 19550
    assert y26.guideline("premium_tax_credit", "HI").for_size(2) == 17990 + 6330
    assert y26.ptc_upper_limit == 400
    assert y26.affordability_percentage == Decimal("9.96")
    assert params.for_year(2025).ptc_upper_limit is None
    assert params.for_year(2025).below_100_lawfully_present_exception is True
    assert y26.below_100_lawfully_present_exception is False
    assert y26.age_curve_state[40] == Decimal("1.393")
    assert y26.age_curve_federal[64] == 3


@pytest.fixture
def param_copy(tmp_path: Path) -> Path:
    root = tmp_path / "parameters"
    shutil.copytree(PARAMETERS_ROOT, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return root


def _edit(root: Path, name: str, change: object) -> None:
    path = root / f"{name}.yaml"
    raw = yaml.safe_load(path.read_text())
    change(raw)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(raw))


def test_copy_loads(param_copy: Path) -> None:
    ParameterSet(load_parameter_files(param_copy)).validate()


def test_missing_reference_names_file_and_key(param_copy: Path) -> None:
    def drop(raw: dict) -> None:  # type: ignore[type-arg]
        del raw["values"][dt.date(2026, 1, 1)]["reference"]

    _edit(param_copy, "gov/aca/applicable_percentage", drop)
    with pytest.raises(ParameterError) as exc:
        load_parameter_files(param_copy)
    assert (
        "rules/parameters/gov/aca/applicable_percentage.yaml: values.2026-01-01.reference"
        in str(exc.value)
    )


def test_undated_value_names_file(param_copy: Path) -> None:
    def undate(raw: dict) -> None:  # type: ignore[type-arg]
        raw["values"]["next year"] = raw["values"].pop(dt.date(2026, 1, 1))

    _edit(param_copy, "gov/aca/employer_affordability_percentage", undate)
    with pytest.raises(ParameterError) as exc:
        load_parameter_files(param_copy)
    assert "employer_affordability_percentage.yaml" in str(exc.value)
    assert "'next year' is not a date" in str(exc.value)


def test_missing_unit(param_copy: Path) -> None:
    _edit(param_copy, "gov/hhs/medicaid/magi_disregard", lambda raw: raw.pop("unit"))
    with pytest.raises(ParameterError, match=r"magi_disregard.yaml: unit: missing"):
        load_parameter_files(param_copy)


def test_malformed_yaml(param_copy: Path) -> None:
    (param_copy / "gov/aca/csr_bands.yaml").write_text("description: [unclosed\n")
    with pytest.raises(ParameterError, match=r"csr_bands.yaml: not valid YAML"):
        load_parameter_files(param_copy)


def test_wrong_shape_names_file_date_and_key(param_copy: Path) -> None:
    def break_limit(raw: dict) -> None:  # type: ignore[type-arg]
        raw["values"][dt.date(2014, 1, 1)]["value"]["adult"] = "a lot"

    _edit(param_copy, "states/ma/masshealth/income_limits", break_limit)
    with pytest.raises(ParameterError) as exc:
        ParameterSet(load_parameter_files(param_copy)).validate()
    message = str(exc.value)
    assert "states/ma/masshealth/income_limits.yaml" in message
    assert "value.adult: expected a number" in message


def test_missing_year_of_guidelines(param_copy: Path) -> None:
    def drop_2027(raw: dict) -> None:  # type: ignore[type-arg]
        for key in [k for k, v in raw["values"].items() if v["value"]["guideline_year"] == 2027]:
            del raw["values"][key]

    _edit(param_copy, "gov/hhs/poverty_guidelines", drop_2027)
    with pytest.raises(ParameterError, match=r"the 2027 poverty guidelines are not in the file"):
        ParameterSet(load_parameter_files(param_copy)).validate()


def test_unsupported_year_is_refused() -> None:
    with pytest.raises(ParameterError, match=r"coverage year 2031 is not supported"):
        load_parameters().for_year(2031)
