"""Operator commands: creating members and loading the demo community."""

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    Announcement,
    AnnouncementTranslation,
    ContentStatus,
    Group,
    GroupMembership,
    LoginSession,
    Member,
    Post,
    Role,
    Topic,
)
from tests.factories import make_member

ALL_TABLES = (Group, GroupMembership, LoginSession, Member, Post, Topic)


def create_member_args(**changes: str) -> list[str]:
    options = {
        "--email": "nurse.ada@example.org",
        "--display-name": "Nurse Ada",
        "--password": "plum kettle lantern",
        **changes,
    }
    return ["create-member", *(part for option in options.items() for part in option)]


def row_counts() -> dict[str, int]:
    db.session.rollback()  # a fresh look at what the command committed
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model)) for model in ALL_TABLES}


def counted(statement) -> dict[int, int]:  # noqa: ANN001
    """A (key, count) query as a dict."""
    return dict(db.session.execute(statement).all())


@pytest.mark.parametrize("role", list(Role))
def test_create_member_prints_id_and_stores_role(runner, role):
    """create-member stores the member with the chosen role and prints the new id."""
    result = runner.invoke(args=create_member_args(**{"--role": role.value}))
    assert result.exit_code == 0, result.output
    member = db.session.get(Member, int(result.output.strip()))
    assert (member.email, member.display_name, member.role) == ("nurse.ada@example.org", "Nurse Ada", role)
    assert PasswordHasher().verify(member.password_hash, "plum kettle lantern")
    assert member.guidelines_accepted_at is not None


def test_create_member_defaults_to_member_role(runner):
    """Without --role the new account is an ordinary member."""
    result = runner.invoke(args=create_member_args())
    assert result.exit_code == 0, result.output
    assert db.session.get(Member, int(result.output.strip())).role == Role.MEMBER


@pytest.mark.parametrize(
    ("changes", "exit_code", "message"),
    [
        ({"--password": "short"}, 1, "Use a password of at least 10 characters."),
        ({"--password": "basketball"}, 1, "That password is too common."),
        ({"--email": "not-an-address"}, 1, "Enter a valid e-mail address."),
        ({"--email": "TAKEN@example.org"}, 1, "An account with this e-mail address already exists."),
        ({"--display-name": "taken name"}, 1, "That display name is taken."),
        ({"--display-name": "Αdmin"}, 1, "Display names must use a single alphabet"),
        ({"--role": "superuser"}, 2, "'superuser' is not one of"),
    ],
    ids=["short-password", "common-password", "invalid-email", "taken-email", "taken-name", "mixed-script", "role"],
)
def test_create_member_refuses_bad_input_and_writes_nothing(runner, changes, exit_code, message):
    """Bad input makes create-member exit non-zero with the reason, and no member is stored."""
    make_member(email="taken@example.org", display_name="Taken Name")
    before = row_counts()
    result = runner.invoke(args=create_member_args(**changes))
    assert result.exit_code == exit_code
    assert message in result.output
    assert row_counts() == before


def test_seed_demo_fills_empty_database(runner):
    """seed-demo loads groups, members of every role, topics and replies."""
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "Demo data loaded" in result.output
    roles = set(db.session.scalars(select(Member.role)))
    assert roles == set(Role)
    counts = row_counts()
    assert counts["Group"] >= 3
    assert counts["Topic"] >= 3
    assert counts["Post"] > counts["Topic"]  # some replies besides the opening posts


@pytest.mark.parametrize("app_overrides", [{"REQUIRE_2FA_ROLES": ("moderator", "staff", "admin")}], ids=["gate-on"])
def test_seed_demo_works_while_the_team_must_enrol_a_second_factor(runner, app):
    """The default KINDRED_REQUIRE_2FA_ROLES (as under make run) does not stop the demo team's pins and decisions,
    and is back in force afterwards."""
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert app.config["REQUIRE_2FA_ROLES"] == ("moderator", "staff", "admin")
    assert db.session.scalar(select(func.count()).select_from(Topic).where(Topic.pinned))


def test_seed_demo_counters_match_real_counts(runner):
    """After seed-demo every denormalised counter equals the count SQL computes from the rows."""
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    db.session.rollback()
    visible_post = (Post.status == ContentStatus.VISIBLE) & (Topic.status == ContentStatus.VISIBLE)
    group_topics = counted(
        select(Topic.group_id, func.count()).where(Topic.status == ContentStatus.VISIBLE).group_by(Topic.group_id)
    )
    group_posts = counted(
        select(Topic.group_id, func.count()).join(Post.topic).where(visible_post).group_by(Topic.group_id)
    )
    topic_replies = counted(
        select(Post.topic_id, func.count())
        .join(Post.topic)
        .where(visible_post, ~Post.is_opening)
        .group_by(Post.topic_id)
    )
    member_posts = counted(
        select(Post.author_id, func.count()).join(Post.topic).where(visible_post).group_by(Post.author_id)
    )
    group_members = counted(select(GroupMembership.group_id, func.count()).group_by(GroupMembership.group_id))

    groups = db.session.execute(select(Group.id, Group.topic_count, Group.post_count, Group.member_count)).all()
    assert {row[0]: tuple(row[1:]) for row in groups} == {
        group_id: (group_topics.get(group_id, 0), group_posts.get(group_id, 0), group_members.get(group_id, 0))
        for group_id, *_ in groups
    }
    topics = counted(select(Topic.id, Topic.reply_count))
    assert topics == {topic_id: topic_replies.get(topic_id, 0) for topic_id in topics}
    members = counted(select(Member.id, Member.post_count))
    assert members == {member_id: member_posts.get(member_id, 0) for member_id in members}
    assert sum(group_posts.values()) > 0


@pytest.mark.parametrize(
    ("args", "exit_code", "message"),
    [
        (["seed-demo"], 1, "The database is not empty"),
        (["seed-demo", "--if-empty"], 0, "demo data not loaded"),
    ],
    ids=["refuses", "if-empty"],
)
def test_seed_demo_adds_nothing_to_a_filled_database(runner, args, exit_code, message):
    """A second seed-demo refuses (or with --if-empty succeeds quietly) and adds no rows."""
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    before = row_counts()
    result = runner.invoke(args=args)
    assert result.exit_code == exit_code
    assert message in result.output
    assert row_counts() == before


def test_seed_demo_welcomes_in_every_language(runner):
    """The demo's welcome banner has its own text in each language the community offers."""
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    welcome = db.session.scalar(select(Announcement))
    texts = dict(db.session.execute(select(AnnouncementTranslation.locale, AnnouncementTranslation.raw)).all())
    assert welcome.locale == "en" and "demo community" in welcome.raw
    assert sorted(texts) == ["ar", "de", "es", "fr"]
    assert "comunidad de demostración" in texts["es"] and "Demo-Gemeinschaft" in texts["de"]
