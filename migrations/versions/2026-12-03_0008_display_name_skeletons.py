"""members: display-name keys become look-alike skeletons, so names that read alike count as one name

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 07:00:00

A key used to ignore case and width only; it now also ignores spacing, punctuation and letters of other alphabets
drawn like Latin ones (app.services.members.identity.name_skeleton). Upgrading recomputes every member's key. Two
existing members whose names now share a key keep their old keys (the older member's is recomputed): nobody is
renamed, and new members cannot take either look-alike. Deleted accounts keep their placeholder keys.

Downgrading computes keys the old way again (NFKC, then case-folded).
"""
import unicodedata

import sqlalchemy as sa
from alembic import op

from app.services.members.identity import display_name_key

# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

members = sa.table("members", sa.column("id", sa.Integer), sa.column("display_name", sa.String),
                   sa.column("display_name_key", sa.String))


def _rekey(new_key) -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(members).order_by(members.c.id)).all()
    taken = {row.display_name_key for row in rows}
    for row in rows:
        if row.display_name_key.startswith("former member #"):
            continue
        key = new_key(row.display_name)[:160]
        if key == row.display_name_key or key in taken:
            continue
        connection.execute(sa.update(members).where(members.c.id == row.id).values(display_name_key=key))
        taken.discard(row.display_name_key)
        taken.add(key)


def upgrade():
    _rekey(display_name_key)


def downgrade():
    _rekey(lambda name: unicodedata.normalize("NFKC", name).casefold())
