"""What a rate-limited member reads: what happened and, in words, when they can try again."""

from __future__ import annotations

import math
import time
from datetime import timedelta

from flask_babel import format_timedelta
from flask_babel import gettext as _

from app.extensions import limiter


def seconds_until_reset() -> int | None:
    """Seconds until the limit this request ran into lets the next attempt through (None: not known)."""
    current = limiter.current_limit
    if current is None or not current.breached:
        return None
    return max(1, math.ceil(current.reset_at - time.time()))


def try_again_sentence(seconds: int | None) -> str:
    """ "You can try again in about 20 minutes.", in the page's language."""
    if not seconds:
        return _("You can try again a little later.")
    # Babel rounds to the largest sensible unit ("20 minutes", never "1,190 seconds"), hence "about".
    wait = format_timedelta(timedelta(seconds=seconds))
    return _("You can try again in about %(wait)s.", wait=wait)


def limit_reached_message(seconds: int | None) -> str:
    """The 429 page's sentence: why the member was stopped, and when they can go on."""
    what = _(
        "To protect the community from automated misuse, we limit how often this can be done in a while, "
        "and that limit has been reached for now. Nothing you did is wrong."
    )
    return f"{what} {try_again_sentence(seconds)}"
