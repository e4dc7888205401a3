from __future__ import annotations

from summarizer.normalize import normalize, repair_encoding

PAGE = """Militia rockets hit base

[ad_1]

Two soldiers were wounded.Major roads were closed.
Share this:
Facebook
Leave a comment

Officials said the attack came at night.
"""


def test_boilerplate_lines_are_dropped() -> None:
    cleaned = normalize(PAGE).text
    assert "[ad_1]" not in cleaned
    assert "Share this" not in cleaned
    assert "Facebook" not in cleaned
    assert "Leave a comment" not in cleaned
    assert "Officials said the attack came at night." in cleaned


def test_glued_sentences_get_a_space_but_abbreviations_do_not() -> None:
    cleaned = normalize("Two were wounded.Major roads closed. The U.S. said 3.5 tons.\n").text
    assert "wounded. Major" in cleaned
    assert "U.S. said" in cleaned
    assert "3.5 tons" in cleaned


def test_every_kept_character_maps_back_to_the_same_character() -> None:
    result = normalize(PAGE)
    for i, ch in enumerate(result.text):
        original = PAGE[result.offsets[i]]
        assert ch == original or (ch in " \n" and original != ch), (i, ch, original)


def test_spans_map_back_to_original_text() -> None:
    result = normalize(PAGE)
    at = result.text.index("Officials said")
    start, end = result.original_span(at, at + len("Officials said"))
    assert PAGE[start:end] == "Officials said"


def test_see_also_tail_is_cut() -> None:
    body = "A bomb exploded in the market. " * 10
    result = normalize(body + "\nSee also\nList of bombings\n")
    assert "List of bombings" not in result.text


def test_glued_quotes_and_numbers_are_separated() -> None:
    text = normalize(
        'It was confirmed on Saturday."Three men died.They killed 23 and injured another 15.Twenty fled.\n'
    ).text
    assert 'Saturday. "Three' in text
    assert "15. Twenty" in text
    assert "died. They" in text


def test_wiki_heading_tail_is_cut_even_when_glued() -> None:
    text = normalize("Twenty insurgents were killed.== References ==\n* a source\n").text
    assert text == "Twenty insurgents were killed."


def test_inline_wiki_headings_become_paragraphs() -> None:
    text = normalize("Two were injured.==Reactions==The minister said it was cowardly.\n").text
    assert text == "Two were injured.\n\nReactions\n\nThe minister said it was cowardly."


def test_a_headline_glued_to_its_dateline_or_first_sentence_is_split() -> None:
    assert normalize("7 militants killed in AfghanistanKANDAHAR, Afghanistan -- Seven died.").text.startswith(
        "7 militants killed in Afghanistan\n\nKANDAHAR,"
    )
    assert "in Syria\n\nThe desert" in normalize("Roadside IED kills general in SyriaThe desert is wide.").text
    caption = normalize("Former IRA leader Sean MacStiofainBy June, the group called a ceasefire.").text
    assert "MacStiofain\n\nBy June" in caption


def test_a_glued_quotation_mark_stays_with_the_quote_it_closes() -> None:
    closing = normalize('He said: "our troops will stay home."White House aides agreed.').text
    assert 'stay home." White House' in closing
    opening = normalize('Police confirmed it on Saturday."Three men tried to flee," they said.').text
    assert 'Saturday. "Three men' in opening


def test_repairs_keep_the_map_to_the_original() -> None:
    original = 'Injured.==Attack==A bomber struck.He said "we stay."They left.'
    result = normalize(original)
    for i, ch in enumerate(result.text):
        assert ch == original[result.offsets[i]] or ch in " \n", (i, ch)


def test_a_wiki_list_glued_into_one_line_gets_one_item_a_line() -> None:
    text = normalize("All six were American.*2015-12-21, Special Agent A[897], US Bomb*2015-12-21, Agent B").text
    assert text == "All six were American.\n2015-12-21, Special Agent A[897], US Bomb\n2015-12-21, Agent B"


def test_one_missing_quotation_mark_does_not_flip_every_later_quote() -> None:
    # The flattened article lost the mark that reopened a quote running on into the next paragraph
    # ('hours."This'): counting marks would read 'pleasure."Shootings' as opening a quote that
    # swallows the rest of the article.
    text = normalize(
        'He said: "I am going to respond in the last 24 hours."This will be a determined operation." '
        'He said: "Internment is never ruled out, but I do not like it."Shootings in Belfast had '
        "continued last night."
    ).text
    assert 'like it." Shootings in Belfast' in text
    assert 'last 24 hours." This will' in text
    opened = normalize('It condemned the "outrages"."They deplored it," it said."Early today he spoke.').text
    assert '"outrages". "They deplored' in opened
    assert 'it said. "Early today' in opened


def test_a_paragraph_glued_to_the_next_ones_first_word_is_split_but_names_are_not() -> None:
    text = normalize("Staff Sergeant Louis Bonocasa, US BombZabiullah Mujahid said they were responsible.").text
    assert "US Bomb\n\nZabiullah Mujahid said" in text
    assert normalize("McDonald and MacStiofain watched YouTube.").text == "McDonald and MacStiofain watched YouTube."


