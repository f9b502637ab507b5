"""Redraws of a live run are spaced by what they cost, so watching a fast run costs it little."""

from __future__ import annotations

from nano_tui.ui.frame_pacer import FramePacer


class Clocks:
    def __init__(self) -> None:
        self.wall = 100.0
        self.cpu = 5.0


def pacer(clocks: Clocks) -> FramePacer:
    return FramePacer(0.05, 0.5, clock=lambda: clocks.wall, cpu=lambda: clocks.cpu)


def redraw(p: FramePacer, clocks: Clocks, cost: float) -> None:
    p.begin()
    clocks.wall += cost
    clocks.cpu += cost
    p.end()


def test_a_redraw_is_followed_by_twenty_times_its_cost_without_one():
    clocks = Clocks()
    p = pacer(clocks)
    assert p.due()
    redraw(p, clocks, 0.010)
    clocks.wall += 0.185
    assert not p.due()
    clocks.wall += 0.006
    assert p.due()


def test_cheap_redraws_come_every_frame_and_costly_ones_wait_at_most_the_longest():
    clocks = Clocks()
    p = pacer(clocks)
    redraw(p, clocks, 0.002)
    clocks.wall += 0.1 - 0.002
    assert p.due()
    redraw(p, clocks, 0.200)
    clocks.wall += 0.5 - 0.200
    assert p.due()


def test_until_the_redraw_is_on_screen_the_next_waits_the_longest():
    clocks = Clocks()
    p = pacer(clocks)
    p.begin()
    clocks.wall += 0.4
    assert not p.due()
    clocks.wall += 0.1
    assert p.due()


def test_time_the_ui_spends_waiting_costs_nothing():
    clocks = Clocks()
    p = pacer(clocks)
    p.begin()
    clocks.wall += 0.3  # on the wall clock only: the UI thread was not running
    p.end()
    assert p.due()
