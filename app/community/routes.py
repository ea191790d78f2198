"""Group, topic and post pages, and the forms that write to them."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app import permissions
from app.community import bp
from app.community.forms import MODERATOR_REASON_HELP, EditPostForm, FlagForm, ReplyForm, TopicForm
from app.community.queries import (
    count_topic_posts,
    group_or_404,
    group_topics,
    post_or_404,
    topic_posts,
)
from app.community.reading import note_read, reading_or_404, unread_target, with_read_state
from app.drafts import composing
from app.extensions import db, limiter
from app.guidelines.inline import accepted_guidelines
from app.models import Post, Topic
from app.notify.queries import group_follow_and_membership_or_404, topic_and_follow_or_404
from app.permissions import PUBLIC, SIGNED_IN, access
from app.resources.queries import group_resources
from app.services import ServiceError
from app.services.common.submissions import DuplicateSubmission
from app.services.community.groups import is_member_of, join_group, leave_group
from app.services.community.posting import Posted, delete_post, edit_post, reply, start_topic
from app.services.events.listing import group_next_events
from app.services.moderation.flags import flag_post
from app.services.moderation.settings import crisis_panel
from app.text.rendering import cook_markup
from app.web import drafts
from app.web.drafts import composer
from app.web.forms import apply_service_error
from app.web.nudges import nudge_step
from app.web.pagination import Page, make_page
from app.web.pictures import removed_ids, upload_limit, uploads_from
from app.web.preview import previewing
from app.web.submissions import to_first_submission

POSTING_LIMIT = "10 per minute; 100 per day"


def _me():  # noqa: ANN202
    return current_user._get_current_object() if current_user.is_authenticated else None


@bp.route("/g/<slug>")
@access(PUBLIC)
def group(slug: str):  # noqa: ANN201
    group, following, joined = group_follow_and_membership_or_404(slug, _me())
    permissions.ensure(_me(), "view_group", group)
    page = make_page(group.topic_count, current_app.config["TOPICS_PER_PAGE"])
    topics = db.session.scalars(with_read_state(group_topics(group, _me(), page.offset, page.per_page), _me())).all()
    return render_template(
        "community/group.html",
        group=group,
        topics=topics,
        page=page,
        joined=joined,
        resources=group_resources(group, _me()),
        group_events=group_next_events(group, _me(), joined=joined),
        following=following,
    )


@bp.route("/g/<slug>/join", methods=["POST"])
@access(SIGNED_IN)
def join(slug: str):  # noqa: ANN201
    group = group_or_404(slug)
    join_group(current_user, group)
    flash(_("You joined %(group)s. Welcome!", group=group.name), "success")
    return redirect(url_for(".group", slug=group.slug))


@bp.route("/g/<slug>/join-and-start", methods=["POST"])
@access(SIGNED_IN)
def join_and_start(slug: str):  # noqa: ANN201
    """One button for a member who wants to start a topic in a group they have not joined yet."""
    group = group_or_404(slug)
    permissions.ensure(current_user, "join_and_start_topic", group)
    join_group(current_user, group)
    flash(_("You joined %(group)s. Welcome!", group=group.name), "success")
    return redirect(url_for(".new_topic", slug=group.slug))


@bp.route("/g/<slug>/leave", methods=["POST"])
@access(SIGNED_IN)
def leave(slug: str):  # noqa: ANN201
    group = group_or_404(slug)
    leave_group(current_user, group)
    flash(_("You left %(group)s. Your posts stay where they are.", group=group.name), "info")
    return redirect(url_for(".group", slug=group.slug))


@bp.route("/g/<slug>/new", methods=["GET", "POST"])
@access(SIGNED_IN)
@composer("title", "body")
@limiter.limit(POSTING_LIMIT, methods=["POST"])
@upload_limit
def new_topic(slug: str):  # noqa: ANN201
    group = group_or_404(slug)
    composing.at("topic", group.id)
    refusal = permissions.why_not(current_user, "start_topic", (group, is_member_of(current_user, group)))
    if refusal == permissions.NOT_JOINED and permissions.can(current_user, "join_and_start_topic", group):
        # The way forward in place of a refusal; a form sent anyway is still refused (nothing is stored).
        page = render_template("community/join_to_start.html", group=group, refusal=refusal)
        return page, 403 if request.method == "POST" else 200
    if refusal not in (None, permissions.GUIDELINES_CHANGED):
        permissions.deny(refusal)
    form = TopicForm()
    drafts.restore(form)
    composing.fill(form, "topic", group.id)
    if (
        form.validate_on_submit()
        and accepted_guidelines(form, refusal)
        and (confirmed := nudge_step(form, group, f"{form.title.data or ''}\n\n{form.body.data or ''}")) is not None
    ):
        try:
            posted = start_topic(
                current_user,
                group,
                form.title.data or "",
                form.body.data or "",
                submission_key=form.once_key,
                pictures=uploads_from(form),
                confirmed=confirmed,
            )
        except ServiceError as error:
            apply_service_error(form, error)
        except DuplicateSubmission as first:
            return _to_first_submission(first)
        else:
            return _after_posting(posted, _("Your topic is posted."), new_topic=True)
    status = 422 if form.errors or form.form_errors or form.nudge else 200
    return render_template("community/new_topic.html", group=group, form=form, refusal=refusal), status


@bp.route("/t/<int:topic_id>")
@bp.route("/t/<int:topic_id>/<slug>")
@access(PUBLIC)
def topic(topic_id: int, slug: str | None = None):  # noqa: ANN201
    reading = reading_or_404(topic_id, _me())
    topic = reading.topic
    permissions.ensure_visible(_me(), topic)
    if slug != topic.slug:
        page, order, unread = request.args.get("page"), _post_order(), request.args.get("unread")
        url = url_for(".topic", topic_id=topic.id, slug=topic.slug, page=page, order=order, unread=unread)
        return redirect(url, 301)
    if request.args.get("unread") == "1" and reading.member is not None:
        target = unread_target(reading)
        return redirect(_anchor_url(topic, target) if target else url_for(".topic", topic_id=topic.id, slug=topic.slug))
    form = ReplyForm()
    drafts.restore(form, url_for(".reply_to", topic_id=topic.id))
    composing.at("reply", topic.id)
    composing.fill_with(form, reading.draft)
    return _render_topic(topic, form, follow=reading.follow, reading=reading)


@bp.route("/t/<int:topic_id>/reply", methods=["POST"])
@access(SIGNED_IN)
@composer("body", page=drafts.reply_page)
@limiter.limit(POSTING_LIMIT)
@upload_limit
def reply_to(topic_id: int):  # noqa: ANN201
    composing.at("reply", topic_id)
    topic, follow = topic_and_follow_or_404(topic_id, _me())
    permissions.ensure_visible(current_user, topic)
    form = ReplyForm()
    refusal = permissions.why_not(current_user, "reply", (topic, is_member_of(current_user, topic.group)))
    if (
        form.validate_on_submit()
        and accepted_guidelines(form, refusal)
        and (confirmed := nudge_step(form, topic.group, form.body.data or "")) is not None
    ):
        try:
            posted = reply(
                current_user,
                topic,
                form.body.data or "",
                submission_key=form.once_key,
                pictures=uploads_from(form),
                confirmed=confirmed,
            )
        except ServiceError as error:
            apply_service_error(form, error)
        except DuplicateSubmission as first:
            return _to_first_submission(first)
        else:
            return _after_posting(posted, None)
    # Show the form again, with the member's words and what to fix (or their preview), on the topic's last page.
    return _render_topic(topic, form, last_page=True, follow=follow), 200 if previewing() else 422


def _render_topic(topic, form: ReplyForm, last_page: bool = False, follow=None, reading=None) -> str:  # noqa: ANN001
    """The topic page; when `reading` (a page view, not a form shown again), what it shows counts as read."""
    per_page = current_app.config["POSTS_PER_PAGE"]
    total = count_topic_posts(topic, _me())
    page = Page(-(-total // per_page) or 1, per_page, total) if last_page else make_page(total, per_page)
    order = _post_order() if not last_page else None
    posts = topic_posts(topic, _me(), page.offset, page.per_page, order or "oldest")
    joined = reading.joined if reading is not None else is_member_of(_me(), topic.group)
    html = render_template(
        "community/topic.html",
        topic=topic,
        posts=posts,
        page=page,
        joined=joined,
        reply_refusal=permissions.why_not(_me(), "reply", (topic, joined)),
        form=form,
        order=order,
        follow=follow,  # the reader's TopicFollow row, for the follow and mute buttons
    )
    if reading is not None and order is None:  # read in order: the page's newest post marks how far they have read
        note_read(reading, posts)  # after rendering: its commit must not expire what the page still reads
    return html


def _post_order() -> str | None:
    """`?order=helpful` reads a topic most helpful first; anything else is the usual oldest first."""
    return "helpful" if request.args.get("order") == "helpful" else None


@bp.route("/p/<int:post_id>")
@access(PUBLIC)
def post(post_id: int):  # noqa: ANN201
    post = post_or_404(post_id)
    permissions.ensure_visible(_me(), post)
    return redirect(_post_url(post))


@bp.route("/p/<int:post_id>/edit", methods=["GET", "POST"])
@access(SIGNED_IN)
@composer("title", "body")
@limiter.limit(POSTING_LIMIT, methods=["POST"])
@upload_limit
def edit(post_id: int):  # noqa: ANN201
    post = post_or_404(post_id)
    composing.at("edit", post.id)
    permissions.ensure_visible(current_user, post)
    permissions.ensure(current_user, "edit_post", post)
    form = EditPostForm(data={"title": post.topic.title, "body": post.raw})
    if post.author_id != current_user.id:
        form.reason.description = MODERATOR_REASON_HELP
    drafts.restore(form)
    composing.fill(form, "edit", post.id)
    title = form.title.data if post.is_opening else None
    if (
        form.validate_on_submit()
        and (confirmed := nudge_step(form, post.topic.group, *_edited_texts(post, title, form.body.data))) is not None
    ):
        try:
            pictures, remove = uploads_from(form), removed_ids(form)
            posted = edit_post(
                current_user,
                post,
                form.body.data or "",
                title,
                form.reason.data or "",
                pictures=pictures,
                remove=remove,
                confirmed=confirmed,
            )
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            return _after_posting(posted, _("Your changes are saved."))
    status = 422 if form.errors or form.form_errors or form.nudge else 200
    return render_template("community/edit_post.html", post=post, form=form), status


def _edited_texts(post: Post, title: str | None, body: str | None) -> tuple[str, str]:
    """The edited text and the text before, as the nudges read them (an edit is asked only about what it adds)."""
    before = f"{post.topic.title}\n\n{post.raw}" if post.is_opening else post.raw
    after = f"{title or ''}\n\n{body or ''}" if post.is_opening else body or ""
    return after, before


@bp.route("/p/<int:post_id>/delete", methods=["POST"])
@access(SIGNED_IN)
def delete(post_id: int):  # noqa: ANN201
    post = post_or_404(post_id)
    permissions.ensure_visible(current_user, post)
    group_slug, topic_id = post.topic.group.slug, post.topic_id
    gone = delete_post(current_user, post)
    flash(_("Your post was removed."), "info")
    if gone:
        topic = db.session.get(Topic, topic_id)
        if topic is None or not permissions.can(current_user, "view_topic", topic):
            return redirect(url_for(".group", slug=group_slug))
        return redirect(url_for(".topic", topic_id=topic.id, slug=topic.slug))
    if not permissions.can(current_user, "view_topic", post.topic):
        return redirect(url_for(".group", slug=post.topic.group.slug))
    return redirect(_post_url(post))


def _to_first_submission(first: DuplicateSubmission):  # noqa: ANN202
    """The same form arrived twice (a double click, a resend): show what the first one created."""
    return to_first_submission(url_for(".post", post_id=first.target_id) if first.target_id is not None else None)


def _after_posting(posted: Posted, published_message: str | None, *, new_topic: bool = False):  # noqa: ANN202
    """Where a member lands after posting: the crisis-support panel first when it may be needed."""
    if posted.verdict.urgent:
        panel = crisis_panel(str(get_locale()), current_app.config["DEFAULT_LOCALE"])
        return render_template("community/crisis.html", post=posted.post, panel=cook_markup(panel))
    if posted.held:
        flash(
            "Thank you. Your post is waiting for a moderator and will appear once it is approved. "
            "Until then only you can see it.",
            "info",
        )
    elif published_message:
        flash(published_message, "success")
    if new_topic:
        return redirect(url_for(".topic", topic_id=posted.topic.id, slug=posted.topic.slug))
    return redirect(_post_url(posted.post))


@bp.route("/p/<int:post_id>/flag", methods=["GET", "POST"])
@access(SIGNED_IN)
@limiter.limit("20 per hour", methods=["POST"])
def flag(post_id: int):  # noqa: ANN201
    post = post_or_404(post_id)
    permissions.ensure_visible(current_user, post)
    if permissions.why_not(current_user, "flag_post", post) == permissions.OWN_POST_FLAG:
        # Not an error, just not how one's own words are dealt with: say so on the post itself.
        flash(permissions.OWN_POST_FLAG, "info")
        return redirect(_post_url(post))
    permissions.ensure(current_user, "flag_post", post)
    form = FlagForm()
    if form.validate_on_submit():
        try:
            flag_post(current_user, post, form.reason.data or "", form.details.data or "")
        except ServiceError as error:
            apply_service_error(form, error)
        else:
            flash(_("Thank you. The moderators will look at this post."), "success")
            return redirect(
                _post_url(post)
                if permissions.can(current_user, "view_post", post)
                else url_for(".topic", topic_id=post.topic_id, slug=post.topic.slug)
            )
    status = 422 if form.errors or form.form_errors else 200
    return render_template("community/flag.html", post=post, form=form), status


def _post_url(post: Post) -> str:
    """The topic page and anchor where this post appears for the current reader."""
    return _anchor_url(post.topic, post.id)


def _anchor_url(topic: Topic, post_id: int) -> str:
    before = count_topic_posts(topic, _me(), before_id=post_id)
    page = before // current_app.config["POSTS_PER_PAGE"] + 1
    args = {"page": page} if page > 1 else {}
    return url_for(".topic", topic_id=topic.id, slug=topic.slug, _anchor=f"p{post_id}", **args)
