"""One run, one turn at a time: the timeline on the left, the turn's panels on the right.

Replay gives it a loaded trajectory; a live run gives it one that grows and calls
``turns_changed`` / ``turn_updated`` as the loop emits events (see the report in the README).
"""

from __future__ import annotations

import bisect
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static

from nano_tui.trajectory import SkippedLine, Trajectory
from nano_tui.ui.autoplay import Autoplay, Step
from nano_tui.ui.inert import inert
from nano_tui.ui.key_commands import KeyCommands
from nano_tui.ui.panels.answer import AnswerPanel
from nano_tui.ui.panels.base import CALL, FULL, RUN
from nano_tui.ui.panels.diff import DiffPanel
from nano_tui.ui.panels.note import NotePanel
from nano_tui.ui.panels.summary import has_ended, summary_text
from nano_tui.ui.panels.thinking import ThinkingPanel
from nano_tui.ui.panels.tool_call import ToolCallPanel
from nano_tui.ui.panels.tool_output import ToolOutputPanel
from nano_tui.ui.presenter import DiffView
from nano_tui.ui.search import FILTER_LABELS, FilterMode, Search, keep, next_filter
from nano_tui.ui.textual_seam import StyledScreen
from nano_tui.ui.widgets.key_bar import KeyBar
from nano_tui.ui.widgets.run_header import HeaderState, RunHeader
from nano_tui.ui.widgets.timeline import Timeline
from nano_tui.ui.widgets.turn_view import TurnView

if TYPE_CHECKING:  # made when first shown
    from nano_tui.ui.widgets.loop_strip import LoopStrip
    from nano_tui.ui.widgets.turn_progress import TurnProgress

# The dialogs are imported when opened: none is part of opening a run.

#: Seconds without a move before the neighbours of the shown turn are prepared; longer at start-up,
#: where the first screen and the scan for unreadable lines come first.
PREFETCH_DELAY = 0.02
STARTUP_PREFETCH_DELAY = 0.5
#: Seconds after start-up before the whole log is parsed for unreadable lines: a thread, but one that
#: holds the GIL for a third of a second on a 30 MB log, so not while the first screen is drawn.
SKIPPED_CHECK_DELAY = 1.0
#: Turns a screen lists before the rest of a long log is indexed (more than a screen's rows).
FIRST_ROWS = 60
#: Below this many columns the timeline narrows (``z`` hides it altogether).
NARROW_SCREEN = 100
#: What ``y`` copies when no panel is selected: the first shown panel of these kinds.
COPY_ORDER = (ToolOutputPanel, ToolCallPanel, AnswerPanel, ThinkingPanel, DiffPanel, NotePanel)


