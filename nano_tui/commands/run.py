"""``nano-tui run TASK``: check every precondition, then run headless or full screen.

All checks happen in :func:`prepare` before any screen opens, cheap ones first: the task, the limits,
the repository, the model string, the server behind ``--api-base``, and last (it needs litellm) the
provider and its API key.
"""

from __future__ import annotations

import argparse
import difflib
import signal
import socket
import sys
from types import FrameType
from typing import Any
from urllib.parse import urlsplit

from nano_tui.contract import exit_code
from nano_tui.core.shell.backends import BackendError, BackendSpec, check_available, default_spec
from nano_tui.core.spec import RunSpec
from nano_tui.core.workspace import require_clean_repository
from nano_tui.errors import UserError
from nano_tui.invocation import command
from nano_tui.safe_text import printable, say

#: Providers whose model lists litellm keeps whole (first-party catalogues). Not those where the name
#: is the user's own (Azure deployments, Bedrock ARNs) or any model a server loads (vLLM, Ollama).
LISTING_PROVIDERS = frozenset({"openai", "anthropic", "gemini", "deepseek", "xai", "mistral", "groq",
                               "cerebras", "openrouter"})


def model_hint() -> str:
    """What to pass as ``--model``, with a command that needs no key."""
    return ("pass --model, e.g. --model openai/gpt-4.1-mini (needs OPENAI_API_KEY), "
            "--model hosted_vllm/Qwen/Qwen3-8B --api-base http://127.0.0.1:8000/v1, "
            f"or try `{command('demo')}` (no key needed)")


def main(args: argparse.Namespace) -> int:
    return start(prepare(args), args.headless)


def start(spec: RunSpec, headless: bool, announce: str | None = None) -> int:
    """Run full screen, or headless when asked to or when there is no terminal to draw on (output
    redirected to a file or a pipe: escape codes there would only be noise). ``announce`` is said on
    stderr once every check has passed."""
    if headless and spec.step:
        raise UserError("--step needs the full-screen view: drop --headless")
    if not headless and not (sys.stdout.isatty() and sys.stdin.isatty()):
        if spec.step:
            raise UserError("--step needs a terminal to ask in: stdin or stdout is not one")
        say("not a terminal: running as --headless")
        headless = True
    if announce:
        say(announce)
    if headless:
        return run_headless(spec)
    from nano_tui.ui.live import run_live

    return run_live(spec)


def prepare(args: argparse.Namespace) -> RunSpec:
    """Validate ``args`` and describe the run; raises :class:`UserError` with one clear line."""
    task = (args.task or "").strip()
    if not task:
        raise UserError("the task is empty: say what the agent should do")
    check_limits(args)
    repo = require_clean_repository(args.repo).root
    backend = check_backend(args)
    if not args.model:
        raise UserError(f"no model given: {model_hint()}")
    if args.api_base:
        check_reachable(args.api_base)
    options: dict[str, Any] = dict(
        model=args.model, api_base=args.api_base, token_limit=args.token_limit, tool_limit=args.tool_limit,
        time_limit=args.time_limit, response_limit=args.response_limit, thinking=args.thinking,
        request_timeout=args.request_timeout, stall_timeout=args.stall_timeout,
        temperature=args.temperature, top_p=args.top_p, min_p=args.min_p, top_k=args.top_k,
        log=args.log, log_dir=args.log_dir, backend=backend.name, image=backend.image,
        workdir=backend.workdir, network=backend.network,
    )
    options.update(check_model(args.model, args.api_base, args.any_model))
    return RunSpec(task=task, repo=repo, model=args.model, agent_options=options, step=args.step,
                   theme=getattr(args, "theme", None), present=getattr(args, "present", False))


def check_backend(args: argparse.Namespace) -> BackendSpec:
    """The backend to run the shell in, checked before anything starts (bubblewrap usable, the Docker
    daemon up and the image there); without ``--backend``, the sandbox where it works, else local with
    a warning on stderr (the screen's header says it too)."""
    if args.backend is None:
        spec, warning = default_spec()
        if warning:
            say(f"warning: {warning}")
    else:
        spec = BackendSpec(args.backend, args.image, args.workdir, args.network)
    if args.image and spec.name not in ("docker", "apptainer"):
        raise UserError(f"--image is for --backend docker or apptainer, not {spec.name}")
    try:
        check_available(spec)
    except BackendError as error:
        raise UserError(str(error)) from None
    return spec


