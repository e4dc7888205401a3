"""Text analysis by code: what the candidates strategy finds before any model is asked.

The model is good at one small judgement at a time and bad at copying and counting; code is the
reverse. So code parses the article (spaCy's small English pipeline), finds the candidate facts and
copies their words, and the model is asked only what code cannot decide.

    nlp.py          the spaCy pipeline, loaded once per process, and the parse of one text
    document.py     ``ArticleAnalysis``: the parse, paragraphs, quoted spans, mentions and helpers
    lexicon.py      the word classes of ``summarizer/rules/lexicon.yaml``, by name (no word lists here)
    quotes.py       quoted spans (straight, curly, unclosed, across paragraphs)
    phrases.py      noun phrases from the parse: a mention's words, its name and its title
    attribution.py  who says a passage: speech verbs, "according to", statements, pronouns
    voices.py       a transcript's turns and a press statement's body: their speaker's own words
    statements.py   statement candidates: quotes and reported speech, with their speaker
    figures.py      casualty figure candidates: a number, what it counts, the outcome, the reporter
    triggers.py     the words that name an action, its type, and clauses that tell no event
    roles.py        who did what to whom: the actor's and the target's tokens of a trigger
    participants.py the names a role token stands for, resolved
    modality.py     done, claimed, denied or threatened
    events.py       action candidates: who did what to whom, where and when
    actors.py       actors: one per referent, with its aliases
    injection.py    passages that address the summarizer
    traces.py       candidates found and then dropped, with the rule that dropped them
    finders.py      every finder over one article, and the finders' version

Every decision is a rule of ``summarizer/rules/*.yaml`` with an id; every candidate keeps the ids of
the rules that found and shaped it (``summarizer/rules/engine.py``).

Every offset here is into the *normalized* text (what the model reads); grounding maps offsets
back to the original article.
"""
