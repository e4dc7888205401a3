"""Commands imported only when they run, so that ``summarizer --help`` stays fast.

A command module (``summarizer.batch.cli``, ``summarizer.evaluation.cli``) imports what it needs at
its top: the pipeline, the model client, pydantic models. Importing them all to print the command
list costed more than a second. Here a command is declared by where its function lives and its
one-line help: the list shows that line, and the module is imported when the command is resolved
(run, completed, or asked for its own ``--help``), from which on it is the real typer command.
``tests/test_cli.py`` checks every declared line against the function's own help.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any, ClassVar

import typer
from typer.core import TyperCommand, TyperGroup
from typer.main import get_command


@dataclass(frozen=True)
class LazyCommand:
    target: str  # "package.module:function", a typer command function
    short_help: str  # the first line of the function's help, shown in the command list

    def load(self, name: str) -> Any:
        """The real command (a click command built by typer from the function)."""
        module, _, attr = self.target.partition(":")
        function = getattr(import_module(module), attr)
        single = typer.Typer()
        single.command(name)(function)
        return get_command(single)  # one command and no callback: the command itself, not a group


class _Placeholder(TyperCommand):
    """Stands in the command list until the command is resolved."""

    def __init__(self, name: str, lazy: LazyCommand):
        super().__init__(name=name, short_help=lazy.short_help, help=lazy.short_help)
        self.lazy = lazy


class LazyGroup(TyperGroup):
    """A typer group whose ``lazy_commands`` load on resolution; subclass it and fill the mapping."""

    lazy_commands: ClassVar[dict[str, LazyCommand]] = {}

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        # Listed where typer lists commands: after the other commands, before the groups.
        commands = dict(self.commands)
        groups = {name: command for name, command in commands.items() if isinstance(command, TyperGroup)}
        self.commands.clear()
        self.commands.update({name: command for name, command in commands.items() if name not in groups})
        for name, lazy in self.lazy_commands.items():
            self.commands.setdefault(name, _Placeholder(name, lazy))
        self.commands.update(groups)

    # click's types are typer's private copy (typer._click): ``Any`` stands for them here.
    def resolve_command(self, ctx: Any, args: list[str]) -> tuple[str | None, Any, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if isinstance(command, _Placeholder) and name is not None:
            command = command.lazy.load(name)
            self.commands[name] = command
        return name, command, rest
