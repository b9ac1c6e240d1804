""" "Invited" is its own state (user.joined_at), not "has no password".

Someone who signs in only through their organisation never sets a password; once they have taken up
their account they must not show as invited, nor be offered (or sent) another invitation.
"""

from __future__ import annotations

from leaders.auth.models import User
from leaders.extensions import db
from tests.factories import enrol, make_user
from tests.helpers import form_token


def test_setting_a_password_joins_and_an_invitation_alone_does_not(app) -> None:
    invited = make_user(password=None)
    assert invited.joined_at is None
    assert invited.is_invited
    invited.set_password("a-long-enough-passphrase")
    assert invited.joined_at is not None
    assert not invited.is_invited
    first = invited.joined_at
    invited.set_password("another-long-passphrase")
    assert invited.joined_at == first  # joining happens once


def row_of(page: str, name: str) -> str:
    start = page.index(name)
    return page[start : page.index("</tr>", start)]


def test_a_member_who_joined_without_a_password_is_not_shown_or_treated_as_invited(
    cast, as_user
) -> None:
    sso_only = make_user(name="Sam Single-Sign-On", password=None)
    waiting = make_user(name="Wendy Waiting", password=None)
    sso_only.mark_joined()
    db.session.commit()
    assert sso_only.password_hash is None
    enrol(cast.cohort, sso_only)
    enrol(cast.cohort, waiting)
    client = as_user(cast.manager)
    page = client.get(f"/cohorts/{cast.cohort.id}/people").get_data(as_text=True)
    sam = row_of(page, "Sam Single-Sign-On")
    wendy = row_of(page, "Wendy Waiting")
    assert "Invited" not in sam
    assert "Resend invitation" not in sam
    assert "Invited" in wendy
    assert "Resend invitation" in wendy
    token = form_token(client.get(f"/cohorts/{cast.cohort.id}/people"))
    refused = client.post(
        f"/cohorts/{cast.cohort.id}/people/{sso_only.id}/resend", data={"csrf_token": token}
    )
    assert refused.status_code == 403
    assert db.session.get(User, sso_only.id).joined_at is not None
