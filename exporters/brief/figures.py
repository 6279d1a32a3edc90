"""The summary's figures, drawn from the case alone: no tiles, no network.

The map is a plain frame in an equirectangular projection (longitude scaled by the
cosine of the middle latitude, so distances look right locally) with latitude and
longitude ticks, a scale bar, and the incidents as numbered points. The timeline puts
each incident on a date axis (a bar for a span), or counts per period when there are
too many incidents to label.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String

from exporters.brief.fonts import SANS, SANS_BOLD
from exporters.brief.styles import INK, MUTED, OPEN, RULE, STRIPE_FILL

_LABEL_SIZE = 6.5
_KM_PER_DEGREE = 111.32
# More incidents than this make a histogram instead of labelled points.
MAX_LABELLED = 40
_LANE = 13.0
# Month names written out here: strftime's depend on the locale.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_XOf = Callable[[date], float]


@dataclass(frozen=True)
class MapPoint:
    number: int
    latitude: float
    longitude: float


@dataclass(frozen=True)
class TimelineEvent:
    number: int
    first: date
    last: date


def _drawing(width: float, height: float) -> Drawing:
    drawing = Drawing(width, height)
    # The renderer starts from this font; its default (Helvetica) is not embedded.
    drawing.initialFontName = SANS
    return drawing


def _nice_step(span: float, ticks: int = 5) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about ``ticks`` ticks."""
    raw = span / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def _decimals(step: float) -> int:
    return max(0, -math.floor(math.log10(step) + 1e-9))


def _ticks(low: float, high: float, step: float) -> list[float]:
    first = math.ceil(low / step - 1e-9) * step
    count = math.floor((high - first) / step + 1e-9) + 1
    return [first + i * step for i in range(max(count, 0))]


def _degrees(value: float, positive: str, negative: str, decimals: int) -> str:
    hemisphere = positive if value >= 0 else negative
    return f"{abs(value):.{decimals}f}°{hemisphere}"


def incident_map(points: Sequence[MapPoint], width: float, height: float) -> Drawing:
    """The points on a frame ``width`` x ``height`` points large."""
    left, bottom, top, right = 44.0, 16.0, 6.0, 6.0
    plot_w, plot_h = width - left - right, height - bottom - top
    lats = [p.latitude for p in points]
    lons = [p.longitude for p in points]
    mid_lat = (min(lats) + max(lats)) / 2
    squeeze = max(math.cos(math.radians(mid_lat)), 0.05)
    # Degrees shown: the points' extent with a margin, at least ~2 km either way.
    lat_span = max((max(lats) - min(lats)) * 1.25, 0.04)
    lon_span = max((max(lons) - min(lons)) * 1.25, 0.04 / squeeze)
    points_per_degree = min(plot_w / (lon_span * squeeze), plot_h / lat_span)
    lat_span = plot_h / points_per_degree
    lon_span = plot_w / (points_per_degree * squeeze)
    lat0 = mid_lat - lat_span / 2
    lon0 = (min(lons) + max(lons)) / 2 - lon_span / 2

    def x_of(lon: float) -> float:
        return left + (lon - lon0) * points_per_degree * squeeze

    def y_of(lat: float) -> float:
        return bottom + (lat - lat0) * points_per_degree

    drawing = _drawing(width, height)
    drawing.add(Rect(left, bottom, plot_w, plot_h, strokeColor=MUTED, fillColor=STRIPE_FILL))
    for axis_low, axis_span, along_x in ((lon0, lon_span, True), (lat0, lat_span, False)):
        step = _nice_step(axis_span)
        decimals = _decimals(step)
        for tick in _ticks(axis_low, axis_low + axis_span, step):
            if along_x:
                x = x_of(tick)
                drawing.add(Line(x, bottom, x, bottom + plot_h, strokeColor=RULE, strokeWidth=0.3))
                drawing.add(Line(x, bottom - 3, x, bottom, strokeColor=MUTED, strokeWidth=0.5))
                label = _degrees(tick, "E", "W", decimals)
                drawing.add(_label(x, bottom - 10, label, "middle"))
            else:
                y = y_of(tick)
                drawing.add(Line(left, y, left + plot_w, y, strokeColor=RULE, strokeWidth=0.3))
                drawing.add(Line(left - 3, y, left, y, strokeColor=MUTED, strokeWidth=0.5))
                label = _degrees(tick, "N", "S", decimals)
                drawing.add(_label(left - 5, y - 2, label, "end"))
    _scale_bar(drawing, left + 8, bottom + 8, lon_span * squeeze * _KM_PER_DEGREE, plot_w)
    labelled = len(points) <= MAX_LABELLED  # more numbers than that only cover each other
    for point in points:
        x, y = x_of(point.longitude), y_of(point.latitude)
        radius = 3 if labelled else 2
        drawing.add(Circle(x, y, radius, fillColor=OPEN, strokeColor=INK, strokeWidth=0.4))
        if labelled:
            label = String(x + 4.5, y + 2.5, str(point.number), fontName=SANS_BOLD, fontSize=7)
            label.fillColor = INK
            drawing.add(label)
    return drawing


def _scale_bar(drawing: Drawing, x: float, y: float, width_km: float, plot_w: float) -> None:
    km = _nice_step(width_km / 4, ticks=1)
    length = plot_w * km / width_km
    drawing.add(Rect(x - 3, y - 4, length + 6, 14, fillColor=STRIPE_FILL, strokeColor=None))
    drawing.add(Line(x, y, x + length, y, strokeColor=INK, strokeWidth=1))
    for end in (x, x + length):
        drawing.add(Line(end, y - 2, end, y + 2, strokeColor=INK, strokeWidth=1))
    text = f"{km:g} km"
    drawing.add(_label(x + length / 2, y + 3, text, "middle"))


