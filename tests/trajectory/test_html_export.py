"""The HTML export is clean: a command's colours as styles and no control byte in the page, answers
as rendered Markdown with their text one click away, nothing live from the log; Chromium opens it."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from nano_tui.trajectory import load
from nano_tui.trajectory.export import exporter, save_export
from tests.trajectory.builders import typical_run

COLOURED = ("\x1b[1;31mFAILED\x1b[0m test_add \x1b[38;5;196mred\x1b[0m \x1b[38;2;10;20;30mdeep\x1b[0m "
            "\x1b[38:2::0:128:1mcolon\x1b[0m \x1b]0;pwned\x07\x1b[2Jdone")
ANSWER = ("Fixed **`add`** in `app.py`.\n\n- tests pass\n\nSee [the docs](http://evil.example/docs) and "
          "![a pixel](http://evil.example/pixel.png) <img src=x onerror=alert(1)>")
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def coloured_run(tmp_path: Path) -> Path:
    run = typical_run("5.0")
    call = run.call("shell", {"cmd": "pytest --color=yes"})
    run.assistant("Run the tests.", [call])
    run.tool(call, COLOURED)
    run.assistant(ANSWER)
    return run.write(tmp_path)


def test_colours_become_styles_and_no_control_byte_reaches_the_page(tmp_path: Path) -> None:
    page = exporter("html")(load(coloured_run(tmp_path)))
    assert not CONTROL.search(page), CONTROL.search(page)
    assert '<span style="color:#cd0000;font-weight:bold">FAILED</span>' in page
    assert '<span style="color:#ff0000">red</span>' in page
    assert '<span style="color:#0a141e">deep</span>' in page
    assert '<span style="color:#008001">colon</span>' in page, "the colon form, its colour space empty"
    assert "␛]0;pwned␇" in page, "a sequence that is not a colour stays visible"
    assert "␛[2J" in page


def test_an_answer_is_rendered_markdown_with_nothing_live(tmp_path: Path) -> None:
    page = exporter("html")(load(coloured_run(tmp_path)))
    assert '<div class="answer"><p>Fixed <strong><code>add</code></strong>' in page
    assert "<li>tests pass</li>" in page
    assert "<summary>Raw text</summary>" in page and "Fixed **`add`**" in page
    assert not re.search(r"<[^>]*\s(?:href|src)=", page), "no tag that links or fetches"
    assert 'title="http://evil.example/docs">the docs</span>' in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


@pytest.mark.skipif(shutil.which("chromium") is None, reason="no chromium here (.ci/run installs it)")
def test_chromium_opens_the_page(tmp_path: Path) -> None:
    out = tmp_path / "run.html"
    save_export(load(coloured_run(tmp_path)), "html", out)
    done = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                           out.as_uri()], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "FAILED" in done.stdout and "Raw text" in done.stdout and "<strong>" in done.stdout
