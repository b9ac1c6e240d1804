"""Every route in the URL map, for every kind of user, against the outcome it should have.

A route that is not in ROUTES fails `test_every_route_is_in_the_matrix`: adding a page means saying
who may use it. POSTs carry a valid CSRF token, so what is tested is the access rule, not CSRF.

Outcomes: "ok" (allowed: any answer but 403, 404 or being sent to sign in), "login" (sent to sign
in, with the page asked for as `next`), 403, 404.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from leaders.cohorts.models import CohortSession, PendingImport
from leaders.extensions import db
from leaders.network.models import SurveyWave, Tie
from leaders.outbox import Email
from leaders.timeutil import utcnow
from tests.cohorts.conftest import Cast, make_organisation
from tests.conftest import sign_in
from tests.factories import enrol, make_user
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


def rule(**outcomes: object) -> dict[str, object]:
    """Outcomes by kind; `rest` gives the outcome for every kind not named."""
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
    ("oversight.export", "GET", "/cohorts/{a}/export/progress.csv", COHORT_MANAGE),
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
    dup, into = make_organisation("Dup body", "other"), make_organisation("Kept body", "other")
    from leaders.privacy.models import ErasureRequest

    leaving = make_user(name="Leaving Learner")
    erasure = ErasureRequest(user_id=leaving.id)
    ivy = make_user(name="Ivy Invited", password=None, organisation_id=cast.trust.id)
    enrol(cast.cohort, ivy)
    erased = make_user(name="Erased learner", password=None, active=False)
    enrol(cast.cohort, erased)
    done = ErasureRequest(user_id=erased.id, completed_at=utcnow())
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
    db.session.commit()
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
        "otto": cast.outsider.id,
        "mail_a": mail_a.id,
        "mail_b": mail_b.id,
    }
    return users, ids


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
