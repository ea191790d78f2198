"""The review rules asked about one member's words, with the community's watched words and settings read here.

Posts and event questions go through the same rules: review_verdict() stays pure, and this is where what it needs
is looked up, so no second copy of the rules (or of their inputs) exists anywhere.
"""

from __future__ import annotations

from app.models import Member
from app.services.members.trust import is_trusted
from app.services.moderation.settings import get_int
from app.services.moderation.verdict import Author, Verdict, review_verdict
from app.services.moderation.watched_words import watched_list


def screen(author: Member, text: str, *, group_reviews_all: bool, pictures: int = 0) -> Verdict:
    """Publish, flag, hold or block this member's text, with every reason (see verdict.review_verdict)."""
    return review_verdict(
        author=Author(role=author.role, trusted=is_trusted(author), approved_posts=author.approved_posts),
        text=text,
        pictures=pictures,
        group_reviews_all=group_reviews_all,
        watched=watched_list(),
        hold_first_posts=get_int("hold_first_posts"),
    )
