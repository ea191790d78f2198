"""Demo content for the staff tools, added by app.ops.demo.seed_demo() through the same services staff use."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Group, Member, Post, Topic
from app.models.base import community_locale
from app.services.community.helpful import mark_helpful, recommend
from app.services.community.pins import pin_topic
from app.services.content.announcements import create_announcement
from app.services.content.resources import ResourceInput, create_resource

RESOURCES = [
    ("Cardiac rehabilitation: what to expect", "article", "https://www.nhs.uk/conditions/cardiac-rehabilitation/", "",
     "heart-health"),
    ("Samaritans: call 116 123, free, any time", "support_line", "https://www.samaritans.org/", "", ""),
    ("Your first week after a diagnosis", "guide", "",
     "## Be gentle with yourself\n\nIt is normal to feel overwhelmed. Write your questions down before each "
     "appointment, and bring someone along if you can.\n\n## Ask for help\n\nYour care team, our mentors and this "
     "community are here for you.", ""),
]  # fmt: skip

WELCOME = {
    "en": "Welcome to the **demo community**: every member here is made up.",
    "es": "Te damos la bienvenida a la **comunidad de demostración**: todas las personas que ves aquí son inventadas.",
    "fr": "Bienvenue dans la **communauté de démonstration** : tous les membres que vous croiserez ici sont fictifs.",
    "de": "Willkommen in der **Demo-Gemeinschaft**: Alle Mitglieder, die du hier triffst, sind erfunden.",
    "ar": "أهلًا بك في **مجتمع العرض التجريبي**: كل الأعضاء الذين تلتقيهم هنا شخصيات من الخيال.",
}


def _welcome(staff: Member) -> None:
    """The welcome banner in the community's language, and in each other language it offers."""
    original = community_locale()
    offered = [code for code in current_app.config["LOCALES"] if code in WELCOME and code != original]
    create_announcement(
        staff, WELCOME.get(original, WELCOME["en"]), None, translations={code: WELCOME[code] for code in offered}
    )


def seed_staff_demo(members: dict[str, Member]) -> None:
    """A pinned topic, a few library entries, helpful marks, a recommended reply and a welcome announcement."""
    staff, mentor = members["Nurse Priya"], members["Mentor Grace"]
    groups = {g.slug: g for g in db.session.scalars(select(Group))}
    first = db.session.scalar(select(Topic).order_by(Topic.id).limit(1))
    if first is not None:
        pin_topic(staff, first, site_wide=True)
    for title, kind, url, body, slug in RESOURCES:
        group_ids = [groups[slug].id] if slug in groups else []
        create_resource(staff, ResourceInput(title=title, kind=kind, url=url, body=body, group_ids=group_ids))
    replies = db.session.scalars(select(Post).where(~Post.is_opening).order_by(Post.id)).all()
    for post in replies[:3]:
        for member in members.values():
            if member.id != post.author_id and member.role == "member":
                mark_helpful(member, post)
    if replies:
        recommend(staff if replies[0].author_id != staff.id else mentor, replies[0])
    _welcome(staff)
