"""Articles not in English are refused before any model call, naming the language, by every face."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.article import REFUSE_LANGUAGE_AT, check_article
from summarizer.batch import BatchPaths
from summarizer.cli import app
from summarizer.errors import InputError
from summarizer.language import identify, language_name
from summarizer.pipeline import Summarizer
from summarizer.settings import Settings
from tests.api_support import build_app, client_for
from tests.conftest import ROOT, TESTS
from tests.fake_openai_server import articles, fake_openai_server
from tests.test_batch_engine import assert_exactly_once, write_jsonl
from tests.test_fast_start import modules_after

FOREIGN = {
    "fr": (
        "French",
        "Au moins douze personnes ont été tuées mardi dans l'explosion d'une voiture piégée près d'un marché de "
        "Mogadiscio, a annoncé la police somalienne. Une trentaine de blessés ont été transportés dans les hôpitaux "
        "de la capitale. L'attentat n'a pas été revendiqué, mais les autorités soupçonnent les insurgés shebab.",
    ),
    "es": (
        "Spanish",
        "Al menos siete soldados murieron el sábado en una emboscada contra una patrulla militar en el departamento "
        "del Cauca, informó el Ejército colombiano. Otros cuatro militares resultaron heridos y fueron trasladados a "
        "un hospital de Popayán. Las autoridades atribuyeron el ataque a disidencias de las antiguas FARC.",
    ),
    "ar": (
        "Arabic",
        "قُتل ما لا يقل عن عشرة أشخاص وأصيب عشرون آخرون في انفجار سيارة مفخخة في سوق شعبي وسط بغداد يوم الخميس، "
        "بحسب مصادر أمنية. وقال متحدث باسم وزارة الداخلية إن قوات الأمن طوقت مكان الانفجار وبدأت التحقيق. "
        "ولم تعلن أي جهة مسؤوليتها عن الهجوم حتى الآن.",
    ),
    "ru": (
        "Russian",
        "В результате ракетного удара по Харькову в четверг погибли по меньшей мере шесть человек, ещё двадцать "
        "получили ранения, сообщил глава областной администрации. По его словам, ракета попала в здание "
        "типографии в центре города. Спасатели продолжают разбирать завалы.",
    ),
    "de": (
        "German",
        "Bei einem Drohnenangriff auf ein Flüchtlingslager in der jemenitischen Provinz Marib sind nach Angaben der "
        "Behörden mindestens neun Menschen getötet worden. Unter den Toten seien auch drei Kinder, teilte das "
        "Gesundheitsministerium am Sonntag mit. Die Regierung machte die Huthi-Rebellen für den Angriff verantwortlich.",
    ),
}
FRENCH = FOREIGN["fr"][1]

ENGLISH_QUOTING_FRENCH = (
    "French President Emmanuel Macron condemned the bombing in Niamey on Tuesday, which killed at least nine "
    'soldiers. "Nous ne céderons jamais face au terrorisme et nous resterons aux côtés de nos partenaires '
    "sahéliens,\" Macron wrote on social media. Niger's defence ministry said the attackers arrived on "
    "motorcycles and fled towards the Malian border. No group has claimed responsibility for the attack, but the "
    "Islamic State in the Greater Sahara has been active in the area."
)
# Short texts that are mostly names: the identifier is unsure of them (Somali, Fulfulde, Pidgin...), never sure.
SHORT_ENGLISH = [
    "Gen. Abdi Farah Shirdon, Col. Mohamed Nur Hassan Adan and Sheikh Abdirahman Warsame met in Baidoa.\n"
    "Al-Shabaab spokesman Ali Mohamud Rage denied it.",
    "Kata'ib Hezbollah, Asa'ib Ahl al-Haq and Harakat Hezbollah al-Nujaba condemned the strikes.\n"
    "Abu Mahdi al-Muhandis, Qais al-Khazali and Akram al-Kaabi spoke in Baghdad.",
    "Nigeria: Boko Haram kills 12 in Borno.",
    "Updates from Friday 15 November. All times GMT.",
    "KABUL, Afghanistan — Shiite mosque in Kunduz: 46 dead.\nTaliban: ISIS-K.",
]
# The articles in the repository: the test data and every eval set (../shared/corpus has the same kind).
REPO_ARTICLES = sorted([*(TESTS / "data").rglob("*.txt"), *(ROOT / "eval").glob("*/articles/*.txt")])


def refusal(text: str) -> str:
    with pytest.raises(InputError) as caught:
        check_article(text, origin="article.txt", language_check=True)
    return caught.value.reason


# -- the check ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(FOREIGN))
def test_a_news_paragraph_in_another_language_is_refused_naming_it(code: str) -> None:
    name, text = FOREIGN[code]
    found, confidence = identify(text)
    assert found == code and confidence >= REFUSE_LANGUAGE_AT
    reason = refusal(text)
    assert reason.startswith(f"the article is in {name} ({code}, confidence 0.9") or reason.startswith(
        f"the article is in {name} ({code}, confidence 1.00"
    )
    assert "only English articles can be summarized" in reason


def test_the_error_names_the_file() -> None:
    with pytest.raises(InputError, match=r"^article\.txt: the article is in French"):
        check_article(FRENCH, origin="article.txt", language_check=True)


def test_an_english_article_quoting_a_french_sentence_is_accepted() -> None:
    assert identify(ENGLISH_QUOTING_FRENCH)[0] == "en"
    assert check_article(ENGLISH_QUOTING_FRENCH, language_check=True) == ENGLISH_QUOTING_FRENCH


@pytest.mark.parametrize("text", SHORT_ENGLISH)
def test_a_short_english_text_full_of_names_is_accepted(text: str) -> None:
    assert identify(text)[1] < REFUSE_LANGUAGE_AT
    check_article(text, language_check=True)


def test_every_article_in_the_repository_is_english() -> None:
    assert len(REPO_ARTICLES) >= 30
    for path in REPO_ARTICLES:
        text = path.read_text(encoding="utf-8")
        assert identify(text)[0] == "en", path
        check_article(text, origin=str(path), language_check=True)


def test_the_batch_tests_articles_are_english() -> None:
    for record in articles(3):
        check_article(record["text"], language_check=True)


def test_only_the_sample_is_read_and_addresses_are_not_words() -> None:
    english = " ".join([ENGLISH_QUOTING_FRENCH] * 9) + " " + FRENCH * 40  # French only past the first 4,000 characters
    assert identify(english)[0] == "en"
    links = " ".join(f"https://www.lemonde.fr/afrique/article/{i}/attentat-mogadiscio.html" for i in range(30))
    assert identify(f"{links}\n{ENGLISH_QUOTING_FRENCH}")[0] == "en"


def test_no_language_and_unknown_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    check_article("12 345 678 910 1112 1314 1516 1718 1920", language_check=True)  # "zxx": no language
    import summarizer.article as article

    monkeypatch.setattr(article, "identify", lambda text: ("qqx", 0.97))
    assert refusal("anything") == (
        "the article is in language 'qqx' (confidence 0.97); only English articles can be summarized "
        "(SUMMARIZER_LANGUAGE_CHECK=false turns this check off)"
    )
    monkeypatch.setattr(article, "identify", lambda text: ("fr", 0.89))
    check_article("anything", language_check=True)  # not sure enough


def test_language_names() -> None:
    assert [language_name(code) for code in ("fr", "ar", "el", "ms", "pcm", "qqx")] == [
        "French",
        "Arabic",
        "Modern Greek",
        "Malay",
        "Nigerian Pidgin",
        None,
    ]


def test_check_article_checks_the_language_only_when_asked() -> None:
    assert check_article(FRENCH) == FRENCH


def test_importing_the_check_loads_no_identifier() -> None:
    modules = modules_after("import summarizer.article, summarizer.language")
    assert "py3langid" not in modules and "pycountry" not in modules and "numpy" not in modules


# -- the setting and the three faces --------------------------------------------------------------------


def test_the_setting_turns_the_check_off(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputError, match="French"):
        Summarizer(settings).request(FRENCH)
    monkeypatch.setenv("SUMMARIZER_LANGUAGE_CHECK", "false")
    off = Settings()
    assert off.language_check is False
    assert Summarizer(off).request(FRENCH).text == FRENCH


@pytest.mark.anyio
async def test_rest_answers_422_naming_the_language(settings: Settings) -> None:
    async with client_for(build_app(settings)) as client:
        response = await client.post("/v1/summaries", json={"text": FOREIGN["ru"][1]})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"].endswith("/bad-article") and body["status"] == 422
    assert body["detail"].startswith("the article is in Russian (ru, confidence ")


def test_cli_prints_one_line_naming_the_file_and_the_language(tmp_path: Path) -> None:
    path = tmp_path / "depeche.txt"
    path.write_text(FRENCH, encoding="utf-8")
    result = CliRunner().invoke(app, ["summarize", str(path)])
    assert result.exit_code == 2
    *status, line = result.stderr.strip().splitlines()  # the status line says what was started (not a terminal)
    assert line.startswith(f"summarizer: error: {path}: the article is in French (fr, confidence ")
    assert len(status) <= 1 and "error" not in "".join(status)
    assert result.stdout == "" and "Traceback" not in result.output


def test_batch_fails_the_french_line_and_summarizes_the_others(tmp_path: Path) -> None:
    english = articles(2)
    path = write_jsonl(tmp_path / "in.jsonl", [english[0], {"id": "fr", "text": FRENCH}, english[1]])
    out = tmp_path / "out.jsonl"
    with fake_openai_server() as server:
        args = ["batch", str(path), "--out", str(out), "--backend", "openai", "--base-url", server.base_url]
        result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output
    assert "1 article(s) failed" in result.stderr
    done, [failure] = assert_exactly_once(BatchPaths.for_output(out), {"art-0000", "art-0001", "fr"})
    assert sorted(done) == ["art-0000", "art-0001"]
    assert failure["id"] == "fr" and failure["origin"] == f"{path}:2"
    assert failure["error_type"] == "InputError" and failure["attempts"] == 0
    assert failure["reason"].startswith("the article is in French (fr, confidence ")
    assert json.loads(out.read_text().splitlines()[0])["article"]["id"] in {"art-0000", "art-0001"}
