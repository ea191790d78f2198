"""id_url builds the same links as url_for, from a per-request pattern."""

import pytest
from flask import url_for

from app.web.url_cache import id_url

CASES = [
    ("community.post", {"post_id": 7}),
    ("community.post", {"post_id": 12345, "_external": True}),
    ("community.topic", {"topic_id": 3, "slug": "a-topic", "page": 2, "order": "helpful"}),
    ("helpful.mark", {"post_id": 9, "order": None, "page": None}),
    ("helpful.mark", {"post_id": 9, "order": "helpful", "page": 4}),
    ("mod.post_visibility", {"post_id": 11, "verb": "hide"}),
    ("community.group", {"slug": "{odd}", "page": 5}),
]


@pytest.mark.parametrize(("endpoint", "values"), CASES)
def test_id_url_equals_url_for(app, endpoint, values):
    """Every link, the first of its shape and the later ones, is exactly what url_for builds."""
    with app.test_request_context("/"):
        for bump in (0, 1, 990):
            changed = {k: v + bump if type(v) is int else v for k, v in values.items()}
            assert id_url(endpoint, **changed) == url_for(endpoint, **changed)


def test_values_differing_only_by_none_and_int_do_not_share_a_pattern(app):
    """A link without a page and one with a page are different shapes."""
    with app.test_request_context("/"):
        assert id_url("helpful.mark", post_id=1, page=None) == url_for("helpful.mark", post_id=1)
        assert id_url("helpful.mark", post_id=1, page=3) == url_for("helpful.mark", post_id=1, page=3)
