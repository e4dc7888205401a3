"""Text analysis by code: what the candidates strategy finds before any model is asked.

The model is good at one small judgement at a time and bad at copying and counting; code is the
reverse. So code parses the article (spaCy's small English pipeline), finds the candidate facts and
copies their words, and the model is asked only what code cannot decide.

    nlp.py         the spaCy pipeline, loaded once per process, and the parse of one text
    document.py    ``ArticleAnalysis``: the parse, paragraphs, quoted spans, mentions and helpers
    lexicon.py     the word lists the finders share (speech verbs, outcomes, attacks, roles)
    quotes.py      quoted spans (straight, curly, unclosed, across paragraphs)
    phrases.py     noun phrases from the parse: a mention's words, its name and its title
    attribution.py who says a passage: speech verbs, "according to", tweets, pronouns
    statements.py  statement candidates: quotes and reported speech, with their speaker
    figures.py     casualty figure candidates: a number, what it counts, the outcome, the reporter
    events.py      action candidates: who did what to whom, where and when
    actors.py      actors: one per referent, with its aliases

Every offset here is into the *normalized* text (what the model reads); grounding maps offsets
back to the original article.
"""
