"""The cyclic garbage collector is held while a run opens and always comes back: a process left
without it would grow with every cycle it makes (a live run's litellm calls make many)."""

from __future__ import annotations

import asyncio
import gc
import sys

import pytest

from nano_tui import __main__ as entry
from nano_tui import cli
from nano_tui.cli import main
from nano_tui.trajectory import load
from nano_tui.ui.app import NanoApp


def test_held_while_the_first_screen_comes_up_then_back_with_start_up_frozen(story):
    seen: dict[str, object] = {}

    async def watch(pilot) -> None:
        seen["held at start"] = not gc.isenabled()
        async with asyncio.timeout(30):
            while not gc.isenabled():
                await asyncio.sleep(0.02)
        seen["frozen"] = gc.get_freeze_count()
        pilot.app.exit()

    NanoApp(load(story)).run(headless=True, size=(100, 30), auto_pilot=watch)
    assert seen["held at start"] is True
    assert seen["frozen"] > 10_000  # the modules, styles and widgets of start-up
    assert gc.isenabled()


def test_back_when_the_app_fails(story):
    async def fail(pilot) -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        NanoApp(load(story)).run(headless=True, size=(100, 30), auto_pilot=fail)
    assert gc.isenabled()


def test_back_after_a_command_that_opens_no_screen(story, capsys):
    assert main(["runs", str(story.parent), "--no-index"]) == 0
    assert "0badc0de" in capsys.readouterr().out
    assert gc.isenabled()


def test_the_command_holds_it_from_its_first_line_and_gives_it_back(story, monkeypatch, capsys):
    held_while_parsing = []
    build = cli.build_parser

    def watched(command: str | None = None):
        held_while_parsing.append(not gc.isenabled())
        return build(command)

    monkeypatch.setattr(cli, "build_parser", watched)
    monkeypatch.setattr(sys, "argv", ["nano-tui", "runs", str(story.parent), "--no-index"])
    assert entry.main() == 0
    assert "0badc0de" in capsys.readouterr().out
    assert held_while_parsing == [True], "held before the command line is read"
    assert gc.isenabled()
