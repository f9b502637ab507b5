"""Frames of a live run spend UI time earned at a fixed share of the clock, so watching a fast run
costs it little however fast it goes."""

from __future__ import annotations

from nano_tui.ui.frame_pacer import BURST, FramePacer


class Clocks:
    def __init__(self) -> None:
        self.wall = 100.0
        self.cpu = 5.0


def pacer(clocks: Clocks) -> FramePacer:
    return FramePacer(0.05, 0.25, 0.5, clock=lambda: clocks.wall, cpu=lambda: clocks.cpu)


def frame(p: FramePacer, clocks: Clocks, cost: float, redraw: bool = True) -> None:
    p.begin(redraw)
    clocks.wall += cost
    clocks.cpu += cost
    p.end()


def test_a_redraw_is_paid_back_at_the_share_before_the_next():
    clocks = Clocks()
    p = pacer(clocks)
    assert p.due(True)
    frame(p, clocks, BURST + 0.010)  # 10 ms beyond the credit an idle spell leaves
    clocks.wall += 0.010 / 0.05 - 0.001
    assert not p.due(True)
    clocks.wall += 0.002
    assert p.due(True)


def test_status_line_frames_spend_the_same_credit():
    quiet, busy = Clocks(), Clocks()
    p, q = pacer(quiet), pacer(busy)
    frame(p, quiet, BURST + 0.010)
    frame(q, busy, BURST + 0.010)
    for _ in range(2):  # q also draws a 2 ms status-line frame every 100 ms
        quiet.wall += 0.1
        busy.wall += 0.1 - 0.002
        frame(q, busy, 0.002, redraw=False)
    quiet.wall += 0.001
    busy.wall += 0.001
    assert p.due(True) and not q.due(True)


def test_a_redraw_waits_at_most_the_longest_however_deep_the_debt():
    clocks = Clocks()
    p = pacer(clocks)
    frame(p, clocks, 0.300)
    clocks.wall += 0.5 - 0.300 - 0.001
    assert not p.due(True)
    clocks.wall += 0.001
    assert p.due(True)


def test_time_the_ui_spends_waiting_costs_nothing():
    clocks = Clocks()
    p = pacer(clocks)
    p.begin(True)
    clocks.wall += 0.3  # on the wall clock only: the UI thread was not running
    p.end()
    assert p.due(True)


def test_an_idle_spell_leaves_credit_for_one_redraw_not_a_burst_of_them():
    clocks = Clocks()
    p = pacer(clocks)
    clocks.wall += 60
    frame(p, clocks, BURST)
    assert p.due(True)
    frame(p, clocks, 0.010)
    assert not p.due(True)


def test_short_of_credit_the_status_line_still_moves_four_times_a_second():
    clocks = Clocks()
    p = pacer(clocks)
    frame(p, clocks, 0.100)  # 80 ms beyond the credit: 1.6 s to pay back
    assert not p.due(False)
    clocks.wall += 0.25 - 0.100 - 0.001
    assert not p.due(False)
    clocks.wall += 0.002
    assert p.due(False) and not p.due(True)
    frame(p, clocks, 0.002, redraw=False)
    assert not p.due(False), "a status-line frame restarts its own wait"
