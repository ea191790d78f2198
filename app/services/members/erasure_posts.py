"""A departing member's posts when they asked for removal: what the community saw leaves a stub, the rest nothing.

- A published post becomes the "removed by its author" placeholder (its words erased), out of every count.
- A post nobody but moderators ever saw (pending, rejected) is deleted, with its review items, their history, its
  flags and the notifications about it: a placeholder would tell visitors something existed there.
- A hidden post stays hidden, its words erased: it was taken out of view by a moderator, not by its author.
- A topic they opened that was never published goes whole when nothing of anyone else's is in it.
- Posts deleted before keep their placeholder, now without words.
- Every kept version of their posts (the edit history) is deleted.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from app.extensions import db
from app.models import ContentStatus, Member, Post
from app.models.revisions import PostRevision
from app.services.common.counters import uncount_post, uncount_topic
from app.services.common.rows import NEVER_PUBLISHED, delete_rows, only_theirs
from app.services.moderation.queue import close_open_reviews

REMOVED_TITLE = "Removed by its author"


def remove_posts(member: Member) -> None:
    """Erase the member's posts and topics as the module docstring says; counters change with them."""
    posts = db.session.scalars(select(Post).where(Post.author_id == member.id).order_by(Post.id.desc())).all()
    doomed_posts, doomed_topics = [], []
    for post in posts:
        if post.status in NEVER_PUBLISHED and not post.is_opening:
            doomed_posts.append(post.id)
            continue
        if post.status in NEVER_PUBLISHED and post.topic.status in NEVER_PUBLISHED and only_theirs(post.topic):
            doomed_topics.append(post.topic_id)
            continue
        if post.status == ContentStatus.VISIBLE:
            _leave_placeholder(member, post)
        close_open_reviews(post, member, "the author deleted their account")
        post.raw = post.cooked = ""
        if post.is_opening and post.topic.author_id == member.id:
            post.topic.title, post.topic.slug = REMOVED_TITLE, "removed"
    db.session.flush()
    # Every earlier version of their words goes too, of the placeholders' posts as of the ones deleted whole.
    theirs = select(Post.id).where(Post.author_id == member.id)
    db.session.execute(delete(PostRevision).where(PostRevision.post_id.in_(theirs)))
    delete_rows(db.metadata.tables["posts"], doomed_posts)
    delete_rows(db.metadata.tables["topics"], doomed_topics)  # their posts with them: posts point at their topic


def _leave_placeholder(member: Member, post: Post) -> None:
    """As posting.delete_post: out of the counts, and a topic nobody answered goes with its opening post."""
    topic = post.topic
    uncount_post(post)
    post.status = ContentStatus.DELETED
    if post.is_opening and topic.reply_count == 0 and topic.status != ContentStatus.DELETED:
        if topic.status == ContentStatus.VISIBLE:
            uncount_topic(topic, opening_visible=False)
        topic.status = ContentStatus.DELETED
