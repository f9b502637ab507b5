"""Command-line parsing only. Every command imports its module when it runs, so ``--help``,
``--version`` and ``replay`` never pay for litellm's import."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from importlib import import_module
from pathlib import Path

from nano_tui import installed_version
from nano_tui.collector import held
from nano_tui.contract import LISTED_ENDS
from nano_tui.errors import UserError
from nano_tui.safe_text import say

PRESENT = "presenter mode: a projector's layout with the loop strip (P toggles it)"


def _add_run_options(p: argparse.ArgumentParser) -> None:
    """nano-agent's flags, spelled with dashes; the underscore spellings nano uses work too."""
    from nano_tui.core.shell import BACKENDS  # the agent's package, which replay and --help never load

    p.add_argument("--repo", "--path", dest="repo", type=Path, default=Path("."),
                   help="git repository to work in (default: the current directory)")
    p.add_argument("--model", default=None,
                   help="litellm model string, e.g. openai/gpt-4.1-mini or hosted_vllm/Qwen/Qwen3-8B")
    p.add_argument("--api-base", "--api_base", dest="api_base", default=None,
                   help="base URL of an OpenAI-compatible server, e.g. http://127.0.0.1:8000/v1")
    p.add_argument("--any-model", action="store_true",
                   help="accept a model name litellm's model list does not know (a model newer than it)")
    p.add_argument("--thinking", action="store_true", help="ask the model to emit reasoning")
    p.add_argument("--token-limit", "--token_limit", dest="token_limit", type=int, default=32768,
                   help="context window budget in tokens (default: 32768)")
    p.add_argument("--tool-limit", "--tool_limit", dest="tool_limit", type=int, default=50,
                   help="maximum tool calls (default: 50)")
    p.add_argument("--time-limit", "--time_limit", dest="time_limit", type=int, default=120,
                   help="maximum seconds for the run (default: 120)")
    p.add_argument("--request-timeout", type=float, default=600,
                   help="most seconds one model call may take; never past the time limit (default: 600)")
    p.add_argument("--stall-timeout", type=float, default=60,
                   help="most seconds a streamed reply may send nothing before it is cut (default: 60)")
    p.add_argument("--response-limit", "--response_limit", dest="response_limit", type=int, default=4096,
                   help="maximum tokens per model reply (default: 4096)")
    p.add_argument("--temperature", type=float, default=0.7, help="sampling temperature (default: 0.7)")
    p.add_argument("--top-p", "--top_p", dest="top_p", type=float, default=0.95,
                   help="nucleus sampling cutoff (default: 0.95)")
    p.add_argument("--min-p", "--min_p", dest="min_p", type=float, default=None, help="min-p sampling floor")
    p.add_argument("--top-k", "--top_k", dest="top_k", type=int, default=None, help="top-k sampling cutoff")
    p.add_argument("--backend", choices=BACKENDS, default=None,
                   help="where the model's commands run: sandbox (bubblewrap: read-only system, no network; "
                        "the default where it works), local (nano-agent's bash -rc, not confined), docker or "
                        "apptainer (with --image)")
    p.add_argument("--image", default=None, help="container image for --backend docker or apptainer")
    p.add_argument("--workdir", default="/app",
                   help="where the repository is mounted in the container (default: /app)")
    p.add_argument("--network", action="store_true",
                   help="let the model's commands reach the network (the sandbox and containers cut it off)")
    p.add_argument("--log-dir", "--log_dir", dest="log_dir", type=Path, default=None,
                   help="folder that receives the run folder (default: ~/.nano)")
    p.add_argument("--no-log", dest="log", action="store_false", help="write no run log")
    p.add_argument("--headless", action="store_true", help="print turns to stdout instead of the full screen")
    p.add_argument("--step", action="store_true", help="pause before each model call and each tool call")
    p.add_argument("--theme", default=None, help="colour theme (see `nano-tui themes`)")
    p.add_argument("--present", action="store_true", help=PRESENT)


def _add_run_filters(p: argparse.ArgumentParser, *end: str) -> None:
    """The filters a list of runs takes (``runs``, the dataset export), and ``--no-index``."""
    p.add_argument(*end, dest="end", choices=LISTED_ENDS, help="only runs that ended so")
    p.add_argument("--model", help="only runs whose model name holds this text")
    p.add_argument("--task", help="only runs whose task holds this text")
    p.add_argument("--since", help="only runs started on or after this date (2025-01-31, or with a time)")
    p.add_argument("--no-index", dest="index", action="store_false",
                   help="read every run from its folder, not from the run index in the cache")


