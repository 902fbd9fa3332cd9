"""The coverage page's two charts, laid out on the server as SVG (no script, so the strict CSP stays as it is): the
world map coloured by the number of practices per country, and the practices per pillar, stacked by region.

Colours are SVG ``fill`` attributes, not CSS classes, so the charts look the same in a PDF (WeasyPrint ignores CSS
classes inside SVG). The map's outlines come from ``world_map.json``, which ``tools/world_map/`` builds from npm
``world-atlas`` with the Equal Earth projection (README, "Coverage page", says how to rebuild it).
"""

import json
from functools import cache
from pathlib import Path

WORLD_MAP = Path(__file__).resolve().parent / "world_map.json"

NO_PRACTICE = "#dde2e7"
# Sequential blues (ColorBrewer "Blues"), darker for more practices: (fewest practices of the class, fill).
MAP_CLASSES = [(1, "#9ecae1"), (2, "#6baed6"), (3, "#3182bd"), (5, "#08519c"), (10, "#08306b")]

# Okabe and Ito's colour-blind-safe palette, one colour per region, each with a text colour that reads on it
# (4.5:1 or more).
SERIES_FILLS = [
    ("#0072b2", "#ffffff"),
    ("#e69f00", "#000000"),
    ("#009e73", "#000000"),
    ("#cc79a7", "#000000"),
    ("#56b4e9", "#000000"),
    ("#d55e00", "#000000"),
    ("#f0e442", "#000000"),
]

# The stacked bar chart's geometry, in SVG user units.
CHART_WIDTH = 420  # narrow, so that its text stays legible when a phone scales it down
LABEL_WIDTH = 48
TOTAL_WIDTH = 44
ROW_HEIGHT = 36
BAR_HEIGHT = 22
MIN_WIDTH_FOR_NUMBER = 20


@cache
def world_map():
    """The map's outlines: ``{"width", "height", "countries": {ISO alpha-2 code: SVG path data}}``."""
    return json.loads(WORLD_MAP.read_text(encoding="utf-8"))


def map_fill(count):
    """The fill of a country with ``count`` practices."""
    fill = NO_PRACTICE
    for lowest, colour in MAP_CLASSES:
        if count >= lowest:
            fill = colour
    return fill


def map_legend():
    """The map's classes: (lowest count, highest count or None for "or more", fill)."""
    highs = [lowest - 1 for lowest, _fill in MAP_CLASSES[1:]] + [None]
    return [(lowest, high, fill) for (lowest, fill), high in zip(MAP_CLASSES, highs, strict=True)]


def stacked_bars(rows, series, values, *, rtl=False):
    """Lay out one horizontal bar per row, split into one segment per series.

    ``rows`` and ``series`` are lists of (code, label); ``values`` maps (row code, series code) to a number. Bars
    grow from the reading side: from the left, or from the right when ``rtl`` (the labels then sit on the right).
    Returns the SVG's size and, per row, its label, its segments (position, size, colours, number) and its total.
    """
    totals = {row: sum(values.get((row, code), 0) for code, _label in series) for row, _label in rows}
    largest = max(totals.values(), default=0) or 1
    scale = (CHART_WIDTH - LABEL_WIDTH - TOTAL_WIDTH) / largest

    def x(start, width=0):
        return round(CHART_WIDTH - start - width if rtl else start, 1)

    laid_out = []
    for index, (row, label) in enumerate(rows):
        top = index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
        start = LABEL_WIDTH
        segments = []
        for (code, _series_label), (fill, text_fill) in zip(series, _cycle(SERIES_FILLS, len(series)), strict=True):
            value = values.get((row, code), 0)
            if not value:
                continue
            width = value * scale
            segments.append(
                {
                    "x": x(start, width),
                    "width": round(width, 1),
                    "fill": fill,
                    "text_fill": text_fill,
                    "value": value if width >= MIN_WIDTH_FOR_NUMBER else None,
                    "text_x": x(start + width / 2),
                }
            )
            start += width
        laid_out.append(
            {
                "label": label,
                "label_x": x(LABEL_WIDTH - 8),
                "top": round(top, 1),
                "text_y": round(top + BAR_HEIGHT / 2 + 5, 1),
                "segments": segments,
                "total": totals[row],
                "total_x": x(start + 6),
            }
        )
    return {"width": CHART_WIDTH, "height": len(rows) * ROW_HEIGHT, "bar_height": BAR_HEIGHT, "rows": laid_out}


def series_fills(count):
    """The fills of ``count`` series, in the order ``stacked_bars`` uses them (for the legend)."""
    return [fill for fill, _text in _cycle(SERIES_FILLS, count)]


def _cycle(items, count):
    return [items[index % len(items)] for index in range(count)]
