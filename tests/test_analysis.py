"""The finders of the candidates strategy, on hand-made articles (spaCy's real English pipeline)."""

from __future__ import annotations

from summarizer.analysis.actors import ActorBook
from summarizer.analysis.attribution import Attributor
from summarizer.analysis.document import ArticleAnalysis
from summarizer.analysis.events import EventCandidate, find_events
from summarizer.analysis.figures import find_figures
from summarizer.analysis.finders import find_candidates
from summarizer.analysis.quotes import find_quotes
from summarizer.analysis.statements import find_statements
from summarizer.counts import parse_count
from summarizer.extraction import ActionType, ActorKind, Modality, Outcome
from summarizer.normalize import normalize


def statements(text: str) -> list[tuple[str, str | None, bool]]:
    analysis = ArticleAnalysis.of(text)
    found = find_statements(analysis, Attributor(analysis))
    return [(s.text, s.attribution.speaker.name if s.attribution else None, s.verbatim) for s in found]


def figures(text: str) -> list[tuple[str, Outcome, str]]:
    return [(f.phrase, f.outcome, f.victims) for f in find_figures(ArticleAnalysis.of(text))]


# --- quotes ---------------------------------------------------------------------------------------


def test_curly_straight_and_unclosed_quotes() -> None:
    text = 'He said “we will respond” and added "soon".\n“This goes on\n“and on here.”'
    found = find_quotes(text)
    assert [q.text for q in found] == ["we will respond", "soon", "This goes on", "and on here."]
    assert [q.closed for q in found] == [True, True, False, True]
    assert found[3].continues and not found[2].continues


def test_apostrophes_are_not_quotes() -> None:
    text = "Kata’ib Hezbollah’s fighters and the militants’ vehicle; ‘a real quote’ here."
    assert [q.text for q in find_quotes(text)] == ["a real quote"]


def test_a_closing_mark_written_as_an_opening_one_still_closes() -> None:
    found = find_quotes("“Most of the rockets hit a complex. “ The rest fell elsewhere.")
    assert [q.text for q in found] == ["Most of the rockets hit a complex."]


# --- statements and who says them ----------------------------------------------------------------


def test_speaker_from_the_parse_and_a_pronoun_resolved_to_the_last_speaker() -> None:
    text = (
        "“We will not be deterred by these attacks on our forces,” Pentagon spokesman Jonathan Hoffman said.\n"
        "He said the operations targeted three weapons depots in the north."
    )
    found = statements(text)
    assert found[0] == ("We will not be deterred by these attacks on our forces,", "Jonathan Hoffman", True)
    assert found[1][1:] == ("Jonathan Hoffman", False)


def test_a_title_abbreviation_does_not_end_the_sentence_before_the_name() -> None:
    """ "Brig. Gen. Eduardo Sarmiento": the sentence was cut after "Brig", which became a person."""
    text = "Police director Brig. Gen. Eduardo Sarmiento urged the suspect to surrender, police said."
    analysis = ArticleAnalysis.of(text)
    assert [s.text for s in analysis.doc.sents] == [text]
    names = [record.name for record in find_candidates(text).actors.records]
    assert "Eduardo Sarmiento" in names and not any(name.startswith("Brig") for name in names)


def test_a_role_resolves_to_the_person_who_holds_it() -> None:
    text = (
        "State Department spokeswoman Morgan Ortagus spoke on Monday.\n"
        "“The secretary reiterated that the response was defensive,” the spokeswoman said."
    )
    assert statements(text)[-1][1] == "Morgan Ortagus"


def test_according_to_and_the_verb_that_governs_the_quote() -> None:
    text = (
        "The ministry said in a statement that the envoy delivered “a message that will be studied by the "
        "authorities,” although he did not disclose its contents.\n"
        "According to the Syrian Observatory for Human Rights, the fighting went on all night."
    )
    found = statements(text)
    quote = next(s for s in found if s[2])
    assert quote[1] == "ministry"
    assert any(s[1] == "Syrian Observatory for Human Rights" for s in found if not s[2])


def test_a_scare_quote_without_a_speech_cue_is_not_a_statement() -> None:
    assert statements("The United States carried out “defensive strikes” in Iraq on Sunday.") == []


def test_what_was_not_said_is_not_a_statement() -> None:
    text = (
        "The army did not respond to requests for comment.\nThe Pentagon declined to comment on the strike.\n"
        "The ministry did not mention Kharkiv."
    )
    assert statements(text) == []


def test_a_tweet_is_a_statement_of_its_author() -> None:
    text = "Secretary of State Mike Pompeo spoke on Thursday.\n@SecPompeo Spoke with the Speaker today. We agreed on a plan."
    found = statements(text)
    assert ("Spoke with the Speaker today. We agreed on a plan.", "Mike Pompeo", False) in found


def test_nobody_claims_when_no_group_claims() -> None:
    assert statements("No group has claimed responsibility for the attack.") == []