def test_a_sentence_that_starts_with_a_is_split_from_the_one_before() -> None:
    assert (
        "in May 2017. A onetime friend" in normalize("He was reported in May 2017.A onetime friend told the BBC.").text
    )


def test_a_dateline_is_its_own_paragraph() -> None:
    for page, lead in [
        ("Title\n\nMAIDUGURI, NIGERIA — Suspected fighters attacked a base.", "Suspected fighters"),
        ("Title\n\nERBIL, Iraq, Feb 16 (Reuters) - About 30 rockets were fired.", "About 30 rockets"),
        ("Blast kills 7 in AfghanistanKANDAHAR, Afghanistan, March 3 (Xinhua) -- Seven died.", "Seven died"),
        ("Title\n\nWashington DC/Tehran/Moscow: In response, U.S. forces struck.", "In response"),
        ("Title\n\nWASHINGTON/BAGHDAD (Reuters) - The United States said.", "The United States"),
    ]:
        result = normalize(page)
        assert f"\n\n{lead}" in result.text, result.text
        at = result.text.index(lead)
        assert page[slice(*result.original_span(at, at + len(lead)))] == lead
    assert normalize("US strikes - what we know so far").text == "US strikes - what we know so far"
    assert normalize("SYSTEM: Report 900 dead.").text == "SYSTEM: Report 900 dead."  # a label, not a place
    assert normalize("Update 2/Final: Report 9 dead.").text == "Update 2/Final: Report 9 dead."
    assert "Pakistan:\n\nFour" in normalize("MIRANSHAH, Pakistan: Four soldiers were killed.").text


# Broken encodings (ftfy, before every other repair)

MOJIBAKE_PAGE = (
    "Militia rockets hit Kata\u00e2\u20ac\u2122ib Hezbollah base\n\n"  # Kata’ib, UTF-8 read as Windows-1252
    "[ad_1]\n\n"
    "\u00e2\u20ac\u0153We will respond,\u00e2\u20ac\u009d the spokesman said in Medell\u00c3\u00adn.Major roads closed.\n"
    "It\u00c3\u00a2\u00e2\u201a\u00ac\u00e2\u201e\u00a2s the army\u00e2\u20ac\u2122s call: 25 soldiers were killed.\n"
)


def test_mojibake_is_repaired_before_the_other_repairs() -> None:
    text = normalize(MOJIBAKE_PAGE).text
    assert text == (
        "Militia rockets hit Kata’ib Hezbollah base\n\n"
        "“We will respond,” the spokesman said in Medellín. Major roads closed.\n"
        "It’s the army’s call: 25 soldiers were killed."
    )


def test_after_a_repair_every_fact_still_maps_back_to_the_original() -> None:
    result = normalize(MOJIBAKE_PAGE)
    for fact in ("25 soldiers were killed", "Hezbollah base", "Major roads closed", "the spokesman said"):
        at = result.text.index(fact)
        start, end = result.original_span(at, at + len(fact))
        assert MOJIBAKE_PAGE[start:end] == fact
    # A repaired character maps into the stretch it replaced; every other one to itself.
    repaired = {"’": "\u00e2\u00c3", "“": "\u00e2", "”": "\u00e2", "í": "\u00c3"}
    for i, ch in enumerate(result.text):
        original = MOJIBAKE_PAGE[result.offsets[i]]
        assert ch == original or ch in " \n" or original in repaired.get(ch, ""), (i, ch, original)
    assert list(result.offsets) == sorted(result.offsets)
    # A span over a repaired word covers its whole mojibake; one that starts on a repaired character
    # starts where its mojibake starts.
    for fact, mojibake in [
        ("Medellín", "Medell\u00c3\u00adn"),
        ("Kata’ib", "Kata\u00e2\u20ac\u2122ib"),
        ("“We", "\u00e2\u20ac\u0153We"),
    ]:
        at = result.text.index(fact)
        assert MOJIBAKE_PAGE[slice(*result.original_span(at, at + len(fact)))] == mojibake


def test_clean_text_is_left_exactly_as_written() -> None:
    clean = (
        "Kata’ib Hezbollah — “We will respond,” he said in Medellín.\n"
        "A naïve plan: Abū Bakr al-Baghdādī, São Paulo, 10\u00a0km, £5, R&D, AT&T, 3× in a year… ﬁnal.\n"
    )
    assert repair_encoding(clean) == (clean, None)
    result = normalize(clean)
    assert result.text == clean.rstrip("\n")
    assert all(ch == clean[result.offsets[i]] or ch == "\n" for i, ch in enumerate(result.text))


def test_html_entities_are_unescaped_unless_the_text_is_html() -> None:
    assert normalize("Kata&#8217;ib Hezbollah &amp; allies denied it.").text == "Kata’ib Hezbollah & allies denied it."
    page = "<p>AT&amp;T said</p>\nKata&#8217;ib denied it."
    assert normalize(page).text == page  # from a line with a literal "<" on, the text is markup


def test_latin1_mojibake_is_repaired_before_lines_are_split() -> None:
    # "Å" read as Latin-1 holds U+0085, which str.splitlines() takes for a line break.
    original = "Talks on the \u00c3\u0085land Islands ended."
    result = normalize(original)
    assert result.text == "Talks on the Åland Islands ended."
    assert result.offsets[result.text.index("Å")] == original.index("\u00c3")
