from leaders.auth.models import Role
from leaders.auth.services import find_by_email


def test_create_admin_with_flags(runner, db):
    result = runner.invoke(
        args=[
            "create-admin",
            "--email",
            "Chief@Example.org",
            "--name",
            "Chief Admin",
            "--password",
            "lantern-harbour-copper-fig",
        ]
    )
    assert result.exit_code == 0, result.output
    user = find_by_email("chief@example.org")
    assert user.role == Role.ADMIN
    assert user.check_password("lantern-harbour-copper-fig")


def test_create_admin_prompts(runner, db):
    result = runner.invoke(
        args=["create-admin"],
        input="prompted@example.org\nPrompted Admin\nlantern-harbour-copper-fig\nlantern-harbour-copper-fig\n",
    )
    assert result.exit_code == 0, result.output
    assert find_by_email("prompted@example.org").is_admin


def test_create_admin_refuses_weak_password_and_writes_nothing(runner, db):
    result = runner.invoke(
        args=[
            "create-admin",
            "--email",
            "a@example.org",
            "--name",
            "A",
            "--password",
            "password1234",
        ]
    )
    assert result.exit_code != 0
    assert "too common" in result.output
    assert find_by_email("a@example.org") is None


def test_create_admin_refuses_duplicate_email(runner, db):
    args = [
        "create-admin",
        "--email",
        "dup@example.org",
        "--name",
        "D",
        "--password",
        "lantern-harbour-copper-fig",
    ]
    assert runner.invoke(args=args).exit_code == 0
    result = runner.invoke(args=[*args[:2], "DUP@example.org", *args[3:]])
    assert result.exit_code != 0
    assert "already exists" in result.output


def test_seed_demo_is_idempotent(runner, db):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "learner@example.org" in first.output
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert find_by_email("learner@example.org").check_password("demo-learner-maple-bridge")