# --- casualty figures ------------------------------------------------------------------------------


def test_numbers_that_count_things_are_refused() -> None:
    text = (
        "More than 30 rockets hit the base, 150 km from the capital, damaging five facilities.\n"
        "Washington keeps 5,000 troops in Iraq. 1,200 people marched in the capital.\n"
        "A missile struck an energy facility, but no one was hurt, the mayor said. No one was killed."
    )
    assert figures(text) == []


def test_one_candidate_per_figure_with_the_nearest_outcome() -> None:
    found = figures("Gunmen killed 23 police officers and injured another 15 in the ambush.")
    assert [(p, o) for p, o, _ in found] == [("23", Outcome.killed), ("another 15", Outcome.injured)]
    assert found[0][2] == "police officers"


def test_every_member_of_a_list_of_victims_is_a_figure() -> None:
    found = figures("There were eight women, a 10-year-old girl and four men injured.")
    assert [(p, o, v) for p, o, v in found] == [
        ("eight", Outcome.injured, "women"),
        ("a", Outcome.injured, "10-year-old girl"),
        ("four", Outcome.injured, "men"),
    ]


def test_figure_phrases_keep_their_bounds() -> None:
    found = figures(
        "At least 25 people were killed and more than 50 wounded. "
        "In April, more than two dozen pro-regime fighters were killed in IS attacks."
    )
    assert [(p, o) for p, o, _ in found] == [
        ("At least 25", Outcome.killed),
        ("more than 50", Outcome.injured),
        ("more than two dozen", Outcome.killed),
    ]
    assert parse_count(found[2][0]) == (25, None)
    assert found[1][2] == "people"  # "more than 50 wounded" counts the people of its sentence


def test_a_copula_with_an_outcome_and_a_number_without_a_noun() -> None:
    found = figures("In just 75 minutes, nine people were dead and some 130 more were injured.")
    assert found == [("nine", Outcome.killed, "people"), ("some 130", Outcome.injured, "people")]


def test_a_single_victim_counts_one() -> None:
    found = figures("The Pentagon blamed the militia for the death of a U.S. contractor in Kirkuk.")
    assert found == [("a", Outcome.killed, "U.S. contractor")]


# --- actions ----------------------------------------------------------------------------------------


def event_candidates(text: str) -> list[EventCandidate]:
    analysis = ArticleAnalysis.of(text)
    attributor = Attributor(analysis)
    find_statements(analysis, attributor)
    return find_events(analysis, attributor)


def events(text: str) -> list[tuple[tuple[str, ...], ActionType, tuple[str, ...]]]:
    return [(e.actors, e.type, e.targets) for e in event_candidates(text)]


def modalities(text: str) -> dict[str, Modality]:
    return {e.trigger: e.modality for e in event_candidates(text)}


def test_actor_and_target_from_verbs_and_event_nouns() -> None:
    found = events(
        "Iraqi demonstrators attacked the U.S. Embassy in Baghdad on Wednesday.\n"
        "The United States carried out air strikes against Kata'ib Hezbollah in Iraq and Syria."
    )
    assert (("Iraqi demonstrators",), ActionType.attack, ("U.S. Embassy",)) in found
    assert any(a == ("United States",) and "Kata'ib Hezbollah" in t for a, _, t in found)


def test_accusation_names_the_actor_of_the_attack() -> None:
    found = events("Pompeo accused the Iranian-backed militias of carrying out the attacks that targeted the embassy.")
    assert any(a == ("Iranian-backed militias",) and t == ("embassy",) for a, _, t in found)


def test_blame_names_the_actor_and_an_attack_that_refers_to_an_attack_ends() -> None:
    found = events("In the confusion following the attack, some blamed the attack on the far-right militants.")
    assert any("far-right militants" in a for actors, _, _ in found for a in actors)


def test_a_meeting_with_a_pronoun_subject_resolves_to_the_speaker() -> None:
    text = (
        "Iranian Foreign Minister Mohammad Javad Zarif said that Iran wants peace.\n"
        "He made this remark in a meeting with Russian Foreign Minister Sergei Lavrov."
    )
    assert (("Mohammad Javad Zarif",), ActionType.diplomatic_contact, ("Sergei Lavrov",)) in events(text)


# --- actors -----------------------------------------------------------------------------------------


def test_aliases_merge_into_one_actor() -> None:
    text = "Secretary of State Mike Pompeo condemned Kata'ib Hezbollah (KH) after the U.S. strikes."
    book = ActorBook(ArticleAnalysis.of(text))
    book.add("Mike Pompeo", label="PERSON")
    book.add("Pompeo")
    book.add("Kata'ib Hezbollah")
    book.add("KH")
    book.add("United States", label="GPE")
    book.add("U.S.")
    names = {r.name: r.aliases for r in book.ranked(10)}
    assert names["Mike Pompeo"] == ["Pompeo"]
    assert names["Kata'ib Hezbollah"] == ["KH"]
    assert names["United States"] == ["U.S."]


