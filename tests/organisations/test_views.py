"""The organisation admin pages: who may use them, forms and their errors, merging, query counts."""

import html as htmllib
import re

import pytest
from sqlalchemy import func, select

from leaders.auth.models import Role, User
from leaders.organisations import services
from leaders.organisations.models import Organisation
from tests.conftest import sign_in
from tests.factories import make_user
from tests.helpers import form_token
from tests.helpers import page as parsed
from tests.helpers import text as element_text
from tests.helpers import text_of as _text_of
from tests.organisations.conftest import make_organisation

LIST = "/admin/organisations"
ADD = "/admin/organisations/new"


def text_of(page) -> str:
    return htmllib.unescape(_text_of(page))


def _gone(db, organisation_id: int) -> bool:
    return db.session.scalar(select(func.count()).where(Organisation.id == organisation_id)) == 0


def _count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Organisation))


def _routes(org_id: int, other_id: int) -> list[tuple[str, str]]:
    return [
        ("GET", LIST),
        ("GET", ADD),
        ("POST", ADD),
        ("GET", f"{LIST}/{org_id}"),
        ("POST", f"{LIST}/{org_id}"),
        ("GET", f"{LIST}/{org_id}/merge"),
        ("POST", f"{LIST}/{org_id}/merge"),
        ("GET", f"{LIST}/{org_id}/merge/{other_id}"),
        ("POST", f"{LIST}/{org_id}/merge/{other_id}"),
    ]


def test_routes_cover_every_organisation_endpoint(app):
    rules = {r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith("organisations.")}
    listed = {re.sub(r"/\d+", "/<id>", path) for _, path in _routes(1, 2)}
    assert {re.sub(r"<int:\w+>", "<id>", r) for r in rules} == listed


def test_every_route_needs_the_admin_role(app):
    from leaders.auth.rules import access_rule

    endpoints = [
        r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("organisations.")
    ]
    assert endpoints
    assert {access_rule(e) for e in endpoints} == {"roles:admin"}


@pytest.mark.parametrize("role", [Role.LEARNER, Role.PROGRAMME_MANAGER])
def test_learners_and_programme_managers_get_403_on_every_route(client, db, role):
    kent = make_organisation("Kent County Council")
    other = make_organisation("Kent CC")
    user = make_user(role=role)
    assert sign_in(client, user).status_code == 302
    token = form_token(client.get("/home"))  # the sign-out form's token is valid for any form
    for method, path in _routes(kent.id, other.id):
        response = client.open(
            path, method=method, data={"csrf_token": token, "name": "Hacked", "sector": "other"}
        )
        assert response.status_code == 403, (method, path)
    assert _count(db) == 2


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    kent = make_organisation("Kent County Council")
    other = make_organisation("Kent CC")
    token = form_token(client.get("/sign-in"))
    for method, path in _routes(kent.id, other.id):
        response = client.open(path, method=method, data={"csrf_token": token, "name": "Hacked"})
        assert response.status_code == 302, (method, path)
        assert response.headers["Location"].startswith("/sign-in?next="), (method, path)
    assert _count(db) == 2


def test_list_shows_organisations_with_sector_place_and_people(admin_client, db, places):
    kent = make_organisation("Kent County Council", place_code="E10000016")
    make_organisation("NHS Kent and Medway", "nhs")
    for _ in range(2):
        make_user(organisation_id=kent.id)
    page = admin_client.get(LIST)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    headers = [element_text(th) for th in parsed(html).find_all("th", scope="col")]
    assert headers == ["Name", "Sector", "Place", "People"]
    text = text_of(page)
    assert "Kent County Council Local government Kent 2" in text
    assert "NHS Kent and Medway NHS 0" in text
    assert f'href="{LIST}/{kent.id}"' in html
    assert f'href="{ADD}"' in html


def test_search_filters_the_list(admin_client, db):
    make_organisation("Kent County Council")
    make_organisation("Essex Police", "police")
    text = text_of(admin_client.get(f"{LIST}?q=kent"))
    assert "Kent County Council" in text
    assert "Essex Police" not in text
    assert "1 organisation matching ‘kent’" in text
    assert "No organisations have ‘Surrey’" in text_of(admin_client.get(f"{LIST}?q=Surrey"))


def test_admins_see_organisations_in_the_menu(admin_client, client, db):
    assert f'href="{LIST}"' in admin_client.get("/home").get_data(as_text=True)


def test_learners_do_not_see_organisations_in_the_menu(client, db):
    assert sign_in(client, make_user()).status_code == 302
    assert f'href="{LIST}"' not in client.get("/home").get_data(as_text=True)


def _post_form(client, path, **fields):
    page = client.get(path)
    assert page.status_code == 200
    return client.post(path, data={"csrf_token": form_token(page), **fields})


