"""All models, imported here so Alembic and the app see the whole schema."""

from app.models.announcements import Announcement, AnnouncementDismissal
from app.models.community import ContentStatus, Group, Post, Topic
from app.models.guidelines import GuidelinesVersion
from app.models.helpful import HelpfulMark
from app.models.member import GroupMembership, LoginSession, Member, MemberStatus, Role
from app.models.moderation import (
    AuditEvent,
    Flag,
    FlagReason,
    ModeratorScope,
    ReviewEvent,
    ReviewItem,
    ReviewKind,
    ReviewStatus,
    WatchAction,
    WatchedWord,
)
from app.models.notification import Notification
from app.models.resources import Resource, ResourceKind
from app.models.settings import Setting

__all__ = [
    "Announcement",
    "AnnouncementDismissal",
    "GuidelinesVersion",
    "HelpfulMark",
    "Resource",
    "ResourceKind",
    "AuditEvent",
    "Flag",
    "FlagReason",
    "ModeratorScope",
    "Notification",
    "ReviewEvent",
    "ReviewItem",
    "ReviewKind",
    "ReviewStatus",
    "Setting",
    "WatchAction",
    "WatchedWord",
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
