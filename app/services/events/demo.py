"""Demo events, added by app.ops.demo.seed_demo(): three upcoming (one nearly full) and one past, with replies."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import Event, EventKind, Group, Member
from app.models.base import utcnow
from app.services.events.places import rsvp
from app.services.events.schedule import EventInput, create_event, utc_to_local
from app.text.rendering import cook

ZONE = "Europe/London"
UPCOMING = [
    ("Ask a cardiac rehab nurse", "qa", "Dr. Lee, cardiac rehab nurse", 4, "", "https://meet.example.org/rehab-qa",
     "3", "heart-health", True,
     "Bring your questions about **exercise, diet and going back to work** after a heart attack."),
    ("Carers' coffee morning", "meeting", "Mentor Grace, volunteer", 9, "Café in the main hospital, level 1", "", "",
     "caregivers", False, "An informal hour to meet other carers. Tea and biscuits on us."),
    ("Living well with type 2 diabetes", "webinar", "Sam Patel, diabetes specialist nurse", 16, "",
     "https://meet.example.org/diabetes-webinar", "", "diabetes", True,
     "A 45-minute talk on everyday glucose control, then your questions."),
]  # fmt: skip


def seed_event_demo(members: dict[str, Member]) -> None:
    staff = members["Nurse Priya"]
    groups = {g.slug: g.id for g in db.session.scalars(select(Group))}
    start_of_today = utcnow().replace(hour=17, minute=0, second=0, microsecond=0)
    events = []
    for title, kind, host, days, place, link, capacity, slug, questions, text in UPCOMING:
        starts = start_of_today + timedelta(days=days)
        data = EventInput(
            title=title, description=text, kind=kind, host=host, starts_at=utc_to_local(starts, ZONE),
            ends_at=utc_to_local(starts + timedelta(hours=1), ZONE), timezone=ZONE, location=place, online_url=link,
            capacity=capacity, group=str(groups[slug]) if slug in groups else "", questions=questions,
        )  # fmt: skip
        events.append(create_event(staff, data))
    for member in list(members.values())[:4]:
        rsvp(member, events[0])  # three places: the fourth member waits
    starts = start_of_today - timedelta(days=12)
    past = Event(
        title="Sleep after a diagnosis: your questions", description="Recorded answers are in the recap topic.",
        description_html=cook("Recorded answers are in the recap topic."), kind=EventKind.QA,
        host="Dr. Okafor, sleep specialist", starts_at=starts, ends_at=starts + timedelta(hours=1), timezone=ZONE,
        location="", online_url="https://meet.example.org/sleep", created_by_id=staff.id,
    )  # fmt: skip
    db.session.add(past)
    db.session.commit()
