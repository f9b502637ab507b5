"""``nano-tui demo``: the scripted model fixes a real bug in a temporary copy of the sample repository.

No key, no network: the ``scripted/fix-bug`` model replays a bundled script through the real loop.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from importlib import resources
from pathlib import Path

from nano_tui.core.shell.backends import default_spec
from nano_tui.core.spec import RunSpec
from nano_tui.errors import UserError
from nano_tui.safe_text import say

DEMO_MODEL = "scripted/fix-bug"
#: Seconds each step-mode pause of ``demo --present`` lasts at speed 1: its 11 pauses (6 model calls,
#: 5 tool calls) and 11 s of streaming make a class of five minutes.
LESSON_HOLD = 26.0
DEMO_TASK = "The test suite fails. Find out why and fix the bug in the library code, not in the tests."


def main(args: argparse.Namespace) -> int:
    from nano_tui.commands.run import start

    # the model client takes seconds to import: say so rather than leave the terminal blank
    return start(prepare(args), args.headless, announce="starting the demo…")


def prepare(args: argparse.Namespace) -> RunSpec:
    if args.speed < 0:
        raise UserError(f"--speed must be 0 (no pauses) or more, not {args.speed:g}")
    repo = make_sample_repo()
    from nano_tui.core.scripted import PREFIX, script_captions, set_speed

    set_speed(args.speed)
    backend, warning = default_spec()
    if warning:
        say(f"warning: {warning}")
    options = dict(model=DEMO_MODEL, log=args.log, log_dir=args.log_dir, time_limit=600, backend=backend.name)
    spec = RunSpec(task=DEMO_TASK, repo=repo, model=DEMO_MODEL, agent_options=options, step=args.step,
                   theme=getattr(args, "theme", None), note=f"sample repository copied to {repo}")
    if getattr(args, "present", False):
        # a lesson: a caption on every turn, and a pause before each model call and each tool call
        # that ends by itself (Enter goes on sooner)
        spec.present, spec.step = True, True
        spec.notes = script_captions(DEMO_MODEL.removeprefix(PREFIX))
        spec.hold = LESSON_HOLD / args.speed if args.speed > 0 else 0.0
    return spec


def make_sample_repo() -> Path:
    """Copy the bundled sample repository to a new temporary folder and commit it there."""
    source = Path(str(resources.files("nano_tui.demo") / "sample_repo"))
    repo = Path(tempfile.mkdtemp(prefix="nano-tui-demo-")) / "tally"
    shutil.copytree(source, repo, ignore=shutil.ignore_patterns("__pycache__"))
    (repo / ".gitignore").write_text("__pycache__/\n")
    for command in (["init", "-q"], ["config", "user.name", "nano-tui demo"],
                    ["config", "user.email", "demo@nano-tui.invalid"], ["config", "commit.gpgsign", "false"],
                    ["add", "-A"], ["commit", "-q", "-m", "tally: summary statistics"]):
        result = subprocess.run(["git", "-C", str(repo), *command], capture_output=True, text=True)
        if result.returncode != 0:
            raise UserError(f"could not prepare the sample repository: git {command[0]}: "
                            f"{result.stderr.strip() or result.stdout.strip()}")
    return repo
