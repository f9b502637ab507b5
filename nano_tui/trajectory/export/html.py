"""One standalone HTML page per run: inline CSS, Pygments highlighting, long outputs folded in
``<details>``, a command's colours as styles, answers as rendered Markdown (their text one click
away); no script, no external request, no live link from the log. Every log text is escaped
(Pygments escapes what it highlights, :func:`html.escape` and Markdown the rest)."""

from __future__ import annotations

import html
from collections.abc import Iterator

from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import BashLexer, DiffLexer, TextLexer, get_lexer_for_filename
from pygments.util import ClassNotFound

from nano_tui.trajectory.export.ansi import SGR, styled_runs
from nano_tui.trajectory.export.text import APPROXIMATE_DIFF, run_facts, turn_facts
from nano_tui.trajectory.model import ToolCall, Turn
from nano_tui.trajectory.trajectory import Trajectory

#: Outputs longer than this many lines are folded.
FOLD_LINES = 20

_FORMATTER = HtmlFormatter(cssclass="hl")
_CSS = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       color: #1f2328; background: #fff; line-height: 1.45; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; border-bottom: 1px solid #d0d7de; margin-top: 2rem; }
.note { border-left: 4px solid #bf8700; background: #fff8c5; padding: .25rem .75rem; margin: .5rem 0; }
h3 { font-size: 1rem; margin-bottom: .3rem; }
pre, .hl pre { background: #f6f8fa; padding: .6rem; overflow-x: auto; white-space: pre-wrap;
               word-break: break-word; font-size: .85rem; border-radius: 4px; margin: .3rem 0; }
.thinking pre { background: #f3f0ff; font-style: italic; }
.status { font-size: .8rem; padding: .1rem .4rem; border-radius: 3px; background: #eaeef2; }
.status-ok { background: #dafbe1; } .status-failed, .status-no-result { background: #ffebe9; }
.warning { color: #9a6700; } .error { color: #cf222e; }
dl { display: grid; grid-template-columns: max-content auto; gap: .1rem 1rem; }
dt { font-weight: 600; } dd { margin: 0; }
details > summary { cursor: pointer; color: #57606a; }
.answer { border-left: 3px solid #8250df; padding-left: .8rem; }
.link { text-decoration: underline dotted; }
"""


def _markdown() -> MarkdownIt:
    """CommonMark without raw HTML; a link keeps its text and shows its target on hover, an image
    is its address: nothing in a page made from a log fetches anything or goes anywhere."""
    markdown = MarkdownIt("commonmark", {"html": False})
    markdown.add_render_rule("link_open", lambda _self, tokens, index, _options, _env:
                             f'<span class="link" title="{_e(tokens[index].attrGet("href") or "")}">')
    markdown.add_render_rule("link_close", lambda *_: "</span>")
    markdown.add_render_rule("image", lambda _self, tokens, index, _options, _env:
                             f"[image: {_e(str(tokens[index].attrGet('src') or ''))}]")
    return markdown


_MARKDOWN = _markdown()


def html_chunks(trajectory: Trajectory) -> Iterator[str]:
    """The page, a turn at a time."""
    info = trajectory.info
    name = info.path.name if info.path else "live run"
    css = _CSS + _FORMATTER.get_style_defs(".hl")
    yield ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           f"<title>{_e(name)} — nano-tui</title>\n<style>{css}</style>\n</head>\n<body>\n")
    head = [f"<h1>Run {_e(name)}</h1>", "<dl>"]
    head += [f"<dt>{_e(label)}</dt><dd>{_e(value)}</dd>" for label, value in run_facts(info)]
    head.append("</dl>")
    head.append("<h2>Task</h2>" + _pre(info.task))
    if info.system_prompt:
        head.append("<details><summary>System prompt</summary>" + _pre(info.system_prompt) + "</details>")
    yield "\n".join(head) + "\n"
    notes = trajectory.notes
    for turn in trajectory.stream():
        if turn.index:
            yield _turn(turn, notes.get(turn.index)) + "\n"
    tail = []
    for title, lines in (("Skipped lines", trajectory.skipped), ("Damaged lines", trajectory.damaged)):
        if lines:
            tail.append(f"<h2>{title}</h2><ul>")
            tail += [f"<li>line {s.line}: {_e(s.reason)}</li>" for s in lines]
            tail.append("</ul>")
    tail.append("<h2>Final diff</h2>")
    tail.append(_code(info.final_diff, DiffLexer(stripnl=False)) if info.final_diff
                else "<p>No final diff.</p>")
    yield "\n".join(tail) + "\n</body>\n</html>\n"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _pre(text: str) -> str:
    return f"<pre>{_e(text)}</pre>"


def _output(text: str) -> str:
    """A tool's output, with the colours a command printed as styles."""
    if not SGR.search(text):
        return _pre(text)
    spans = [f'<span style="{look.css()}">{_e(part)}</span>' if look.css() else _e(part)
             for part, look in styled_runs(text)]
    return f"<pre>{''.join(spans)}</pre>"


def _code(text: str, lexer: Lexer) -> str:
    return highlight(text, lexer, _FORMATTER)


def _folded(label: str, block: str, text: str) -> str:
    if text.count("\n") < FOLD_LINES:
        return f"<p>{_e(label)}</p>{block}"
    return f"<details><summary>{_e(label)} ({text.count(chr(10)) + 1} lines)</summary>{block}</details>"


def _turn(turn: Turn, note: str | None) -> str:
    facts = turn_facts(turn)
    parts = [f'<section id="turn-{turn.index}"><h2>Turn {turn.index}'
             f"{f' <small>{_e(facts)}</small>' if facts else ''}</h2>"]
    if note:
        parts.append(f'<aside class="note"><strong>Note</strong>{_pre(note)}</aside>')
    if turn.error:
        parts.append(f'<p class="error">Error</p>{_pre(turn.error)}')
    parts += [f'<div class="thinking">{_folded("Thinking", _pre(t), t)}</div>' for t in turn.thinking]
    if turn.text and not turn.tool_calls:  # an answer: as it reads, and as it was written
        parts.append(f'<div class="answer">{_MARKDOWN.render(turn.text)}</div>'
                     f"<details><summary>Raw text</summary>{_pre(turn.text)}</details>")
    elif turn.text:
        parts.append(_pre(turn.text))
    parts += [_call(call) for call in turn.tool_calls]
    parts += [f"<p>Nudge</p>{_pre(nudge)}" for nudge in turn.nudges]
    parts.append("</section>")
    return "".join(parts)


def _call(call: ToolCall) -> str:
    status = call.status.replace(" ", "-")
    duration = f" {call.duration:.2f} s" if call.duration is not None else ""
    parts = [f'<h3>{_e(call.name or "unnamed call")} <span class="status status-{status}">'
             f"{_e(call.status)}</span>{duration}</h3>"]
    patch = call.patch
    if call.command is not None:
        parts.append(_code(call.command, BashLexer(stripnl=False)))
    elif patch is not None:
        lexer = _file_lexer(patch.file)
        parts.append(f"<p>File: <code>{_e(patch.file)}</code></p>")
        parts.append(_folded("Search", _code(patch.search, lexer), patch.search))
        parts.append(_folded("Replace", _code(patch.replace, lexer), patch.replace))
    else:
        parts.append(_pre(call.arguments_raw))
    if call.parse_error:
        parts.append(f'<p class="error">Arguments are not valid JSON: {_e(call.parse_error)}</p>')
    if call.warning:
        parts.append(f'<p class="warning">{_e(call.warning)}</p>')
    if call.result is None:
        parts.append("<p>No result: nothing answered this call.</p>")
    else:
        label = "Output (truncated)" if call.truncated else "Output"
        parts.append(_folded(label, _output(call.output), call.output))
    if call.diff:
        label = f"Diff ({APPROXIMATE_DIFF})" if call.diff_approximate else "Diff"
        parts.append(_folded(label, _code(call.diff, DiffLexer(stripnl=False)), call.diff))
    return "".join(parts)


def _file_lexer(file: str) -> Lexer:
    try:
        return get_lexer_for_filename(file, stripnl=False)
    except ClassNotFound:
        return TextLexer()