def test_a_name_in_a_title_or_a_describing_clause_is_no_participant() -> None:
    found = events(
        "Secretary of State Mike Pompeo spoke with Secretary General Antonio Guterres on Monday.\n"
        "The militia, which fought the Islamic State for years, attacked the Iraqi Army base."
    )
    assert found[0] == (("Mike Pompeo",), ActionType.diplomatic_contact, ("Antonio Guterres",))
    assert (("militia",), ActionType.attack, ("Iraqi Army base",)) in found  # not ("militia", "Islamic State")
    assert all("Islamic State" not in actors for actors, _, _ in found)


def test_rockets_fired_at_a_base_are_not_fired_by_the_subject_of_the_sentence() -> None:
    found = events(
        "The United States carried out strikes against the militia, following the death of a contractor "
        "from rockets fired at a military base in Kirkuk."
    )
    assert all(not (actors == ("United States",) and targets == ("military base",)) for actors, _, targets in found)


def test_actors_are_people_or_bodies_and_learn_their_kind() -> None:
    found = find_candidates(
        "Mike Pompeo met the Iraqi Speaker.\nThe strikes will degrade its ability to attack the coalition."
    )
    names = {r.name: r.kind for r in found.actors.ranked(20)}
    assert names.get("Mike Pompeo") is ActorKind.person
    assert "ability" not in names


def test_candidates_tie_figures_to_their_reporter() -> None:
    found = find_candidates("Three soldiers were wounded, Russia's Tass news agency reported.")
    assert [(f.phrase, f.outcome) for f in found.figures] == [("Three", Outcome.injured)]
    assert found.reporters[found.figures[0].start].name == "Russia's Tass news agency"


def test_kept_in_hospital_is_an_injury_not_an_arrest() -> None:
    text = "Ninety six people were detained in hospital. Police detained four suspects in Kabul."
    assert figures(text) == [("Ninety six", Outcome.injured, "people"), ("four", Outcome.arrested, "suspects")]
    assert [kind for _, kind, _ in events(text)] == [ActionType.arrest]


def test_who_claims_responsibility_for_an_attack_is_its_actor_by_their_own_word() -> None:
    analysis = ArticleAnalysis.of(
        "The Provisional IRA accepted responsibility for the bombings in Belfast.\n"
        "No group has claimed responsibility for the attack on the convoy."
    )
    found = find_events(analysis, Attributor(analysis))
    claimed = [(e.actors, e.type, e.modality.value) for e in found]
    assert claimed == [(("Provisional IRA",), ActionType.bombing, "claimed"), ((), ActionType.attack, "actual")]


def test_a_bomb_that_explodes_acts_for_nobody_and_a_street_is_a_place() -> None:
    found = find_candidates(
        "Reports by witnesses said that the bomb had been planted in a car. As a Land-Rover arrived, it "
        "exploded, killing two soldiers.\nMilitants carried out two bombings at Oxford Street."
    )
    assert all("Land-Rover" not in e.actors and "witnesses" not in e.actors for e in found.events)
    assert [e.location for e in found.events if e.trigger == "bombings"] == ["Oxford Street"]
    assert "Oxford Street" not in {r.name for r in found.actors.ranked(20)}
    assert [s.attribution.speaker.name for s in found.statements if s.attribution] == ["witnesses"]


def test_it_stands_for_the_group_that_was_the_last_subject() -> None:
    found = statements(
        "The army said the curfew would hold. The Provisional IRA accepted responsibility for the bombings. "
        "It claimed that a warning was given before each explosion."
    )
    assert found[-1][1] == "Provisional IRA"


def test_a_message_handed_to_a_government_and_a_call_to_a_minister_are_diplomatic_contacts() -> None:
    found = events(
        "The US Ambassador delivered an important message to the Iraqi government.\n"
        "Earlier, the U.S. top diplomat called the Deputy PM and Foreign Minister of Qatar, Mohammed Al Thani."
    )
    contacts = [(actors, targets) for actors, kind, targets in found if kind is ActionType.diplomatic_contact]
    assert contacts[0] == (("US Ambassador",), ("Iraqi government",))
    assert "Mohammed Al Thani" in contacts[1][1]


def test_an_acronym_the_parse_reads_as_a_verb_still_acts() -> None:
    found = events("More than two dozen pro-regime fighters were killed in IS attacks in Badia al-Sham.")
    assert [(a, k) for a, k, t in found if t and t[0].endswith("pro-regime fighters")] == [(("IS",), ActionType.attack)]


def test_a_number_of_deaths_or_lives_is_a_figure() -> None:
    assert figures("The blast caused 25 deaths. The bombing claimed nine lives.") == [
        ("25", Outcome.killed, ""),
        ("nine", Outcome.killed, ""),
    ]
    assert figures("Three soldiers lost their lives.") == [("Three", Outcome.killed, "soldiers")]
    assert figures("The group claimed three attacks.") == []


