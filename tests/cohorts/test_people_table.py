"""The People page's table: sorted by any column (aria-sort), filtered, searched and paged, all in the
address and without JavaScript (a GET form with an Apply button and a Clear link)."""

from __future__ import annotations

from leaders.extensions import db
from leaders.timeutil import utcnow
from tests.factories import enrol, make_organisation, make_user
from tests.helpers import page, text


def _names(response) -> list[str]:
    table = page(response).find("table")
    if table is None:
        return []
    rows = table.find("tbody").findall("tr")
    # The name cell is the first cell after the checkbox: its first line is the name.
    return [(row.findall("td")[1].text or "").strip() for row in rows]


def test_sorted_by_any_column_with_aria_sort_and_a_link_that_reverses_it(cast, as_user):
    client = as_user(cast.manager)
    url = f"/cohorts/{cast.cohort.id}/people"
    response = client.get(url)
    headers = {text(th): th for th in page(response).find_all("th", scope="col")}
    sorts = {name.split(",")[0].strip(): th.get("aria-sort") for name, th in headers.items()}
    assert sorts["Name"] == "ascending"
    assert sorts["Organisation"] == "none"
    assert _names(response) == sorted(_names(response), key=str.casefold)

    by_org = client.get(url, query_string={"sort": "organisation", "dir": "desc"})
    cell = next(th for th in page(by_org).find_all("th", scope="col") if "Organisation" in text(th))
    assert cell.get("aria-sort") == "descending"
    names = _names(by_org)
    # South Yorkshire ICB before Barnsley Council; people with no organisation last.
    assert names.index("Cat Health") < names.index("Ann Council")
    assert names[-1] in {"Tom Manager", "Fay Facilitator"}
    link = cell.find("a").get("href")
    assert "dir=asc" in link
    assert "sort=organisation" in link


def test_filters_and_search_narrow_the_rows_and_stay_in_the_address(cast, as_user):
    client = as_user(cast.manager)
    url = f"/cohorts/{cast.cohort.id}/people"
    nhs = client.get(url, query_string={"sector": "nhs"})
    assert _names(nhs) == ["Cat Health"]
    councils = client.get(url, query_string={"organisation": "Barnsley Council", "role": "learner"})
    assert _names(councils) == ["Ann Council", "Ben Council"]
    by_email = client.get(url, query_string={"q": cast.learners[1].email.upper()})
    assert _names(by_email) == ["Ben Council"]
    nobody = client.get(url, query_string={"q": "zebra"})
    assert "0 people match" in text(page(nobody).one("h2", id="people-heading"))
    # The form keeps what was asked; a Clear link goes back to everyone.
    form = page(councils).one("form", id="people-filter")
    assert form.get("method") == "get"
    chosen = page(councils).one("select", name="organisation").find("option[@selected]")
    assert chosen is not None
    assert chosen.get("value") == "Barnsley Council"
    clear = next(a for a in form.iter("a") if "Clear" in text(a))
    assert "organisation" not in clear.get("href")
    # A stale or made-up filter value shows no one rather than failing; an unknown sort, the default.
    assert client.get(url, query_string={"sort": "nonsense", "status": "x"}).status_code == 200


def test_status_reads_joined_at_and_sign_ins(cast, as_user):
    ann, ben, cat = cast.learners
    invited = make_user(name="Ivy Invited", password=None)
    enrol(cast.cohort, invited)
    ann.last_sign_in_at = utcnow()
    ben.joined_at = None  # has a password but (say) never took the account up
    cat.active = False
    db.session.commit()
    client = as_user(cast.manager)
    url = f"/cohorts/{cast.cohort.id}/people"
    assert _names(client.get(url, query_string={"status": "invited"})) == [
        "Ben Council",
        "Ivy Invited",
    ]
    signed_in = client.get(url, query_string={"status": "signed-in", "role": "learner"})
    assert _names(signed_in) == ["Ann Council"]
    assert _names(client.get(url, query_string={"status": "closed"})) == ["Cat Health"]
    joined = _names(client.get(url, query_string={"status": "joined", "role": "learner"}))
    assert joined == []


def test_paged_past_100_rows_with_the_filters_kept(cast, as_user):
    org = make_organisation("Big Council")
    for n in range(105):
        user = make_user(name=f"Learner {n:03d}", organisation_id=org.id)
        enrol(cast.cohort, user)
    client = as_user(cast.manager)
    url = f"/cohorts/{cast.cohort.id}/people"
    first = client.get(url, query_string={"organisation": "Big Council"})
    assert len(_names(first)) == 100
    nav = page(first).one("nav", class_="govuk-pagination")
    next_link = next(a for a in nav.iter("a") if "Next" in text(a)).get("href")
    assert "organisation=Big+Council" in next_link
    assert "page=2" in next_link
    second = client.get(next_link)
    assert _names(second) == [
        "Learner 100",
        "Learner 101",
        "Learner 102",
        "Learner 103",
        "Learner 104",
    ]
    assert "Showing 101 to 105 of 105 members" in text(page(second).root)


def test_an_organisation_lead_sees_their_own_staff_and_no_bulk_actions(cast, as_user):
    client = as_user(cast.lead)
    response = client.get(f"/cohorts/{cast.cohort.id}/people")
    assert set(_names_without_checkbox(response)) == {"Ann Council", "Ben Council", "Lee Lead"}
    assert page(response).find("form", id="bulk-form") is None
    assert page(response).find("input", type="checkbox") is None
    # The filter offers only what they can see: no other organisation's name leaks through it.
    assert "South Yorkshire ICB" not in text(page(response).one("form", id="people-filter"))


def _names_without_checkbox(response) -> list[str]:
    rows = page(response).one("table").find("tbody").findall("tr")
    return [(row.findall("td")[0].text or "").strip() for row in rows]


def test_the_page_makes_as_many_queries_for_many_people_as_for_few(cast, as_user, count_queries):
    client = as_user(cast.manager)
    url = f"/cohorts/{cast.cohort.id}/people"
    client.get(url)  # warm: the session's user, the course catalogue
    with count_queries() as few:
        client.get(url, query_string={"sort": "organisation"})
    org = make_organisation("Big Council")
    for n in range(30):
        enrol(cast.cohort, make_user(name=f"Learner {n:03d}", organisation_id=org.id))
    with count_queries() as many:
        client.get(url, query_string={"sort": "organisation"})
    assert len(many) == len(few)
