"""The oEmbed provider /oembed and its discovery link: a `rich` iframe of /embed/p/<id>, with the author's consent."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from flask import Flask

from app.extensions import db
from app.models import ContentStatus, ProfileVisibility
from tests.factories import make_member, make_post
from tests.sharing.conftest import Shared, consenting, shared_topic
from tests.support import browser, soup


def oembed(app: Flask, url: str, **params: object):  # noqa: ANN201
    return browser(app).get("/oembed?" + urlencode({"url": url, "format": "json", **params}))


def post_url(post_id: int) -> str:
    return f"http://localhost/p/{post_id}"


def test_answers_a_rich_embed_of_the_iframe(app: Flask, shared: Shared) -> None:
    """A post's URL gets a `rich` oEmbed 1.0 answer: an iframe of /embed/p/<id> at the stated size, its title, the
    provider, the author who agreed to be named, and the card as thumbnail."""
    response = oembed(app, post_url(shared.post.id))
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    data = response.get_json()
    assert data["type"] == "rich"
    assert data["version"] == "1.0"
    assert data["title"] == shared.topic.title
    assert data["provider_name"] == "Kindred"
    assert data["provider_url"] == "http://localhost/"
    assert data["author_name"] == "Rosa Lindqvist"
    assert data["author_url"] == "http://localhost/u/Rosa%20Lindqvist"
    assert data["thumbnail_url"] == f"http://localhost/p/{shared.post.id}/card.png"
    assert (data["thumbnail_width"], data["thumbnail_height"]) == (1200, 630)
    iframe = BeautifulSoup(data["html"], "html.parser").find("iframe")
    assert iframe["src"] == f"http://localhost/embed/p/{shared.post.id}"
    assert (int(iframe["width"]), int(iframe["height"])) == (data["width"], data["height"])


def test_topic_url_embeds_its_opening_post(app: Flask, shared: Shared) -> None:
    """The topic's own address (with or without its slug) embeds the opening post."""
    for url in (f"http://localhost/t/{shared.topic.id}", f"http://localhost/t/{shared.topic.id}/{shared.topic.slug}"):
        data = oembed(app, url).get_json()
        assert f"/embed/p/{shared.post.id}" in data["html"]


def test_maxwidth_and_maxheight_are_honoured(app: Flask, shared: Shared) -> None:
    """The iframe fits within maxwidth × maxheight, and a thumbnail that would not fit is left out."""
    data = oembed(app, post_url(shared.post.id), maxwidth=400, maxheight=250).get_json()
    assert data["width"] <= 400
    assert data["height"] <= 250
    assert "thumbnail_url" not in data
    iframe = BeautifulSoup(data["html"], "html.parser").find("iframe")
    assert (iframe["width"], iframe["height"]) == (str(data["width"]), str(data["height"]))


@pytest.mark.parametrize("value", ["²", "-5", "0", "1e9", "99999999999", "١٢٣", "abc", ""])
def test_odd_maxwidth_is_ignored(app: Flask, shared: Shared, value: str) -> None:
    """A maxwidth or maxheight that is not a plain positive number is ignored: the default size, never a 500."""
    data = oembed(app, post_url(shared.post.id), maxwidth=value, maxheight=value).get_json()
    assert (data["width"], data["height"]) == (550, 320)


@pytest.mark.server_error  # 501 is the spec's answer, not a failure
def test_xml_format_is_not_implemented(app: Flask, shared: Shared) -> None:
    """format=xml answers 501, as the spec asks of a provider without that format."""
    assert oembed(app, post_url(shared.post.id), format="xml").status_code == 501


def test_author_without_consent_to_the_name_is_not_named(app: Flask) -> None:
    """Consent to reposting without the name: the embed is offered, with no author_name or author_url at all."""
    thread = shared_topic(consenting("Quiet Reader", with_name=False))
    data = oembed(app, post_url(thread.post.id)).get_json()
    assert "author_name" not in data and "author_url" not in data
    assert "Quiet Reader" not in str(data)


def test_members_only_profile_is_named_without_its_link(app: Flask) -> None:
    """A named author whose profile only members see: the name goes, the profile link a visitor could not open
    does not."""
    author = consenting("Named Person")
    author.profile_visibility = ProfileVisibility.MEMBERS
    db.session.commit()
    data = oembed(app, post_url(shared_topic(author).post.id)).get_json()
    assert data["author_name"] == "Named Person"
    assert "author_url" not in data


def _refused_post(case: str) -> int:
    if case == "no consent":
        return shared_topic(make_member(display_name="Not Asked")).post.id
    if case == "members-only":
        return shared_topic(consenting(), members_only=True).post.id
    topic = shared_topic(consenting()).topic
    return make_post(topic=topic, author=consenting("Other One"), status=ContentStatus(case)).id


@pytest.mark.parametrize("case", ["no consent", "members-only", "pending", "hidden", "rejected"])
def test_refused_posts_answer_404(app: Flask, case: str) -> None:
    """Without the author's consent, in a members-only group, or not published: 404, the same as no post."""
    post_id = _refused_post(case)
    assert oembed(app, post_url(post_id)).status_code == 404
    assert browser(app).get(f"/embed/p/{post_id}").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost/p/999999",
        "http://elsewhere.example/p/1",
        "javascript:alert(1)",
        "http://localhost/g/some-group",
        "",
        "http://localhost/p/1/../../admin",
    ],
)
def test_other_urls_answer_404(app: Flask, shared: Shared, url: str) -> None:
    """Unknown posts, other sites' addresses, other pages of ours and nonsense: 404."""
    assert oembed(app, url).status_code == 404


def test_discovery_link_in_the_topic_page_head(app: Flask, shared: Shared) -> None:
    """The topic page's head links to the oEmbed answer for its opening post, as JSON."""
    link = soup(browser(app).get(f"/t/{shared.topic.id}/{shared.topic.slug}")).find(
        "link", type="application/json+oembed"
    )
    assert link is not None and link.parent.name == "head"
    href = link["href"]
    assert href.startswith("http://localhost/oembed?")
    assert browser(app).get(href).get_json()["type"] == "rich"


def test_no_discovery_link_without_consent(app: Flask) -> None:
    """A public topic whose author did not agree to reposting offers no oEmbed (but still its share card)."""
    thread = shared_topic(make_member())
    html = soup(browser(app).get(f"/t/{thread.topic.id}/{thread.topic.slug}"))
    assert html.find("link", type="application/json+oembed") is None
    assert html.find("meta", property="og:image") is not None