class _Version(argparse.Action):
    """``--version``, looked up only when asked: reading the installed package's metadata costs 40 ms
    of every start-up."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(f"nano-tui {installed_version()}")
        parser.exit()


def _run(run: argparse.ArgumentParser) -> None:
    run.add_argument("task", help="what the agent should do, in plain words")
    _add_run_options(run)


def _demo(demo: argparse.ArgumentParser) -> None:
    demo.add_argument("--headless", action="store_true",
                      help="print turns to stdout instead of the full screen")
    demo.add_argument("--step", action="store_true", help="pause before each model call and each tool call")
    demo.add_argument("--speed", type=float, default=1.0, help="pacing multiplier (2 = twice as fast)")
    demo.add_argument("--log-dir", dest="log_dir", type=Path, default=None,
                      help="folder that receives the run folder (default: ~/.nano)")
    demo.add_argument("--no-log", dest="log", action="store_false", help="write no run log")
    demo.add_argument("--theme", default=None, help="colour theme")
    demo.add_argument("--present", action="store_true", help=PRESENT)


def _replay(replay: argparse.ArgumentParser) -> None:
    replay.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="a run folder, its messages.jsonl, or a folder of runs "
                             "(default: ~/.nano, ./.nano)")
    replay.add_argument("--turn", type=int, default=None, help="open at this turn")
    replay.add_argument("--autoplay", action="store_true", help="step through the turns by themselves")
    replay.add_argument("--speed", type=float, default=1.0, help="autoplay speed multiplier")
    replay.add_argument("--theme", default=None, help="colour theme")
    replay.add_argument("--present", action="store_true", help=PRESENT)
    replay.add_argument("--no-index", dest="index", action="store_false",
                        help="browse runs read from their folders, not from the run index in the cache")


def _record(record: argparse.ArgumentParser) -> None:
    record.add_argument("run", type=Path, metavar="RUN",
                        help="a run folder, its messages.jsonl, or a trajectory file")
    record.add_argument("-o", "--output", type=Path, required=True, help="the .cast file to write")
    record.add_argument("--speed", type=float, default=1.0,
                        help="pacing multiplier, as autoplay's (2 = twice as fast)")
    record.add_argument("--size", default="100x30", help="the terminal's size, WIDTHxHEIGHT (default 100x30)")
    record.add_argument("--present", action="store_true", help="record presenter mode, with the loop strip")
    record.add_argument("--theme", default=None, help="colour theme")


def _export(export: argparse.ArgumentParser) -> None:
    export.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                        help="a run folder or its messages.jsonl; for --format dataset, runs or folders "
                             "of runs; for --format atif, folders of runs make a Harbor job (-o OUTDIR)")
    export.add_argument("--format", choices=["json", "md", "html", "atif", "dataset"], default="json")
    export.add_argument("-o", "--output", type=Path, default=None,
                        help="file to write (default: stdout); the folder a Harbor job goes in")
    export.add_argument("--no-redact", dest="redact", action="store_false",
                        help="keep what looks like a secret (md, html, atif and dataset replace it by "
                             "default)")
    _add_run_filters(export, "--only", "--end")


def _runs(runs: argparse.ArgumentParser) -> None:
    runs.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="folders of runs")
    runs.add_argument("--json", action="store_true", help="one JSON object per line per run")
    _add_run_filters(runs, "--end")


def _compare(compare: argparse.ArgumentParser) -> None:
    compare.add_argument("runs", nargs="+", type=Path, metavar="RUN", help="two or more run folders")
    compare.add_argument("--format", choices=["text", "json"], default=None,
                         help="text: a table with the first divergence marked (the default when not on a "
                              "terminal); json: the rows. On a terminal without it: side by side on screen")


#: Each command: what it does, and what adds its arguments. It runs ``nano_tui.commands.NAME:main``.
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "run": ("run the agent on a task in a git repository", _run),
    "demo": ("run the bundled scripted model on a sample repo: no key, no network", _demo),
    "replay": ("step through saved runs turn by turn", _replay),
    "record": ("play a run into an asciicast file (asciinema), a marker per turn", _record),
    "export": ("write a run as json, markdown, standalone html or ATIF, or runs as a dataset (one JSON line "
               "per run) or a Harbor job", _export),
    "runs": ("list saved runs, newest first", _runs),
    "compare": ("runs turn against turn, aligned by what the agent did", _compare),
    "themes": ("list the colour themes, each with a preview line", lambda _: None),
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line: every command, or only ``command`` when it is one. Building all of them costs
    2 ms of every start; the command's own usage and errors are the same either way."""
    parser = argparse.ArgumentParser(
        prog="nano-tui",
        description="Watch a coding agent work: run the nano agent loop live, or replay its logs.",
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show the installed version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (what, add_arguments) in COMMANDS.items():
        if command not in COMMANDS or command == name:
            add_arguments(sub.add_parser(name, help=what))
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(next((word for word in argv if not word.startswith("-")), None))
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    with held():  # what the command imports lives as long as the process: never worth a collection
        handler = import_module(f"nano_tui.commands.{args.command}").main
    try:
        return int(handler(args) or 0)
    except UserError as error:
        say(str(error))
        return 1
    except KeyboardInterrupt:
        say("interrupted")
        return 130
    except BrokenPipeError:
        # the reader went away (`nano-tui runs --json | head`): stop quietly, and let the exit's
        # flush of stdout go nowhere rather than fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
