"""Autoplay: a run played by itself, each turn's panels revealed in their stages, then the next turn.

The object decides; the screen keeps the timer and shows what it decided.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from nano_tui.ui.panels.base import FULL

#: Seconds between autoplay steps at speed 1 (four steps per turn: thinking, call, output, diff; with
#: the loop strip also the request before them and the moment the call runs).
STEP_SECONDS = 1.2
MIN_SPEED, MAX_SPEED = 0.125, 64.0


class Step(NamedTuple):
    """What autoplay does next: show more of this turn, go to another turn, or stop at the end."""

    kind: Literal["reveal", "turn", "end"]
    value: int = FULL


class Autoplay:
    """Whether a run plays by itself, and how fast. A plain class: a dataclass costs about 0.5 ms to
    define, on every start, for two fields."""

    def __init__(self, speed: float = 1.0) -> None:
        self.playing = False
        self.speed = speed

    @property
    def interval(self) -> float:
        return STEP_SECONDS / self.speed

    def faster(self) -> None:
        self.speed = min(self.speed * 2, MAX_SPEED)

    def slower(self) -> None:
        self.speed = max(self.speed / 2, MIN_SPEED)

    @staticmethod
    def next_step(stages: list[int], stage: int, following: int | None) -> Step:
        """After ``stage`` of a turn that has ``stages``: the next stage, else the ``following``
        turn (from its start), else the end of the run."""
        later = [next_stage for next_stage in stages if next_stage > stage]
        if later and stage < FULL:
            return Step("reveal", later[0])
        if following is None:
            return Step("end")
        return Step("turn", following)

    @staticmethod
    def first_stage(stages: list[int]) -> int:
        return stages[0] if stages else FULL