def test_only_someone_who_can_speak_is_a_speaker() -> None:
    found = statements(
        "Police were searching for a man believed to be responsible for the blast. "
        "The leadership of ETA was taken aback by the responses to the attack and said that it regretted it. "
        "Her number instantly underlined what we have known for some time. "
        "Ultimately Bloody Friday revealed a side to the organisation that many had not seen. "
        "According to local media, the man worked for a fast-food chain. "
        "\u201cThey are obliging us to vote,\u201d said the young father of two."
    )
    speakers = [speaker for _, speaker, _ in found]
    assert "man" not in speakers and "responses" not in speakers and "number" not in speakers
    assert "Bloody Friday" not in speakers
    assert "local media" in speakers and "young father" in speakers


def test_a_figure_names_its_own_victims_not_the_next_ones_nor_a_number() -> None:
    assert ("two", Outcome.injured, "Americans") in figures(
        "Six service members were killed with two other Americans and an Afghani injured."
    )
    assert [f[:2] for f in figures("Two car bombs claimed the nine lives - one at the bus station.")] == [
        ("nine", Outcome.killed)
    ]
    assert all(victims != "12" for _, _, victims in figures("Two of the 12 initially killed were police officers."))


def test_a_day_that_owns_an_attack_is_when_not_who() -> None:
    found = events("Our thoughts are with those injured in today's Taliban attack near Bagram Airfield.")
    assert [actors for actors, kind, _ in found if kind is ActionType.attack] == [("Taliban",)]


def test_a_citation_mark_is_no_part_of_a_name() -> None:
    found = find_candidates("Staff Sergeant Louis M. Bonocasa[902] was killed. Bonocasa served in the Air Force.")
    assert any(r.name == "Louis M. Bonocasa" for r in found.actors.ranked(20))


def test_habitual_background_is_no_event_but_an_ongoing_attack_is() -> None:
    found = events(
        "Militants in Afghanistan have been using home-made IEDs to make roadside bombs to target security "
        "forces.\nInsurgents often attack convoys on the highway.\n"
        "Taliban fighters have been attacking the district centre since Monday.\n"
        "The US military has carried out more than 300 strikes against al-Qaeda in Yemen since 2002.\n"
        "The district has been repeatedly targeted by militants in recent years."
    )
    assert [(actors, targets) for actors, _, targets in found] == [(("Taliban fighters",), ("district centre",))]


def test_what_a_device_did_is_not_the_speakers_act() -> None:
    found = events('After a while, the bomb exploded near the gate, killing three soldiers," the police said.')
    assert all("police" not in actors for actors, _, _ in found)
    found = events("A suicide bomber exploded near the gate of the base, killing three soldiers.")
    assert any(actors == ("suicide bomber",) for actors, _, _ in found)


def test_an_attack_said_not_to_be_theirs_is_denied() -> None:
    text = (
        "“The Islamic Emirate has no hand in this attack,” Taliban spokesman Zabihullah Mujahid said.\n"
        "“The Russian armed forces do not strike civilian infrastructure,” Dmitry Peskov said.\n"
        "The group said it was not behind the ambush on the convoy.\nPolice did not stop the raid on the base."
    )
    found = modalities(text)
    assert found["attack"] == found["strike"] == found["ambush"] == Modality.denied
    assert found["raid"] == Modality.actual


def test_he_is_the_person_the_sentence_before_is_about() -> None:
    text = (
        '"Three people were killed," police officer Abdullahi Nur told AFP.\n'
        "Abdikadir Abdirahman, the director of the Aamin Ambulance service, gave a higher toll. He said his "
        "teams had collected four bodies.\n"
        'Gov. Tarek el Aissami spoke first. Aragua\'s governor said the claims were "a terrorist matrix."'
    )
    found = statements(text)
    assert [s[1] for s in found if s[0].startswith("He said")] == ["Abdikadir Abdirahman"]
    assert next(s[1] for s in found if "matrix" in s[0]) == "Tarek el Aissami"


def test_what_an_attack_was_done_with_is_not_its_target() -> None:
    found = events(
        "The attacker detonated his explosives-laden vest at the entrance of the mosque.\n"
        "Terrorists remotely detonated the device as the convoy passed.\n"
        "Gunmen fired eight missiles at dawn. Soldiers shot down a drone."
    )
    targets = {target for _, _, found_targets in found for target in found_targets}
    assert "drone" in targets
    assert not targets & {"explosives-laden vest", "device", "missiles", "eight missiles"}
    assert any(actors == ("Gunmen",) for actors, _, _ in found)
    # what a device was detonated at is where it went off
    vest = next(e for e in event_candidates("The attacker detonated his explosives-laden vest at the entrance."))
    assert vest.location == "entrance" and vest.instrument == "explosives-laden vest" and not vest.targets


