"""Chart geometry for server-rendered SVG: the template draws the rectangles, nothing runs in the browser."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

WIDTH, HEIGHT = 640, 180
LEFT, BOTTOM, TOP = 40, 24, 10  # room for the axis labels


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    label: str  # "3 on 1 Nov 2026", the bar's tooltip


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


def bar_chart(title: str, series: list[tuple[date, int]]) -> Chart:
    """Vertical bars, one per day, scaled to a round top value; first, middle and last days labelled."""
    top = nice_top(max((value for _, value in series), default=0))
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
                label=f"{value} on {day.strftime('%d %b %Y')}",
            )
        )
    marks = sorted({0, len(series) // 2, len(series) - 1}) if series else []
    x_labels = [(round(LEFT + (n + 0.5) * slot, 2), series[n][0].strftime("%d %b")) for n in marks]
    return Chart(title, WIDTH, HEIGHT, bars, top, x_labels)
