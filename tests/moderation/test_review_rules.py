"""The pure review rules: which posts are published, flagged, held or blocked, and the reasons given for each."""

from __future__ import annotations

import pytest

from app.models import Role
from app.services.moderation.verdict import BLOCK, FLAG, HOLD, PUBLISH, Author, Verdict, review_verdict

PLAIN = "Thank you all, the breathing exercises really helped me this week."
CRISIS = "I want to end my life"
CRISIS_REASON = "may be about self-harm or suicide"
GROUP_REASON = "this group reviews every post"
TEAM_ROLES = [Role.MODERATOR, Role.STAFF, Role.ADMIN]


def verdict(
    text: str = PLAIN,
    *,
    role: Role = Role.MEMBER,
    trusted: bool = True,
    approved: int = 10,
    group_reviews_all: bool = False,
    watched: tuple[tuple[str, str], ...] = (),
    hold_first_posts: int = 2,
) -> Verdict:
    """Ask the rules about `text`; by default an established, trusted member in an ordinary group."""
    return review_verdict(
        author=Author(role=role, trusted=trusted, approved_posts=approved),
        text=text,
        group_reviews_all=group_reviews_all,
        watched=watched,
        hold_first_posts=hold_first_posts,
    )


def newcomer(text: str = PLAIN, **kwargs) -> Verdict:  # noqa: ANN003
    """The rules for a member with no approved posts yet (so not trusted either)."""
    return verdict(text, trusted=False, approved=0, **kwargs)


def watched_reason(phrase: str, action: str) -> str:
    return f'contains the watched phrase "{phrase}" ({action})'


# Publishing


def test_established_members_plain_post_is_published():
    """A trusted member's ordinary post is published with no reasons and no urgency."""
    assert verdict() == Verdict(PUBLISH, (), False)


# Each hold path, alone, with its reason


@pytest.mark.parametrize(
    ("kwargs", "reason", "urgent"),
    [
        (
            {"trusted": False, "approved": 0},
            "one of the member's first 2 posts",
            False,
        ),
        (
            {"trusted": False, "approved": 1},
            "one of the member's first 2 posts",
            False,
        ),
        (
            {"trusted": False, "approved": 4, "hold_first_posts": 5},
            "one of the member's first 5 posts",
            False,
        ),
        ({"group_reviews_all": True}, GROUP_REASON, False),
        (
            {"trusted": False, "text": "Details at https://cheap-pills.example/offer"},
            "a newer member's post with a link",
            False,
        ),
        (
            {"trusted": False, "text": "Write to sales@pills.org for a discount"},
            "a newer member's post with an e-mail address",
            False,
        ),
        (
            {"trusted": False, "text": "Ring me on 07700 900123 to order"},
            "a newer member's post with a phone number",
            False,
        ),
        (
            {"text": "This miracle cure worked", "watched": (("miracle cure", "hold"),)},
            watched_reason("miracle cure", "hold"),
            False,
        ),
        ({"text": CRISIS}, CRISIS_REASON, True),
    ],
    ids=[
        "first post",
        "second post",
        "first posts setting",
        "sensitive group",
        "untrusted link",
        "untrusted e-mail",
        "untrusted phone",
        "watched hold",
        "crisis",
    ],
)
def test_each_hold_path_holds_with_its_reason(kwargs, reason, urgent):
    """Every hold path on its own holds the post and gives exactly its own reason."""
    assert verdict(**kwargs) == Verdict(HOLD, (reason,), urgent)


@pytest.mark.parametrize(("approved", "hold_first_posts"), [(2, 2), (3, 2), (0, 0), (5, 0)])
def test_first_posts_rule_stops_at_the_setting(approved, hold_first_posts):
    """Once a member has as many approved posts as the setting (or it is 0), the first-posts rule lets them post."""
    assert verdict(trusted=False, approved=approved, hold_first_posts=hold_first_posts).action == PUBLISH


def test_watched_flag_publishes_with_its_reason():
    """A watched phrase with the flag action publishes the post and says which phrase to look at."""
    result = verdict("Ask about keto here", watched=(("keto", "flag"),))
    assert result == Verdict(FLAG, (watched_reason("keto", "flag"),), False)


def test_watched_block_refuses_with_its_reason():
    """A watched phrase with the block action blocks the post and names the phrase."""
    result = verdict("Buy cheap pills now", watched=(("cheap pills", "block"),))
    assert result == Verdict(BLOCK, (watched_reason("cheap pills", "block"),), False)


# Several rules at once


@pytest.mark.parametrize(
    ("watched", "strongest"),
    [
        ((("keto", "flag"), ("detox", "hold")), HOLD),
        ((("detox", "hold"), ("keto", "flag")), HOLD),
        ((("keto", "flag"), ("detox", "block")), BLOCK),
        ((("detox", "block"), ("keto", "hold")), BLOCK),
        ((("keto", "flag"), ("detox", "flag")), FLAG),
    ],
)
def test_strongest_watched_action_wins(watched, strongest):
    """With several watched phrases, block beats hold beats flag, whatever their order."""
    assert verdict("A keto detox plan", watched=watched).action == strongest


