import pytest

from leaders.auth.models import Role
from leaders.organisations import services
from leaders.places.services import load_places
from tests.conftest import sign_in
from tests.factories import make_user


def make_organisation(name: str = "", sector: str = "local_government", place_code=None, **kw):
    make_organisation.n += 1
    return services.create_organisation(
        name or f"Organisation {make_organisation.n}", sector, place_code, **kw
    )


make_organisation.n = 0


@pytest.fixture
def places(db):
    return load_places()


@pytest.fixture
def admin(app):
    return make_user(name="Ada Admin", email="ada@example.org", role=Role.ADMIN)


@pytest.fixture
def admin_client(client, admin):
    assert sign_in(client, admin).status_code == 302
    return client