def test_an_attack_told_by_the_side_that_made_it_is_claimed() -> None:
    text = (
        "The TTP claimed responsibility for the blast, saying its fighters had killed nine soldiers.\n"
        "The ministry said its forces had carried out strikes against military facilities.\n"
        '"They shot anyone who tried to run," a witness said of the gunmen who attacked the village.'
    )
    found = modalities(text)
    assert found["killed"] == found["strikes"] == Modality.claimed
    assert found["attacked"] == Modality.actual


def test_an_official_named_with_a_is_someone_new() -> None:
    text = (
        '"We are assessing the damage," coalition spokesman Col. Wayne Marotto said.\n'
        "An Iraqi civilian was killed when a rocket struck a house, a Kurdish security official said.\n"
        "The spokesman added that no coalition troops were hurt."
    )
    speakers = [speaker for text, speaker, verbatim in statements(text) if not verbatim]
    # the quote's frame is no paraphrase of its own (statement.drop.frame-only)
    assert speakers == ["Kurdish security official", "Wayne Marotto"]


def test_a_toll_put_at_a_number_and_counted_bodies_are_figures() -> None:
    found = figures(
        "An official at the hospital put the death toll at 15.\nThe injury toll rose to 40 on Sunday.\n"
        "His teams collected four bodies from the scene and carried 11 wounded people to hospitals.\n"
        "Two government bodies met. Prices rose to 20 dollars.\n"
        "Missiles struck Kharkiv early Thursday, killing at least seven people and wounding 21, officials said."
    )
    assert found == [
        ("15", Outcome.killed, ""),
        ("40", Outcome.injured, ""),
        ("four", Outcome.killed, "bodies"),
        ("11", Outcome.injured, "wounded people"),
        ("at least seven", Outcome.killed, "people"),
        ("21", Outcome.injured, "people"),
    ]


def test_he_in_a_clause_is_the_subject_of_its_sentence() -> None:
    found = event_candidates(
        "Police spokesman Khalid Zadran spoke to reporters.\n"
        "A second attacker was stopped by guards and fled before he could detonate his explosives."
    )
    assert [e.actors for e in found if e.trigger == "detonate"] == [("second attacker",)]


def test_he_after_a_reported_sentence_is_the_person_it_reports() -> None:
    found = event_candidates(
        'Saudi Foreign Minister Prince Faisal bin Farhan said the kingdom would "spare no effort" to end the '
        "fighting, the official Saudi Press Agency reported. He met the heads of both delegations on Sunday."
    )
    assert [e.actors for e in found if e.trigger == "met"] == [("Faisal bin Farhan",)]


def test_a_shell_that_slams_into_a_market_says_nothing() -> None:
    found = statements(
        "Mortar shells fired by suspected al-Shabaab militants slammed into a crowded market in Mogadishu's "
        "Hamarweyne district on Tuesday, killing three civilians, police said."
    )
    assert [speaker for _, speaker, _ in found] == ["police"]


def test_a_dateline_and_the_channel_of_a_quote_are_no_actors() -> None:
    found = find_candidates(
        normalize(
            'KABUL, Dec 3 (Xinhua) -- Gunmen attacked a mosque, killing 12. "We will find them," police '
            "spokesman Khalid Zadran told Xinhua. The Taliban said on Twitter that it had no part in it."
        ).text
    )
    names = {record.name for record in found.actors.ranked(20)}
    assert "Khalid Zadran" in names and "Taliban" in names
    assert not names & {"KABUL", "Xinhua", "Twitter"}


def test_a_weapon_stands_for_an_attacker_the_sentence_does_not_name() -> None:
    found = events(
        "Russian missiles struck Kharkiv early Thursday, killing at least seven people.\n"
        "About 30 rockets were fired at a military base on Monday, killing one civilian.\n"
        "Mortar shells fired by suspected al-Shabaab militants slammed into a market, killing three civilians.\n"
        "Witnesses did not know where the bombs were being detonated."
    )
    assert (("Russian missiles",), ActionType.attack, ("seven people",)) in found
    assert (("30 rockets",), ActionType.attack, ("military base",)) in found
    assert (("suspected al-Shabaab militants",), ActionType.attack, ("three civilians",)) in found
    assert all(actors != ("bombs",) for actors, _, _ in found)


def test_a_group_calling_itself_a_name_is_that_name_and_no_place() -> None:
    found = find_candidates(
        "A little-known group calling itself Saraya Awliya al-Dam claimed responsibility for the attack on the "
        "base in a statement on Telegram.\nA militant group known as the Mujahideen Army claimed the attack on "
        "the convoy."
    )
    # the base attacked is where, never the group's name
    assert [(e.actors, e.location) for e in found.events] == [
        (("Saraya Awliya al-Dam",), "base"),
        (("Mujahideen Army",), None),
    ]
    assert [s.attribution.speaker.name for s in found.statements if s.attribution] == [
        "Saraya Awliya al-Dam",
        "Mujahideen Army",
    ]
    assert "Telegram" not in {r.name for r in found.actors.ranked(20)}