def _label(x: float, y: float, text: str, anchor: str) -> String:
    label = String(x, y, text, fontName=SANS, fontSize=_LABEL_SIZE, textAnchor=anchor)
    label.fillColor = MUTED
    return label


def incident_timeline(events: Sequence[TimelineEvent], width: float) -> Drawing:
    """Each incident on a date axis; counts per period when there are many."""
    first = min(e.first for e in events)
    last = max(e.last for e in events)
    if last - first < timedelta(days=6):
        first, last = first - timedelta(days=3), last + timedelta(days=3)
    days = (last - first).days + 1
    left, right, bottom = 8.0, 8.0, 18.0
    plot_w = width - left - right

    def x_of(day: date) -> float:
        return left + plot_w * (day - first).days / days

    if len(events) > MAX_LABELLED:
        body_height = 70.0
        drawing = _drawing(width, bottom + body_height + 6)
        _histogram(drawing, events, first, last, x_of, bottom, body_height)
    else:
        lanes = _lanes(events, x_of)
        body_height = (max(lanes.values()) + 1) * _LANE + 4
        drawing = _drawing(width, bottom + body_height + 4)
        for event in events:
            y = bottom + 6 + lanes[event.number] * _LANE
            x1, x2 = x_of(event.first), x_of(event.last + timedelta(days=1))
            drawing.add(Rect(x1, y - 2.5, max(x2 - x1, 2.5), 5, fillColor=OPEN, strokeColor=None))
            label = String(x1, y + 4, str(event.number), fontName=SANS_BOLD, fontSize=6.5)
            label.fillColor = INK
            drawing.add(label)
    drawing.add(Line(left, bottom, left + plot_w, bottom, strokeColor=MUTED, strokeWidth=0.6))
    for tick, text in _date_ticks(first, last):
        x = x_of(tick)
        drawing.add(Line(x, bottom - 3, x, bottom, strokeColor=MUTED, strokeWidth=0.5))
        drawing.add(_label(x, bottom - 11, text, "middle"))
    return drawing


def _lanes(events: Sequence[TimelineEvent], x_of: _XOf) -> dict[int, int]:
    """Rows so that labels and bars do not overlap (greedy, in date order)."""
    ends: list[float] = []
    lanes: dict[int, int] = {}
    for event in sorted(events, key=lambda e: (e.first, e.number)):
        start = x_of(event.first)
        end = max(x_of(event.last + timedelta(days=1)), start + 4 + 4 * len(str(event.number)))
        lane = next((i for i, used in enumerate(ends) if used + 2 <= start), len(ends))
        if lane == len(ends):
            ends.append(end)
        else:
            ends[lane] = end
        lanes[event.number] = lane
    return lanes


def _histogram(
    drawing: Drawing,
    events: Sequence[TimelineEvent],
    first: date,
    last: date,
    x_of: _XOf,
    bottom: float,
    height: float,
) -> None:
    period = _period(first, last)
    counts = Counter(_period_start(e.first, period) for e in events)
    tallest = max(counts.values())
    for start, count in sorted(counts.items()):
        end = _period_end(start, period)
        x1, x2 = x_of(max(start, first)), x_of(min(end, last) + timedelta(days=1))
        bar = height * count / tallest
        drawing.add(
            Rect(x1 + 0.5, bottom, max(x2 - x1 - 1, 1), bar, fillColor=OPEN, strokeColor=None)
        )
    note = String(
        drawing.width - 8,
        bottom + height - 4,
        f"incidents per {period} (highest: {tallest})",
        fontName=SANS,
        fontSize=_LABEL_SIZE,
        textAnchor="end",
    )
    note.fillColor = MUTED
    drawing.add(note)


def _period(first: date, last: date) -> str:
    days = (last - first).days
    return "day" if days <= 45 else "week" if days <= 365 else "month"


def _period_start(day: date, period: str) -> date:
    if period == "day":
        return day
    if period == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def _period_end(start: date, period: str) -> date:
    if period == "day":
        return start
    if period == "week":
        return start + timedelta(days=6)
    following = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def _date_ticks(first: date, last: date) -> list[tuple[date, str]]:
    """About six labelled ticks: days, Mondays, months or years."""
    days = (last - first).days
    if days <= 14:
        step = max(1, days // 6)
        return [
            (first + timedelta(days=d), _day(first + timedelta(days=d)))
            for d in range(0, days + 1, step)
        ]
    if days <= 120:
        monday = first + timedelta(days=(7 - first.weekday()) % 7)
        step = 7 * max(1, days // 42)
        return [
            (monday + timedelta(days=d), _day(monday + timedelta(days=d)))
            for d in range(0, (last - monday).days + 1, step)
        ]
    months = []
    month = date(first.year, first.month, 1)
    if month < first:
        month = _period_end(month, "month") + timedelta(days=1)
    while month <= last:
        months.append(month)
        month = _period_end(month, "month") + timedelta(days=1)
    if len(months) > 12:
        years = [m for m in months if m.month == 1]
        stride = max(1, math.ceil(len(years) / 8))
        return [(y, str(y.year)) for y in years[::stride]]
    stride = max(1, math.ceil(len(months) / 8))
    return [(m, f"{_MONTHS[m.month - 1]} {m.year}") for m in months[::stride]]


def _day(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]}"
