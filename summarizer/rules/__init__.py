"""The finders' rules and lexicon as data: YAML files validated at load, and the engine that applies them.

lexicon.yaml  every word the finders, stories and claim checks know, by class
*.yaml        each finder's rules: id, purpose, what the rule does, the slots it fills, its pattern
model.py      what a rule file may hold (pydantic)
loader.py     reading and checking the files, errors with file and line, the rules' hash
engine.py     applying rules, recording which fired, switching them off (no word in it)
"""
