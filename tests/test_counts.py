from __future__ import annotations

import pytest

from summarizer.counts import parse_count, words_to_int


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("25", (25, 25)),
        ("1,200", (1200, 1200)),
        ("at least 25", (25, None)),
        ("more than 50", (51, None)),
        ("over 100", (101, None)),
        ("30-plus", (30, None)),
        ("up to 10", (None, 10)),
        ("nearly 40", (None, 40)),
        ("fewer than 5", (None, 4)),
        ("between 20 and 30", (20, 30)),
        ("20 to 30", (20, 30)),
        ("three", (3, 3)),
        ("twenty-five", (25, 25)),
        ("a", (1, 1)),
        ("a dozen", (12, 12)),
        ("two dozen", (24, 24)),
        ("one hundred", (100, 100)),
        ("dozens", (None, None)),
        ("several", (None, None)),
        ("hundreds", (None, None)),
        ("some 20", (20, 20)),
        ("unknown", (None, None)),
    ],
)
def test_parse_count(phrase: str, expected: tuple[int | None, int | None]) -> None:
    assert parse_count(phrase) == expected


def test_words_to_int_stops_at_the_noun() -> None:
    assert words_to_int("four U.S. service members") == 4
    assert words_to_int("civilians") is None
