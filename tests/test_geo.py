"""Places resolved offline: towns with their points, countries by name or people, regions, and no guess
where a name is ambiguous and the article does not decide it."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from summarizer import geo
from summarizer.geo import Context, article_context, resolve


def test_a_town_gets_its_country_and_point_from_its_gazetteer_entry() -> None:
    place = resolve("Belfast")
    assert (place.precision, place.country, place.source) == ("town", "GB", "geonames:2655984")
    assert place.latitude == pytest.approx(54.597, abs=0.01) and place.longitude == pytest.approx(-5.925, abs=0.01)


def test_countries_by_name_spelling_or_people() -> None:
    for name, code in [("Syria", "SY"), ("the United States", "US"), ("U.S.", "US"), ("Venezuelans", "VE")]:
        place = resolve(name)
        assert (place.precision, place.country, place.source) == ("country", code, f"iso3166-1:{code}"), name
        assert place.latitude is None  # a country gets no point: the gazetteer gives none


def test_a_region_with_its_generic_word_is_its_iso_subdivision() -> None:
    place = resolve("Helmand Province")
    assert (place.precision, place.country, place.admin1) == ("region", "AF", "AF-HEL")
    assert resolve("California").admin1 == "US-CA"


def test_a_name_several_countries_share_is_decided_by_the_article_or_left_unresolved() -> None:
    alone = resolve("Derry")  # Derry, Northern Ireland, and Derry, New Hampshire: of like size
    assert alone.precision == "unresolved" and alone.note is not None and "ambiguous" in alone.note
    told = resolve("Derry", context=article_context("Police in Northern Ireland said the bomb in Belfast ..."))
    assert (told.precision, told.country) == ("town", "GB")
    assert resolve("Paris").country == "FR"  # by far the largest of its name: no doubt left


def test_a_name_no_gazetteer_has_gets_the_articles_main_country_and_no_point() -> None:
    context = article_context("A bomb exploded in Kabul. Afghan officials said the Afghan army ... in Afghanistan.")
    street = resolve("the Darulaman Road", context=context)
    assert (street.precision, street.country, street.source, street.latitude) == ("country", "AF", "article:AF", None)
    assert resolve("the jail", context=Context({"AF": 2, "US": 2})).precision == "unresolved"  # no main country
    assert resolve("area", context=Context()).precision == "unresolved"  # a common noun is no town named "Area"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("geocoding tried the network")

    for cached in (geo._places, geo._country_names, geo._geonames):
        cached.cache_clear()  # read the gazetteers anew, under the block
    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield


def test_the_gazetteers_need_no_network(no_network: None) -> None:
    context = article_context("Gunmen attacked a checkpoint near Kandahar, Afghan officials said.")
    assert resolve("Kandahar", context=context).country == "AF"


def test_a_phrase_is_read_for_the_place_it_names_in_the_articles_countries() -> None:
    britain = Context({"GB": 4})
    assert resolve("east London", context=britain).source == "geonames:2643743"  # not East London, South Africa
    kirkuk = resolve("a military base in Kirkuk", context=Context({"IQ": 2}))
    assert (kirkuk.precision, kirkuk.country) == ("town", "IQ")
    both = resolve("Iraq and Syria", context=Context({"IQ": 2}))
    assert both.precision == "unresolved" and both.note == "several places: Iraq, Syria"
