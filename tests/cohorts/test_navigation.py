"""The service navigation: the Cohorts section for everyone who staffs a cohort, and the right item
marked as the current one."""

from __future__ import annotations

import pytest

from leaders.cohorts.models import CohortRole
from tests.factories import enrol, make_user
from tests.helpers import page


def _menu(response) -> dict[str, bool]:
    """Menu item → whether it is marked as the current section."""
    items = page(response).find_all("li", class_=None)
    menu = {}
    for item in items:
        classes = item.get("class", "")
        if "govuk-service-navigation__item" not in classes:
            continue
        text = "".join(item.itertext()).strip()
        menu[text] = "govuk-service-navigation__item--active" in classes
    return menu


@pytest.mark.parametrize(
    ("who", "sees_cohorts"),
    [
        ("facilitator", True),  # a learner by global role, a facilitator in the cohort
        ("lead", True),  # an organisation lead in the cohort
        ("manager", True),
        ("admin", True),
        ("outsider", False),  # a learner in no cohort's staff
    ],
)
def test_cohorts_is_in_the_menu_for_every_cohort_staff_member(cast, as_user, who, sees_cohorts):
    client = as_user(getattr(cast, who))
    assert ("Cohorts" in _menu(client.get("/", follow_redirects=True))) is sees_cohorts


def test_a_learner_does_not_see_cohorts(cast, as_user):
    client = as_user(cast.learners[0])
    menu = _menu(client.get("/", follow_redirects=True))
    assert "Cohorts" not in menu
    assert "My network" in menu


def test_on_a_cohort_network_page_cohorts_is_current_not_my_network(cast, as_user):
    client = as_user(cast.lead)
    menu = _menu(client.get(f"/cohorts/{cast.cohort.id}/network"))
    assert menu.get("Cohorts") is True
    assert menu.get("My network") in (None, False)


def test_becoming_a_facilitator_shows_cohorts_on_the_next_page(cast, as_user):
    newcomer = make_user(name="Nia Newcomer")
    client = as_user(newcomer)
    assert "Cohorts" not in _menu(client.get("/", follow_redirects=True))
    enrol(cast.other_cohort, newcomer, CohortRole.FACILITATOR.value)
    assert "Cohorts" in _menu(client.get("/", follow_redirects=True))
