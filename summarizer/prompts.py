"""Prompt templates as versioned files on disk: ``prompts/<name>/<version>.toml``.

Each file holds its metadata (name, version, description, the schema it targets, the variables it
uses, sampling parameters) and two Jinja templates, ``system`` and ``user``. Files are loaded and
validated at start; rendering with a missing variable is an error, never an empty string.

``prompts/lock.json`` maps ``name/version`` to the sha256 of the file's bytes: a released version
never changes (a test compares), new text is a new version. ``prompts/defaults.toml`` names the
version used when a caller does not ask for one, per backend (chosen from eval figures).
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import jinja2
from jinja2 import meta
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from summarizer.errors import PromptError

LOCK_FILE = "lock.json"
DEFAULTS_FILE = "defaults.toml"


def bundled_prompts_dir() -> Path:
    """The prompts shipped in the wheel, or the repository's ``prompts/`` in a source checkout."""
    packaged = Path(__file__).parent / "_bundled" / "prompts"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent / "prompts"


class SamplingParams(BaseModel):
    """Parameters sent with every request of a prompt version (OpenAI names)."""

    model_config = ConfigDict(extra="forbid")

    temperature: float = Field(default=0.0, ge=0, le=2)
    top_p: float | None = Field(default=None, gt=0, le=1)
    max_tokens: int = Field(default=1500, gt=0)
    seed: int | None = 0
    llama_cpp: dict[str, float | int | bool] = Field(
        default_factory=dict, description="Extra llama.cpp sampling fields, sent only to the embedded model"
    )


class PromptStep(BaseModel):
    """One model call of a multi-step prompt: which extraction fields it fills, and its task text.

    The task is passed to the templates as ``task``; put it after the article so that every step
    shares the article as a prefix (llama.cpp then reads the article once, not once per step).
    """

    model_config = ConfigDict(extra="forbid")

    name: str
    fields: list[str] = Field(min_length=1)
    task: str
    max_tokens: int | None = Field(default=None, gt=0, description="Overrides params.max_tokens for this step")


class Question(BaseModel):
    """One kind of small question the candidates strategy asks about a candidate fact.

    ``task`` is a Jinja template over the candidate (its ``variables``); it is passed to the prompt's
    templates as ``question``, after the article, so that every question shares the article prefix.
    """

    model_config = ConfigDict(extra="forbid")

    task: str
    variables: list[str] = Field(default_factory=list)
    max_tokens: int = Field(default=60, gt=0)


class PromptMeta(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    version: str
    description: str
    targets: str = Field(description="The extraction schema the template is written for, e.g. 'extraction.v1'")
    variables: list[str]
    params: SamplingParams = Field(default_factory=SamplingParams)
    system: str
    user: str
    strategy: Literal["steps", "candidates"] = Field(
        default="steps",
        description="steps: the model fills the extraction in one or more calls; "
        "candidates: code finds candidate facts and the model answers one small question each",
    )
    steps: list[PromptStep] = Field(
        default_factory=list, description="Several focused calls; empty = one call that fills every field"
    )
    questions: dict[str, Question] = Field(
        default_factory=dict, description="The candidates strategy's questions, by kind"
    )


_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False)