def test_a_goal_met_is_no_meeting_and_a_dateline_of_cities_is_no_actor() -> None:
    found = events(
        normalize(
            "Washington DC/Tehran/Moscow: In response to KH attacks, U.S. forces have conducted strikes against "
            "five KH facilities to meet the objective of degrading KH's ability to conduct attacks.\n"
            "The minister met the ambassador on Monday."
        ).text
    )
    assert not any(kind is ActionType.diplomatic_contact and "objective" in targets for _, kind, targets in found)
    assert any(actors == ("U.S. forces",) and "five KH facilities" in targets for actors, _, targets in found)
    assert all("Tehran" not in actors for actors, _, _ in found)
    assert (("minister",), ActionType.diplomatic_contact, ("ambassador",)) in found
    no_one_met = events(
        "By June, the group felt confident enough to call a ceasefire.\n"
        "On Friday, the French president, Emmanuel Macron, called the explosion an attack.\n"
        "An official, who spoke on condition of anonymity, gave the toll."
    )
    assert not [e for e in no_one_met if e[1] is ActionType.diplomatic_contact], no_one_met


def test_the_sides_of_a_clash_and_what_a_car_was_rammed_into() -> None:
    found = events(
        "Heavy fighting broke out Sunday between M23 rebels and Congolese troops, killing at least six civilians.\n"
        "A suicide bomber rammed an explosives-laden car into the police checkpost."
    )
    assert (("M23 rebels", "Congolese troops"), ActionType.armed_clash, ()) in found
    assert (("M23 rebels", "Congolese troops"), ActionType.attack, ("six civilians",)) in found  # not "fighting"
    assert (("suicide bomber",), ActionType.attack, ("police checkpost",)) in found  # not the car


def test_the_frame_of_a_sentence_reports_it_and_the_group_is_the_body_just_named() -> None:
    found = find_candidates(
        "An Israeli air strike on a school housing displaced families killed at least 18 people on Thursday, "
        "Gaza's civil defence agency said, while the Israeli military said it had hit militants.\n"
        '"Our crews recovered 18 martyrs," the spokesman said.\n'
        "The RSF denied targeting civilians. In a statement posted on Telegram, the group said its forces had "
        "responded to sources of fire."
    )
    toll = next(f for f in found.figures if f.phrase == "at least 18")
    assert found.reporters[toll.start].name == "Gaza's civil defence agency"  # not the military's own claim
    assert [f.phrase for f in found.figures if f.outcome is Outcome.killed][:1] == ["at least 18"]  # not "a school"
    assert next(f.victims for f in found.figures if f.phrase == "18") == "martyrs"
    group = next(s for s in found.statements if "sources of fire" in s.text)
    assert group.attribution is not None and group.attribution.speaker.text == "RSF"


def test_who_tells_a_toll_and_a_part_named_with_among_are_not_its_victims() -> None:
    figures = find_figures(
        ArticleAnalysis.of(
            "Five policemen among seven martyred in Lakki Marwat suicide car bombing\n\n"
            "However, officials at the District Headquarters Hospital said they had received nine bodies and 17 "
            "injured, six of whom were referred to Bannu in critical condition."
        )
    )
    victims = {f.phrase: f.victims for f in figures}
    assert victims["seven"] != "policemen" and victims["17"] != "officials"


def test_kidnappings_court_sentences_protests_told_around_and_what_only_may_happen() -> None:
    found = events(
        "Two nurses and a Catholic nun were kidnapped by gunmen from a health centre on Monday.\n\n"
        "Gang attack on hill town kills at least 12, nurses kidnapped\n\n"
        "A special court in Jammu sentenced two men to ten years in prison.\n"
        "Residents and traders blocked the Indus Highway for six hours in protest against the provincial government.\n"
        "He is awaiting trial on charges that carry the threat of execution if he is convicted.\n"
        "North Waziristan has seen a rise in attacks on security forces."
    )
    assert (("gunmen",), ActionType.attack, ("Two nurses", "Catholic nun")) in found
    assert not any(actors == ("nurses",) for actors, _, _ in found)  # a headline's passive names no kidnapper
    assert (("special court",), ActionType.other, ("two men",)) in found
    assert (("Residents", "traders"), ActionType.protest, ("provincial government",)) in found
    assert not any(kind is ActionType.other and "charges" in actors for actors, kind, _ in found)  # "if": not done
    assert not any("North Waziristan" in actors for actors, _, _ in found)  # a place that saw attacks did none


