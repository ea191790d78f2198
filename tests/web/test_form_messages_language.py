"""WTForms' own messages (a date it cannot read, say) come in the reader's language, request after request."""

from __future__ import annotations

from flask import Flask

from app.models import Role
from tests.factories import make_member
from tests.support import browser, page_text


def test_a_field_the_form_cannot_read_is_explained_in_the_readers_language(app: Flask) -> None:
    """A Spanish and then a German member type a date the form cannot read: each is told so in their language."""
    for locale, message in (("es", "No es una fecha válida."), ("de", "Kein gültiges Datum."), ("es", "No es")):
        staff = browser(app, make_member(role=Role.STAFF, locale=locale))
        response = staff.post_form("/staff/announcements", {"body": "Hola a todos", "ends_on": "mañana"})
        assert response.status_code == 422
        assert message in page_text(response)
