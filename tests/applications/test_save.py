"""Saving steps: version, current step (where a person resumes), drafts only, people removed."""

from __future__ import annotations

from typing import Any

import pytest

from apps.applications import services
from apps.applications.models import Application
from apps.applications.steps import REVIEW, STEPS
from tests.applications import factories as f

pytestmark = pytest.mark.django_db


def test_start_makes_one_draft_per_year(user: Any) -> None:
    first = services.start_application(user, 2026, language="es")
    again = services.start_application(user, 2026)
    assert first.pk == again.pk
    assert (first.status, first.current_step, first.language) == ("draft", "people", "es")
    assert list(first.history.values_list("old_status", "new_status")) == [("", "draft")]
    other_year = services.start_application(user, 2027)
    assert other_year.pk != first.pk


def test_start_refuses_a_year_without_rules(user: Any) -> None:
    with pytest.raises(services.ApplicationError, match="not open"):
        services.start_application(user, 2019)


def test_each_save_bumps_the_version_and_moves_on(user: Any) -> None:
    answers = f.family_180()
    app = services.start_application(user, 2026)
    for number, step in enumerate(STEPS, start=1):
        services.save_step(app, step, answers[step], user)
        stored = Application.objects.get(pk=app.pk)
        assert stored.version == number
        assert stored.current_step == (STEPS[number] if number < len(STEPS) else REVIEW)
        assert stored.data[step] == answers[step]


def test_saving_without_advancing_keeps_the_current_step(user: Any) -> None:
    answers = f.family_180()
    app = f.make_application(user, answers, steps=("people", "tax", "address"))
    assert app.current_step == "immigration"
    changed = dict(answers["address"], home=dict(answers["address"]["home"], street="2 Main St"))
    services.save_step(app, "address", changed, user, advance=False)
    app.refresh_from_db()
    assert app.current_step == "immigration"
    assert app.data["address"]["home"]["street"] == "2 Main St"


def test_editing_an_earlier_step_resumes_at_the_next_step_needing_answers(user: Any) -> None:
    answers = f.family_180()
    app = f.make_application(user, answers)
    assert app.current_step == REVIEW
    services.save_step(app, "people", answers["people"], user)
    assert app.current_step == REVIEW  # nothing else needs answers
    bigger = f.family_180()["people"]
    bigger["members"].append(f.person("m5", "Eva", "Silva", "1950-01-01", "female"))
    for other in ("m1", "m2", "m3", "m4"):
        bigger["relationships"].append({"from": "m5", "to": other, "relation": "other_relative"})
    services.save_step(app, "people", bigger, user)
    assert app.current_step == "tax"  # Eva's tax answers are missing


def test_removing_a_person_forgets_their_answers(user: Any) -> None:
    answers = f.family_180()
    app = f.make_application(user, answers)
    smaller = f.family_180()["people"]
    smaller["members"] = smaller["members"][:3]
    smaller["relationships"] = [
        r for r in smaller["relationships"] if "m4" not in (r["from"], r["to"])
    ]
    services.save_step(app, "people", smaller, user)
    app.refresh_from_db()
    assert "m4" not in app.data["tax"]["members"]
    assert "m4" not in app.data["income"]["members"]
    assert "m4" not in app.data["immigration"]["members"]
    # The other steps still hold for the three people left.
    assert services.household_json(app)["members"][-1]["id"] == "m3"


def test_a_submitted_application_cannot_change(user: Any) -> None:
    answers = f.single_220()
    app = f.make_application(user, answers)
    services.submit(app, user, "key-1", f.signature_of(answers))
    with pytest.raises(services.NotDraft):
        services.save_step(app, "income", answers["income"], user)


def test_only_the_owner_can_save(user: Any, other_user: Any) -> None:
    app = f.make_application(user, f.single_220(), steps=())
    with pytest.raises(Application.DoesNotExist):
        services.save_step(app, "people", f.single_220()["people"], other_user)
    app.refresh_from_db()
    assert app.data == {} and app.version == 0


def test_set_status_enforces_the_allowed_transitions(user: Any) -> None:
    app = f.make_application(user, steps=())
    with pytest.raises(services.ApplicationError):
        services.set_status(app, "determined", user)
    app.refresh_from_db()
    assert app.status == "draft"
    assert app.history.count() == 1