def test_crowds_counted_stones_thrown_salvos_fired_and_missiles_shot_down() -> None:
    found = events(
        "Thousands of people rallied outside the defence ministry in Tel Aviv this evening.\n"
        "In Goma, hundreds of young people threw stones at vehicles of the U.N. peacekeeping mission.\n"
        'Hezbollah says it has fired "a large rocket salvo" at an Israeli naval base.\n'
        'The group fired a ballistic missile at "a military target in the occupied Jaffa area".\n'
        "Air defenses shot down 29 of the missiles overnight."
    )
    assert (("people",), ActionType.protest, ("defence ministry",)) in found  # the crowd, not "Thousands"
    assert (("young people",), ActionType.attack, ("vehicles", "U.N.")) in found
    assert any(a == ("Hezbollah",) and t and "salvo" not in t[0] for a, _, t in found)  # what it was fired with
    assert any(t == ("military target",) for _, _, t in found)  # "a target" is no attack of its own
    assert (("Air defenses",), ActionType.other, ("missiles",)) in found  # an interception, not an attack


def test_a_weapon_that_strikes_something_is_an_action_with_that_instrument_and_a_device_going_off_is_one_too() -> None:
    from summarizer.analysis.actors import actor_like, instrument_like
    from summarizer.analysis.finders import find_candidates
    from summarizer.strategies.candidates import _draft, compose

    assert instrument_like("two missiles") and instrument_like("military junta fighter jet")
    assert instrument_like("roadside bomb") and not instrument_like("residents")
    assert not actor_like("missile")  # never an actor of the article's actor list

    text = "In the western city of Lviv, a missile struck an energy facility.\nThe device exploded, the police said."
    found = find_candidates(text)
    actions = [(a.actors, a.targets, a.instrument) for a in compose(found, _draft(found)).actions]
    # the missile is what it was done with, by someone unnamed; the device that went off is a bombing
    # though it struck nothing the words name, and no one is named for it
    assert actions == [([], ["energy facility"], "missile"), ([], [], "device")]


TRANSCRIPT = (
    "Daily press briefing by the Office of the Spokesperson\n\n"
    "The following is a transcript of today's briefing by Farhan Haq, who was joined by Maria Lundqvist of UNRWA.\n\n"
    "Deputy Spokesman: Good afternoon. The school in Nuseirat was struck. UN premises are inviolable.\n\n"
    "Ms. Lundqvist: Thank you, Farhan. I counted 14 bodies in the morgue, and the doctors told me 30 were wounded.\n\n"
    "Question: Thank you. The Israeli military says it struck Hamas terrorists inside the school. Your response?\n\n"
    "Ms. Lundqvist: We are not in a position to verify it.\n"
)
PRESS_STATEMENT = (
    "SUDAN ARMED FORCES\nOffice of the Official Spokesperson\n\nPress Statement\n\nOmdurman, 19 October 2024\n\n"
    "The terrorist militia this morning shelled the Abu Shouk camp, killing 31 citizens and injuring 57 others.\n\n"
    "The Armed Forces affirm that the militia's claims are a blatant lie intended to cover up its crimes.\n\n"
    '"Our soldiers held every position through the night," said Colonel Ahmed Khalil, the sector commander.\n\n'
    "Brigadier General Nabil Abdallah\nOfficial Spokesperson of the Armed Forces\n\nVictory is for our people.\n"
)


def test_a_transcript_turn_is_its_speakers_words_and_a_reporters_turn_is_read_as_any_other() -> None:
    found = statements(TRANSCRIPT)
    assert (
        "Good afternoon. The school in Nuseirat was struck. UN premises are inviolable.",
        "Deputy Spokesman",
        False,  # the speaker's own words, but no quote in quotation marks
    ) in found
    # what the speaker says the doctors told her is still hers: she says it
    assert any(s == "Lundqvist" and "the doctors told me 30 were wounded" in t for t, s, _ in found)
    assert any(s == "Israeli military" and t.startswith("The Israeli military says") for t, s, _ in found)
    assert not any(s == "Question" or t.startswith("Question") for t, s, _ in found)  # the reporter is no party


def test_a_press_statement_is_its_signers_words_even_where_it_names_its_institution() -> None:
    found = statements(PRESS_STATEMENT)
    # the colonel quoted in it keeps his words; everything else is the signer's
    assert [s for _, s, _ in found][:2] == ["Nabil Abdallah", "Nabil Abdallah"]
    assert {s for t, s, _ in found if "held every position" in t} == {"Ahmed Khalil"}
    assert found[1][0].startswith("The Armed Forces affirm")
    assert not any("Victory" in t or "Omdurman" in t for t, _, _ in found)  # the slogan and dateline are no body
    # an article that only quotes a statement is no press statement
    assert [s for _, s, _ in statements("The army said in a statement that 31 citizens were killed.")] == ["army"]


