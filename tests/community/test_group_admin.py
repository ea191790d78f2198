"""Staff create and configure groups, and limit moderators to some groups."""

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Group, ModeratorScope, Role
from tests.factories import make_group, make_member


def group_form(**changes: str) -> dict[str, str]:
    """A complete, valid group form with `changes` applied."""
    return {
        "name": "Lung health",
        "slug": "lung-health",
        "description": "COPD, asthma and more",
        "position": "3",
    } | changes


@pytest.fixture
def staff(login_as):  # noqa: ANN001, ANN201
    member = make_member(role=Role.STAFF)
    login_as(member)
    return member


def test_staff_create_a_group(client, staff):
    """A valid form creates the group and audits it."""
    response = client.post_form("/mod/groups", group_form(review_all_posts="y"))
    group = db.session.scalar(select(Group).where(Group.slug == "lung-health"))
    assert response.status_code == 302
    assert (group.name, group.position, group.review_all_posts, group.archived) == ("Lung health", 3, True, False)
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.target_id == group.id)) == "create_group"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "  "}, "Give the group a name"),
        ({"slug": "Lung Health!"}, "lower-case letters"),
        ({"slug": "taken"}, "already uses this web address"),
        ({"position": "first"}, "Position is a number"),
        ({"description": "x" * 1001}, "under 1000 characters"),
    ],
)
def test_bad_group_form_stores_nothing(client, staff, changes, message):
    """Each bad field gets a clear message and no group is written."""
    make_group(slug="taken")
    response = client.post_form("/mod/groups", group_form(**changes))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Group)) == 1


def test_staff_mark_a_group_sensitive_and_archived(client, staff):
    """Editing a group changes its settings and records before and after."""
    group = make_group(name="Cancer", slug="cancer")
    data = group_form(name="Cancer", slug="cancer", archived="y", review_all_posts="y")
    assert client.post_form(f"/mod/groups/{group.id}", data).status_code == 302
    db.session.refresh(group)
    assert group.archived and group.review_all_posts
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "edit_group"))
    assert event.before["archived"] is False and event.after["archived"] is True


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MENTOR, Role.MODERATOR])
def test_only_staff_manage_groups(client, login_as, role):
    """Members, mentors and moderators get 403 and nothing is created."""
    login_as(make_member(role=role))
    assert client.get("/mod/groups").status_code == 403
    assert client.post_form("/mod/groups", group_form()).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Group)) == 0


def test_staff_limit_a_moderator_to_some_groups(client, staff):
    """Ticked groups become the moderator's scope; unticking all means every group again."""
    moderator = make_member(role=Role.MODERATOR)
    heart, _cancer = make_group(name="Heart"), make_group(name="Cancer")
    client.post_form(f"/mod/members/{moderator.id}/groups", {"groups": [str(heart.id)]})
    scopes = db.session.scalars(select(ModeratorScope.group_id).where(ModeratorScope.member_id == moderator.id))
    assert list(scopes) == [heart.id]
    client.post_form(f"/mod/members/{moderator.id}/groups", {})
    assert db.session.scalar(select(func.count()).select_from(ModeratorScope)) == 0


def test_only_moderators_can_be_scoped(client, staff):
    """Scoping a plain member is refused with a message and stores nothing."""
    member, group = make_member(), make_group()
    response = client.post_form(f"/mod/members/{member.id}/groups", {"groups": [str(group.id)]}, follow_redirects=True)
    assert "Only moderators can be limited" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ModeratorScope)) == 0


def test_moderator_page_shows_the_groups_form_once_in_the_page_body(client, staff):
    """The groups form sits in the page body, once, and the title is just the member's name."""
    moderator = make_member(role=Role.MODERATOR, display_name="Mod Ada")
    page = client.get(f"/mod/members/{moderator.id}").get_data(as_text=True)
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title == "Mod Ada — moderation · Kindred"
    assert page.count('id="scope-heading"') == 1
