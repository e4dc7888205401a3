"""The geometry of a ledger chart: each article's figure on one axis, against the reconciled range.

Drawn server-side as SVG by the story template (no chart library, nothing fetched). A figure is a dot
when exact, a bar from low to high when a range, and a dashed bar to the edge when open-ended ("at
least 25"); the reconciled range is a band behind every row, the conservative figure a line.
"""

from __future__ import annotations

from dataclasses import dataclass

from summarizer.stories.model import LedgerLine

WIDTH = 640
LABEL = 200  # left margin for the row labels
RIGHT = 24
ROW = 28
TOP = 10
AXIS = 30  # room for the axis and its labels below the rows


@dataclass(frozen=True)
class Row:
    label: str
    text: str  # the phrase as written
    y: float
    x1: float
    x2: float
    open_ended: bool

    @property
    def exact(self) -> bool:
        return self.x1 == self.x2 and not self.open_ended


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    rows: list[Row]
    band: tuple[float, float] | None  # the reconciled low..high, in x
    conservative: float | None
    ticks: list[tuple[float, int]]  # (x, value)
    plot: tuple[float, float]  # the x range of the plot area
    baseline: float  # y of the axis


def chart_of(line: LedgerLine) -> Chart | None:
    """The chart of one ledger line; None when no figure has a number."""
    numbered = [f for f in line.figures if f.low is not None]
    if not numbered:
        return None
    top_value = max(max(f.low or 0, f.high or 0) for f in numbered)
    rec = line.reconciled
    top_value = max(top_value, rec.high or 0, 1)
    scale_max = _nice(top_value * 1.1)
    left, right = float(LABEL), float(WIDTH - RIGHT)

    def x(value: int) -> float:
        return round(left + (right - left) * value / scale_max, 1)

    rows = []
    for index, figure in enumerate(numbered):
        low = figure.low or 0
        open_ended = figure.high is None
        high_x = right if open_ended else x(figure.high or low)
        label = figure.outlet or figure.report
        rows.append(Row(label, figure.text, TOP + ROW * index + ROW / 2, x(low), high_x, open_ended))
    band = (x(rec.low), x(rec.high)) if rec.low is not None and rec.high is not None else None
    conservative = x(rec.conservative) if rec.conservative is not None else None
    baseline = TOP + ROW * len(rows) + 4
    step = scale_max / 4
    ticks = [(x(round(step * i)), round(step * i)) for i in range(5)]
    return Chart(WIDTH, int(baseline + AXIS), rows, band, conservative, ticks, (left, right), baseline)


def _nice(value: float) -> int:
    """A round axis maximum at or above ``value`` (4, 8, 20, 40, 60, 80, 100, 200...), divisible by 4."""
    magnitude = 1
    while magnitude * 10 < value:
        magnitude *= 10
    for factor in (1, 2, 4, 6, 8, 10):
        if magnitude * factor >= value and (magnitude * factor) % 4 == 0:
            return magnitude * factor
    return magnitude * 12