def test_a_part_of_a_toll_counts_with_the_tolls_outcome() -> None:
    found = figures(
        "The civil defence said 17 people were killed, including seven children.\n"
        "An Israeli strike on a house killed seven people, two of them children.\n"
        "Among the dead were three children.\n"
        "It said 22 people had been killed, among them seven children.\n"
        "Including two journalists, the delegation of 12 arrived on Monday."
    )
    assert ("seven", Outcome.killed, "children") in found  # ", including seven children"
    assert ("two", Outcome.killed, "children") in found  # "two of them children"
    assert ("three", Outcome.killed, "children") in found  # "Among the dead were"
    assert sum(f == ("seven", Outcome.killed, "children") for f in found) == 2  # "among them"
    assert not any(victims == "journalists" for _, _, victims in found)  # no toll before it: no part


def test_an_actor_is_the_group_not_its_count_and_a_target_keeps_its_count() -> None:
    text = "Police shot dead three young men. Six civilians were killed, the young men's families said."
    book = ActorBook(ArticleAnalysis.of(text))
    for name in ("three young men", "Six civilians", "young men", "civilians", "Four Seasons Hotel"):
        book.add(name)
    assert sorted(r.name for r in book.records) == ["Four Seasons Hotel", "civilians", "young men"]
    assert book.canonical("three young men") == "three young men"  # the target of the shooting


def test_an_office_after_a_name_is_that_persons_title_and_a_turn_by_office_is_theirs() -> None:
    found = statements(
        TRANSCRIPT.replace("by Farhan Haq,", "by Farhan Haq, Deputy Spokesman for the Secretary-General,")
    )
    assert (
        "Good afternoon. The school in Nuseirat was struck. UN premises are inviolable.",
        "Farhan Haq",
        False,
    ) in found


def test_neutralised_people_are_killed_and_a_neutralised_threat_is_no_attack() -> None:
    text = 'The army said its drones had "neutralised about 15 terrorists". Police neutralised the threat.'
    assert figures(text) == [("about 15", Outcome.killed, "terrorists")]
    assert [(a, t) for a, _, t in events(text)] == [(("drones",), ("15 terrorists",))]


def test_others_count_what_the_count_before_them_counts() -> None:
    found = figures(
        "The attack resulted in the martyrdom of 31 citizens.\n"
        "More than 120 fighters were killed, 14 combat vehicles were destroyed and 9 others were seized.\n"
        "In one incident, a man was killed and five more were wounded."
    )
    assert ("31", Outcome.killed, "citizens") in found
    assert not any(phrase == "9" for phrase, _, _ in found)  # nine more vehicles, not nine people seized
    assert any(phrase == "five" and outcome is Outcome.injured for phrase, outcome, _ in found)


def test_a_statement_without_words_is_dropped_and_never_fails_the_article() -> None:
    from dataclasses import replace

    from summarizer.analysis.finders import find_candidates
    from summarizer.strategies.candidates import _draft, compose

    found = find_candidates('"We held the line," the commander said.')
    draft = _draft(found)
    before = [s.text for s in compose(found, draft).statements]
    kept = draft.statements[0]
    empty = replace(kept, candidate=replace(kept.candidate, text="", start=kept.candidate.end))
    draft.statements.append(empty)  # a sentence of quote marks alone, as a press statement once gave
    assert before and [s.text for s in compose(found, draft).statements] == before


def test_a_village_named_like_a_person_never_speaks() -> None:
    found = statements(
        "A jet dropped two bombs on a monastery in Thit Seint Gyi village on Wednesday.\n\n"
        '"We heard the sound of the jet and ran to the bunker," he said.'
    )
    assert not any(s is not None and "Thit Seint" in s for _, s, _ in found)


def test_a_parse_memo_reads_a_parse_back_whole_and_keeps_no_more_than_its_budget() -> None:
    from summarizer.analysis import nlp

    text = "Gunmen attacked a bus in Herat on Monday.\nPolice said two men were arrested."
    other = "Protesters marched in Quetta."
    memo = nlp.ParseMemo()
    with memo.keeping() as used:
        first = nlp.parse(text)
        count = nlp.parses_made[0]
        again = nlp.parse(text)
    assert nlp.parses_made[0] == count and len(used) == 1  # read back, not parsed again
    assert [(t.text, t.idx, t.tag_, t.dep_, t.head.i, t.ent_type_, t.is_sent_start) for t in again] == [
        (t.text, t.idx, t.tag_, t.dep_, t.head.i, t.ent_type_, t.is_sent_start) for t in first
    ]
    memo.drop(used)
    assert len(memo) == 0
    small = nlp.ParseMemo(max_bytes=len(first.to_bytes(exclude=["tensor"])))
    with small.keeping():
        nlp.parse(text)
        nlp.parse(other)  # past the budget: not kept, and the first stays
    assert len(small) == 1 and small.get(text) is not None and small.get(other) is None
    nlp.parse(text)  # outside ``keeping`` the memo is not read
    assert nlp.parses_made[0] == count + 3  # the small memo parsed both, and the last was parsed anew
