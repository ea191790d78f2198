"""What may leave Kindred: share cards, embeds on other sites, and staff reposting, always with the author's consent.

A post leaves the site only when a visitor could read it here (published, in a published topic of a public group)
and nothing marks it as sensitive; staff repost it, and other sites embed it, only when its author agreed; the
author's name goes with it only when they agreed to that too.
"""

from __future__ import annotations

from app.models import ContentStatus, Member, MemberStatus, Post
from app.permissions.common import Rule, staff_only
from app.permissions.filters import is_public_group
from app.text.lazy import lazy_text as _l

NOT_PUBLIC = _l("Only published posts in public groups can leave Kindred: this one is not public.")
NO_CONSENT = _l("The author has not agreed to their posts being reposted outside Kindred.")
NO_NAME_CONSENT = _l("The author has not agreed to their name going with their posts outside Kindred.")


def content_warning(post: Post) -> str | None:
    """The rung where a content warning will keep a post from leaving the site; posts carry none yet."""
    return None


def leaves_site(member: Member | None, post: Post) -> str | None:
    """May the post be drawn on a share card or quoted elsewhere at all, whoever asks?"""
    # Only what a visitor could read here: never pending, hidden, rejected or deleted, nor a members-only group.
    if post.status != ContentStatus.VISIBLE or post.topic.status != ContentStatus.VISIBLE:
        return NOT_PUBLIC
    if not is_public_group(post.topic.group):
        return NOT_PUBLIC
    # Sensitive content stays here even when public.
    return content_warning(post)


def author_agreed(post: Post) -> str | None:
    """Did the post's author agree to reposting? A former member's posts (author erased) never go."""
    author = post.author
    if author is None or author.status == MemberStatus.DELETED or not author.repost_consent:
        return NO_CONSENT
    return None


def embed_post(member: Member | None, post: Post) -> str | None:
    # Embedding on another site is reposting: the post must be public and its author must have agreed.
    if (reason := leaves_site(member, post)) is not None:
        return reason
    return author_agreed(post)


def credit_author(member: Member | None, post: Post) -> str | None:
    """May the author's display name go with the post outside Kindred (card, embed, oEmbed, repost)?"""
    if (reason := embed_post(member, post)) is not None:
        return reason
    assert post.author is not None  # author_agreed checked it
    return None if post.author.repost_name_consent else NO_NAME_CONSENT


def repost_post(member: Member | None, post: Post) -> str | None:
    # Staff speak for the community on other channels.
    if (reason := staff_only(member, post)) is not None:
        return reason
    return embed_post(member, post)


RULES: dict[str, Rule] = {
    "share_card": leaves_site,
    "embed_post": embed_post,
    "credit_author": credit_author,
    "repost_post": repost_post,
}
