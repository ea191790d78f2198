"""Chart geometry for server-rendered SVG: the template draws the rectangles, nothing runs in the browser."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel.dates import format_skeleton
from flask_babel import format_date, get_locale
from flask_babel import gettext as _

WIDTH, HEIGHT = 640, 180
LEFT, BOTTOM, TOP = 40, 24, 10  # room for the axis labels


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    day: date
    label: str  # "3 on Nov 1, 2026" in the page's language, the bar's tooltip


@dataclass(frozen=True)
class Chart:
    title: str
    width: int
    height: int
    bars: list[Bar]
    top_value: int  # the value of the top grid line
    x_labels: list[tuple[float, str]]
    plot_left: int = LEFT
    plot_bottom: int = HEIGHT - BOTTOM
    plot_top: int = TOP

    @property
    def total(self) -> int:
        return sum(bar.value for bar in self.bars)


def nice_top(value: int) -> int:
    """A round number at or above the largest value, for the top grid line (1, 2, 5, 10, 20, 50...)."""
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            if step * magnitude >= value:
                return step * magnitude
        magnitude *= 10


def _short_day(day: date) -> str:
    """Day and month without the year, in the locale's order ("Nov 1", "1 nov"), for the axis."""
    return format_skeleton("MMMd", day, locale=get_locale())


def bar_chart(title: str, series: list[tuple[date, int]]) -> Chart:
    """Vertical bars, one per day, scaled to a round top value; first, middle and last days labelled."""
    top = nice_top(max((count for _day, count in series), default=0))
    plot_width, plot_height = WIDTH - LEFT, HEIGHT - BOTTOM - TOP
    slot = plot_width / max(1, len(series))
    bars = []
    for n, (day, value) in enumerate(series):
        height = plot_height * value / top
        bars.append(
            Bar(
                x=round(LEFT + n * slot + slot * 0.1, 2),
                y=round(HEIGHT - BOTTOM - height, 2),
                width=round(slot * 0.8, 2),
                height=round(height, 2),
                value=value,
                day=day,
                label=_("%(count)d on %(day)s", count=value, day=format_date(day, "medium")),
            )
        )
    marks = sorted({0, len(series) // 2, len(series) - 1}) if series else []
    x_labels = [(round(LEFT + (n + 0.5) * slot, 2), _short_day(series[n][0])) for n in marks]
    return Chart(title, WIDTH, HEIGHT, bars, top, x_labels)
