"""A run, fully described and checked before anything heavy or visual starts.

``nano-tui run`` and ``nano-tui demo`` build a :class:`RunSpec`; the headless printer and the full-screen
view both start their run from it, so both paths share one set of precondition checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nano_tui.core.control import RunControl
from nano_tui.core.events import Event

if TYPE_CHECKING:
    from nano_tui.core.agent import Agent


@dataclass
class RunSpec:
    task: str
    #: Absolute root of a clean git repository.
    repo: Path
    model: str
    #: Keyword arguments for :class:`nano_tui.core.agent.Agent` besides ``on_event`` and ``control``
    #: (``model``, ``api_base``, limits, sampling, ``log``, ``log_dir``, maybe ``api_key``).
    agent_options: dict[str, Any] = field(default_factory=dict)
    #: Start in step mode (pause before each model call and each tool call).
    step: bool = False
    theme: str | None = None
    #: Open the run screen in presenter mode.
    present: bool = False
    #: Step mode's pauses end by themselves after this many seconds (see :class:`RunControl`).
    hold: float | None = None
    #: Notes on turns known before the run starts (the demo's captions), kept with the run.
    notes: dict[int, str] = field(default_factory=dict)
    #: For the demo: the temporary copy of the sample repository, to tell the user where it is.
    note: str | None = None

    def make_control(self) -> RunControl:
        return RunControl(step=self.step, hold=self.hold)

    def make_agent(self, on_event: Callable[[Event], None] | None = None,
                   control: RunControl | None = None) -> Agent:
        """The agent for this run; call ``agent.run(spec.task, spec.repo)`` on the worker thread."""
        from nano_tui.core.agent import Agent

        return Agent(**self.agent_options, on_event=on_event, control=control or self.make_control())
