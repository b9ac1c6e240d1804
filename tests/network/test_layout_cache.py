"""The cohort network page lays the network out once per version, not once per view."""

import html5lib

from leaders.extensions import db
from leaders.network import layout
from leaders.network.models import Tie
from tests.cohorts.conftest import Cast
from tests.conftest import sign_in
from tests.factories import enrol, make_user


def _tie(cohort, a, b, kind="worked_together"):
    low, high = sorted((a.id, b.id))
    db.session.add(
        Tie(cohort_id=cohort.id, user_a_id=low, user_b_id=high, kind=kind, created_by=a.id)
    )
    db.session.commit()


def _circles(body: str) -> list[tuple[str, str]]:
    """Each person's (cx, cy) on the diagram, in page order."""
    document = html5lib.parse(body, namespaceHTMLElements=False)
    found = [
        (c.get("cx"), c.get("cy")) for c in document.iter("{http://www.w3.org/2000/svg}circle")
    ]
    assert found, body
    return found


def test_two_views_of_an_unchanged_network_lay_it_out_once(app, client):
    cast = Cast()
    for i in range(4):
        enrol(cast.cohort, make_user(name=f"Learner {i}"))
    ann, ben, cat = cast.learners
    _tie(cast.cohort, ann, ben)
    _tie(cast.cohort, ben, cat)
    sign_in(client, cast.manager)
    path = f"/cohorts/{cast.cohort.id}/network"
    layout.cache.clear()

    first = client.get(path).get_data(as_text=True)
    second = client.get(path).get_data(as_text=True)
    assert layout.cache.computed == 1
    assert _circles(second) == _circles(first)
    # The programme layer draws on the same picture: nothing is laid out again.
    client.get(f"{path}?layer=programme")
    assert layout.cache.computed == 1

    # A new reported tie is a new version of the network: laid out afresh.
    _tie(cast.cohort, ann, cat, kind="mentoring")
    third = client.get(path).get_data(as_text=True)
    assert layout.cache.computed == 2
    assert _circles(third) != _circles(first)
    client.get(path)
    assert layout.cache.computed == 2