def test_add_an_organisation(admin_client, db, places):
    page = admin_client.get(ADD)
    html = page.get_data(as_text=True)
    assert '<select class="govuk-select" id="place_code" name="place_code"' in html
    assert "Maidstone (district council)" in html
    assert "Allerdale" not in html  # abolished

    response = _post_form(
        admin_client,
        ADD,
        name="Maidstone Borough Council",
        sector="local_government",
        place_code="E07000110",
    )
    assert response.status_code == 302
    assert response.headers["Location"] == LIST
    organisation = services.find_by_name("maidstone borough council")
    assert (organisation.sector, organisation.place_code) == ("local_government", "E07000110")
    assert "Maidstone Borough Council has been added." in text_of(admin_client.get(LIST))


def test_add_without_a_place(admin_client, db, places):
    response = _post_form(
        admin_client, ADD, name="Home Office", sector="central_government", place_code=""
    )
    assert response.status_code == 302
    assert services.find_by_name("Home Office").place_code is None


@pytest.mark.parametrize(
    ("fields", "href", "message"),
    [
        ({"name": "  ", "sector": "nhs"}, "#name", "Enter the organisation's name"),
        (
            {"name": "KENT POLICE", "sector": "police"},
            "#name",
            "An organisation called Kent Police already exists",
        ),
        (
            {"name": "Surrey Police", "sector": "army"},
            "#sector",
            "Choose the organisation's sector from the list",
        ),
        ({"name": "Surrey Police"}, "#sector", "Choose the organisation's sector"),
        (
            {"name": "Surrey Police", "sector": "police", "place_code": "E99999999"},
            "#place_code",
            "Choose a place from the list",
        ),
        (
            {"name": "Surrey Police", "sector": "police", "place_code": "E07000026"},
            "#place_code",
            "Choose a place from the list",
        ),
    ],
)
def test_add_errors_show_in_the_summary_and_change_nothing(
    admin_client, db, places, fields, href, message
):
    make_organisation("Kent Police", "police")
    response = _post_form(admin_client, ADD, **fields)
    assert response.status_code == 200
    html = htmllib.unescape(response.get_data(as_text=True))
    summary = html[
        html.index("govuk-error-summary") : html.index("</ul>", html.index("govuk-error-summary"))
    ]
    assert f'href="{href}"' in summary
    assert message in summary
    assert "<title>Error: Add an organisation" in html
    assert _count(db) == 1


def test_edit_an_organisation(admin_client, db, places):
    police = make_organisation("Kent Polise", "police")
    page = admin_client.get(f"{LIST}/{police.id}")
    assert 'value="Kent Polise"' in page.get_data(as_text=True)
    response = _post_form(
        admin_client,
        f"{LIST}/{police.id}",
        name="Kent Police",
        sector="police",
        place_code="E10000016",
    )
    assert response.status_code == 302
    db.session.expire_all()
    police = services.get_organisation(police.id)
    assert (police.name, police.place_code) == ("Kent Police", "E10000016")
    assert "Your changes to Kent Police have been saved." in text_of(admin_client.get(LIST))


def test_edit_keeps_an_abolished_place_on_offer(admin_client, db, places):
    allerdale = make_organisation("Allerdale Borough Council", place_code="E07000026")
    html = admin_client.get(f"{LIST}/{allerdale.id}").get_data(as_text=True)
    option = parsed(html).one("option", value="E07000026")
    assert "selected" in option.attrib
    assert element_text(option).startswith("Allerdale (district council, abolished 31 March 2023)")
    response = _post_form(
        admin_client,
        f"{LIST}/{allerdale.id}",
        name="Allerdale BC",
        sector="local_government",
        place_code="E07000026",
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "", "sector": "police"}, "Enter the organisation's name"),
        (
            {"name": "essex POLICE", "sector": "police"},
            "An organisation called Essex Police already exists",
        ),
        (
            {"name": "Kent Police", "sector": "navy"},
            "Choose the organisation's sector from the list",
        ),
        (
            {"name": "Kent Police", "sector": "police", "place_code": "nowhere"},
            "Choose a place from the list",
        ),
    ],
)
def test_edit_errors_show_in_the_summary_and_change_nothing(
    admin_client, db, places, fields, message
):
    kent = make_organisation("Kent Police", "police")
    make_organisation("Essex Police", "police")
    response = _post_form(admin_client, f"{LIST}/{kent.id}", **fields)
    assert response.status_code == 200
    assert "There is a problem" in text_of(response)
    assert message in text_of(response)
    db.session.expire_all()
    kent = services.get_organisation(kent.id)
    assert (kent.name, kent.sector, kent.place_code) == ("Kent Police", "police", None)


def test_unknown_organisation_is_404(admin_client, db):
    assert admin_client.get(f"{LIST}/999").status_code == 404
    assert admin_client.get(f"{LIST}/999/merge").status_code == 404
    kent = make_organisation("Kent Police", "police")
    assert admin_client.get(f"{LIST}/{kent.id}/merge/999").status_code == 404


