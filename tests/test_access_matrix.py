"""Every route in the URL map, for every kind of user, against the outcome it should have.

A route that is not in ROUTES fails `test_every_route_is_in_the_matrix`: adding a page means saying
who may use it. POSTs carry a valid CSRF token, so what is tested is the access rule, not CSRF.

Outcomes: "ok" (allowed: any answer but 403, 404 or being sent to sign in), "login" (sent to sign
in, with the page asked for as `next`), 403, 404.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from leaders.cohorts import calendar
from leaders.cohorts.models import (
    CalendarFeed,
    CohortSession,
    LearningSet,
    LearningSetMember,
    PendingImport,
)
from leaders.extensions import db
from leaders.network.models import SurveyWave, Tie
from leaders.outbox import Email
from leaders.timeutil import utcnow
from tests.cohorts.conftest import Cast, make_organisation
from tests.conftest import sign_in
from tests.factories import enrol, make_cohort, make_user
from tests.helpers import form_token

KINDS = [
    "anonymous",
    "learner",
    "other_learner",
    "facilitator",
    "other_manager",
    "other_org_lead",
    "manager",
    "admin",
]
LESSON = "/courses/sample-course/going-further/mapping-your-place"


def rule(base: dict[str, object] | None = None, **outcomes: object) -> dict[str, object]:
    """Outcomes by kind; `rest` gives the outcome for every kind not named (or `base`'s)."""
    if base is not None:
        return base | outcomes
    rest = outcomes.pop("rest", "ok")
    return {kind: outcomes.get(kind, rest) for kind in KINDS}


PUBLIC = rule()
SIGNED_IN = rule(anonymous="login")
COURSE = SIGNED_IN
COHORT_VIEW = rule(anonymous="login", learner=403, other_learner=403, other_manager=403)
COHORT_STAFF = rule(
    anonymous="login", learner=403, other_learner=403, other_manager=403, other_org_lead=403
)
COHORT_MANAGE = rule(anonymous="login", rest=403, manager="ok", admin="ok")
GLOBAL_MANAGERS = rule(anonymous="login", rest=403, manager="ok", other_manager="ok", admin="ok")
ADMIN_ONLY = rule(anonymous="login", rest=403, admin="ok")
LEARNER_IN_A = rule(anonymous="login", rest=404, learner="ok")
#: An action the page does not offer for this person: refused for everyone, managers included.
NOT_FOR_THEM = rule(anonymous="login", rest=403)
NOT_IN_COHORT = rule(anonymous="login", rest=403, manager=404, admin=404)
#: Something in cohort B asked for through cohort A: it is not there (for those who may see A).
NOT_IN_B = rule(anonymous="login", rest=403, facilitator=404, manager=404, admin=404)
SESSION_PEOPLE = rule(anonymous="login", rest=404, learner="ok", facilitator="ok", manager="ok")
COHORT_REPORT = rule(
    anonymous="login", learner=403, other_learner=403, facilitator=403, other_manager=403
)
ANN_DETAIL = rule(
    anonymous="login", learner=403, other_learner=403, other_manager=403, other_org_lead=404
)

# (endpoint, method, path, outcomes). Paths use ids from the scenario: {a} cohort A, {b} cohort B,
# {ann} a learner in A, {ben} another, {cat} a third, {session}, {pending}, {wave}, {wave2}, {tie},
# {org}, {dup}, {into}.
ROUTES = [
    ("main.index", "GET", "/", PUBLIC),
    ("main.home", "GET", "/home", SIGNED_IN),
    ("main.accessibility", "GET", "/accessibility", PUBLIC),
    ("main.healthz", "GET", "/healthz", PUBLIC),
    ("main.dev_outbox", "GET", "/dev/outbox", rule(rest=404)),  # development only
    ("static", "GET", "/static/icon.svg", PUBLIC),
    ("auth.sign_in", "GET", "/sign-in", PUBLIC),
    ("auth.sign_in", "POST", "/sign-in", PUBLIC),
    ("auth.request_reset", "GET", "/password-reset", PUBLIC),
    ("auth.request_reset", "POST", "/password-reset", PUBLIC),
    ("auth.reset_password", "GET", "/password-reset/not-a-token", PUBLIC),
    ("auth.reset_password", "POST", "/password-reset/not-a-token", PUBLIC),
    ("auth.accept_invitation", "GET", "/invitation/not-a-token", PUBLIC),
    ("auth.accept_invitation", "POST", "/invitation/not-a-token", PUBLIC),
    ("learning.courses", "GET", "/courses", SIGNED_IN),
    ("learning.course", "GET", "/courses/sample-course", COURSE),
    ("learning.module", "GET", "/courses/sample-course/going-further", COURSE),
    ("learning.lesson", "GET", LESSON, COURSE),
    (
        "learning.module_file",
        "GET",
        "/courses/sample-course/first-steps/files/partners.png",
        COURSE,
    ),
    ("learning.answer_quiz", "POST", f"{LESSON}/checks/mapping-check", COURSE),
    ("learning.reflect", "POST", f"{LESSON}/journal/who-is-missing", COURSE),
    ("learning.complete", "POST", f"{LESSON}/complete", COURSE),
    ("learning.journal", "GET", "/journal", SIGNED_IN),
    ("learning.journal_download", "GET", "/journal/download", SIGNED_IN),
    # Anyone signed in; it shows only what the rule lets them read (tests/learning/test_reflection_visibility.py).
    ("learning.journal_shared", "GET", "/journal/shared", SIGNED_IN),
    ("cohorts.index", "GET", "/cohorts", SIGNED_IN),
    ("cohorts.create", "GET", "/cohorts/new", GLOBAL_MANAGERS),
    ("cohorts.create", "POST", "/cohorts/new", GLOBAL_MANAGERS),
    ("oversight.dashboard", "GET", "/cohorts/{a}", COHORT_VIEW),
    ("cohorts.people", "GET", "/cohorts/{a}/people", COHORT_VIEW),
    ("cohorts.session_list", "GET", "/cohorts/{a}/sessions", COHORT_VIEW),
    ("oversight.learner", "GET", "/cohorts/{a}/learners/{ann}", ANN_DETAIL),
    ("cohorts.due_dates", "GET", "/cohorts/{a}/learners/{ann}/due-dates", COHORT_MANAGE),
    ("cohorts.due_dates", "POST", "/cohorts/{a}/learners/{ann}/due-dates", COHORT_MANAGE),
    ("cohorts.edit", "GET", "/cohorts/{a}/edit", COHORT_MANAGE),
    ("cohorts.edit", "POST", "/cohorts/{a}/edit", COHORT_MANAGE),
    ("cohorts.edit_schedule", "GET", "/cohorts/{a}/schedule", COHORT_MANAGE),
    ("cohorts.edit_schedule", "POST", "/cohorts/{a}/schedule", COHORT_MANAGE),
    ("cohorts.invite", "GET", "/cohorts/{a}/people/invite", COHORT_MANAGE),
    ("cohorts.invite", "POST", "/cohorts/{a}/people/invite", COHORT_MANAGE),
    ("cohorts.upload", "GET", "/cohorts/{a}/people/import", COHORT_MANAGE),
    ("cohorts.upload", "POST", "/cohorts/{a}/people/import", COHORT_MANAGE),
    ("cohorts.import_template", "GET", "/cohorts/{a}/people/import/template.csv", COHORT_MANAGE),
    ("cohorts.import_template", "GET", "/cohorts/{a}/people/import/template.xlsx", COHORT_MANAGE),
    ("cohorts.confirm_import", "GET", "/cohorts/{a}/people/import/{pending}", COHORT_MANAGE),
    ("cohorts.confirm_import", "POST", "/cohorts/{a}/people/import/{pending}", COHORT_MANAGE),
    ("cohorts.resend", "POST", "/cohorts/{a}/people/{ivy}/resend", COHORT_MANAGE),
    # What the page hides, the server refuses: Cat has set a password (the page shows no resend
    # button), the erased learner's account is closed, and Otto is not in the cohort.
    ("cohorts.resend", "POST", "/cohorts/{a}/people/{cat}/resend", NOT_FOR_THEM),
    ("cohorts.resend", "POST", "/cohorts/{a}/people/{erased}/resend", NOT_FOR_THEM),
    ("cohorts.resend", "POST", "/cohorts/{a}/people/{otto}/resend", NOT_IN_COHORT),
    ("cohorts.remove", "GET", "/cohorts/{a}/people/{ben}/remove", COHORT_MANAGE),
    ("cohorts.remove", "POST", "/cohorts/{a}/people/{ben}/remove", COHORT_MANAGE),
    ("cohorts.add_session", "GET", "/cohorts/{a}/sessions/new", COHORT_MANAGE),
    ("cohorts.add_session", "POST", "/cohorts/{a}/sessions/new", COHORT_MANAGE),
    ("cohorts.attendance", "GET", "/cohorts/{a}/sessions/{session}/attendance", COHORT_STAFF),
    ("cohorts.attendance", "POST", "/cohorts/{a}/sessions/{session}/attendance", COHORT_STAFF),
    # Organisation leads download their own staff only (tests/oversight/test_dashboard_tables.py).
    (
        "oversight.export",
        "GET",
        "/cohorts/{a}/export/progress.csv",
        rule(anonymous="login", rest=403, manager="ok", admin="ok", other_org_lead="ok"),
    ),
    # Managers see the cohorts they run or facilitate (none, for Olga), admins every cohort.
    ("oversight.course_cohorts", "GET", "/courses/sample-course/cohorts", GLOBAL_MANAGERS),
    (
        "oversight.course_cohorts",
        "GET",
        "/courses/no-such-course/cohorts",
        rule(anonymous="login", rest=403, manager=404, other_manager=404, admin=404),
    ),
    # Sessions: a future one takes no register; a cancelled one cannot be changed or cancelled again.
    ("cohorts.attendance", "GET", "/cohorts/{a}/sessions/{future}/attendance", NOT_FOR_THEM),
    ("cohorts.attendance", "GET", "/cohorts/{a}/sessions/{cancelled}/attendance", NOT_FOR_THEM),
    ("cohorts.attendance", "GET", "/cohorts/{a}/sessions/{other_session}/attendance", NOT_IN_B),
    ("cohorts.edit_session", "GET", "/cohorts/{a}/sessions/{future}/edit", COHORT_MANAGE),
    ("cohorts.edit_session", "POST", "/cohorts/{a}/sessions/{future}/edit", COHORT_MANAGE),
    ("cohorts.edit_session", "GET", "/cohorts/{a}/sessions/{cancelled}/edit", NOT_FOR_THEM),
    ("cohorts.edit_session", "GET", "/cohorts/{a}/sessions/{other_session}/edit", NOT_IN_COHORT),
    ("cohorts.cancel_session", "GET", "/cohorts/{a}/sessions/{future}/cancel", COHORT_MANAGE),
    # Without confirm=yes the POST shows the confirmation page again and changes nothing.
    ("cohorts.cancel_session", "POST", "/cohorts/{a}/sessions/{future}/cancel", COHORT_MANAGE),
    ("cohorts.cancel_session", "POST", "/cohorts/{a}/sessions/{cancelled}/cancel", NOT_FOR_THEM),
    ("cohorts.delete_session", "GET", "/cohorts/{a}/sessions/{session}/delete", COHORT_MANAGE),
    ("cohorts.delete_session", "POST", "/cohorts/{a}/sessions/{session}/delete", COHORT_MANAGE),
    (
        "cohorts.delete_session",
        "GET",
        "/cohorts/{a}/sessions/{other_session}/delete",
        NOT_IN_COHORT,
    ),
    # One session's .ics: for the people it is for and the cohort's staff; no one else finds it.
    ("cohorts.session_ics", "GET", "/sessions/{session}.ics", SESSION_PEOPLE),
    # A meeting of a set Ann is not in: not hers.
    (
        "cohorts.session_ics",
        "GET",
        "/sessions/{set_session}.ics",
        rule(SESSION_PEOPLE, learner=404),
    ),
    ("cohorts.calendar_page", "GET", "/account/calendar", SIGNED_IN),
    # The feed needs no sign-in, only its token: Ann's opens for anyone who has it; a wrong one, for no one.
    ("cohorts.calendar_feed", "GET", "/calendar/{feed_token}.ics", PUBLIC),
    (
        "cohorts.calendar_feed",
        "GET",
        "/calendar/not-a-real-token-at-all-000000.ics",
        rule(rest=404),
    ),
    ("cohorts.calendar_link", "POST", "/account/calendar/link", SIGNED_IN),
    ("network.mine", "GET", "/network", SIGNED_IN),
    ("network.connect", "GET", "/network/{a}/connect/{cat}", LEARNER_IN_A),
    ("network.connect", "POST", "/network/{a}/connect/{cat}", LEARNER_IN_A),
    ("network.survey", "GET", "/network/surveys/{wave}", LEARNER_IN_A),
    ("network.survey", "POST", "/network/surveys/{wave}", LEARNER_IN_A),
    ("network.remove", "POST", "/network/ties/{tie}/remove", LEARNER_IN_A),
    ("network.cohort", "GET", "/cohorts/{a}/network", COHORT_VIEW),
    ("network.export", "GET", "/cohorts/{a}/network/edges.csv", COHORT_STAFF),
    ("network.open_wave", "POST", "/cohorts/{a}/network/waves", COHORT_MANAGE),
    ("network.close_wave", "POST", "/cohorts/{a}/network/waves/{wave2}/close", COHORT_MANAGE),
    ("network.learning_sets", "GET", "/cohorts/{a}/sets", COHORT_MANAGE),
    ("network.change_sets", "POST", "/cohorts/{a}/sets/propose", COHORT_MANAGE),
    ("network.name_sets", "POST", "/cohorts/{a}/sets/names", COHORT_MANAGE),
    ("network.edit_set", "GET", "/cohorts/{a}/sets/{set}/edit", COHORT_MANAGE),
    ("network.edit_set", "POST", "/cohorts/{a}/sets/{set}/edit", COHORT_MANAGE),
    # Cohort B's set, asked for through cohort A's address.
    ("network.edit_set", "GET", "/cohorts/{a}/sets/{set_b}/edit", NOT_IN_COHORT),
    # Anyone signed in: it lists only the sets they facilitate (tests/network/test_set_pages.py).
    ("network.facilitated", "GET", "/learning-sets", SIGNED_IN),
    ("network.my_set", "GET", "/cohorts/{a}/my-set", LEARNER_IN_A),
    ("cohorts.copy", "GET", "/cohorts/{a}/copy", COHORT_MANAGE),
    ("cohorts.copy", "POST", "/cohorts/{a}/copy", COHORT_MANAGE),
    ("cohorts.archive", "GET", "/cohorts/{ended}/archive", COHORT_MANAGE),
    # Cohort A has not finished: the page does not offer it, and the server refuses it.
    ("cohorts.archive", "GET", "/cohorts/{a}/archive", NOT_FOR_THEM),
    ("cohorts.archive", "POST", "/cohorts/{ended}/archive", COHORT_MANAGE),
    ("cohorts.unarchive", "POST", "/cohorts/{a}/unarchive", COHORT_MANAGE),
    ("organisations.index", "GET", "/admin/organisations", ADMIN_ONLY),
    ("organisations.add", "GET", "/admin/organisations/new", ADMIN_ONLY),
    ("organisations.add", "POST", "/admin/organisations/new", ADMIN_ONLY),
    ("organisations.edit", "GET", "/admin/organisations/{org}", ADMIN_ONLY),
    ("organisations.edit", "POST", "/admin/organisations/{org}", ADMIN_ONLY),
    ("organisations.merge", "GET", "/admin/organisations/{dup}/merge", ADMIN_ONLY),
    ("organisations.merge", "POST", "/admin/organisations/{dup}/merge", ADMIN_ONLY),
    ("organisations.confirm_merge", "GET", "/admin/organisations/{dup}/merge/{into}", ADMIN_ONLY),
    ("organisations.confirm_merge", "POST", "/admin/organisations/{dup}/merge/{into}", ADMIN_ONLY),
    ("privacy.notice", "GET", "/privacy", PUBLIC),
    ("privacy.account", "GET", "/account", SIGNED_IN),
    ("privacy.download", "GET", "/account/my-data.zip", SIGNED_IN),
    ("privacy.erasures", "GET", "/admin/erasure-requests", ADMIN_ONLY),
    ("privacy.erase", "GET", "/admin/erasure-requests/{erasure}/erase", ADMIN_ONLY),
    ("privacy.erase", "POST", "/admin/erasure-requests/{erasure}/erase", ADMIN_ONLY),
    # Already carried out: the page lists only pending requests.
    (
        "privacy.erase",
        "POST",
        "/admin/erasure-requests/{done}/erase",
        rule(anonymous="login", rest=403, admin=404),
    ),
    ("emails.cohort_emails", "GET", "/cohorts/{a}/emails", COHORT_MANAGE),
    ("emails.cohort_send_again", "POST", "/cohorts/{a}/emails/{mail_a}/send-again", COHORT_MANAGE),
    # An email about cohort B, asked for through cohort A's page.
    ("emails.cohort_send_again", "POST", "/cohorts/{a}/emails/{mail_b}/send-again", NOT_IN_COHORT),
    ("emails.all_emails", "GET", "/admin/emails", ADMIN_ONLY),
    ("emails.admin_send_again", "POST", "/admin/emails/{mail_b}/send-again", ADMIN_ONLY),
    ("privacy.audit", "GET", "/admin/audit", ADMIN_ONLY),
    ("privacy.audit_csv", "GET", "/admin/audit.csv", ADMIN_ONLY),
    ("privacy.request_erasure", "POST", "/account/erasure", SIGNED_IN),
    ("admin.index", "GET", "/admin/users", ADMIN_ONLY),
    ("admin.user", "GET", "/admin/users/{ann}", ADMIN_ONLY),
    ("admin.change_role", "GET", "/admin/users/{ann}/role", ADMIN_ONLY),
    ("admin.change_role", "POST", "/admin/users/{ann}/role", ADMIN_ONLY),
    ("admin.deactivate", "GET", "/admin/users/{ann}/deactivate", ADMIN_ONLY),
    ("admin.deactivate", "POST", "/admin/users/{ann}/deactivate", ADMIN_ONLY),
    ("admin.reactivate", "GET", "/admin/users/{closed}/reactivate", ADMIN_ONLY),
    ("admin.reactivate", "POST", "/admin/users/{closed}/reactivate", ADMIN_ONLY),
    # What the page does not offer, the server refuses, admins included: an erased account
    # reopened, an invitation to someone who has joined, a reset link to an invited person.
    ("admin.reactivate", "POST", "/admin/users/{erased}/reactivate", NOT_FOR_THEM),
    ("admin.change_role", "POST", "/admin/users/{erased}/role", NOT_FOR_THEM),
    ("admin.resend_invitation", "POST", "/admin/users/{ivy}/resend-invitation", ADMIN_ONLY),
    ("admin.resend_invitation", "POST", "/admin/users/{cat}/resend-invitation", NOT_FOR_THEM),
    ("admin.send_reset_link", "GET", "/admin/users/{ann}/reset-link", ADMIN_ONLY),
    ("admin.send_reset_link", "POST", "/admin/users/{ann}/reset-link", ADMIN_ONLY),
    ("admin.send_reset_link", "POST", "/admin/users/{ivy}/reset-link", NOT_FOR_THEM),
    # A user id that does not exist.
    ("admin.user", "GET", "/admin/users/999999", rule(anonymous="login", rest=403, admin=404)),
    # Certificates: verification is public; the PDF is its holder's (Ann) and admins'.
    ("credentials.show", "GET", "/credentials/{cred}", PUBLIC),
    ("credentials.as_json", "GET", "/credentials/{cred}.json", PUBLIC),
    ("credentials.as_jwt", "GET", "/credentials/{cred}.jwt", PUBLIC),
    ("credentials.status_list", "GET", "/credentials/status/1", PUBLIC),
    ("credentials.did_document", "GET", "/.well-known/did.json", PUBLIC),
    ("credentials.jwks", "GET", "/.well-known/jwks.json", PUBLIC),
    (
        "credentials.certificate",
        "GET",
        "/credentials/{cred}/certificate.pdf",
        rule(anonymous="login", rest=404, learner="ok", admin="ok"),
    ),
    ("credentials.index", "GET", "/admin/credentials", ADMIN_ONLY),
    ("credentials.revoke", "GET", "/credentials/{cred}/revoke", ADMIN_ONLY),
    ("credentials.revoke", "POST", "/credentials/{cred}/revoke", ADMIN_ONLY),
    ("credentials.decide", "GET", "/cohorts/{a}/people/{ann}/certificate", COHORT_MANAGE),
    ("credentials.decide", "POST", "/cohorts/{a}/people/{ann}/certificate", COHORT_MANAGE),
    # Bulk actions and messages: the cohort's programme managers and admins only; facilitators and
    # organisation leads see the People page but cannot act on many people or email them.
    ("bulk.choose", "POST", "/cohorts/{a}/people/bulk", COHORT_MANAGE),
    ("bulk.message", "GET", "/cohorts/{a}/messages/new", COHORT_MANAGE),
    ("bulk.message", "POST", "/cohorts/{a}/messages/new", COHORT_MANAGE),
    # Sign-in through an identity provider, two-factor, devices (leaders/auth/sso_views.py, account_views.py)
    ("auth.provider_callback", "GET", "/sign-in/callback", PUBLIC),
    ("auth.two_factor", "GET", "/sign-in/two-factor", PUBLIC),
    ("auth.two_factor", "POST", "/sign-in/two-factor", PUBLIC),
    ("auth.two_factor_set_up", "GET", "/sign-in/two-factor/set-up", PUBLIC),
    ("auth.two_factor_set_up", "POST", "/sign-in/two-factor/set-up", PUBLIC),
    ("auth.security", "GET", "/account/security", SIGNED_IN),
    ("auth.account_two_factor", "GET", "/account/two-factor", SIGNED_IN),
    ("auth.account_two_factor", "POST", "/account/two-factor", SIGNED_IN),
    ("auth.new_recovery_codes", "GET", "/account/two-factor/recovery-codes", SIGNED_IN),
    ("auth.new_recovery_codes", "POST", "/account/two-factor/recovery-codes", SIGNED_IN),
    ("auth.turn_off_two_factor", "GET", "/account/two-factor/turn-off", SIGNED_IN),
    ("auth.turn_off_two_factor", "POST", "/account/two-factor/turn-off", SIGNED_IN),
    ("auth.devices", "GET", "/account/devices", SIGNED_IN),
    (
        "auth.end_device",
        "POST",
        "/account/devices/not-a-session/end",
        rule(anonymous="login", rest=404),
    ),
    ("auth.sign_out_everywhere", "POST", "/account/devices/sign-out-everywhere", SIGNED_IN),
    ("auth.change_password", "GET", "/account/password", SIGNED_IN),
    ("auth.change_password", "POST", "/account/password", SIGNED_IN),
    ("auth.identity_providers", "GET", "/admin/identity-providers", ADMIN_ONLY),
    ("auth.add_identity_provider", "GET", "/admin/identity-providers/new", ADMIN_ONLY),
    ("auth.add_identity_provider", "POST", "/admin/identity-providers/new", ADMIN_ONLY),
    ("auth.edit_identity_provider", "GET", "/admin/identity-providers/{provider}", ADMIN_ONLY),
    ("auth.edit_identity_provider", "POST", "/admin/identity-providers/{provider}", ADMIN_ONLY),
    ("auth.end_user_sessions", "GET", "/admin/users/{ben}/sessions/end", ADMIN_ONLY),
    ("auth.end_user_sessions", "POST", "/admin/users/{ben}/sessions/end", ADMIN_ONLY),
    # The impact report: managers and admins; organisation leads get their own staff's figures.
    ("reports.cohort", "GET", "/cohorts/{a}/report", COHORT_REPORT),
    ("reports.cohort_pdf", "GET", "/cohorts/{a}/report.pdf", COHORT_REPORT),
    ("reports.course", "GET", "/reports/courses/sample-course", GLOBAL_MANAGERS),
    ("reports.course_pdf", "GET", "/reports/courses/sample-course.pdf", GLOBAL_MANAGERS),
    # Anyone withdraws consent to quote their own reflection (someone else's: nothing changes).
    ("learning.withdraw_quote", "POST", "/journal/1/quote-consent", SIGNED_IN),
    # Last: signing out ends the session the rest of the walk uses.
    ("auth.sign_out", "POST", "/sign-out", SIGNED_IN),
]


def test_every_route_is_in_the_matrix(app):
    listed = {(endpoint, method) for endpoint, method, _, _ in ROUTES}
    missing = sorted(
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
        if (rule.endpoint, method) not in listed
    )
    assert missing == [], (
        "Routes with no entry in the access matrix (say who may use them): " + str(missing)
    )


def _scenario() -> tuple[dict[str, object], dict[str, int]]:
    cast = Cast()
    other_org_lead = make_user(name="Orla Lead", organisation_id=cast.trust.id)
    enrol(cast.cohort, other_org_lead, "organisation_lead")
    ann, ben, cat = cast.learners
    session = CohortSession(
        cohort_id=cast.cohort.id, title="W1", starts_at=utcnow() - timedelta(days=1)
    )
    pending = PendingImport(
        cohort_id=cast.cohort.id, created_by=cast.manager.id, filename="x.csv", rows=[]
    )
    wave = SurveyWave(cohort_id=cast.cohort.id, name="baseline")
    wave2 = SurveyWave(cohort_id=cast.cohort.id, name="midpoint")
    tie = Tie(
        cohort_id=cast.cohort.id,
        user_a_id=min(ann.id, cat.id),
        user_b_id=max(ann.id, cat.id),
        kind="mentoring",
    )
    db.session.add_all([session, pending, wave, wave2, tie])
    db.session.commit()
    sessions = _sessions(cast, ben)
    dup, into = make_organisation("Dup body", "other"), make_organisation("Kept body", "other")
    from leaders.privacy.models import ErasureRequest

    leaving = make_user(name="Leaving Learner")
    erasure = ErasureRequest(user_id=leaving.id)
    ivy = make_user(name="Ivy Invited", password=None, organisation_id=cast.trust.id)
    enrol(cast.cohort, ivy)
    erased = make_user(name="Erased learner", password=None, active=False)
    enrol(cast.cohort, erased)
    done = ErasureRequest(user_id=erased.id, completed_at=utcnow())
    closed = make_user(name="Cleo Closed", active=False)
    db.session.add_all([erasure, done])
    mail_a, mail_b = (
        Email(
            cohort_id=cohort.id,
            user_id=ann.id,
            to_address=ann.email,
            subject="Keep going",
            text="Hello",
            kind="at-risk",
            status="sent",
            idempotency_key=f"matrix-{cohort.id}",
        )
        for cohort in (cast.cohort, cast.other_cohort)
    )
    db.session.add_all([mail_a, mail_b])
    learning_set = LearningSet(cohort_id=cast.cohort.id, name="Set 1")
    set_b = LearningSet(cohort_id=cast.other_cohort.id, name="Set 1")
    # A finished cohort that cohort A's manager also runs (archived only by a confirmed POST).
    ended = make_cohort(name="Ended 2025", starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 1))
    db.session.add_all([learning_set, set_b])
    from leaders.auth.identity_models import IdentityProvider

    provider = IdentityProvider(
        name="Matrix IdP",
        discovery_url="https://login.example.net/tenant/v2.0",
        client_id="matrix",
        domains="idp.example.net",
    )
    db.session.add(provider)
    db.session.commit()
    from leaders.credentials.models import Credential

    cred = Credential(
        id="matrix-credential",
        user_id=ann.id,
        course_key=cast.cohort.course_key,
        recipient_name=ann.name,
        course_title="Sample course",
        status_index=7,
        token="not.a.token",
        revoked_reason="",
    )
    db.session.add(cred)
    db.session.commit()
    enrol(ended, cast.manager, "programme_manager")
    enrol(ended, cast.facilitator, "facilitator")
    enrol(ended, ann)
    users = {
        "learner": ann,
        "other_learner": cast.outsider,
        "facilitator": cast.facilitator,
        "other_manager": cast.other_manager,
        "other_org_lead": other_org_lead,
        "manager": cast.manager,
        "admin": cast.admin,
    }
    ids = {
        "a": cast.cohort.id,
        "b": cast.other_cohort.id,
        "ann": ann.id,
        "ben": ben.id,
        "cat": cat.id,
        "session": session.id,
        "pending": pending.id,
        "wave": wave.id,
        "wave2": wave2.id,
        "tie": tie.id,
        "org": cast.council.id,
        "dup": dup.id,
        "into": into.id,
        "erasure": erasure.id,
        "done": done.id,
        "ivy": ivy.id,
        "erased": erased.id,
        "closed": closed.id,
        "otto": cast.outsider.id,
        "mail_a": mail_a.id,
        "mail_b": mail_b.id,
        "cred": cred.id,
        "set": learning_set.id,
        "set_b": set_b.id,
        "ended": ended.id,
        **sessions,
        "provider": provider.id,
    }
    return users, ids


