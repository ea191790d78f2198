"""`flask recook`: render every stored Markdown text again with today's renderer.

Texts are cooked once, when written, so a change to app/text/rendering.py (tables, heading levels, a tighter
allow-list) reaches old posts only through this command. It walks each table in id order, a batch per transaction,
so a large forum is never locked for long and an interrupted run can simply be started again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import click
from sqlalchemy import inspect, select, tuple_
from sqlalchemy.orm.attributes import flag_modified

from app.extensions import db
from app.models import Announcement, AnnouncementTranslation, GuidelinesVersion, Message, Post, Resource
from app.services.community.mentions import cook_with_mentions
from app.text.rendering import cook

BATCH = 500
# Each model that keeps cooked Markdown (app.models.base.CookedText), with the cooking it got when written:
# posts link their @mentions, the others do not.
COOKED_MODELS: tuple[tuple[Any, Callable[[str], str]], ...] = (
    (Post, cook_with_mentions),
    (Message, cook),
    (Resource, cook),
    (Announcement, cook),
    (AnnouncementTranslation, cook),
    (GuidelinesVersion, cook),
)


def _batches(model: Any, size: int) -> Iterator[list[Any]]:
    """The rows holding Markdown, `size` at a time, in primary-key order (keyset paging: each batch is found by
    index, however far into the table; a translation's key is two columns)."""
    key = inspect(model).primary_key
    query = select(model).where(model.raw.is_not(None)).order_by(*key).limit(size)
    after: tuple[Any, ...] | None = None
    while True:
        page = query if after is None else query.where(tuple_(*key) > tuple_(*after))
        rows = db.session.scalars(page).all()
        if not rows:
            return
        after = tuple(getattr(rows[-1], column.key) for column in key)
        yield list(rows)


def recook(model: Any, render: Callable[[str], str], size: int = BATCH) -> tuple[int, int]:
    """Cook every stored text of `model` again; (rows read, rows whose HTML changed). One transaction per batch."""
    read = changed = 0
    for rows in _batches(model, size):
        for row in rows:
            cooked = render(row.raw) if row.raw else row.cooked  # an empty text has nothing to cook
            if cooked != row.cooked:
                row.cooked = cooked
                if hasattr(row, "updated_at"):  # a new rendering is no edit: keep "updated" as the editor left it
                    flag_modified(row, "updated_at")
                changed += 1
        read += len(rows)
        db.session.commit()
    return read, changed


@click.command("recook")
@click.option("--batch-size", default=BATCH, show_default=True, type=click.IntRange(1, 10_000))
def recook_command(batch_size: int) -> None:
    """Render every stored Markdown text (posts, messages, library pages, announcements, guidelines) again."""
    for model, render in COOKED_MODELS:
        read, changed = recook(model, render, batch_size)
        click.echo(f"{model.__tablename__}: {read} read, {changed} re-rendered")