def test_a_forged_form_changes_nothing(admin_client, db):
    kent = make_organisation("Kent Police", "police")
    other = make_organisation("Kent Constabulary", "police")
    assert admin_client.post(ADD, data={"name": "Forged", "sector": "other"}).status_code == 400
    assert (
        admin_client.post(
            f"{LIST}/{kent.id}", data={"name": "Forged", "sector": "other"}
        ).status_code
        == 400
    )
    assert admin_client.post(f"{LIST}/{other.id}/merge/{kent.id}").status_code == 400
    assert sorted(o.name for o in db.session.scalars(select(Organisation))) == [
        "Kent Constabulary",
        "Kent Police",
    ]


def test_merge_from_choice_to_confirmation(admin_client, db):
    keep = make_organisation("Kent County Council")
    duplicate = make_organisation("Kent CC")
    make_organisation("Essex County Council")
    people = [make_user(organisation_id=duplicate.id) for _ in range(3)]

    edit_page = admin_client.get(f"{LIST}/{duplicate.id}")
    assert f'href="{LIST}/{duplicate.id}/merge"' in edit_page.get_data(as_text=True)

    choose = admin_client.get(f"{LIST}/{duplicate.id}/merge")
    html = choose.get_data(as_text=True)
    assert f'<option value="{keep.id}">Kent County Council</option>' in html
    assert f'<option value="{duplicate.id}"' not in html  # not into itself

    chosen = admin_client.post(
        f"{LIST}/{duplicate.id}/merge",
        data={"csrf_token": form_token(choose), "into": str(keep.id)},
    )
    assert chosen.status_code == 302
    confirm_url = f"{LIST}/{duplicate.id}/merge/{keep.id}"
    assert chosen.headers["Location"] == confirm_url

    confirm = admin_client.get(confirm_url)
    assert "3 people will move from Kent CC to Kent County Council." in text_of(confirm)
    assert "Kent CC will be deleted" in text_of(confirm)
    assert not _gone(db, duplicate.id)  # nothing yet

    done = admin_client.post(confirm_url, data={"csrf_token": form_token(confirm)})
    assert done.status_code == 302
    assert _gone(db, duplicate.id)
    db.session.expire_all()
    assert {db.session.get(User, p.id).organisation_id for p in people} == {keep.id}
    assert "Kent CC has been merged into Kent County Council. 3 people moved." in text_of(
        admin_client.get(LIST)
    )


def test_merge_needs_a_choice(admin_client, db):
    duplicate = make_organisation("Kent CC")
    make_organisation("Kent County Council")
    for into in ["", str(duplicate.id), "999", "kent"]:
        response = _post_form(admin_client, f"{LIST}/{duplicate.id}/merge", into=into)
        assert response.status_code == 200, into
        assert "There is a problem" in text_of(response)
        assert 'href="#into"' in response.get_data(as_text=True)
    assert _count(db) == 2


def test_merge_into_itself_is_refused(admin_client, db):
    kent = make_organisation("Kent County Council")
    user = make_user(organisation_id=kent.id)
    url = f"{LIST}/{kent.id}/merge/{kent.id}"
    assert admin_client.get(url).status_code == 302
    page = admin_client.get(f"{LIST}/{kent.id}/merge")
    response = admin_client.post(url, data={"csrf_token": form_token(page)})
    assert response.status_code == 302
    assert response.headers["Location"] == f"{LIST}/{kent.id}/merge"
    assert "cannot be merged into itself" in text_of(admin_client.get(response.headers["Location"]))
    assert not _gone(db, kent.id)
    db.session.expire_all()
    assert db.session.get(User, user.id).organisation_id == kent.id


def test_merge_page_when_there_is_nothing_to_merge_into(admin_client, db):
    only = make_organisation("Kent County Council")
    assert "no other organisations" in text_of(admin_client.get(f"{LIST}/{only.id}/merge"))


def test_pages_for_an_empty_registry(admin_client, db):
    assert "There are no organisations yet." in text_of(admin_client.get(LIST))
    assert (
        admin_client.get(ADD).status_code == 200
    )  # no places loaded: the picker offers "No place"


def _list_queries(client, count_queries) -> int:
    client.get(LIST)
    with count_queries() as queries:
        assert client.get(LIST).status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_the_number_of_organisations(
    admin_client, db, places, count_queries
):
    def add(n: int) -> None:
        for i in range(n):
            organisation = make_organisation(
                f"Council {_count(db) + 1:03d}", place_code="E10000016" if i % 2 else None
            )
            make_user(organisation_id=organisation.id)

    add(3)
    few = _list_queries(admin_client, count_queries)
    add(27)
    many = _list_queries(admin_client, count_queries)
    assert "Council 030" in text_of(admin_client.get(LIST))
    assert few == many == 2  # the signed-in user, the list
