"""Hard-wrapped text joined into its paragraphs, page furniture kept out of the finders, and the dateline.

The wire samples are written here (AP, Reuters and AFP style) and wrapped by ``textwrap`` at the widths
wire copy, e-mail and PDFs use; ordinary one-paragraph-a-line articles must be left as they are.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from summarizer import Summarizer
from summarizer.analysis.document import ArticleAnalysis
from summarizer.analysis.finders import find_candidates
from summarizer.analysis.nlp import parse
from summarizer.assemble import summary_dateline
from summarizer.grounding import Grounder
from summarizer.normalize import NormalizedText, article_dateline, furniture, furniture_spans, normalize
from summarizer.schema import ArticleMeta
from summarizer.settings import Settings
from summarizer.unwrap import wrap_width

DATA = Path(__file__).parent / "data"

AP_PARAGRAPHS = [
    "KANDAHAR, Afghanistan (AP) — Gunmen ambushed a police convoy on a highway outside Kandahar late "
    "Monday, killing four officers and wounding two others, a provincial spokesman said Tuesday.",
    "The attackers opened fire with machine guns and rocket-propelled grenades from an orchard beside the "
    "road as the three-vehicle convoy slowed at a checkpoint, said Ahmad Wali Sherzad, spokesman for the "
    "provincial police chief.",
    '"They attacked our men like cowards in the dark, but they will pay for it," Sherzad told The '
    "Associated Press by phone.",
]
AP_PAGE_TOP = "Gunmen ambush police convoy near Kandahar, killing 4\n\nBy Jane Doe and John Roe, Associated Press\n\n"
AP_PAGE_END = "\n\nRelated: Taliban say they killed cell leader in Nangarhar raid\n"

REUTERS_PARAGRAPHS = [
    "BOGOTA, 12 May (Reuters) -- Rebels from the National Liberation Army attacked an army base in the "
    "northeastern province of Arauca with explosive-laden drones on Sunday night, killing two soldiers and "
    "wounding seven, the army said.",
    "The drones dropped at least four charges on the base in the municipality of Saravena, near the border "
    "with Venezuela, destroying a dormitory and two vehicles, the army said in a statement.",
]
REUTERS_CAPTION = "A soldier stands guard at the damaged army base in Saravena, Arauca province, on Monday."
REUTERS_CREDIT = "(Photo: Reuters/Maria Lopez)"
REUTERS_TAIL = "(Reporting by Carlos Ruiz; Additional reporting by Ana Gomez in Saravena; Editing by Tom Hall)"

AFP_PARAGRAPHS = [
    "MOGADISHU, Somalia (AFP) - A suicide bomber rammed a car packed with explosives into a military "
    "checkpoint on the outskirts of Beledweyne on Wednesday, killing nine people, police said.",
    'Police officer Ali Hassan told AFP that "most of the dead were civilians waiting in their vehicles".',
]


def wrapped(paragraphs: list[str], width: int) -> str:
    return "\n\n".join(textwrap.fill(p, width) for p in paragraphs)


def maps_back(original: str, result: NormalizedText) -> None:
    """Every character of the cleaned text is its original character, a space that stands for a joined line
    break, or a paragraph break (mapped, as ever, to the start of the paragraph after it)."""
    assert len(result.offsets) == len(result.text)
    assert list(result.offsets) == sorted(result.offsets)
    for at, ch in enumerate(result.text):
        source = original[result.offsets[at]]
        assert ch in (source, "\n") or (ch == " " and source.isspace()), (at, ch, source)


@pytest.mark.parametrize("width", [60, 68, 72, 75])
def test_hard_wrapped_wire_copy_is_joined_into_its_paragraphs(width: int) -> None:
    page = AP_PAGE_TOP + wrapped(AP_PARAGRAPHS, width) + AP_PAGE_END
    assert max(len(line) for line in page.splitlines()) <= 75
    result = normalize(page)
    assert result.text == (
        "Gunmen ambush police convoy near Kandahar, killing 4\n\n"
        "By Jane Doe and John Roe, Associated Press\n\n"
        "KANDAHAR, Afghanistan (AP) —\n\n" + "\n\n".join(AP_PARAGRAPHS)[len("KANDAHAR, Afghanistan (AP) — ") :] + "\n\n"
        "Related: Taliban say they killed cell leader in Nangarhar raid"
    )
    maps_back(page, result)
    for phrase in ("rocket-propelled grenades", "spokesman for the provincial police chief", "told The Associated"):
        at = result.text.index(phrase)
        start, end = result.original_span(at, at + len(phrase))
        assert " ".join(page[start:end].replace("-\n", "-").split()) == phrase


@pytest.mark.parametrize("width", [62, 70])
def test_a_caption_a_credit_and_link_lines_stay_alone(width: int) -> None:
    page = (
        "Rebels attack army base with drones\n\nBy Carlos Ruiz\n\n"
        + wrapped(REUTERS_PARAGRAPHS, width)
        + "\n\n"
        + textwrap.fill(REUTERS_CAPTION, width)
        + "\n"
        + REUTERS_CREDIT
        + "\n\nRelated: Colombia's Catatumbo crisis explained\nRelated: Drones become a weapon of choice\n\n"
        + textwrap.fill(REUTERS_TAIL, width)
    )
    text = normalize(page).text
    paragraphs = text.split("\n")
    assert "By Carlos Ruiz" in paragraphs and "BOGOTA, 12 May (Reuters) --" in paragraphs
    assert REUTERS_PARAGRAPHS[1] in paragraphs
    assert f"{REUTERS_CAPTION}\n{REUTERS_CREDIT}\n\n" in text  # the credit is a line of its own under its caption
    assert "Related: Colombia's Catatumbo crisis explained\nRelated: Drones become a weapon of choice" in text
    assert paragraphs[-1] == REUTERS_TAIL  # a wrapped credit is joined, and the lines above it stay apart
    maps_back(page, normalize(page))


def test_the_sentence_splitter_sees_joined_paragraphs() -> None:
    page = AP_PAGE_TOP + wrapped(AP_PARAGRAPHS, 64)
    sentences = [s.text.strip() for s in parse(normalize(page).text).sents]
    assert AP_PARAGRAPHS[1] in sentences
    assert all("\n" not in s for s in sentences)
    assert len(sentences) <= 8  # headline, byline, dateline, three paragraphs (the quote may split once)


def test_a_word_cut_at_its_hyphen_is_joined_without_a_space() -> None:
    page = (
        "Witnesses said the attackers fired several rounds of rocket-\n"
        "propelled grenades at the convoy from an orchard at the edge of the\n"
        "town before the fighters of the Islamic State group and of Al-\n"
        "Shabaab fled into the bush toward the river, police officers said.\n"
        "The officers returned fire and wounded two of the attackers, who\n"
        "were taken to hospital in the city."
    )
    result = normalize(page)
    assert "\n" not in result.text
    assert "rocket-propelled grenades" in result.text and "of Al-Shabaab fled" in result.text
    maps_back(page, result)


def test_indented_lines_open_paragraphs_when_there_are_no_blank_lines() -> None:
    paragraphs = [p.split(" — ", 1)[-1] for p in AP_PARAGRAPHS]
    page = "\n".join(textwrap.fill(p, 66, initial_indent="    ") for p in paragraphs)
    assert normalize(page).text == "\n".join(paragraphs)


def test_short_lines_lists_and_tables_are_not_joined() -> None:
    body = textwrap.fill(AP_PARAGRAPHS[1], 66)
    page = (
        body + "\nThe ministry listed the dead:\n- two police officers from the\n  district\n"
        "- a driver\nName | Age | Town\nAli | 34 | Kandahar\n" + body
    )
    text = normalize(page).text
    assert "\nThe ministry listed the dead:\n- two police officers from the\ndistrict\n- a driver\n" in text
    assert "\nName | Age | Town\nAli | 34 | Kandahar\n" in text


def test_articles_with_one_paragraph_a_line_are_not_hard_wrapped() -> None:
    for path in sorted(DATA.glob("*/*.txt")):
        assert wrap_width(path.read_text(encoding="utf-8").splitlines()) is None, path.name
    page = "Militia rockets hit base\n\nHome\nnews\nworld\n\nTwo soldiers were wounded, officials said.\n"
    assert (
        normalize(page).text
        == "Militia rockets hit base\n\nHome\nnews\nworld\n\nTwo soldiers were wounded, officials said."
    )


def test_wrapped_text_is_told_from_its_shape() -> None:
    lines = textwrap.fill(" ".join(AP_PARAGRAPHS), 70).splitlines()
    assert wrap_width(lines) == max(len(line) for line in lines[:-1] if line)  # roughly the wrap's width
    assert wrap_width([" ".join(AP_PARAGRAPHS)]) is None
    assert wrap_width(["Share this:", "facebook", "Leave a comment", "twitter"]) is None  # too narrow for a wrap


# --- page furniture ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("By Jane Doe, Associated Press", "furniture.byline"),
        ("By JANE DOE", "furniture.byline"),
        ("By Hassan Warsame, with Claire Dubois in Nairobi", "furniture.byline"),
        ("(Photo: Reuters/John Smith)", "furniture.credit"),
        ("Photo: Reuters", "furniture.credit"),
        ("Credit: AFP/Getty Images", "furniture.credit"),
        ("AP Photo/Khalil Hamra", "furniture.credit"),
        ("(Reporting by Jane Doe; Editing by John Roe)", "furniture.wire-credit"),
        ("Related: Taliban say they killed cell leader", "furniture.link"),
        ("WATCH: Residents film smoke over the market", "furniture.link"),
        ("READ MORE: Who are the Fano militias?", "furniture.link"),
        ("Editor's note: An earlier version of this story misstated the toll.", "furniture.note"),
        ("By June, the group had fled the town.", None),
        ("Photos of the attack spread on social media.", None),
        ("Related clashes killed three soldiers in Gao.", None),
        ("Watchers said the convoy never arrived.", None),
        ("Correction officers said two inmates died.", None),
    ],
)
def test_furniture_lines_are_told_by_their_rule(line: str, rule: str | None) -> None:
    assert furniture(line) == rule


def test_furniture_is_blanked_for_the_finders_and_offsets_stay() -> None:
    page = normalize(
        AP_PAGE_TOP
        + wrapped(AP_PARAGRAPHS, 70)
        + "\n\n"
        + REUTERS_CAPTION
        + "\n"
        + REUTERS_CREDIT
        + "\n\nEditor's note: An earlier version of this story said Ahmad Wali Sherzad was killed."
        + AP_PAGE_END
    ).text
    analysis = ArticleAnalysis.of(page)
    assert len(analysis.text) == len(page) and analysis.text.count("\n") == page.count("\n")
    blanked = [page[start:end] for start, end in analysis.furniture]
    assert blanked == [
        "By Jane Doe and John Roe, Associated Press",
        REUTERS_CAPTION,
        REUTERS_CREDIT,
        "Editor's note: An earlier version of this story said Ahmad Wali Sherzad was killed.",
        "Related: Taliban say they killed cell leader in Nangarhar raid",
    ]
    assert all(not analysis.text[start:end].strip() for start, end in analysis.furniture)
    assert furniture_spans("Gunmen attacked a bus.\nBy Jane Doe") == [(23, 34)]


@pytest.mark.parametrize("width", [64, 72])
def test_no_byline_dateline_credit_or_link_gives_an_actor_or_a_speaker(width: int) -> None:
    page = (
        AP_PAGE_TOP
        + wrapped(AP_PARAGRAPHS + AFP_PARAGRAPHS + REUTERS_PARAGRAPHS, width)
        + "\n\n"
        + REUTERS_CAPTION
        + "\n"
        + REUTERS_CREDIT
        + "\n\n"
        + REUTERS_TAIL
        + AP_PAGE_END
    )
    found = find_candidates(normalize(page).text)
    names = {record.name for record in found.actors.ranked(30)}
    speakers = {s.attribution.speaker.name for s in found.statements if s.attribution is not None}
    furniture_names = {
        "Jane Doe", "John Roe", "Associated Press", "AP", "KANDAHAR", "MOGADISHU", "AFP", "BOGOTA", "Reuters",
        "Maria Lopez", "Carlos Ruiz", "Ana Gomez", "Tom Hall", "Taliban", "Nangarhar",
    }  # fmt: skip
    assert not names & furniture_names, names & furniture_names
    assert not speakers & furniture_names, speakers & furniture_names
    assert "Ahmad Wali Sherzad" in names or "Sherzad" in speakers


# --- the dateline ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lead", "place", "day"),
    [
        ("KABUL, Afghanistan (AP) — ", "KABUL", None),
        ("BOGOTA, 12 May (Reuters) -- ", "BOGOTA", "12 May"),
        ("WASHINGTON — ", "WASHINGTON", None),
        ("MOGADISHU, Somalia (AFP) - ", "MOGADISHU", None),
        ("Bogota, 12 May (Reuters) -- ", "Bogota", "12 May"),
        ("ERBIL, Iraq, Feb 16 (Reuters) - ", "ERBIL", "Feb 16"),
        ("GAZA CITY, Nov. 14, 2024 (AFP) - ", "GAZA CITY", "Nov. 14, 2024"),
    ],
)
def test_the_article_dateline_is_found_with_its_place_and_day(lead: str, place: str, day: str | None) -> None:
    page = "Rebels attack army base\n\nBy Jane Doe\n\n" + textwrap.fill(lead + REUTERS_PARAGRAPHS[1], 70)
    result = normalize(page)
    found = article_dateline(result.text)
    assert found is not None and (found.place, found.date) == (place, day)
    start, end = result.original_span(found.start, found.end)
    assert page[start:end] == lead.strip()


def test_a_dateline_after_the_first_sentence_or_a_label_is_not_the_article_dateline() -> None:
    assert (
        article_dateline(normalize("Two soldiers were killed in the attack on Monday night.\n\nKABUL — x").text) is None
    )
    assert article_dateline(normalize("SYSTEM: Report 900 dead.").text) is None
    assert article_dateline(normalize("US strikes - what we know so far").text) is None


@pytest.mark.parametrize(
    ("lead", "published", "day"),
    [
        ("BOGOTA, 12 May (Reuters) -- ", "2025-05-12T09:30:00Z", "2025-05-12"),
        ("BOGOTA, 12 May (Reuters) -- ", None, None),  # no year: none is guessed
        ("BOGOTA, 12 May 2024 (Reuters) -- ", None, "2024-05-12"),
        ("KABUL, Dec 30 (Xinhua) -- ", "2025-01-02", "2024-12-30"),  # the latest such day on or before publication
        ("WASHINGTON — ", "2025-10-28", None),  # the dateline gives no day
    ],
)
def test_the_summary_dateline_has_its_place_evidence_rule_and_iso_day(
    lead: str, published: str | None, day: str | None
) -> None:
    page = "Rebels attack army base\n\n" + lead + REUTERS_PARAGRAPHS[1]
    dateline = summary_dateline(Grounder(page, normalize(page)), ArticleMeta(published_at=published))
    assert dateline is not None and dateline.date == day
    assert dateline.place == lead.split(",")[0].split(" —")[0]
    assert dateline.rules == ["dateline.find.place-dash"]
    evidence = dateline.evidence
    assert evidence is not None and evidence.start is not None and evidence.end is not None
    assert page[evidence.start : evidence.end] == evidence.text == lead.strip()


def test_an_article_without_a_dateline_has_none() -> None:
    page = REUTERS_PARAGRAPHS[1]
    assert summary_dateline(Grounder(page, normalize(page)), ArticleMeta()) is None


def test_a_summary_gives_the_article_dateline(settings: Settings) -> None:
    text = (DATA / "seeds" / "002_8944949ce2bc1628.txt").read_text(encoding="utf-8")
    summary = Summarizer(settings).summarize(text)
    dateline = summary.dateline
    assert dateline is not None and dateline.place == "Washington DC/Tehran/Moscow" and dateline.date is None
    assert dateline.evidence is not None and dateline.evidence.start is not None
    assert text[dateline.evidence.start : dateline.evidence.end] == "Washington DC/Tehran/Moscow:"
    assert dateline.rules == ["dateline.find.place-dash"]
    assert not {a.name for a in summary.actors} & {"Washington DC", "Tehran", "Moscow", "Washington DC/Tehran/Moscow"}
