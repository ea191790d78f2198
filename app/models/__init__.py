"""All models, imported here so Alembic and the app see the whole schema."""

from app.models.community import ContentStatus, Group, Post, Topic
from app.models.member import GroupMembership, LoginSession, Member, MemberStatus, Role

__all__ = [
    "ContentStatus",
    "Group",
    "GroupMembership",
    "LoginSession",
    "Member",
    "MemberStatus",
    "Post",
    "Role",
    "Topic",
]
