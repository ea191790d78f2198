"""The embeddable card /embed/p/<id>: its own small page, the only one other sites may frame."""

from __future__ import annotations

from flask import Flask

from tests.factories import make_member
from tests.sharing.conftest import Shared, consenting, shared_topic
from tests.support import browser, page_text, soup


def test_embed_is_a_small_page_of_its_own(app: Flask, shared: Shared) -> None:
    """The card shows the group, title, text and the consenting author, its own stylesheet, no site header, no
    script and no form, and a "Read on Kindred" link opening the post in a new tab."""
    response = browser(app).get(f"/embed/p/{shared.post.id}")
    assert response.status_code == 200
    html = soup(response)
    assert html.select("header.site-header, nav, form, script") == []
    assert [link["href"].split("?")[0] for link in html.find_all("link", rel="stylesheet")] == ["/static/embed.css"]
    text = page_text(response)
    assert "Walking a little every morning" in text
    assert "Recovering from surgery" in text and "Rosa Lindqvist" in text
    read_on = html.find("a", string="Read on Kindred")
    assert read_on["href"] == f"http://localhost/p/{shared.post.id}"
    assert read_on["target"] == "_blank"
    assert "noopener" in read_on["rel"]


def test_embed_without_consent_to_the_name_does_not_name(app: Flask) -> None:
    """Consent to reposting but not to the name: the embed says nothing of who wrote it."""
    thread = shared_topic(consenting("Quiet Reader", with_name=False))
    assert "Quiet Reader" not in browser(app).get(f"/embed/p/{thread.post.id}").get_data(as_text=True)


def test_only_the_embed_relaxes_frame_ancestors(app: Flask, shared: Shared) -> None:
    """The embed may be framed anywhere (frame-ancestors *, no X-Frame-Options); the topic page, the card and a
    refused embed keep frame-ancestors 'none' and X-Frame-Options DENY."""
    client = browser(app)
    embed = client.get(f"/embed/p/{shared.post.id}")
    policy = embed.headers["Content-Security-Policy"]
    assert "frame-ancestors *" in policy
    assert "script-src" not in policy and "default-src 'none'" in policy
    assert "X-Frame-Options" not in embed.headers
    refused = shared_topic(make_member()).post.id
    for path in (f"/t/{shared.topic.id}/{shared.topic.slug}", f"/p/{shared.post.id}/card.png", f"/embed/p/{refused}"):
        response = client.get(path)
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], path
        assert response.headers["X-Frame-Options"] == "DENY", path


def test_embed_sets_no_cookie(app: Flask, shared: Shared) -> None:
    """A framed page on another site starts no session of ours."""
    assert "Set-Cookie" not in browser(app).get(f"/embed/p/{shared.post.id}").headers