@pytest.mark.parametrize(
    "kwargs",
    [
        {"trusted": False, "approved": 0},
        {"group_reviews_all": True},
        {"text": f"Keto. {CRISIS}"},
    ],
    ids=["first post", "sensitive group", "crisis"],
)
def test_hold_rule_beats_watched_flag(kwargs):
    """A flagging phrase does not let through a post that another rule holds."""
    assert verdict(**{"text": "Keto helped me", "watched": (("keto", "flag"),), **kwargs}).action == HOLD


def test_reasons_accumulate_in_rule_order():
    """Every rule that applies adds its reason: watched words, crisis, group, first posts, contact details."""
    text = f"Keto and detox. {CRISIS}. Call 07700 900123 or see www.detox.shop"
    result = newcomer(text, group_reviews_all=True, watched=(("keto", "flag"), ("detox", "hold")))
    assert result == Verdict(
        HOLD,
        (
            watched_reason("keto", "flag"),
            watched_reason("detox", "hold"),
            CRISIS_REASON,
            GROUP_REASON,
            "one of the member's first 2 posts",
            "a newer member's post with a link",
            "a newer member's post with a phone number",
        ),
        True,
    )


def test_each_contact_detail_is_a_reason_of_its_own():
    """A link, an e-mail address and a phone number together are three whole reasons, never one glued with "and"."""
    result = verdict("See https://x.example, mail me@pills.example or ring 0800-123-4567", trusted=False)
    assert result.reasons == (
        "a newer member's post with a link",
        "a newer member's post with an e-mail address",
        "a newer member's post with a phone number",
    )


def test_crisis_keeps_the_post_urgent_whatever_else_applies():
    """Crisis language makes the verdict urgent even when other rules hold the post too."""
    result = newcomer(CRISIS, group_reviews_all=True)
    assert (result.action, result.urgent) == (HOLD, True)


# Block beats everything


def test_block_beats_every_other_rule():
    """A blocked phrase blocks even a crisis post by a newcomer with a link in a sensitive group."""
    text = f"Cheap pills! {CRISIS} https://pills.example"
    result = newcomer(text, group_reviews_all=True, watched=(("cheap pills", "block"), ("pills", "flag")))
    assert result.action == BLOCK
    assert watched_reason("cheap pills", "block") in result.reasons


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MENTOR, *TEAM_ROLES])
def test_block_applies_to_every_role(role):
    """Nobody, not even staff, can publish a blocked phrase."""
    assert verdict("Cheap pills here", role=role, watched=(("cheap pills", "block"),)).action == BLOCK


# Roles


SITUATIONS = {
    "first post": {"trusted": False, "approved": 0},
    "sensitive group": {"group_reviews_all": True},
    "link": {"trusted": False, "approved": 0, "text": "See https://pills.example"},
    "phone": {"trusted": False, "approved": 0, "text": "Ring 07700 900123"},
    "crisis": {"text": CRISIS},
    "watched hold": {"text": "Try this detox", "watched": (("detox", "hold"),)},
    "watched flag": {"text": "Try this detox", "watched": (("detox", "flag"),)},
}


@pytest.mark.parametrize("situation", SITUATIONS)
@pytest.mark.parametrize("role", TEAM_ROLES)
def test_moderating_team_is_never_held_or_flagged(role, situation):
    """Moderators, staff and admins publish directly, even as newcomers, with links, or in crisis words."""
    assert verdict(role=role, **SITUATIONS[situation]) == Verdict(PUBLISH, (), False)


@pytest.mark.parametrize("situation", ["first post", "sensitive group", "link", "phone"])
def test_mentors_are_not_held_by_newcomer_group_or_contact_rules(situation):
    """Mentors publish directly however new they are, in sensitive groups, and with contact details."""
    assert verdict(role=Role.MENTOR, **SITUATIONS[situation]) == Verdict(PUBLISH, (), False)


def test_mentor_crisis_post_is_published_with_an_urgent_flag():
    """A mentor's crisis words are not held but flagged, urgently, for the moderators."""
    result = verdict(CRISIS, role=Role.MENTOR, trusted=False, approved=0, group_reviews_all=True)
    assert result == Verdict(FLAG, (CRISIS_REASON,), True)


def test_watched_words_still_hold_a_mentors_post():
    """Mentors are peers with a badge: a watched phrase set to hold holds their post too."""
    result = verdict("Try this detox", role=Role.MENTOR, watched=(("detox", "hold"),))
    assert result == Verdict(HOLD, (watched_reason("detox", "hold"),), False)


# Links, phone numbers and e-mail addresses


