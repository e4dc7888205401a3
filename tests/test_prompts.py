from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from summarizer.errors import PromptError
from summarizer.prompts import PromptLibrary, bundled_prompts_dir


def test_bundled_prompts_match_their_lock() -> None:
    """Editing a released prompt version fails here: new text must be a new version."""
    assert PromptLibrary(bundled_prompts_dir()).lock_problems() == []


def test_default_versions_exist_per_backend() -> None:
    library = PromptLibrary(bundled_prompts_dir())
    assert library.get("summarize", backend="embedded").meta.strategy == "candidates"
    assert library.get("summarize", backend="openai").meta.strategy == "steps"
    for version in library.defaults["summarize"].values():
        assert library.get("summarize", version).version == version


def test_a_plain_default_applies_to_every_backend(tmp_path: Path) -> None:
    root = tmp_path / "prompts"
    shutil.copytree(bundled_prompts_dir(), root)
    (root / "defaults.toml").write_text('summarize = "v1"\n')
    library = PromptLibrary(root)
    assert library.get("summarize", backend="embedded").version == "v1"
    assert library.get("summarize").version == "v1"


@pytest.fixture
def library_copy(tmp_path: Path) -> Path:
    root = tmp_path / "prompts"
    shutil.copytree(bundled_prompts_dir(), root)
    return root


def test_edited_release_is_detected_and_cannot_be_relocked(library_copy: Path) -> None:
    path = library_copy / "summarize" / "v1.toml"
    path.write_text(path.read_text() + "\n# a quiet edit\n")
    library = PromptLibrary(library_copy)
    assert any("changed after release" in p for p in library.lock_problems())
    with pytest.raises(PromptError, match="changed after release"):
        library.write_lock()


def test_new_version_must_be_locked(library_copy: Path) -> None:
    text = (library_copy / "summarize" / "v1.toml").read_text().replace('version = "v1"', 'version = "v99"')
    (library_copy / "summarize" / "v99.toml").write_text(text)
    library = PromptLibrary(library_copy)
    assert library.lock_problems() == ["summarize/v99 is not locked (run: summarizer prompts lock)"]
    assert library.write_lock() == ["summarize/v99"]
    assert PromptLibrary(library_copy).lock_problems() == []


def test_missing_variable_is_an_error_not_an_empty_string() -> None:
    prompt = PromptLibrary(bundled_prompts_dir()).get("summarize")
    with pytest.raises(PromptError, match="needs variable"):
        prompt.render(article="text", title=None)


def test_render_puts_article_before_instructions() -> None:
    library = PromptLibrary(bundled_prompts_dir())
    messages = library.get("summarize", "v3").render(article="ARTICLE BODY", title="T", schema="SKETCH", task="TASK")
    user = messages[-1]["content"]
    assert user.index("ARTICLE BODY") < user.index("SKETCH")
    assert user.index("ARTICLE BODY") < user.index("TASK")
    v5 = library.get("summarize", "v5")
    question = v5.question("speaker", passage="THE WORDS", options=["A", "B"])
    user = v5.render(article="ARTICLE BODY", title=None, question=question)[-1]["content"]
    assert user.index("ARTICLE BODY") < user.index("THE WORDS")


def test_a_question_needs_its_declared_variables() -> None:
    v5 = PromptLibrary(bundled_prompts_dir()).get("summarize", "v5")
    with pytest.raises(PromptError, match="options"):
        v5.question("speaker", passage="x")


def test_undeclared_template_variable_is_rejected_at_load(library_copy: Path) -> None:
    path = library_copy / "summarize" / "v1.toml"
    path.write_text(path.read_text().replace("{{ article }}", "{{ article }} {{ surprise }}"))
    with pytest.raises(PromptError, match="undeclared variable"):
        PromptLibrary(library_copy)


def test_unknown_version_lists_the_available_ones() -> None:
    with pytest.raises(PromptError, match="available: v1"):
        PromptLibrary(bundled_prompts_dir()).get("summarize", "v404")


def test_file_place_must_match_metadata(library_copy: Path) -> None:
    shutil.copy(library_copy / "summarize" / "v1.toml", library_copy / "summarize" / "v2.toml")
    with pytest.raises(PromptError, match="do not match"):
        PromptLibrary(library_copy)
