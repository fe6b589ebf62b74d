"""Bar charts drawn on the server as SVG: no script and no outside library, readable by a
screen reader (a title and a description, and each bar's label and value as text), and
always shown beside a table of the same figures (WCAG 1.1.1, 1.4.1).

This module only does the geometry; the template `frontend/staff/_bar_chart.html` writes
the markup, so every label is escaped by the template engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

WIDTH = 540
LABEL_WIDTH = 170
VALUE_WIDTH = 90
ROW_HEIGHT = 26
BAR_HEIGHT = 18
PADDING = 8


@dataclass(frozen=True)
class Bar:
    label: str
    text: str  # the value as the table shows it
    x: float
    y: float
    width: float
    text_x: float
    text_y: float
    label_y: float


@dataclass(frozen=True)
class BarChart:
    chart_id: str
    title: str
    description: str
    bars: list[Bar]
    width: int
    height: int
    baseline_x: float
    label_x: int = LABEL_WIDTH - 8
    bar_height: int = BAR_HEIGHT


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    items: Sequence[tuple[str, Decimal, str]],
    full_scale: Decimal | None = None,
) -> BarChart:
    """Horizontal bars, one per (label, value, text); a negative value (a month of credit
    notes) draws to the left of the zero line. `full_scale` is the value a full-length bar
    stands for (100 for percentages) unless a value is larger; else the largest value."""
    values = [value for _label, value, _text in items]
    low = min([Decimal(0), *values])
    high = max([Decimal(0), full_scale or Decimal(0), *values])
    span = (high - low) or Decimal(1)
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    scale = float(plot) / float(span)
    baseline = LABEL_WIDTH + float(-low) * scale
    bars = []
    for index, (label, value, text) in enumerate(items):
        top = PADDING + index * ROW_HEIGHT
        length = abs(float(value)) * scale
        x = baseline if value >= 0 else baseline - length
        bars.append(
            Bar(
                label=label,
                text=text,
                x=round(x, 1),
                y=top,
                width=round(length, 1),
                text_x=round(max(baseline, x + length) + 6, 1),
                text_y=top + BAR_HEIGHT - 4,
                label_y=top + BAR_HEIGHT - 4,
            )
        )
    height = PADDING * 2 + max(1, len(items)) * ROW_HEIGHT
    return BarChart(chart_id, title, description, bars, WIDTH, height, round(baseline, 1))
