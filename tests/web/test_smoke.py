"""The pages a first visitor sees."""

from tests.factories import make_group, make_topic


def test_home_lists_groups_with_counts(client):
    """The home page shows every group with its topic count."""
    group = make_group(name="Heart health")
    make_topic(group=group)
    page = client.get("/").get_data(as_text=True)
    assert "Heart health" in page
    assert "1 topic" in page


def test_healthz_reports_database_ok(client):
    """/healthz answers ok when the database is reachable."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}
