"""Puts the current screen's key bindings in the command palette (Ctrl+P), and names keys as a person
reads them (the help screen uses the same names)."""

from __future__ import annotations

from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

KEY_NAMES = {
    "left": "←", "right": "→", "up": "↑", "down": "↓", "space": "Space", "slash": "/", "plus": "+",
    "minus": "-", "equals_sign": "=", "question_mark": "?", "escape": "Esc", "home": "Home", "end": "End",
    "enter": "Enter",
}


def key_label(keys: str) -> str:
    """How a binding's keys are written for a person: "← h", not "left,h"."""
    return " ".join(KEY_NAMES.get(key, key) for key in keys.split(","))


class KeyCommands(Provider):
    def _commands(self) -> list[tuple[str, str, str]]:
        screen = self.screen
        commands = []
        for binding in screen.BINDINGS:
            if isinstance(binding, Binding) and binding.description:
                help_text = f"{key_label(binding.key)} · {binding.tooltip or binding.description}"
                commands.append((binding.description, binding.action, help_text))
        return commands

    async def discover(self) -> Hits:
        for name, action, help_text in self._commands():
            yield DiscoveryHit(name, partial(self.screen.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                command = partial(self.screen.run_action, action)
                yield Hit(score, matcher.highlight(name), command, help=help_text)
