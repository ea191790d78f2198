"""All models, imported here so Alembic and the app see the whole schema."""

from app.models.announcements import Announcement, AnnouncementDismissal, AnnouncementTranslation
from app.models.bookmarks import Bookmark
from app.models.community import ContentStatus, Group, GroupVisibility, Post, Topic
from app.models.drafts import Draft
from app.models.email_login import EmailLoginLink
from app.models.event_questions import EventQuestion, EventQuestionVote
from app.models.events import Event, EventCalendarFeed, EventKind, EventRsvp, RsvpStatus
from app.models.follow import GroupFollow, TopicFollow
from app.models.guidelines import GuidelinesVersion
from app.models.helpful import HelpfulMark
from app.models.identities import MemberIdentity
from app.models.mail import MailStatus, OutboxMessage
from app.models.mail_replies import MailReply
from app.models.member import GroupMembership, LoginSession, Member, MemberStatus, ProfileVisibility, Role
from app.models.mentoring import CheckIn, CheckInMethod, Welcome
from app.models.messages import (
    Block,
    Conversation,
    ConversationParticipant,
    Message,
    MessageReport,
    MessageReportStatus,
)
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
from app.models.notification import Delivery, DigestSent, Notification, NotificationPreference
from app.models.nudges import NudgePhrase
from app.models.passkeys import Passkey, PasskeyChallenge
from app.models.pictures import Picture, PicturePolicy
from app.models.reading import TopicRead
from app.models.resources import Resource, ResourceKind
from app.models.revisions import PostRevision
from app.models.safeguards import FormSubmission, LoginThrottle
from app.models.settings import Setting
from app.models.two_factor import RecoveryCode, TotpSecret
from app.models.webhooks import DeliveryStatus, Webhook, WebhookDelivery

__all__ = [
    "NudgePhrase",
    "CheckIn",
    "CheckInMethod",
    "Welcome",
    "Passkey",
    "PasskeyChallenge",
    "RecoveryCode",
    "TotpSecret",
    "EventQuestion",
    "EventQuestionVote",
    "PostRevision",
    "Draft",
    "EmailLoginLink",
    "FormSubmission",
    "LoginThrottle",
    "Announcement",
    "AnnouncementDismissal",
    "AnnouncementTranslation",
    "Bookmark",
    "Event",
    "EventCalendarFeed",
    "EventKind",
    "EventRsvp",
    "RsvpStatus",
    "GuidelinesVersion",
    "HelpfulMark",
    "MemberIdentity",
    "MailStatus",
    "MailReply",
    "OutboxMessage",
    "Block",
    "Conversation",
    "ConversationParticipant",
    "Message",
    "MessageReport",
    "MessageReportStatus",
    "Resource",
    "ResourceKind",
    "AuditEvent",
    "Flag",
    "FlagReason",
    "ModeratorScope",
    "Notification",
    "Delivery",
    "DigestSent",
    "GroupFollow",
    "NotificationPreference",
    "TopicFollow",
    "ReviewEvent",
    "ReviewItem",
    "ReviewKind",
    "ReviewStatus",
    "Setting",
    "Picture",
    "PicturePolicy",
    "WatchAction",
    "WatchedWord",
    "ContentStatus",
    "Group",
    "GroupMembership",
    "GroupVisibility",
    "ProfileVisibility",
    "LoginSession",
    "Member",
    "MemberStatus",
    "Post",
    "Role",
    "Topic",
    "TopicRead",
    "DeliveryStatus",
    "Webhook",
    "WebhookDelivery",
]