def _sessions(cast, ben) -> dict[str, object]:
    """A future session, a cancelled one, one in cohort B, a meeting of Ben's set, Ann's feed."""
    soon = utcnow() + timedelta(days=7)
    one_set = LearningSet(cohort_id=cast.cohort.id, name="Set Ben")
    db.session.add(one_set)
    db.session.flush()
    db.session.add(LearningSetMember(cohort_id=cast.cohort.id, set_id=one_set.id, user_id=ben.id))
    rows = {
        "future": CohortSession(cohort_id=cast.cohort.id, title="W2", starts_at=soon),
        "cancelled": CohortSession(
            cohort_id=cast.cohort.id, title="W3", starts_at=soon, cancelled_at=utcnow()
        ),
        "other_session": CohortSession(cohort_id=cast.other_cohort.id, title="B1", starts_at=soon),
        "set_session": CohortSession(
            cohort_id=cast.cohort.id, title="Set Ben meets", starts_at=soon, set_id=one_set.id
        ),
    }
    db.session.add_all(rows.values())
    token = "matrix-feed-token-for-ann-0123456789"
    db.session.add(CalendarFeed(user_id=cast.learners[0].id, token_hash=calendar._hash(token)))
    db.session.commit()
    return {name: row.id for name, row in rows.items()} | {"feed_token": token}


def _outcome(response) -> object:
    if response.status_code in (302, 303) and response.headers.get("Location", "").startswith(
        "/sign-in?next="
    ):
        return "login"
    if response.status_code in (403, 404):
        return response.status_code
    return "ok"


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_user_gets_what_the_matrix_says(app, kind):
    users, ids = _scenario()
    client = app.test_client()
    if kind != "anonymous":
        assert sign_in(client, users[kind]).status_code == 302
    token = form_token(client.get("/sign-in" if kind == "anonymous" else "/home"))
    wrong = []
    for endpoint, method, path, outcomes in ROUTES:
        url = path.format(**ids)
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": token})
        got, want = _outcome(response), outcomes[kind]
        response.close()
        if got != want:
            wrong.append(f"{method} {url} ({endpoint}): got {got}, expected {want}")
    assert wrong == [], f"{kind}:\n" + "\n".join(wrong)
