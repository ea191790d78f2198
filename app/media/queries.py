"""Loading a picture with what decides who may see it."""

from __future__ import annotations

from typing import Any

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from app.extensions import db
from app.models import Announcement, Message, Picture, Post, Resource, Topic
from app.models.messages import ConversationParticipant

MAX_ID = 2**31 - 1


def picture_and_parent_or_404(picture_id: int, viewer: Any) -> tuple[Picture, Any, Any]:
    """The picture, the post (with topic and group) or message it belongs to, and the viewer's place in that
    message's conversation: what permissions' view_picture decides on."""
    picture = db.session.get(Picture, picture_id) if 0 < picture_id <= MAX_ID else None
    if picture is None:
        abort(404)
    if picture.post_id is not None:
        post = db.session.scalar(
            select(Post)
            .join(Post.topic)
            .join(Topic.group)
            .options(contains_eager(Post.topic).contains_eager(Topic.group))
            .where(Post.id == picture.post_id)
        )
        return picture, post, None
    if picture.message_id is not None:
        message = db.session.get(Message, picture.message_id)
        place = None
        if message is not None and viewer is not None:
            place = db.session.get(ConversationParticipant, (message.conversation_id, viewer.id))
        return picture, message, place
    if picture.resource_id is not None:
        return picture, db.session.get(Resource, picture.resource_id), None
    if picture.announcement_id is not None:
        return picture, db.session.get(Announcement, picture.announcement_id), None
    return picture, None, None
