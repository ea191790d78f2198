"""An independent oEmbed consumer (micawber, from PyPI) fetches our provider over real HTTP and parses its answer."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from micawber import Provider, ProviderRegistry, parse_text
from micawber.exceptions import ProviderHTTPException

from tests.factories import make_member
from tests.served import served
from tests.sharing.conftest import Shared, shared_topic

pytestmark = pytest.mark.once  # starts a server


def registry_for(port: int) -> ProviderRegistry:
    """micawber's registry with our site as the provider of its post and topic addresses."""
    registry = ProviderRegistry()
    registry.register(
        rf"http://127\.0\.0\.1:{port}/(p|t)/\d+.*", Provider(f"http://127.0.0.1:{port}/oembed", timeout=10)
    )
    return registry


def test_micawber_reads_our_rich_embed(app: Flask, shared: Shared) -> None:
    """micawber finds the provider by URL, fetches /oembed, and gets the iframe, the title and the named author."""
    with served(app) as server:
        url = f"http://127.0.0.1:{server.port}/p/{shared.post.id}"
        data = registry_for(server.port).request(url, maxwidth=480)
    assert data["type"] == "rich"
    assert data["title"] == shared.topic.title
    assert data["author_name"] == "Rosa Lindqvist"
    assert data["width"] <= 480
    iframe = BeautifulSoup(data["html"], "html.parser").find("iframe")
    assert iframe["src"] == f"http://127.0.0.1:{server.port}/embed/p/{shared.post.id}"


def test_micawber_embeds_a_topic_link_in_text(app: Flask, shared: Shared) -> None:
    """micawber's own text parser turns a bare topic link in a paragraph into our iframe."""
    with served(app) as server:
        url = f"http://127.0.0.1:{server.port}/t/{shared.topic.id}/{shared.topic.slug}"
        html = parse_text(f"Look at this:\n{url}\n", registry_for(server.port))
    assert re.search(rf'<iframe src="http://127\.0\.0\.1:{server.port}/embed/p/{shared.post.id}"', html)


def test_micawber_gets_404_without_consent(app: Flask) -> None:
    """A post whose author did not agree: micawber's request fails with the provider's 404."""
    thread = shared_topic(make_member())
    with served(app) as server, pytest.raises(ProviderHTTPException) as refused:
        registry_for(server.port).request(f"http://127.0.0.1:{server.port}/p/{thread.post.id}")
    assert "404" in str(refused.value)
    refused.value.__cause__.close()  # micawber keeps the urllib error, and with it the open connection