CONTACT_DETAILS = {
    "https link": ("Read https://example.com/offer", "a link"),
    "http link": ("Read http://example.net", "a link"),
    "www link": ("Go to www.pills-online.biz now", "a link"),
    "bare domain": ("Order at cheappills.co.uk today", "a link"),
    "e-mail": ("Write to helper@example.org please", "an e-mail address"),
    "e-mail, other domain": ("Write to helper@mail.de please", "an e-mail address"),
    "mobile": ("Text me on 07700 900123", "a phone number"),
    "international": ("Call +44 7700 900123", "a phone number"),
    "brackets": ("Our clinic is on (020) 7946 0958", "a phone number"),
    "dashes": ("Free phone 0800-123-4567", "a phone number"),
    "no spaces": ("Ring 07700900123", "a phone number"),
}


@pytest.mark.parametrize("case", CONTACT_DETAILS)
def test_untrusted_members_contact_details_are_held(case):
    """From a member who is past their first posts but not yet trusted, contact details hold the post."""
    text, detail = CONTACT_DETAILS[case]
    assert verdict(text, trusted=False, approved=3) == Verdict(HOLD, (f"a newer member's post with {detail}",), False)


@pytest.mark.parametrize("case", CONTACT_DETAILS)
def test_trusted_members_contact_details_are_published(case):
    """Trusted members may share links, e-mail addresses and phone numbers directly."""
    assert verdict(CONTACT_DETAILS[case][0], trusted=True).action == PUBLISH


@pytest.mark.parametrize(
    "text",
    [
        "It cost me £25 at the pharmacy",
        "I was diagnosed in 2024",
        "between 2019 and 2024",
        "The scan was £1,250.50 privately",
        "My blood pressure was 120/80",
        "I walk 10,000 steps a day",
        "500mg twice a day, then 250 mg",
        "0.5 mg, 1.5 mg, 2.5 mg and 3.5 mg",
        "Seen on 12.03.2024",
        "Seen on 12.03.2024 10:30 by the nurse",
        "Appointment 2024-03-12 10:30",
        "In 2019, 2020, 2021 and 2022 I had flare-ups",
    ],
)
def test_prices_years_doses_and_dates_are_not_phone_numbers(text):
    """Numbers people write about their health are not mistaken for phone numbers."""
    assert verdict(text, trusted=False, approved=3).action == PUBLISH


# Watched phrases: whole words, any case, Unicode-aware


@pytest.mark.parametrize(
    ("phrase", "text"),
    [
        ("miracle cure", "Try this MIRACLE CURE today"),
        ("miracle cure", "a Miracle\n   cure!"),
        ("miracle cure", "(miracle cure)"),
        ("spam", "ＳＰＡＭ here"),
        ("Ｓｐａｍ", "no spam please"),
        ("strasse", "Die Straße"),
        ("café", "Meet at the CAFE\u0301"),
        ("продаю", "ПРОДАЮ таблетки"),
        ("cialis", "Cheap Cialis."),
    ],
)
def test_watched_phrase_matches_whole_words_in_any_case_and_form(phrase, text):
    """Watched phrases match whatever the case, width, composition or spacing of the words."""
    assert verdict(text, watched=((phrase, "hold"),)).action == HOLD


@pytest.mark.parametrize(
    ("phrase", "text"),
    [
        ("cialis", "My specialist said so"),
        ("buy", "The buyers were kind"),
        ("buy", "I had to rebuy it"),
        ("mg", "500mg twice a day"),
        ("продаю", "Их продают везде"),
        ("miracle cure", "a miracle, cure it"),
    ],
)
def test_watched_phrase_does_not_match_inside_other_words(phrase, text):
    """A watched phrase inside a longer word, or split by punctuation, does not match."""
    assert verdict(text, watched=((phrase, "hold"),)).action == PUBLISH


# Crisis language


@pytest.mark.parametrize(
    "text",
    [
        CRISIS,
        "ＳＵＩＣＩＤＥ",
        "I keep having suicidal thoughts",
        "Some days I think about KILLING MYSELF",
        "I just want   to\ndie",
        "I can't go on anymore",
        "I can\u2019t go on anymore",
        "I self-harm again",
        "I have started to self harm",
    ],
)
def test_crisis_language_is_held_urgently(text):
    """Self-harm and suicide language holds a member's post as urgent, in any case, width or apostrophe."""
    result = verdict(text)
    assert (result.action, result.reasons, result.urgent) == (HOLD, (CRISIS_REASON,), True)


@pytest.mark.parametrize(
    "text",
    [
        "I want to diet properly this year",
        "I'd like to end my lifelong sugar habit",
        "The pain nearly killed me, but I'm better",
        "A self-harmony workshop",
    ],
)
def test_crisis_phrases_inside_other_words_are_not_crisis(text):
    """Crisis phrases must be whole words: "diet" or "lifelong" do not raise an urgent hold."""
    assert verdict(text) == Verdict(PUBLISH, (), False)