class RunScreen(StyledScreen):
    DEFAULT_CSS = """
    RunScreen #body { height: 1fr; }
    RunScreen #turn { background: $background; }
    RunScreen #loop, RunScreen #progress { display: none; }
    RunScreen.-loop #loop, RunScreen.-present #loop, RunScreen.-present #progress { display: block; }
    RunScreen.-present #timeline, RunScreen.-present #header, RunScreen.-present KeyBar { display: none; }
    RunScreen.-present #turn { padding: 0 1; }
    RunScreen #caption { display: none; height: auto; max-height: 5; padding: 0 2; background: $boost;
                         color: $warning; text-style: bold; }
    RunScreen #caption.-shown { display: block; }
    """
    COMMANDS = Screen.COMMANDS | {KeyCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,h", "prev_turn", "Prev", tooltip="previous turn"),
        Binding("right,l", "next_turn", "Next", tooltip="next turn"),
        Binding("home", "first_turn", "First", show=False, tooltip="first turn"),
        Binding("end", "last_turn", "Last", show=False, tooltip="last turn"),
        Binding("g", "goto", "Go to", tooltip="go to turn number…"),
        Binding("space", "toggle_play", "Play", tooltip="autoplay: play / pause"),
        Binding("plus,equals_sign", "faster", "Faster", show=False, tooltip="autoplay faster"),
        Binding("minus", "slower", "Slower", show=False, tooltip="autoplay slower"),
        Binding("slash", "search", "Search", tooltip="search all turns"),
        Binding("n", "next_hit", "Next hit", show=False, tooltip="next search hit"),
        Binding("N", "prev_hit", "Prev hit", show=False, tooltip="previous search hit"),
        Binding("f", "cycle_filter", "Filter", tooltip="filter: all / failed calls / patches"),
        Binding("t", "toggle_thinking", "Thinking", tooltip="show / hide thinking"),
        Binding("d", "toggle_diff", "Diff", tooltip="diff: this turn / cumulative"),
        Binding("m", "toggle_markdown", "Raw text", show=False, tooltip="answer: Markdown / raw text"),
        Binding("o", "toggle_expand", "Expand", show=False, tooltip="unfold long outputs and diffs"),
        Binding("z", "toggle_timeline", "Timeline", show=False, tooltip="hide / show the timeline"),
        Binding("P", "toggle_present", "Present", show=False, tooltip="presenter mode, for a projector"),
        Binding("v", "toggle_loop", "Loop", show=False, tooltip="show / hide the loop strip"),
        Binding("O", "toggle_printed", "Printed", show=False,
                tooltip="output: what the model saw / all the command printed (when nano cut it)"),
        Binding("r", "raw_json", "JSON", tooltip="raw JSON of this turn's messages"),
        Binding("c", "context", "Context", show=False, tooltip="what the model was sent for this turn"),
        Binding("A", "note", "Note", show=False, tooltip="add, edit or delete this turn's note"),
        Binding("y", "copy", "Copy", tooltip="copy the selected panel's raw text (OSC 52)"),
        Binding("e", "export", "Export", show=False, tooltip="export the run: json, md, html"),
        Binding("question_mark", "help", "Help", tooltip="all keys"),
        Binding("escape", "back", "Runs", tooltip="back to the run list"),
        Binding("q", "quit", "Quit", tooltip="quit"),
    ]

    current = var(0)
    filter_mode: var[FilterMode] = var("all")
    cumulative = var(False)
    #: Live runs: keep showing the newest turn until the user navigates away.
    follow = var(False)

    def __init__(self, trajectory: Trajectory, turn: int | None = None, autoplay: bool = False,
                 speed: float = 1.0, follow: bool = False, present: bool = False) -> None:
        super().__init__(classes="-present" if present else None)
        self.trajectory = trajectory
        self._start = turn
        self._autoplay = autoplay
        self.set_reactive(RunScreen.follow, follow)
        self._known = 0
        self._timer: Timer | None = None
        self._prefetch_timer: Timer | None = None
        self._prefetch_queue: list[int] = []
        self._step = 1
        self.autoplay = Autoplay(speed=speed)
        self.finder = Search()
        #: What could not be read of the log as written, once the whole of it was parsed.
        self.log_problems = ""
        #: Whether that check is done (the whole log parsed once).
        self.log_checked = False
        self._summary_cache: tuple[tuple, Text] | None = None
        self._caption: str | None = None
        self._requests: dict[tuple[int, object], str | None] = {}

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield RunHeader(self.trajectory.info, id="header")
        yield from self.bands_above()
        with Horizontal(id="body"):
            yield self.timeline_widget()
            yield TurnView(id="turn")
        yield from self.bands_below()
        yield KeyBar()

    def timeline_widget(self) -> Timeline:
        # narrow from the first frame: the screen's first Resize comes after it
        return Timeline(self.trajectory.turn, id="timeline",
                        classes="-narrow" if self.app.size.width < NARROW_SCREEN else None)

    # The loop strip, the caption and the progress line are made when first shown (presenter mode, or
    # the strip on its own): a plain replay does not import, build or style them.

    @cached_property
    def loop_strip(self) -> LoopStrip:
        from nano_tui.ui.widgets.loop_strip import LoopStrip

        return LoopStrip(id="loop")

    @cached_property
    def caption(self) -> Static:
        return Static(id="caption")

    @cached_property
    def progress(self) -> TurnProgress:
        from nano_tui.ui.widgets.turn_progress import TurnProgress

        return TurnProgress(id="progress")

    def bands_above(self) -> list[Widget]:
        """The loop strip and the caption, composed only when shown from the start (presenter mode);
        else mounted the first time they are shown: a plain replay has three widgets fewer to style."""
        return [self.loop_strip, self.caption] if self.loop_shown else []

    def bands_below(self) -> list[Widget]:
        """The progress line, composed or mounted with the bands above."""
        return [self.progress] if self.loop_shown else []

    async def _mount_bands(self) -> None:
        if not self.loop_strip.is_attached:
            await self.mount(self.loop_strip, self.caption, after=self.query_one(RunHeader))
            await self.mount(self.progress, after=self.query_one("#body"))

    @property
    def timeline(self) -> Timeline:
        return self.query_one(Timeline)

    @property
    def view(self) -> TurnView:
        return self.query_one(TurnView)

    def on_mount(self) -> None:
        trajectory = self.trajectory
        start = self._start if self._start is not None else (-1 if self.follow else 0)
        if 0 <= start < FIRST_ROWS and not trajectory.indexed:
            # the first screenful of turns: the rest of a long log is indexed after the first frame
            self._known = max(1, trajectory.whole_turns(FIRST_ROWS))
            self.call_after_refresh(self._index_rest)
        else:
            self._known = len(trajectory)
        self.timeline.set_rows(list(range(self._known)))
        self.timeline.set_notes(set(trajectory.notes))
        start = start if start >= 0 else self._known - 1
        self.go(max(0, min(start, self._known - 1)), stage=0 if self._autoplay else FULL)
        self._schedule_prefetch(STARTUP_PREFETCH_DELAY)
        self.timeline.focus()
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self.set_timer(SKIPPED_CHECK_DELAY, self._check_log)
        if self._autoplay:
            self.action_toggle_play()

    def on_resize(self, event: events.Resize) -> None:
        self.timeline.set_class(event.size.width < NARROW_SCREEN, "-narrow")

    def _index_rest(self) -> None:
        """The rest of a long log, indexed once its first turn is on screen (30 ms for 30 MB)."""
        self.turns_changed()
        self._update_header()

    def _check_log(self) -> None:
        if not self.trajectory.indexed:  # on this thread, before the check's thread parses the log
            self._index_rest()
        self._check_skipped()

    @work(thread=True, exclusive=True, group="skipped")
    def _check_skipped(self) -> None:
        """Which lines could not be read as written needs the whole file parsed: off the UI thread."""
        skipped, damaged = self.trajectory.skipped, self.trajectory.damaged
        if skipped or damaged or self.trajectory.info.unread:
            self.app.call_from_thread(self._report_skipped, skipped, damaged)
        self.log_checked = True

    def _report_skipped(self, skipped: list[SkippedLine], damaged: list[SkippedLine]) -> None:
        """A notice now, and a mark in the header for as long as the run is open."""
        parts = []
        for count, what in ((len(skipped), "unreadable, skipped"), (len(damaged), "with invalid UTF-8")):
            if count:
                parts.append(f"{count} line{'s' if count != 1 else ''} {what}")
        unread = self.trajectory.info.unread
        parts += [f"{name} not read" for name in unread]
        self.log_problems = " · ".join(parts)
        self._update_header()
        notes = [f"{name} not read: {why}." for name, why in unread.items()]
        for kind, lines in (("Skipped", skipped), ("Loaded with bad bytes replaced", damaged)):
            if lines:
                numbers = ", ".join(str(line.line) for line in lines[:10]) + (" …" if len(lines) > 10 else "")
                notes.append(f"{kind}: line {numbers} ({lines[0].reason}).")
        self.notify(" ".join(notes), title="Damaged log", severity="warning", timeout=10, markup=False)

    def _theme_changed(self, _theme: object) -> None:
        self.view.set_search(self.finder.query)
        self.timeline.clear_cache()
        self._update_header()

    # -- showing a turn ------------------------------------------------------------------------

    def go(self, turn: int, stage: int = FULL) -> None:
        """Show ``turn`` (at an autoplay ``stage``; FULL shows every panel)."""
        if turn < 0 or not self.trajectory.has_turn(turn):
            return
        self.current = turn
        self.timeline.select(turn)
        self._show(turn, stage)
        if stage != FULL:
            self.view.set_stage(self._first_stage())
        self._update_header()
        self._schedule_prefetch()

    def _show(self, turn: int, stage: int) -> None:
        trajectory = self.trajectory
        note = trajectory.notes.get(turn)
        presenting = self.has_class("-present")
        # presenter mode: the note is a caption under the strip, in view however far the turn scrolls
        caption = note if presenting else None
        if caption != self._caption:  # its height may change: a layout, so only when it does
            self._caption = caption
            self.caption.update(inert(caption or ""))
            self.caption.set_class(bool(caption), "-shown")
        self.view.show(trajectory.turn(turn), trajectory.info, self._diff_view(turn), stage,
                       self._summary() if trajectory.is_last(turn) else None, self._request(turn),
                       None if presenting else note)

    # -- the loop strip and presenter mode ---------------------------------------------------------

    @property
    def loop_shown(self) -> bool:
        return self.has_class("-present") or self.has_class("-loop")

    def _request(self, turn: int) -> str | None:
        """What the turn's request sent, in a line, while the loop strip is shown. Kept per turn: a
        live turn is redrawn as it streams, and its request (the turns before it) does not change;
        only its size does, when the provider's count arrives with the reply."""
        if not self.loop_shown:
            return None
        key = (turn, self.trajectory.turn(turn).usage.get("prompt_tokens"))
        if key not in self._requests:
            from nano_tui.trajectory.context import request_for, request_line

            request = request_for(self.trajectory, turn)
            self._requests[key] = request_line(request) if request is not None else None
        return self._requests[key]

    def _update_loop(self) -> None:
        """Light the loop strip's step for the turn shown and the stage autoplay is at."""
        if self.loop_shown:
            from nano_tui.ui.widgets.loop_strip import replay_step

            step, final = replay_step(self.trajectory.turn(self.current), self.view.stage)
            self.loop_strip.show_step(step, final)

    def _final_count(self, turns: int | None) -> int | None:
        """The turns the progress line counts to: all of them, once the run has ended."""
        return turns

    def _stages(self) -> list[int]:
        """The turn's autoplay stages; with the loop strip, also the moment its calls run."""
        stages = self.view.stages()
        if self.loop_shown and CALL in stages and self.trajectory.turn(self.current).tool_calls:
            stages = sorted({*stages, RUN})
        return stages

    async def action_toggle_present(self) -> None:
        self.toggle_class("-present")
        await self._loop_toggled()
        if self.has_class("-present") and self.timeline.has_focus:
            self.view.focus()

    async def action_toggle_loop(self) -> None:
        self.toggle_class("-loop")
        await self._loop_toggled()

    async def _loop_toggled(self) -> None:
        if self.loop_shown:
            await self._mount_bands()
        self._show(self.current, self.view.stage)
        self._update_header()

    def _summary(self) -> Text | None:
        """The end summary, once the run has ended (replayed or live); kept until the run changes."""
        trajectory, info = self.trajectory, self.trajectory.info
        if not has_ended(trajectory):
            return None
        key = (len(trajectory), info.end_reason, info.ended_normally, info.ended_at, info.context_tokens,
               str(info.path))
        if self._summary_cache is None or self._summary_cache[0] != key:
            self._summary_cache = (key, summary_text(trajectory))
        return self._summary_cache[1]

    # -- preparing the neighbours ----------------------------------------------------------------

    def _schedule_prefetch(self, delay: float = PREFETCH_DELAY) -> None:
        """Once the user pauses, prepare the turns a step away, the direction of travel first (not
        while following a live run: its newest turn keeps changing, and the work would slow the run)."""
        if self._prefetch_timer is not None:
            self._prefetch_timer.stop()
        if self.follow:
            return
        ahead, behind = self._neighbour(self._step), self._neighbour(-self._step)
        self._prefetch_queue = [turn for turn in (ahead, behind) if turn is not None]
        self._prefetch_timer = self.set_timer(delay, self._prefetch)

    def _prefetch(self) -> None:
        """One turn per call, so a key pressed meanwhile waits for one turn's preparation at most."""
        if not self._prefetch_queue or not self.is_current:
            return
        turn = self._prefetch_queue.pop(0)
        self.view.warm(self.trajectory.turn(turn), self._diff_view(turn))
        if self._prefetch_queue:
            self._prefetch_timer = self.set_timer(PREFETCH_DELAY, self._prefetch)

    def _diff_view(self, turn: int) -> DiffView:
        trajectory = self.trajectory
        if not self.cumulative:
            shown = trajectory.turn(turn)
            approximate = any(call.diff_approximate for call in shown.tool_calls if call.diff)
            return DiffView(shown.diff, "diff · this turn", approximate=approximate)
        last = trajectory.is_last(turn)
        title = "final diff" if last and trajectory.info.final_diff else f"all changes up to turn {turn}"
        return DiffView(trajectory.cumulative_diff(turn), title, cumulative=True,
                        approximate=trajectory.cumulative_diff_approximate(turn))

    def _update_header(self) -> None:
        finder = self.finder
        turns = len(self.trajectory) if self.trajectory.indexed else None
        if self.loop_shown:
            self.progress.set_position(self.current, self._final_count(turns),
                                       f"▶ {self.speed:g}×" if self.playing else "")
        self._update_loop()
        self.query_one(RunHeader).set_state(HeaderState(
            turn=self.current, turns=turns,
            playing=self.playing, speed=self.speed,
            filter=FILTER_LABELS[self.filter_mode] if self.filter_mode != "all" else "all",
            shown=len(self.timeline.rows), search=finder.query, hit=finder.position(self.current),
            hits=len(finder.hits),
            follow=self.follow, problems=self.log_problems,
        ))

    def _navigate(self, turn: int | None) -> None:
        """A move the user asked for: it ends following a live run unless it lands on the newest turn."""
        if turn is None:
            return
        self._step = -1 if turn < self.current else 1
        self.follow = self.follow and turn == len(self.trajectory) - 1
        self.go(turn)

    # -- the growing trajectory (live runs) -------------------------------------------------------

    def turns_changed(self) -> None:
        """New turns exist: add their rows; with follow on, show the newest."""
        count = len(self.trajectory)
        if count <= self._known:
            return
        new = range(self._known, count)
        self._known = count
        if self.finder.add(new, self.trajectory.turn, self.trajectory.info):
            self.timeline.set_hits(set(self.finder.hits))
        self.timeline.append_rows([index for index in new if self._keeps(index)])
        if self.follow:
            self.go(count - 1)
        else:
            self._update_header()

    def turn_updated(self, turn: int) -> None:
        """Turn ``turn`` grew or changed: redraw its row, and its panels if it is on screen."""
        self.timeline.invalidate(turn)
        if turn == self.current:
            self._show(turn, self.view.stage)

    def info_changed(self) -> None:
        self.query_one(RunHeader).set_info(self.trajectory.info)

    def _keeps(self, index: int) -> bool:
        """Whether the filter lists turn ``index`` (with no filter, without parsing the turn)."""
        return self.filter_mode == "all" or keep(self.trajectory.turn(index), self.filter_mode)

    # -- moving ----------------------------------------------------------------------------------

    def _neighbour(self, step: int) -> int | None:
        rows = self.timeline.rows
        if not rows:
            return None
        if step > 0:
            position = bisect.bisect_right(rows, self.current)
            return rows[position] if position < len(rows) else None
        position = bisect.bisect_left(rows, self.current) - 1
        return rows[position] if position >= 0 else None

    def action_next_turn(self) -> None:
        self._navigate(self._neighbour(+1))

    def action_prev_turn(self) -> None:
        self._navigate(self._neighbour(-1))

    def action_first_turn(self) -> None:
        self._navigate(self.timeline.rows[0] if self.timeline.rows else None)

    def action_last_turn(self) -> None:
        self._navigate(self.timeline.rows[-1] if self.timeline.rows else None)

    def action_follow(self) -> None:
        """Jump to the newest turn and keep following it (bound by the live screen)."""
        self.follow = True
        self.go(len(self.trajectory) - 1)

    @on(Timeline.Picked)
    def _picked(self, event: Timeline.Picked) -> None:
        self._navigate(event.turn)

    def action_goto(self) -> None:
        last = len(self.trajectory) - 1

        def chosen(value: str | None) -> None:
            if not value:
                return
            try:
                turn = int(value)
            except ValueError:
                turn = -1
            if not 0 <= turn <= last:
                self.notify(f"There is no turn {value}: choose 0 to {last}.", severity="warning",
                            markup=False)
                return
            self._navigate(turn)

        from nano_tui.ui.screens.prompt import PromptScreen

        self.app.push_screen(PromptScreen(f"Go to turn (0–{last}):", integer=True), chosen)

    # -- autoplay --------------------------------------------------------------------------------

    def _first_stage(self) -> int:
        """Where a turn starts: with the loop strip, at the request (nothing of the reply shown yet)."""
        return 0 if self.loop_shown else self.autoplay.first_stage(self._stages())

    def action_toggle_play(self) -> None:
        self.autoplay.playing = not self.autoplay.playing
        if self.playing:
            if self._neighbour(+1) is None and self.view.stage == FULL:
                self.go(self.timeline.rows[0] if self.timeline.rows else 0, stage=0)
            self._schedule()
        elif self._timer is not None:
            self._timer.stop()
            self._timer = None
            self.view.set_stage(FULL)
        self._update_header()

    def _schedule(self) -> None:
        self._timer = self.set_timer(self.autoplay.interval, self._advance)

    def _advance(self) -> None:
        if self.playing and self.autoplay_step().kind != "end":
            self._schedule()

    def autoplay_step(self) -> Step:
        """One autoplay step: reveal the turn's next panel, or move to the next turn, or end the play
        at the run's end. The timer calls it; a recording (``nano-tui record``) calls it on its own clock."""
        step = self.autoplay.next_step(self._stages(), self.view.stage, self._neighbour(+1))
        if step.kind == "reveal":
            self.view.set_stage(step.value)
            self._update_loop()
        elif step.kind == "turn":
            self.go(step.value, stage=0)
        else:
            self.view.set_stage(FULL)
            self.autoplay.playing = False
            self._update_header()
            self.notify("End of the run.", timeout=3)
        return step

    @property
    def playing(self) -> bool:
        return self.autoplay.playing

    @property
    def speed(self) -> float:
        return self.autoplay.speed

    def action_faster(self) -> None:
        self.autoplay.faster()
        self._speed_changed()

    def action_slower(self) -> None:
        self.autoplay.slower()
        self._speed_changed()

    def _speed_changed(self) -> None:
        self.notify(f"Autoplay speed {self.speed:g}×", timeout=1.5)
        self._update_header()

    # -- search and filter -----------------------------------------------------------------------

    def action_search(self) -> None:
        from nano_tui.ui.screens.prompt import PromptScreen

        self.app.push_screen(PromptScreen("Search all turns (Enter to search, Esc to cancel):",
                                          self.finder.query), self.search)

    def search(self, query: str | None) -> None:
        if query is None:
            return
        self.view.set_search(query)
        trajectory = self.trajectory
        self.finder.find(query, range(len(trajectory)), trajectory.turn, trajectory.info)
        self.timeline.set_hits(set(self.finder.hits))
        if query and not self.finder.hits:
            self.notify(f"No turn contains {query!r}.", severity="warning", markup=False)
        if self.finder.hits:
            self._navigate(self.current if self.current in self.finder.hits
                           else self.finder.next_hit(self.current, +1))
        self._update_header()

    def _jump_hit(self, step: int) -> None:
        target = self.finder.next_hit(self.current, step)
        if target is None:
            self.notify("No search hits." if self.finder.query else "Search first with /", markup=False)
            return
        self._navigate(target)

    def action_next_hit(self) -> None:
        self._jump_hit(+1)

    def action_prev_hit(self) -> None:
        self._jump_hit(-1)

    def action_cycle_filter(self) -> None:
        self.filter_mode = next_filter(self.filter_mode)
        rows = [index for index in range(len(self.trajectory)) if self._keeps(index)]
        self.timeline.set_rows(rows)
        if not rows:
            self.notify(f"No turn matches the filter: {FILTER_LABELS[self.filter_mode]}.",
                        severity="warning", markup=False)
        elif self.current not in rows:
            position = min(bisect.bisect_left(rows, self.current), len(rows) - 1)
            self.go(rows[position])
        self.timeline.select(self.current)
        self._update_header()

    # -- toggles ---------------------------------------------------------------------------------

    def action_toggle_thinking(self) -> None:
        self.view.show_thinking = not self.view.show_thinking

    def action_toggle_diff(self) -> None:
        self.cumulative = not self.cumulative
        self._show(self.current, self.view.stage)

    def action_toggle_markdown(self) -> None:
        self.view.raw_answer = not self.view.raw_answer

    def action_toggle_expand(self) -> None:
        self.view.expanded = not self.view.expanded

    def action_toggle_printed(self) -> None:
        view = self.view
        view.printed = not view.printed
        if view.printed and not any(call.printed is not None for call in self.trajectory.turn(self.current)
                                    .tool_calls):
            self.notify("Nothing more to show here: the model saw all this turn's output (or the log "
                        "kept no more).", markup=False, timeout=4)

    def action_toggle_timeline(self) -> None:
        """The panels take the whole width (a projector at 80 columns); the turn keys still move."""
        timeline = self.timeline
        timeline.toggle_class("-hidden")
        if timeline.has_class("-hidden") and timeline.has_focus:
            self.view.focus()

    # -- dialogs ---------------------------------------------------------------------------------

    def action_raw_json(self) -> None:
        turn = self.trajectory.turn(self.current)
        from nano_tui.ui.screens.raw_json import RawJsonScreen

        self.app.push_screen(RawJsonScreen(turn.index, turn.messages, turn.message_indices))

    def action_note(self) -> None:
        turn, notes = self.current, self.trajectory.notes

        def written(text: str | None) -> None:
            if text is None or text.strip() == notes.get(turn, ""):
                return
            try:
                where = self.trajectory.set_note(turn, text)
            except OSError as error:
                self.notify(f"The note could not be saved: {error.strerror or error}.", severity="error",
                            markup=False)
                return
            self.timeline.set_notes(set(self.trajectory.notes))
            self._show(turn, self.view.stage)
            said = "Note saved" if text.strip() else "Note deleted"
            self.notify(f"{said} ({where}).", markup=False, timeout=4)

        from nano_tui.ui.screens.prompt import PromptScreen

        self.app.push_screen(PromptScreen(f"Note on turn {turn} (Enter saves, empty deletes, Esc cancels):",
                                          notes.get(turn, "")), written)

    def action_context(self) -> None:
        from nano_tui.trajectory.context import request_for

        request = request_for(self.trajectory, self.current)
        if request is None:
            self.notify("Turn 0 is the setup: its system prompt and task open the first request, which "
                        "turn 1 shows.", markup=False, timeout=5)
            return
        from nano_tui.ui.screens.context import ContextScreen

        self.app.push_screen(ContextScreen(request))

    def action_copy(self) -> None:
        view = self.view
        panels = view.panels()
        chosen = view.selected if view.has_focus and view.selected in panels else next(
            (panel for kind in COPY_ORDER for panel in panels if isinstance(panel, kind)), None)
        if chosen is None:
            self.notify("Nothing to copy in this turn.", markup=False)
            return
        self.app.copy_to_clipboard(chosen.raw_text)
        self.notify(f"Copied the {chosen.label} panel ({len(chosen.raw_text):,} characters).", markup=False)

    def action_export(self) -> None:
        from nano_tui.ui.screens.export import ExportScreen

        self.app.push_screen(ExportScreen(self.trajectory, Path.cwd()))

    def action_help(self) -> None:
        from nano_tui.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.BINDINGS))

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_quit(self) -> None:
        self.app.exit()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return len(self.app.screen_stack) > 1
        return True