@dataclass(frozen=True)
class Prompt:
    meta: PromptMeta
    path: Path
    sha256: str

    @property
    def name(self) -> str:
        return self.meta.name

    @property
    def version(self) -> str:
        return self.meta.version

    @cached_property
    def _templates(self) -> tuple[jinja2.Template, jinja2.Template]:
        return _ENV.from_string(self.meta.system), _ENV.from_string(self.meta.user)

    @cached_property
    def _question_templates(self) -> dict[str, jinja2.Template]:
        return {kind: _ENV.from_string(q.task) for kind, q in self.meta.questions.items()}

    def question(self, kind: str, **variables: Any) -> str:
        """The text of one question of this prompt; every variable it declares must be given."""
        spec = self.meta.questions.get(kind)
        if spec is None:
            raise PromptError(
                f"prompt {self.name}/{self.version} has no question {kind!r}", name=self.name, version=self.version
            )
        missing = sorted(set(spec.variables) - variables.keys())
        if missing:
            raise PromptError(
                f"prompt {self.name}/{self.version}, question {kind}: needs variable(s) {', '.join(missing)}",
                name=self.name,
                version=self.version,
            )
        try:
            return self._question_templates[kind].render(**variables).strip()
        except jinja2.UndefinedError as exc:
            raise PromptError(
                f"prompt {self.name}/{self.version}, question {kind}: {exc}", name=self.name, version=self.version
            ) from exc

    def render(self, **variables: Any) -> list[dict[str, str]]:
        """The chat messages for these variables; every declared variable must be given."""
        missing = sorted(set(self.meta.variables) - variables.keys())
        if missing:
            raise PromptError(
                f"prompt {self.name}/{self.version} needs variable(s) {', '.join(missing)}",
                name=self.name,
                version=self.version,
            )
        system, user = self._templates
        try:
            return [
                {"role": "system", "content": system.render(**variables)},
                {"role": "user", "content": user.render(**variables)},
            ]
        except jinja2.UndefinedError as exc:
            raise PromptError(
                f"prompt {self.name}/{self.version}: {exc}", name=self.name, version=self.version
            ) from exc


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_prompt(path: Path) -> Prompt:
    """Load and validate one prompt file (metadata, template syntax, declared variables)."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        meta_ = PromptMeta.model_validate(raw)
    except (OSError, tomllib.TOMLDecodeError, ValidationError) as exc:
        raise PromptError(f"invalid prompt file {path}: {exc}") from exc
    if (path.parent.name, path.stem) != (meta_.name, meta_.version):
        raise PromptError(f"{path}: name/version {meta_.name}/{meta_.version} do not match the file's place")
    templates = [(f"{part} template", getattr(meta_, part), meta_.variables) for part in ("system", "user")]
    templates += [(f"question {kind}", q.task, q.variables) for kind, q in meta_.questions.items()]
    for where, source, declared in templates:
        try:
            used = meta.find_undeclared_variables(_ENV.parse(source))
        except jinja2.TemplateSyntaxError as exc:
            raise PromptError(f"{path}: {where}: {exc}", name=meta_.name, version=meta_.version) from exc
        undeclared = sorted(used - set(declared))
        if undeclared:
            raise PromptError(
                f"{path}: {where} uses undeclared variable(s) {', '.join(undeclared)}",
                name=meta_.name,
                version=meta_.version,
            )
    return Prompt(meta=meta_, path=path, sha256=file_sha256(path))


class PromptLibrary:
    """Every prompt under a directory, with its default versions and its lock."""

    def __init__(self, root: Path):
        self.root = root
        if not root.is_dir():
            raise PromptError(f"prompts directory {root} does not exist")
        self.prompts: dict[tuple[str, str], Prompt] = {}
        for path in sorted(root.glob("*/*.toml")):
            prompt = load_prompt(path)
            self.prompts[(prompt.name, prompt.version)] = prompt
        defaults_path = root / DEFAULTS_FILE
        try:
            raw = tomllib.loads(defaults_path.read_text()) if defaults_path.exists() else {}
        except tomllib.TOMLDecodeError as exc:
            raise PromptError(f"invalid {defaults_path}: {exc}") from exc
        # name -> {backend or "*": version}; a plain string is the default of every backend.
        self.defaults: dict[str, dict[str, str]] = {}
        for name, value in raw.items():
            table = {"*": value} if isinstance(value, str) else value
            if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
                raise PromptError(f"invalid {defaults_path}: {name} must be a version or a table of backend = version")
            self.defaults[name] = dict(table)

    def versions(self, name: str) -> list[str]:
        return sorted((v for n, v in self.prompts if n == name), key=_version_key)

    def default_version(self, name: str, backend: str | None = None) -> str | None:
        """The version used when a caller asks for none: the backend's own default, else the general one."""
        table = self.defaults.get(name, {})
        return table.get(backend or "*") or table.get("*")

    def get(self, name: str, version: str | None = None, *, backend: str | None = None) -> Prompt:
        versions = self.versions(name)
        if not versions:
            raise PromptError(f"no prompt named {name!r} in {self.root}", name=name)
        chosen = version or self.default_version(name, backend) or versions[-1]
        try:
            return self.prompts[(name, chosen)]
        except KeyError:
            raise PromptError(
                f"unknown prompt version {name}/{chosen}; available: {', '.join(versions)}", name=name, version=chosen
            ) from None

    def read_lock(self) -> dict[str, str]:
        path = self.root / LOCK_FILE
        return json.loads(path.read_text()) if path.exists() else {}

    def lock_problems(self) -> list[str]:
        """Every released version whose file changed, and every version not yet locked."""
        lock = self.read_lock()
        problems = []
        for (name, version), prompt in sorted(self.prompts.items()):
            key = f"{name}/{version}"
            if key not in lock:
                problems.append(f"{key} is not locked (run: summarizer prompts lock)")
            elif lock[key] != prompt.sha256:
                problems.append(f"{key} changed after release: make a new version instead of editing it")
        for key in sorted(set(lock) - {f"{n}/{v}" for n, v in self.prompts}):
            problems.append(f"{key} is locked but its file is gone")
        return problems

    def write_lock(self) -> list[str]:
        """Lock every unlocked version; refuse if a released version changed. Returns the new keys."""
        changed = [p for p in self.lock_problems() if "changed after release" in p or "file is gone" in p]
        if changed:
            raise PromptError("; ".join(changed))
        lock = self.read_lock()
        added = []
        for (name, version), prompt in sorted(self.prompts.items()):
            key = f"{name}/{version}"
            if key not in lock:
                lock[key] = prompt.sha256
                added.append(key)
        (self.root / LOCK_FILE).write_text(json.dumps(lock, indent=2, sort_keys=True) + "\n")
        return added


def _version_key(version: str) -> tuple[int, str]:
    digits = "".join(ch for ch in version if ch.isdigit())
    return (int(digits) if digits else -1, version)
