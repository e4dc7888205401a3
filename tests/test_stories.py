"""Stories: linking the seeds' events across articles, the casualty ledger, its reconciliation, the CLI."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from summarizer import Summarizer
from summarizer.cli import app
from summarizer.errors import InputError
from summarizer.extraction import Outcome
from summarizer.schema import ArticleSummary, Casualty, Count, Evidence
from summarizer.schema_files import bundled_schemas_dir, load
from summarizer.settings import Settings
from summarizer.stories import StorySet, link_stories
from summarizer.stories.dates import resolve_dates
from summarizer.stories.inputs import ArticleInfo
from summarizer.stories.ledger import reconcile
from summarizer.stories.model import ArticleFigure, ReportedFigure
from summarizer.stories.names import same_name, same_place
from tests.conftest import SEEDS
from tests.eval_helpers import summary as hand_made_summary

# The seeds' publication days, as the stories gold (../shared/eval/stories/seeds.json) gives them.
PUBLISHED = {
    "000_6251781f4193fbe1": date(2019, 12, 31),
    "001_95e054758d2b3747": date(2020, 1, 3),
    "002_8944949ce2bc1628": date(2019, 12, 30),
    "003_413bd2a68a6ce088": date(2024, 1, 24),
    "004_c4a957ab1299efad": date(2020, 12, 21),
}
INFO = {name: ArticleInfo(published_at=day) for name, day in PUBLISHED.items()}


_SUMMARIES: dict[str, ArticleSummary] = {}


@pytest.fixture
def seed_summaries(settings: Settings) -> dict[str, ArticleSummary]:
    """The seeds summarized once per test run, from the recorded answers of the embedded model."""
    if not _SUMMARIES:
        summarizer = Summarizer(settings)
        _SUMMARIES.update({seed.stem: summarizer.summarize(seed.read_text(encoding="utf-8")) for seed in SEEDS})
    return dict(_SUMMARIES)


def _link(summaries: dict[str, ArticleSummary], info: dict[str, ArticleInfo] | None = INFO) -> StorySet:
    return link_stories(list(summaries.values()), articles=list(summaries), info=info)


def _multi_article_groups(story_set: StorySet) -> list[set[str]]:
    return [{r.article[:3] for r in s.reports} for s in story_set.stories if len(s.reports) > 1]


def test_the_2019_strikes_are_one_story_across_three_outlets_with_their_figures_side_by_side(
    seed_summaries: dict[str, ArticleSummary],
) -> None:
    story_set = _link(seed_summaries)
    strikes = [
        s for s in story_set.stories if any(line.outcome == "killed" and line.reconciled.low == 25 for line in s.ledger)
    ]
    assert len(strikes) == 1
    story = strikes[0]
    assert {r.article[:3] for r in story.reports} == {"000", "001", "002"}
    ledger = {line.outcome.value: line for line in story.ledger}
    killed = sorted((f.report[:3], f.low, f.high) for f in ledger["killed"].figures)
    injured = sorted((f.report[:3], f.low, f.high) for f in ledger["injured"].figures)
    assert killed == [("000", 25, 25), ("001", 25, 25), ("002", 25, None)]
    assert injured == [("000", 51, 51), ("001", 55, 55), ("002", 51, None)]
    assert (ledger["killed"].reconciled.low, ledger["killed"].reconciled.high) == (25, 25)
    assert not ledger["killed"].reconciled.disputed
    assert (ledger["injured"].reconciled.low, ledger["injured"].reconciled.high) == (51, 55)
    assert ledger["injured"].reconciled.disputed
    assert ledger["injured"].reconciled.high_reports == ["001_95e054758d2b3747"]
    # every figure keeps its words
    for line in story.ledger:
        for figure in line.figures:
            for part in figure.parts:
                assert part.evidence.start is not None and part.evidence.status != "ungrounded"
    for link in story.links:
        assert link.reasons and link.score == pytest.approx(sum(r.weight for r in link.reasons), abs=0.05)


def test_the_kirkuk_attack_is_one_story_across_three_outlets_and_other_years_never_link(
    seed_summaries: dict[str, ArticleSummary],
) -> None:
    story_set = _link(seed_summaries)
    groups = _multi_article_groups(story_set)
    kirkuk = [s for s in story_set.stories if len(s.reports) > 1 and any("Kirkuk" in p for p in s.places)]
    assert len(kirkuk) == 1 and {r.article[:3] for r in kirkuk[0].reports} == {"000", "001", "002"}
    # 001 tells it only as what the US strikes answered: "in retaliations of the rocket launched against ..."
    told_in_001 = next(r for r in kirkuk[0].reports if r.article.startswith("001"))
    assert told_in_001.mentions and "rocket" in told_in_001.mentions[0].text
    assert "answered" in {reason.kind.value for link in kirkuk[0].links for reason in link.reasons}
    injured = next(line for line in kirkuk[0].ledger if line.outcome == "injured")
    # "four US service members and two members of the ISF" in one sentence: 002's figure is 6
    assert [(f.report[:3], f.low) for f in injured.figures if f.report.startswith("002")] == [("002", 6)]
    for group in groups:
        assert "003" not in group and "004" not in group  # 2024 and 2020 are other events


def test_without_publication_days_the_seeds_link_only_on_strong_evidence(
    seed_summaries: dict[str, ArticleSummary],
) -> None:
    story_set = _link(seed_summaries, info=None)
    for group in _multi_article_groups(story_set):
        assert "003" not in group and "004" not in group


def test_linking_is_deterministic_and_the_story_set_matches_its_committed_schema(
    seed_summaries: dict[str, ArticleSummary],
) -> None:
    first, second = _link(seed_summaries), _link(dict(reversed(list(seed_summaries.items()))))
    assert first.id == second.id
    assert len({s.id for s in first.stories}) == len(first.stories)  # one id per story
    assert sorted(s.id for s in first.stories) == sorted(s.id for s in second.stories)
    schema = load(bundled_schemas_dir(), "story", "2")
    jsonschema.validate(json.loads(first.model_dump_json()), schema)


def _figure(report: str, low: int | None, high: int | None, text: str) -> ArticleFigure:
    part = ReportedFigure.model_validate(
        {
            "victims": "people",
            "text": text,
            "low": low,
            "high": high,
            "evidence": {"text": text, "status": "grounded", "score": 1, "reason": "exact"},
        }
    )
    return ArticleFigure(report=report, low=low, high=high, text=text, parts=[part])


@pytest.mark.parametrize(
    ("figures", "expected"),
    [
        ([(25, 25), (25, 25), (25, None)], (25, 25, False)),  # "at least 25" agrees with 25
        ([(51, 51), (55, 55), (51, None)], (51, 55, True)),  # 51 and 55 do not agree
        ([(1, 1), (0, 0)], (0, 1, True)),  # one wounded against no casualties
        ([(20, 30), (25, 25)], (20, 30, False)),  # a range holds the exact figure
        ([(10, None), (12, None)], (10, 12, False)),  # open-ended reports never contradict
    ],
)
def test_reconciliation_keeps_both_ends_and_says_when_reports_disagree(
    figures: list[tuple[int, int | None]], expected: tuple[int, int, bool]
) -> None:
    rows = [_figure(f"a{i}", low, high, str(low)) for i, (low, high) in enumerate(figures)]
    reconciled = reconcile(rows)
    assert (reconciled.low, reconciled.high, reconciled.disputed) == expected
    assert reconciled.conservative == reconciled.low


def test_dates_resolve_against_the_publication_day() -> None:
    published = date(2019, 12, 31)  # a Tuesday
    assert resolve_dates("The Pentagon reported Sunday that", published) == [date(2019, 12, 29)]
    assert resolve_dates("following the death Friday of a contractor", published) == [date(2019, 12, 27)]
    assert resolve_dates("last night's attack", published) == [date(2019, 12, 30)]
    assert resolve_dates("on December 29", published) == [date(2019, 12, 29)]
    assert resolve_dates("on 3 January", published) == [date(2019, 1, 3)]
    assert resolve_dates("on January 3, 2020", None) == [date(2020, 1, 3)]
    assert resolve_dates("on Sunday", None) == []


def test_names_match_across_outlets_but_generic_words_do_not() -> None:
    assert same_name("U.S.", "United States") and same_name("Americans", "US")
    assert same_name("Kata'ib Hezbollah", "Kata'ib Hizbollah")
    assert same_name("Iran's backed militias", "Iran-backed militia")
    assert not same_name("militias", "Iran-backed militias")
    assert not same_name("US", "Russia")
    assert not same_place("Baghdad", "Iraq") and same_place("Kirkuk", "a base near Kirkuk")
    assert same_name("IRA", "IRA's Belfast brigade") and same_place("Oxford St", "Oxford Street bus station")


def test_bad_input_is_a_clear_error(tmp_path: Path, seed_summaries: dict[str, ArticleSummary]) -> None:
    with pytest.raises(InputError, match="no summaries"):
        link_stories([])
    runner = CliRunner()
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"schema_version": "7", "id": "x"}))
    result = runner.invoke(app, ["stories", str(other)])
    assert result.exit_code == 2 and "schema version '7'" in result.output
    articles = tmp_path / "articles.jsonl"  # what a user has before a batch: articles, not summaries
    articles.write_text(json.dumps({"id": "a", "text": "Gunmen attacked a convoy."}) + "\n")
    result = runner.invoke(app, ["stories", str(articles)])
    assert result.exit_code == 2 and "articles.jsonl:1: is an article" in result.output
    assert "summarizer batch ARTICLES.jsonl --out summaries.jsonl" in result.output
    assert "schema version None" not in result.output
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["stories", str(empty)])
    assert result.exit_code == 2 and "no summaries" in result.output
    broken = tmp_path / "out.jsonl"
    summary = next(iter(seed_summaries.values()))
    broken.write_text(summary.model_dump_json() + "\n{not json\n")
    result = runner.invoke(app, ["stories", str(broken)])
    assert result.exit_code == 2 and f"{broken}:2" in result.output


def test_the_cli_links_a_folder_of_summaries_into_a_story_file(
    tmp_path: Path, seed_summaries: dict[str, ArticleSummary]
) -> None:
    folder = tmp_path / "summaries"
    folder.mkdir()
    for name, summary in seed_summaries.items():
        (folder / f"{name}.json").write_text(summary.model_dump_json())
    meta = tmp_path / "meta.json"
    meta.write_text(json.dumps({"articles": {k: {"published_at": v.isoformat()} for k, v in PUBLISHED.items()}}))
    out = tmp_path / "stories.json"
    result = CliRunner().invoke(app, ["stories", str(folder), "--meta", str(meta), "--out", str(out)])
    assert result.exit_code == 0, result.output
    story_set = StorySet.model_validate_json(out.read_text())
    assert story_set.summaries == 5
    assert "told by more than one article" in result.output and "(disputed)" in result.output


def _grounded(article: str, snippet: str) -> Evidence:
    start = article.index(snippet)
    return Evidence(text=snippet, status="grounded", start=start, end=start + len(snippet), score=1, reason="exact")


def _undated(name: str, article: str, figures: list[tuple[str, str, str, str, int | None]]) -> ArticleSummary:
    """A summary of ``article`` without a publication day: (sentence, phrase, victims, outcome, low) figures."""
    casualties = [
        Casualty(
            victims=victims,
            outcome=Outcome(outcome),
            count=Count(text=phrase, low=low, high=low, evidence=_grounded(article, phrase)),
            evidence=_grounded(article, sentence),
        )
        for sentence, phrase, victims, outcome, low in figures
    ]
    made = hand_made_summary(casualties=casualties, article_text=article)
    return made.model_copy(update={"id": f"sum_{name}", "article": made.article.model_copy(update={"id": name})})


LYON_A = (
    "Police in the city of Lyon were searching for a man believed to be responsible for a Friday blast which "
    "injured several people. None of the injuries were life-threatening. "
    "There were eight women, a 10-year-old girl and four men injured."
)
LYON_B = "A device exploded on Friday, wounding 13 people on a busy pedestrian street in the city of Lyon."
LYON_C = "A bomb exploded on Friday in the city of Lyon, injuring two people."


def test_articles_without_dates_link_on_strong_evidence_only() -> None:
    first, list_sentence = (
        LYON_A.split(". ")[0] + ".",
        "There were eight women, a 10-year-old girl and four men injured.",
    )
    a = _undated(
        "a",
        LYON_A,
        [
            (first, "several", "people", "injured", None),
            (list_sentence, "eight", "women", "injured", 8),
            (list_sentence, "a", "10-year-old girl", "injured", 1),
            (list_sentence, "four", "men", "injured", 4),
        ],
    )
    b = _undated("b", LYON_B, [(LYON_B, "13", "people", "injured", 13)])
    c = _undated("c", LYON_C, [(LYON_C, "two", "people", "injured", 2)])
    story_set = link_stories([a, b, c])
    linked = [s for s in story_set.stories if len(s.reports) > 1]
    # town, weekday, kind and the list's sum (8 + 1 + 4 = 13) against "13": one event
    assert [sorted(r.article for r in s.reports) for s in linked] == [["a", "b"]]
    reasons = {r.kind.value for r in linked[0].links[0].reasons}
    assert reasons == {"place", "date", "type", "figures"}
    injured = linked[0].ledger[0]
    assert sorted((f.report, f.low or -1) for f in injured.figures) == [("a", -1), ("a", 13), ("b", 13)]
    assert injured.reconciled.low == injured.reconciled.high == 13 and not injured.reconciled.disputed
    # the same town, day and kind with another toll is not enough without publication days
    assert not any("c" in {r.article for r in s.reports} for s in linked)


def test_a_sentence_that_gives_a_total_and_its_breakdown_is_not_counted_twice() -> None:
    from summarizer.stories.article_figures import group_total
    from tests.eval_helpers import casualty

    breakdown = [casualty("people", "arrested", 12), casualty("women", "arrested", 7), casualty("men", "arrested", 5)]
    assert group_total(breakdown) == (12, 12)  # "12 people: seven women and five men"
    groups = [casualty("US service members", "injured", 4), casualty("members of the ISF", "injured", 2)]
    assert group_total(groups) == (6, 6)  # different victims: their sum
    open_ended = [casualty("civilians", "killed", 25, None, text="at least 25"), casualty("soldiers", "killed", 2)]
    assert group_total(open_ended) == (27, None)  # no upper bound when a part has none
    among = [casualty("people", "killed", 18, None, text="at least 18"), casualty("children", "killed", 6)]
    assert group_total(among) == (18, None)  # "at least 18 people, among them six children"
    more = [casualty("people", "killed", 24), casualty("bodies", "killed", 6, text="six more")]
    assert group_total(more) == (24, 24)  # "has risen to 24 ... after rescuers pulled six more bodies"


BELFAST = (
    "The worst explosion was at the busy Oxford Street bus station, where at least six people were killed. "
    "Reports by witnesses said that the bomb had been planted in a car. As a Land-Rover arrived, it exploded, "
    "killing two soldiers instantly. At Cavehill Road, an hour later, three people were killed in a blast."
)


def test_the_untold_parts_of_one_attack_are_one_incident_and_another_place_is_another() -> None:
    from summarizer.stories.incidents import incidents_of, source_of

    first = "The worst explosion was at the busy Oxford Street bus station, where at least six people were killed."
    second = "As a Land-Rover arrived, it exploded, killing two soldiers instantly."
    third = "At Cavehill Road, an hour later, three people were killed in a blast."
    summary = _undated(
        "belfast",
        BELFAST,
        [
            (first, "at least six", "people", "killed", 6),
            (second, "two", "soldiers", "killed", 2),
            (third, "three", "people", "killed", 3),
        ],
    )
    incidents = incidents_of(source_of(summary))
    # the explosion and "it exploded, killing two soldiers" a sentence later; not the blast at Cavehill Road
    assert [sorted(c.count.text for c in i.casualties) for i in incidents] == [["at least six", "two"], ["three"]]
    assert incidents[1].places == {"Cavehill Road"}


OXFORD_STREET = (
    "At Oxford Street, the busiest bus station in Northern Ireland, four bus workers and two soldiers were killed."
)
SOLDIERS_ONLY = "At Oxford Street two soldiers were killed when a car exploded."


def test_a_total_and_a_part_that_both_agree_at_one_site_link_articles_without_dates() -> None:
    first = "The worst explosion was at the busy Oxford Street bus station, where at least six people were killed."
    second = "As a Land-Rover arrived, it exploded, killing two soldiers instantly."
    belfast = _undated(
        "belfast", BELFAST, [(first, "at least six", "people", "killed", 6), (second, "two", "soldiers", "killed", 2)]
    )
    oxford = _undated(
        "oxford",
        OXFORD_STREET,
        [(OXFORD_STREET, "four", "bus workers", "killed", 4), (OXFORD_STREET, "two", "soldiers", "killed", 2)],
    )
    soldiers = _undated("soldiers", SOLDIERS_ONLY, [(SOLDIERS_ONLY, "two", "soldiers", "killed", 2)])
    story_set = link_stories([belfast, oxford, soldiers])
    linked = [s for s in story_set.stories if len(s.reports) > 1]
    # the site, the total (4 + 2 = "at least six") and the part ("two soldiers"): two numbers agree
    assert [sorted(r.article for r in s.reports) for s in linked] == [["belfast", "oxford"]]
    assert sorted(r.kind.value for r in linked[0].links[0].reasons) == ["figures", "figures", "place"]
    assert linked[0].headline.startswith("bombing in Oxford Street")  # the place both name, not the country
    # "killing two soldiers" a sentence later is part of the six, not a toll of its own that disputes it
    (killed,) = linked[0].ledger
    assert sorted(f.text for f in killed.figures) == [
        "at least six people, among them two soldiers",
        "four bus workers + two soldiers",
    ]
    assert (killed.reconciled.low, killed.reconciled.high, killed.reconciled.disputed) == (6, 6, False)
    # one number agreeing at the same site is not strong enough without publication days
    assert all("soldiers" not in {r.article for r in s.reports} for s in linked)


def test_a_part_told_apart_joins_the_one_total_of_the_same_teller_that_can_hold_it() -> None:
    from summarizer.stories.article_figures import figure_groups
    from tests.eval_helpers import casualty

    people = casualty("people", "injured", 21, None, text="more than 20").model_copy(update={"reported_by": "a leader"})
    soldiers = casualty("soldiers", "injured", 2)
    # told by another teller (the regional bloc, not the leader who gave the market's toll): its own figure
    assert len(figure_groups([people, soldiers])) == 2
    told_by_leader = soldiers.model_copy(update={"reported_by": "a leader"})
    assert [len(g) for g in figure_groups([people, told_by_leader])] == [2]
    # two totals that could hold it: which one is not known, so it stays apart
    others = casualty("people", "injured", 30).model_copy(update={"reported_by": "a leader"})
    assert len(figure_groups([people, told_by_leader, others])) == 3
    # a part larger than the total is not a part of it
    many = casualty("soldiers", "injured", 40).model_copy(update={"reported_by": "a leader"})
    assert len(figure_groups([people, many])) == 2


def _answered(
    name: str, article: str, sentence: str, actors: list[str], kind: str, time: str, figures: list[tuple[str, str, int]]
) -> ArticleSummary:
    """A dated summary of one action told in ``sentence``, with figures (phrase, victims, low) of it."""
    from summarizer.extraction import ActionType, Modality
    from summarizer.schema import Action

    action = Action(
        actors=actors,
        type=ActionType(kind),
        targets=[],
        location=None,
        time=time,
        modality=Modality.actual,
        evidence=_grounded(article, sentence),
    )
    casualties = [
        Casualty(
            victims=victims,
            outcome=Outcome.killed,
            count=Count(text=phrase, low=low, high=low, evidence=_number(article, phrase, victims)),
            evidence=_grounded(article, sentence),
        )
        for phrase, victims, low in figures
    ]
    made = hand_made_summary(actions=[action], casualties=casualties, article_text=article)
    meta = made.article.model_copy(update={"id": name, "published_at": "2019-12-31"})
    return made.model_copy(update={"id": f"sum_{name}", "article": meta})


def _number(article: str, phrase: str, victims: str) -> Evidence:
    """The count phrase where it stands before its victims ("a" of "a U.S. contractor")."""
    start = article.index(f"{phrase} {victims}")
    return Evidence(text=phrase, status="grounded", start=start, end=start + len(phrase), score=1, reason="exact")


def test_what_an_action_answered_is_an_event_of_its_own_with_its_own_figure_place_and_day() -> None:
    from summarizer.stories.causes import cause_of
    from summarizer.stories.incidents import incidents_of, source_of

    sentence = (
        "The Pentagon said Sunday that the United States struck militia sites in Iraq, following the death "
        "Friday of a U.S. contractor from rockets fired at a base in Kirkuk."
    )
    summary = _answered(
        "a", sentence, sentence, ["United States"], "airstrike", "Sunday", [("a", "U.S. contractor", 1)]
    )
    strike, cause = incidents_of(source_of(summary))
    assert cause.answered_by is strike
    assert (strike.places, strike.casualties, strike.dates) == ({"Iraq"}, [], {date(2019, 12, 29)})
    assert cause.places == {"Kirkuk"} and cause.dates == {date(2019, 12, 27)}
    assert [c.victims for c in cause.casualties] == ["U.S. contractor"]
    assert cause.mentions[0].text.startswith("the death Friday of a U.S. contractor")

    opening = "In response to rocket attacks on its bases, the United States struck five sites."
    found = cause_of(summary.actions[0].model_copy(update={"evidence": _grounded(opening, opening)}))
    assert found is not None and found.text == "rocket attacks on its bases"
    meeting = "The minister flew to Baghdad following the meeting."
    assert cause_of(summary.actions[0].model_copy(update={"evidence": _grounded(meeting, meeting)})) is None


def test_two_reports_that_give_one_event_as_what_one_story_answered_tell_one_event() -> None:
    first = "On Sunday, US air strikes killed 25 fighters in Iraq in retaliation for a rocket attack on a base."
    second = "U.S. air strikes killed 25 militiamen on Sunday, following rocket fire against an American base."
    third = "U.S. air strikes on Sunday killed 25 people, in retaliation for the bombing of a market."
    summaries = [
        _answered(name, text, text, [actor], "airstrike", "Sunday", [("25", victims, 25)])
        for name, text, actor, victims in [
            ("a", first, "US", "fighters"),
            ("b", second, "U.S.", "militiamen"),
            ("c", third, "U.S.", "people"),
        ]
    ]
    story_set = link_stories(summaries)
    groups = sorted(
        (sorted(r.article for r in s.reports), [k.kind.value for link in s.links for k in link.reasons])
        for s in story_set.stories
        if len(s.reports) > 1
    )
    rockets, strikes = groups
    assert strikes[0] == ["a", "b", "c"]
    # the rocket attack told only as what the strikes answered, in two reports: one event; a bombing is another
    assert rockets == (["a", "b"], ["type", "answered"])
    rocket_story = next(s for s in story_set.stories if sorted(r.article for r in s.reports) == ["a", "b"])
    assert [m.text for r in rocket_story.reports for m in r.mentions] == [
        "a rocket attack on a base",
        "rocket fire against an American base",
    ]
    assert not rocket_story.ledger  # no figure of its own


def test_a_figure_goes_on_with_the_one_before_only_as_one_attack_toll() -> None:
    from summarizer.stories.incidents import incidents_of, source_of

    blog = (
        "Police said nine protesters were arrested after they blocked the highway. "
        "A 43-year-old man was lightly hurt by shrapnel in Kiryat Ata. "
        "The death toll from the strike on the school in Gaza City has risen to 24, the agency says."
    )
    lines = blog.split(". ")
    summary = _undated(
        "blog",
        blog,
        [
            (lines[0] + ".", "nine", "protesters", "arrested", 9),
            (lines[1] + ".", "A", "43-year-old man", "injured", 1),
            (lines[2], "24", "people", "killed", 24),
        ],
    )
    # three entries, three events: not one toll of "one injured and 24 killed", nor arrests with a toll
    assert [[c.count.text for c in i.casualties] for i in incidents_of(source_of(summary))] == [["nine"], ["A"], ["24"]]


def test_publication_days_apply_to_an_article_named_with_its_file_ending(
    seed_summaries: dict[str, ArticleSummary],
) -> None:
    from summarizer.stories.inputs import info_for

    assert info_for(INFO, "000_6251781f4193fbe1.txt") == INFO["000_6251781f4193fbe1"]
    assert info_for(INFO, "000_6251781f4193fbe1") == INFO["000_6251781f4193fbe1"]
    assert info_for(INFO, "elsewhere.txt") is None
    # a batch names its articles "000_....txt"; the stories gold and feeds name them without the ending
    by_file = {f"{name}.txt": summary for name, summary in seed_summaries.items()}
    assert len(_multi_article_groups(_link(by_file))) == len(_multi_article_groups(_link(seed_summaries))) == 2


PARTS = "The civil defence said 17 people were killed, including seven children. Among the dead were three women."


def test_a_part_of_a_toll_is_shown_among_it_and_never_added_to_it() -> None:
    from summarizer.stories.article_figures import figure_groups, group_total
    from summarizer.stories.incidents import Incident, source_of
    from summarizer.stories.ledger import ledger_of

    first, second = PARTS.split(". ")
    summary = _undated(
        "parts",
        PARTS,
        [
            (first + ".", "17", "people", "killed", 17),
            (first + ".", "seven", "children", "killed", 7),
            (second, "three", "women", "killed", 3),
        ],
    )
    casualties = summary.casualties
    (group,) = figure_groups(casualties)  # "Among the dead were three women" joins the toll it is part of
    assert group_total(group) == (17, 17)  # not 17 + 7 + 3
    incident = Incident(source=source_of(summary), casualties=list(casualties))
    (killed,) = ledger_of([incident])
    assert [f.text for f in killed.figures] == ["17 people, among them seven children, three women"]
    assert killed.reconciled.low == killed.reconciled.high == 17


def test_an_action_dated_over_a_span_of_the_past_is_background_not_an_incident() -> None:
    from summarizer.stories.incidents import incidents_of, source_of
    from tests.eval_helpers import action, evidence

    text = "Militants have attacked the base many times since 2014. Militants attacked the base on Sunday."
    record = action(["Militants"], ["the base"]).model_copy(
        update={"time": "since 2014", "evidence": evidence(text[:55], text)}
    )
    today = action(["Militants"], ["the base"]).model_copy(
        update={"time": "on Sunday", "evidence": evidence(text[56:], text)}
    )
    incidents = incidents_of(source_of(hand_made_summary(actions=[record, today], article_text=text)))
    assert [i.actions[0].time for i in incidents] == ["on Sunday"]


def test_a_generic_site_is_no_evidence_that_two_strikes_are_one() -> None:
    from summarizer.stories.names import is_distinctive

    # "a strike on a house in Nuseirat" and "a strike on a house in Kfar Rumman" share only "house"
    assert not is_distinctive("house") and not is_distinctive("the school")
    assert is_distinctive("Khalil Oweida school") and is_distinctive("house in Nuseirat")
