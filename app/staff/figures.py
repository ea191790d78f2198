"""The listening dashboard's figures, each one SQL aggregate (GROUP BY day, COUNT, a median by ORDER BY/OFFSET):
no rows are loaded into Python to be counted, so the page stays fast however many posts there are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Select, SQLColumnExpression, and_, case, func, or_, select

from app.extensions import db
from app.models import ContentStatus, HelpfulMark, Member, Post, Topic, Welcome
from app.models.moderation import ReviewItem, ReviewStatus
from app.staff.sqltime import as_date, day_of, seconds_between

PERIODS = (30, 90)
DAY = 86_400
TOP_CONTRIBUTORS = 10


@dataclass(frozen=True)
class Period:
    """The last `days` UTC calendar days, today included."""

    days: int
    now: datetime

    @property
    def start(self) -> datetime:
        return datetime.combine(self.now.date() - timedelta(days=self.days - 1), time.min, tzinfo=UTC)

    @property
    def day_list(self) -> list[date]:
        first = self.start.date()
        return [first + timedelta(days=n) for n in range(self.days)]


def daily_counts(
    period: Period, column: SQLColumnExpression[datetime], *where: ColumnElement[bool]
) -> list[tuple[date, int]]:
    """Rows per UTC day of `column` within the period, every day present (zero when nothing happened)."""
    day = day_of(column).label("day")
    query = select(day, func.count()).where(column >= period.start, column <= period.now, *where).group_by(day)
    counts = {as_date(row_day): n for row_day, n in db.session.execute(query)}
    return [(d, counts.get(d, 0)) for d in period.day_list]


def new_members(period: Period) -> list[tuple[date, int]]:
    return daily_counts(period, Member.created_at)


def new_topics(period: Period) -> list[tuple[date, int]]:
    """Published topics by the day they were started."""
    return daily_counts(period, Topic.created_at, Topic.status == ContentStatus.VISIBLE)


def replies(period: Period) -> list[tuple[date, int]]:
    """Published replies in published topics, by day."""
    return daily_counts(
        period,
        Post.created_at,
        ~Post.is_opening,
        Post.status == ContentStatus.VISIBLE,
        Post.topic.has(Topic.status == ContentStatus.VISIBLE),
    )


def answered_by_others() -> ColumnElement[bool]:
    """Join condition: a published reply to the topic from someone other than its author."""
    return and_(
        Post.topic_id == Topic.id,
        ~Post.is_opening,
        Post.status == ContentStatus.VISIBLE,
        or_(Post.author_id.is_(None), Topic.author_id.is_(None), Post.author_id != Topic.author_id),
    )


def first_replies(period: Period):  # noqa: ANN201 - a subquery
    """Each published topic started in the period, with the time of its first reply from someone else (or NULL)."""
    return (
        select(Topic.id, Topic.created_at, func.min(Post.created_at).label("first_reply_at"))
        .select_from(Topic)
        # Replies never predate their topic: bounding them by the period lets the index on posts.created_at
        # limit the join to the period's posts, however many older posts there are.
        .outerjoin(Post, and_(answered_by_others(), Post.created_at >= period.start))
        .where(Topic.status == ContentStatus.VISIBLE, Topic.created_at >= period.start, Topic.created_at <= period.now)
        .group_by(Topic.id, Topic.created_at)
        .subquery()
    )


def median(values: Select) -> float | None:
    """The median of a one-column query, portably: count, then average the middle one or two rows in SQL."""
    source = values.subquery()
    column = source.c[0]
    n = db.session.scalar(select(func.count()).select_from(source).where(column.is_not(None))) or 0
    if not n:
        return None
    middle = select(column).where(column.is_not(None)).order_by(column).offset((n - 1) // 2).limit(2 - n % 2)
    return db.session.scalar(select(func.avg(middle.subquery().c[0])))


def median_first_reply_seconds(period: Period) -> float | None:
    """How long a new topic waits for its first reply from someone else (topics still waiting left out)."""
    firsts = first_replies(period)
    return median(select(seconds_between(firsts.c.first_reply_at, firsts.c.created_at)))


@dataclass(frozen=True)
class Share:
    part: int
    whole: int

    @property
    def percent(self) -> float | None:
        return 100 * self.part / self.whole if self.whole else None


def answered_within_a_day(period: Period) -> Share:
    """Of the topics started in the period at least 24 hours ago, how many had a reply from someone else in time."""
    firsts = first_replies(period)
    waited = seconds_between(firsts.c.first_reply_at, firsts.c.created_at)
    in_time = func.coalesce(func.sum(case((waited <= DAY, 1), else_=0)), 0)
    query = select(in_time, func.count()).where(firsts.c.created_at <= period.now - timedelta(days=1))
    part, whole = db.session.execute(query).one()
    return Share(int(part or 0), int(whole or 0))


def open_review_items() -> int:
    return db.session.scalar(select(func.count()).where(ReviewItem.status == ReviewStatus.OPEN)) or 0


def median_decision_seconds(period: Period) -> float | None:
    """How long review items waited for a moderator's decision, for the decisions made in the period."""
    return median(
        select(seconds_between(ReviewItem.decided_at, ReviewItem.created_at)).where(
            ReviewItem.decided_at >= period.start, ReviewItem.decided_at <= period.now
        )
    )


def median_welcome_seconds(period: Period) -> float | None:
    """How long a new member's first published post waited for a mentor's welcome, for the welcomes in the period
    (measured from when the post was written: a held first post's wait for review counts too)."""
    return median(
        select(seconds_between(Welcome.welcomed_at, Post.created_at))
        .join(Post, Post.id == Welcome.post_id)
        .where(Welcome.welcomed_at >= period.start, Welcome.welcomed_at <= period.now)
    )


def most_helpful(period: Period, limit: int = TOP_CONTRIBUTORS) -> list[tuple[str, int]]:
    """Members whose replies got the most helpful marks in the period, most first."""
    marks = func.count(HelpfulMark.post_id).label("marks")
    query = (
        select(Member.display_name, marks)
        .select_from(HelpfulMark)
        .join(Member, Member.id == HelpfulMark.receiver_id)
        .where(HelpfulMark.created_at >= period.start, HelpfulMark.created_at <= period.now)
        .group_by(Member.id, Member.display_name)
        .order_by(marks.desc(), Member.display_name)
        .limit(limit)
    )
    return [(name, n) for name, n in db.session.execute(query)]


@dataclass(frozen=True)
class Dashboard:
    period: Period
    new_members: list[tuple[date, int]]
    new_topics: list[tuple[date, int]]
    replies: list[tuple[date, int]]
    median_first_reply: float | None
    answered_in_a_day: Share
    open_review_items: int
    median_decision: float | None
    median_welcome: float | None
    most_helpful: list[tuple[str, int]]


def dashboard(days: int, now: datetime) -> Dashboard:
    """Every figure of the dashboard for the last `days` days (a fixed number of queries)."""
    period = Period(days, now)
    return Dashboard(
        period,
        new_members(period),
        new_topics(period),
        replies(period),
        median_first_reply_seconds(period),
        answered_within_a_day(period),
        open_review_items(),
        median_decision_seconds(period),
        median_welcome_seconds(period),
        most_helpful(period),
    )
