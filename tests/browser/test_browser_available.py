"""Reports whether the browser tests can run here: skipped with the reason, or failed when CI requires them."""


def test_chromium_starts(browser) -> None:  # noqa: ANN001
    """Headless Chromium starts and renders a page."""
    page = browser.new_page()
    page.set_content("<title>ok</title><p>Kindred</p>")
    assert page.title() == "ok"
    page.close()
