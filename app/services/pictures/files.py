"""Files in storage that no picture row names any more: removed at once after a deletion, or by the sweep."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select, union

from app.extensions import db
from app.models import Picture, Post, Topic
from app.models.base import utcnow
from app.services.media.storage import StoredFile, get_storage


def referenced(keys: Iterable[str]) -> set[str]:
    """The keys among `keys` that some picture row still names (one query)."""
    keys = list(set(keys))
    if not keys:
        return set()
    named = union(
        select(Picture.full_key).where(Picture.full_key.in_(keys)),
        select(Picture.thumb_key).where(Picture.thumb_key.in_(keys)),
    )
    return set(db.session.scalars(select(named.subquery().c[0])))


def release_files(keys: Iterable[str]) -> list[str]:
    """Delete from storage the files among `keys` that no row names (after the commit that dropped their rows)."""
    keys = set(keys)
    gone = sorted(keys - referenced(keys))
    storage = get_storage()
    for key in gone:
        storage.delete(key)
    return gone


def keys_of(pictures: Iterable[Picture]) -> list[str]:
    """Both files (full size and thumbnail) of each picture, to release once their rows are gone."""
    return [key for picture in pictures for key in (picture.full_key, picture.thumb_key)]


def topic_picture_keys(topic: Topic) -> list[str]:
    """The files of every picture in a topic's posts, before the topic is deleted whole."""
    rows = db.session.execute(
        select(Picture.full_key, Picture.thumb_key)
        .join(Post, Picture.post_id == Post.id)
        .where(Post.topic_id == topic.id)
    )
    return [key for row in rows for key in row]


def belongs_to(picture: Picture) -> dict[str, int | str]:
    """What the picture is attached to, as the export says it: {"post": 12}, {"message": 4}, ..."""
    for kind in ("post", "message", "resource", "announcement"):
        if (owner_id := getattr(picture, f"{kind}_id")) is not None:
            return {"kind": kind, "id": owner_id}
    return {"kind": "nothing", "id": 0}


def export_files(rows: Iterable[dict]) -> dict[str, bytes]:
    """The files of the export's picture rows (their full size), under the names the rows give."""
    storage, files = get_storage(), {}
    for row in rows:
        picture = db.session.get(Picture, row["id"])
        try:
            files[row["file"]] = storage.read(picture.full_key) if picture is not None else b""
        except KeyError:  # a file lost from storage: the export says what it was, without it
            continue
    return files


def owned_keys(member_id: int) -> list[str]:
    """The files of every picture a member attached, before their account's rows go."""
    rows = db.session.execute(select(Picture.full_key, Picture.thumb_key).where(Picture.owner_id == member_id))
    return [key for row in rows for key in row]


def sweep(grace: timedelta, now: datetime | None = None) -> list[StoredFile]:
    """Delete stored files no row names, older than `grace` (a post being written may not have committed yet)."""
    cutoff = (now or utcnow()) - grace
    storage = get_storage()
    old = [stored for stored in storage.files() if stored.modified_at < cutoff]
    named = referenced(stored.key for stored in old)
    removed = [stored for stored in old if stored.key not in named]
    for stored in removed:
        storage.delete(stored.key)
    return removed
