"""Word lists the finders share, as lemmas (lower case). One home: finders never keep their own copies."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, TypeVar

from summarizer.extraction import ActionType, Outcome

if TYPE_CHECKING:
    from spacy.tokens import Token

T = TypeVar("T")


def word_set(text: str) -> frozenset[str]:
    """The words of ``text``, split on whitespace (lists stay readable as text)."""
    return frozenset(text.split())


def _table(groups: dict[str, T]) -> dict[str, T]:
    """{"word word": value} -> {"word": value, ...}."""
    return {word: value for words, value in groups.items() for word in words.split()}


# Verbs that introduce what someone said, wrote, claimed or holds ("said that", "warned", "tweeted").
SPEECH_VERBS = word_set(
    """
    say tell state add note explain announce report claim deny confirm warn stress emphasize emphasise
    insist reiterate accuse blame condemn urge describe write tweet post declare consider believe argue
    allege acknowledge admit assert affirm indicate mention reveal suggest comment respond reply express
    vow pledge promise predict inform disclose specify underscore underline highlight threaten demand
    call thank welcome praise criticize criticise denounce slam quote estimate testify caution
    """
)
# Nouns that carry a statement: "in a statement", "the note said", "according to the report".
STATEMENT_NOUNS = word_set("statement note report communique release message tweet post letter remark")
# What else may be cited for a claim though it is no one: "according to testimony", "local media said".
SOURCE_NOUNS = word_set(
    """
    testimony record document media medium newspaper paper outlet broadcaster channel television radio footage
    study survey poll data source witness
    """
)

# Outcome words: lemma -> outcome. Verbs ("were killed"), adjectives ("dead") and nouns ("death of").
OUTCOME_WORDS: dict[str, Outcome] = _table(
    {
        "kill die dead death fatality fatal slay slain killing murder execute execution assassinate "
        "assassination behead massacre perish toll martyr martyred martyrdom neutralise neutralize": Outcome.killed,
        "wound wounded injure injured injury hurt maim": Outcome.injured,
        "missing disappear disappearance": Outcome.missing,
        "abduct abduction kidnap kidnapping hostage seize": Outcome.abducted,
        "arrest detain detention capture apprehend jail imprison": Outcome.arrested,
    }
)
# The same outcomes as written, for checks that read words without a parse (grounding).
_OUTCOME_SURFACE: dict[Outcome, str] = {
    Outcome.killed: r"kill\w*|dead|deaths?|die[sd]?|dying|fatal\w*|slain|slay\w*|murder\w*|execut\w*|assassinat\w*"
    r"|behead\w*|massacre\w*|perish\w*|lives|life|toll|martyr\w*|bod(?:y|ies)|neutrali[sz]\w*",
    Outcome.injured: r"wound\w*|injur\w*|hurt\w*|maim\w*",
    Outcome.missing: r"missing|disappear\w*",
    Outcome.abducted: r"abduct\w*|kidnap\w*|hostages?|seiz\w*|captive\w*",
    Outcome.arrested: r"arrest\w*|detain\w*|detention|captur\w*|apprehend\w*|jail\w*|imprison\w*",
}


@cache
def outcome_pattern(outcome: Outcome) -> re.Pattern[str]:
    """A word that says ``outcome`` as written ("killing", "wounded", "death")."""
    return re.compile(rf"\b(?:{_OUTCOME_SURFACE[outcome]})\b", re.IGNORECASE)


def kept_in_hospital(verb: Token) -> bool:
    """ "96 people were detained in hospital": care, not custody (an injury, not an arrest)."""
    return any(
        prep.dep_ == "prep" and any(obj.dep_ == "pobj" and obj.lemma_.lower() == "hospital" for obj in prep.children)
        for prep in verb.children
    )


# "claimed the lives of", "lost their lives": the noun "life" with these verbs is a death.
LIFE_VERBS = word_set("claim take lose cost")

# Nouns a casualty figure cannot count: "30 rockets", "150 km", "five facilities", "two days".
NOT_PEOPLE = word_set(
    """
    rocket missile shell mortar bomb drone round bullet shot explosion blast attack strike airstrike raid
    device ied mine weapon gun vehicle car truck tank plane aircraft helicopter jet boat ship convoy
    km kilometer kilometre mile meter metre foot inch ton tonne kilogram kg pound dollar euro percent
    facility site location target base building house home school hospital mosque church village town
    city district province country shelter depot warehouse office headquarters post checkpoint
    position camp compound area road bridge
    day week month year hour minute second time decade century
    incident case operation mission brigade battalion division unit opportunity chance occasion
    """
)
# What an attack is carried out with, never whom it is aimed at: "detonated his explosives-laden vest",
# "a strike with high-precision long-range weapons".
WEAPON_NOUNS = word_set(
    """
    rocket missile shell mortar bomb round bullet device ied mine weapon gun explosive vest grenade
    munition ammunition charge artillery salvo volley stone rock brick molotov firebomb
    """
)
# Nouns for people as such: the victims a figure can count, and the people a "the three" refers to.
PEOPLE_NOUNS = word_set(
    """
    people person civilian man woman child boy girl adult resident villager worker student citizen
    soldier troop militant fighter militiaman insurgent rebel guerrilla terrorist jihadist gunman
    attacker bomber officer policeman policemen police guard member personnel servicemember contractor bandit gangster
    official employee diplomat journalist reporter protester demonstrator pilgrim worshipper passenger
    victim casualty martyr suspect prisoner detainee hostage refugee migrant family relative commander general
    leader chief agent staff crew marine sailor airman recruit volunteer tribesman elder cleric
    father mother son daughter husband wife brother sister parent friend neighbour neighbor local owner
    driver doctor nurse teacher lawyer attorney
    """
)

# Roles and titles: words that name a person by office ("the spokeswoman", "the secretary").
ROLE_NOUNS = word_set(
    """
    spokesman spokeswoman spokesperson secretary minister president prime premier chancellor king
    ambassador envoy diplomat official commander general colonel major captain lieutenant sergeant
    governor mayor chief head director chairman chairwoman speaker leader senator representative
    lawmaker adviser advisor aide deputy assistant cleric imam ayatollah sheikh prosecutor judge
    source officer analyst expert witness resident correspondent
    """
)
# Title words that may precede a name and are not part of it ("Secretary of State Mike Pompeo").
TITLE_WORDS = word_set(
    """
    mr mrs ms dr sir gen general col colonel maj major capt captain lt lieutenant sgt sergeant adm admiral
    president vice prime minister secretary state foreign defense defence interior deputy assistant
    ambassador spokesman spokeswoman spokesperson senator rep governor mayor chief commander sheikh
    ayatollah imam cleric king queen prince crown special agent staff technical army navy air force
    us u.s. the of and to for
    """
)

# Event triggers: lemma -> the action type it names. Verbs and nouns share the table.
EVENT_TRIGGERS: dict[str, ActionType] = _table(
    {
        "airstrike air-strike bombard": ActionType.airstrike,
        "shell shelling rocket missile mortar barrage katyusha": ActionType.shelling_or_rocket_attack,
        "bomb bombing explosion blast detonate explode ied blow": ActionType.bombing,
        "clash fight fighting battle gunfight firefight skirmish": ActionType.armed_clash,
        "attack strike raid ambush assault storm shoot shooting fire target hit offensive kill ram crash "
        "kidnap abduct neutralise neutralize": ActionType.attack,
        "sentence convict": ActionType.other,  # a court's act on someone: "sentenced two men to ten years"
        "protest demonstrate demonstration rally march": ActionType.protest,
        "arrest detain capture apprehend": ActionType.arrest,
        "sanction sanctions embargo": ActionType.sanction,
        "call speak meet meeting talk talks visit phone conversation thank": ActionType.diplomatic_contact,
        "threaten threat": ActionType.threat,
    }
)
# Verbs that are an attack only when what they send is a weapon: "threw stones at U.N. vehicles".
THROW_VERBS = word_set("throw hurl pelt lob")
# Event words that name an event only as verbs: "targeted the base" is an attack, "a military
# target" is what was aimed at.
VERB_ONLY_TRIGGERS = word_set("target")
# Words that count the people a phrase names: "Thousands of people rallied", "most of the rockets".
QUANTITY_WORDS = word_set("thousands hundreds dozens scores tens millions most many some several all both")
# Verbs whose subject, without an object, is the device and not who set it off: "the bomb exploded"
# (unless the subject is a person: "a suicide bomber exploded near the gate"). "Detonated" is not one:
# "a roadside IED detonated under a convoy" names the only perpetrator the article knows.
DEVICE_VERBS = word_set("explode blast")
# Adverbs that make a clause tell what happens habitually, not an event: "insurgents often attack convoys".
HABITUAL_ADVERBS = word_set("often frequently regularly routinely usually repeatedly typically commonly sometimes")
# Verbs that hand a statement noun to someone: "delivered a message to the Iraqi government".
MESSAGE_VERBS = word_set("deliver convey send hand pass relay")
# Verbs that only carry an event noun: "carried out strikes", "launched an attack", "issued sanctions".
LIGHT_VERBS = word_set("carry conduct launch stage mount issue impose execute perform make hold")
# Words that make an attack an airstrike when they modify it ("air strike", "drone strike").
AIR_WORDS = word_set("air drone aerial warplane jet precision")
# Prepositions that introduce whom an action was done to.
TARGET_PREPOSITIONS = word_set("against on at upon into targeting under with")

# Head words of names that are places whatever the parse labels them ("Oxford Street" is no actor).
PLACE_NOUNS = word_set(
    """
    street road avenue lane boulevard square station terminal terminus bridge market bazaar castle airport
    crossing checkpoint highway motorway neighbourhood neighborhood district
    """
)
# Head nouns of a phrase that names a settlement: never a person, though the name in it may read as
# one ("Thit Seint Gyi village"). Not place nouns for ``names_a_place``: a village can be a target.
SETTLEMENT_NOUNS = word_set("village town township")
# What a group claims for an act: "claimed responsibility for the bombings", "took credit for".
RESPONSIBILITY_NOUNS = word_set("responsibility credit")


def names_a_place(name: str) -> bool:
    """ "Oxford Street", "the Cavehill Road", "Stormont Castle": a place, not someone who acts."""
    words = name.lower().replace("’", "'").split()
    return bool(words) and (words[-1] in PLACE_NOUNS or words[-1].rstrip("s") in PLACE_NOUNS)


# Modality cues.
CLAIM_WORDS = word_set("claim")
DENY_WORDS = word_set("deny")
THREAT_WORDS = word_set("threaten threat warn vow")


# Words that make a number a part of a toll told around it: "17 people were killed, including seven
# children", "22 people, among them seven children", "seven people, two of them children", and the
# fronted "Among the dead were three children".
_PART_BEFORE = re.compile(r"\b(?:including|among (?:them|whom|those)|of whom)\s+$", re.IGNORECASE)
_PART_AFTER = re.compile(r"\s+of (?:them|whom)\b", re.IGNORECASE)
_AMONG_THE = re.compile(
    r"\bamong the (dead|killed|injured|wounded|victims|casualties)\s+(?:were|was|are|is)\s+$", re.IGNORECASE
)


def names_a_part(before: str, after: str) -> bool:
    """Whether the words just ``before`` and ``after`` a number make it a part of a toll."""
    return bool(_PART_BEFORE.search(before) or _PART_AFTER.match(after) or _AMONG_THE.search(before))


def part_of_the(before: str) -> str | None:
    """The outcome word of a fronted "Among the dead were ..." just before a number ("dead")."""
    fronted = _AMONG_THE.search(before)
    return fronted.group(1).lower() if fronted else None
