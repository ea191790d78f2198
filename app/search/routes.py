"""The search page: `/search?q=…` with filters, ranked results, highlighted snippets and pages."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not in types-WTForms 3.2

from app.extensions import limiter
from app.permissions import PUBLIC, access
from app.search import bp
from app.search.forms import SearchForm
from app.search.queries import Criteria, Results, search_posts, searchable_groups
from app.search.snippets import highlight_title, snippet
from app.search.syntax import parse
from app.web.pagination import Page, requested_page

RESULTS_PER_PAGE = 20


def _me():  # noqa: ANN202
    return current_user._get_current_object() if current_user.is_authenticated else None


@bp.route("/search")
@access(PUBLIC)
@limiter.limit("60 per minute")  # reading is free, harvesting the community through search is not
def search():  # noqa: ANN201
    groups = searchable_groups(_me())
    form = SearchForm(request.args)
    form.group.choices = [SelectChoice("", _("All groups")), *(SelectChoice(g.slug, g.name) for g in groups)]
    query = parse(form.q.data)
    results, page = Results([], 0), None
    if query and form.validate():
        number = requested_page()
        criteria = Criteria(
            query=query,
            group_id=next((g.id for g in groups if g.slug == form.group.data), None),
            author_key=form.author_key(),
            since=form.since(),
            until=form.until(),
            topics_only=bool(form.topics.data),
        )
        results = search_posts(criteria, _me(), (number - 1) * RESULTS_PER_PAGE, RESULTS_PER_PAGE)
        page = Page(number, RESULTS_PER_PAGE, results.total).ensure_exists()
    return render_template(
        "search/search.html",
        form=form,
        query=query,
        results=results,
        page=page,
        page_args=_page_args(),
        highlight_title=highlight_title,
        snippet=snippet,
    )


def _page_args() -> dict[str, str]:
    """The query string of this search, for the links to the other pages of results."""
    keep = ("q", "group", "author", "from", "to", "topics")
    return {name: request.args[name] for name in keep if request.args.get(name)}