def check_limits(args: argparse.Namespace) -> None:
    limits = (("--token-limit", args.token_limit, 1), ("--tool-limit", args.tool_limit, 0),
              ("--time-limit", args.time_limit, 1), ("--response-limit", args.response_limit, 1))
    for flag, value, low in limits:
        if value < low:
            raise UserError(f"{flag} must be at least {low}, not {value}")
    timeouts = (("--request-timeout", args.request_timeout), ("--stall-timeout", args.stall_timeout))
    for flag, seconds in timeouts:
        if not seconds > 0 or seconds == float("inf"):
            raise UserError(f"{flag} must be a number of seconds above 0, not {seconds:g}")


def check_reachable(api_base: str, timeout: float = 3.0) -> None:
    """A quick TCP connect to the server behind ``api_base``."""
    parts = urlsplit(api_base)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UserError(f"--api-base must be an http(s) URL like http://127.0.0.1:8000/v1, not {api_base!r}")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UserError(f"--api-base has an invalid port: {api_base!r}") from None
    try:
        socket.create_connection((parts.hostname, port), timeout=timeout).close()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise UserError(f"cannot reach --api-base {api_base}: {reason}") from None


def check_model(model: str, api_base: str | None, any_model: bool = False) -> dict[str, Any]:
    """Check that litellm knows the provider (and the model, where the provider's list is complete)
    and that its key is set; returns extra Agent options."""
    from nano_tui.core.llm import load_litellm

    litellm = load_litellm()
    if model.startswith("scripted/"):
        from nano_tui.core.scripted import available_scripts

        name = model.removeprefix("scripted/")
        if name not in available_scripts():
            raise UserError(f"no scripted model {name!r}; available: {', '.join(available_scripts())}")
        return {}
    try:
        name, provider = litellm.get_llm_provider(model, api_base=api_base)[:2]
    except Exception:
        raise UserError(f"unknown model {model!r}: litellm cannot tell its provider; "
                        f"{model_hint()}") from None
    if not api_base and not any_model:
        check_listed(litellm.models_by_provider, model, name, provider)
    missing = litellm.validate_environment(model, api_base=api_base).get("missing_keys") or []
    if not missing:
        return {}
    if api_base:
        # a local OpenAI-compatible server: most accept any key, but litellm's client insists on one
        return {"api_key": "EMPTY"}
    raise UserError(f"{model} ({provider}) needs {', '.join(missing)} set in the environment "
                    "(or pass --api-base for a self-hosted server)")


def check_listed(listed: dict[str, Any], model: str, name: str, provider: str) -> None:
    """A name the provider's model list lacks is a typo far more often than a model litellm has not
    heard of yet: stop before anything starts, naming the closest known names."""
    if provider not in LISTING_PROVIDERS or not listed.get(provider):
        return
    known = {entry.removeprefix(f"{provider}/") for entry in listed[provider]}
    if name in known:
        return
    closest = difflib.get_close_matches(name, sorted(known), n=3, cutoff=0.6)
    hint = f"closest: {', '.join(f'{provider}/{c}' for c in closest)}; " if closest else ""
    raise UserError(f"unknown model {model!r}: litellm's list of {provider} models has no {name!r} "
                    f"({hint}a model newer than the list? pass --any-model)")


def run_headless(spec: RunSpec) -> int:
    """Run in this thread, printing each turn; Ctrl-C stops the run cleanly (twice: at once).

    Exit code: 0 when the run ended on its own (finished or a limit), 1 on a provider error, 130 when
    stopped."""
    from nano_tui.core.headless import HeadlessPrinter

    if spec.note:
        print(printable(spec.note), flush=True)
    printer = HeadlessPrinter()
    control = spec.make_control()
    agent = spec.make_agent(on_event=printer, control=control)

    def stop(signum: int, frame: FrameType | None) -> None:
        if control.stopped:
            raise KeyboardInterrupt
        print(file=sys.stderr)
        say("stopping… (press Ctrl-C again to quit at once)")
        control.stop()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        agent.run(spec.task, spec.repo)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if agent.end_reason == "error":
        say(f"the run failed: {agent.error}")
    return exit_code(agent.end_reason)
