"""Demo content for a first look at Kindred (`flask --app wsgi seed-demo`, and `make run` on an empty database)."""

from __future__ import annotations

from flask import current_app

from app.extensions import db
from app.models import Group, Role
from app.services.community.groups import join_group
from app.services.community.posting import reply, start_topic
from app.services.members.accounts import create_member

DEMO_PASSWORD = "kindred-demo-password"  # noqa: S105 - printed for demo logins, never used in production

GROUPS = [
    (
        "Heart health",
        "heart-health",
        "Living with heart conditions: after a heart attack, heart failure, arrhythmias and rehab.",
    ),
    (
        "Cancer support",
        "cancer-support",
        "For people living with cancer, in treatment or after it, and those close to them.",
    ),
    (
        "Diabetes",
        "diabetes",
        "Type 1, type 2 and gestational diabetes: day-to-day life, food, devices and feelings.",
    ),
    (
        "Mental health",
        "mental-health",
        "Anxiety, depression and coping with illness. Be gentle with each other here.",
    ),
    ("Caregivers", "caregivers", "For partners, parents, children and friends who care for someone."),
]

MEMBERS = [
    ("admin@example.org", "Kindred Admin", Role.ADMIN),
    ("staff@example.org", "Nurse Priya", Role.STAFF),
    ("moderator@example.org", "Mod Sam", Role.MODERATOR),
    ("mentor@example.org", "Mentor Grace", Role.MENTOR),
    ("member@example.org", "HopefulHeart", Role.MEMBER),
    ("member2@example.org", "Sugar Steady", Role.MEMBER),
    ("member3@example.org", "Quiet Oak", Role.MEMBER),
]

TOPICS = [
    (
        "heart-health",
        "HopefulHeart",
        "Nervous about starting cardiac rehab next week",
        "I had a heart attack in March and my first cardiac rehab session is on Monday. I'm honestly scared of "
        "exercising again. What was your first session like?",
        [
            (
                "Mentor Grace",
                "I felt exactly the same. The team checks your heart rate and blood pressure the whole time, "
                "and you go at your own pace. By week three I looked forward to it.",
            ),
            (
                "Quiet Oak",
                "Take a water bottle and wear comfortable shoes. And tell them how you feel — they're used to it.",
            ),
            ("HopefulHeart", "Thank you both, that really helps. I'll report back after Monday!"),
        ],
    ),
    (
        "heart-health",
        "Quiet Oak",
        "Tips for remembering evening medication?",
        "My evening tablets keep slipping my mind. What routines or tools work for you?",
        [
            (
                "Sugar Steady",
                "I keep mine next to my toothbrush. Brushing teeth = tablets. Works every night.",
            ),
            (
                "Nurse Priya",
                "A weekly pill organiser and a phone alarm help many people. Your pharmacist can also "
                "do a free medicines check and suggest simpler timings.",
            ),
        ],
    ),
    (
        "cancer-support",
        "HopefulHeart",
        "What helped you through chemo fatigue?",
        "My sister starts chemotherapy soon. What helped you most with the tiredness?",
        [
            ("Mentor Grace", "Short walks, even five minutes, and saying yes when friends offered to cook."),
            ("Quiet Oak", "Planning the important things for the mornings, when I had the most energy."),
        ],
    ),
    (
        "diabetes",
        "Sugar Steady",
        "Just switched to a continuous glucose monitor — ask me anything",
        "I've had type 1 for 12 years and switched to a CGM last month. Happy to share what it's been like, "
        "**the good and the annoying**.",
        [
            ("HopefulHeart", "Does the sensor hurt when you put it in?"),
            ("Sugar Steady", "Much less than finger pricks! A little pinch, then nothing."),
        ],
    ),
    (
        "mental-health",
        "Quiet Oak",
        "Feeling low since my diagnosis",
        "Since my diagnosis I find it hard to enjoy things. Is this normal? How did you get through it?",
        [
            (
                "Mentor Grace",
                "It's very common, and you're not alone. Talking to my GP about it was the turning point for me.",
            ),
            (
                "Nurse Priya",
                "Thank you for sharing this. Please do mention it to your care team — support is available, "
                "and our resources page lists local talking services.",
            ),
        ],
    ),
    (
        "caregivers",
        "Mentor Grace",
        "Looking after yourself while caring for someone",
        "Caring for my husband has taught me that I need breaks too. How do you make time for yourself?",
        [("Sugar Steady", "A neighbour sits with my mum on Thursday afternoons. Those two hours are mine.")],
    ),
]


def seed_demo() -> list[tuple[str, str]]:
    """Create the demo community through the same services members use; returns (email, role) logins.

    The demo team acts here before anyone could enrol a second factor. KINDRED_REQUIRE_2FA_ROLES keeps their web
    sessions away from held content until they do; it is not meant for this operator's command, so it is set aside
    while the demo is written."""
    required = current_app.config["REQUIRE_2FA_ROLES"]
    current_app.config["REQUIRE_2FA_ROLES"] = ()
    try:
        return _seed()
    finally:
        current_app.config["REQUIRE_2FA_ROLES"] = required


def _seed() -> list[tuple[str, str]]:
    groups = {}
    for position, (name, slug, description) in enumerate(GROUPS):
        groups[slug] = Group(name=name, slug=slug, description=description, position=position)
    db.session.add_all(groups.values())
    db.session.commit()
    members = {}
    for email, name, role in MEMBERS:
        members[name] = create_member(
            email=email, display_name=name, password=DEMO_PASSWORD, role=role, accepted_guidelines=True
        )
        for group in groups.values():
            join_group(members[name], group)
    # The demo members are regulars whose posts publish directly; "New Here" shows the review queue at work.
    for name in members:
        members[name].approved_posts = 5
    newcomer = create_member(
        email="newcomer@example.org", display_name="New Here", password=DEMO_PASSWORD, accepted_guidelines=True
    )
    join_group(newcomer, groups["diabetes"])
    db.session.commit()
    for slug, author, title, body, replies in TOPICS:
        topic = start_topic(members[author], groups[slug], title, body).topic
        for replier, text in replies:
            reply(members[replier], topic, text)
    start_topic(
        newcomer,
        groups["diabetes"],
        "Best glucose meter for travelling?",
        "I'm flying abroad next month. Which meters have worked well for you on trips?",
    )
    from app.staff.demo import seed_staff_demo

    seed_staff_demo(members)
    from app.services.events.demo import seed_event_demo

    seed_event_demo(members)
    return [(email, role.value) for email, _, role in MEMBERS] + [("newcomer@example.org", "member (new)")]
