"""A model's timeline as a small SVG drawn on the server: one mark per dated item on a line of
years, today marked. No script and no inline style (the CSP allows neither): presentation is
classes, styled by the stylesheet. It is one image to assistive technology (its description
counts the items by status); the items table beside it carries every fact in text, with the
links."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from markupsafe import Markup, escape

from notifier.core.items import Item

WIDTH, LANE, TOP, AXIS_GAP = 720, 16, 14, 20
LEFT, RIGHT = 24, 24
LANES = 4
# A shape per status, so the chart does not rely on colour alone.
SHAPES = {
    "overdue": "M0,-6 L6,0 L0,6 L-6,0 Z",
    "due-soon": "M0,-6 L6,5 L-6,5 Z",
    "upcoming": "M-5,0 A5,5 0 1,0 5,0 A5,5 0 1,0 -5,0 Z",
    "done": "M-5,0 A5,5 0 1,0 5,0 A5,5 0 1,0 -5,0 Z",
}


def timeline_svg(items: Sequence[Item], today: date, title: str) -> Markup:
    dated = sorted((i for i in items if i.due is not None), key=lambda i: i.sort_key)
    if not dated:
        return Markup("")
    first = min(min(i.due for i in dated if i.due), today)
    last = max(max(i.due for i in dated if i.due), today)
    start, end = date(first.year, 1, 1), date(last.year + 1, 1, 1)
    span = (end - start).days

    def x(day: date) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (day - start).days / span

    axis_y = TOP + LANES * LANE + 4
    height = axis_y + AXIS_GAP + 12
    counts: dict[str, int] = {}
    marks = []
    lane_end = [-1e9] * LANES
    for item in dated:
        assert item.due is not None
        counts[item.status] = counts.get(item.status, 0) + 1
        at = x(item.due)
        lane = next((n for n in range(LANES) if at - lane_end[n] >= 12), LANES - 1)
        lane_end[lane] = at
        y = axis_y - 10 - lane * LANE
        shape = SHAPES.get(item.status, SHAPES["upcoming"])
        marks.append(
            f'<g class="mark status-{escape(item.status)}">'
            f'<path transform="translate({at:.1f},{y})" d="{shape}"/>'
            "</g>"
        )
    ticks = []
    for year in range(start.year, end.year + 1):
        tx = x(date(year, 1, 1))
        ticks.append(
            f'<line class="tick" x1="{tx:.1f}" x2="{tx:.1f}" y1="{axis_y}" y2="{axis_y + 5}"/>'
        )
        if year < end.year:
            mid = x(date(year, 7, 1))
            ticks.append(
                f'<text class="year" x="{mid:.1f}" y="{axis_y + 17}" '
                f'text-anchor="middle">{year}</text>'
            )
    now_x = x(today)
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    description = f"{len(dated)} dated items ({summary}); today is {today.isoformat()}."
    return Markup(
        f'<svg class="timeline-chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-title">{escape(title)}</title>'
        f'<desc id="chart-desc">{escape(description)}</desc>'
        f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{axis_y}" y2="{axis_y}"/>'
        + "".join(ticks)
        + f'<line class="today" x1="{now_x:.1f}" x2="{now_x:.1f}" '
        f'y1="{TOP - 10}" y2="{axis_y + 5}"/>'
        f'<text class="today-label" x="{now_x + 3:.1f}" y="{TOP - 2}">today</text>'
        + "".join(marks)
        + "</svg>"
    )
