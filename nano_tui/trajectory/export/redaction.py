"""What looks like a secret, replaced in shared exports by ``[REDACTED:kind]``, with a note of where.

A tool that printed an environment or a config file puts keys in a log; exports are shared. The
families follow those secret scanners look for (gitleaks' and detect-secrets' rules): provider API
keys, GitHub, AWS, Slack, Google and Hugging Face tokens, bearer tokens, JWTs, private-key blocks,
and the values of variables whose names say KEY, TOKEN, SECRET or PASSWORD. A git SHA or a UUID is
none of these. The run's own files are never changed; ``--no-redact`` keeps every byte.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from nano_tui.trajectory.model import RunInfo, SkippedLine, Turn


class Rule(NamedTuple):
    kind: str
    pattern: re.Pattern[str]
    #: Lower-case text one of which any match holds: looked for first, as a regex search of every
    #: position of a 30 MB log costs seconds and a substring search milliseconds.
    needles: tuple[str, ...]


_NAMES = ("key", "token", "secret", "password", "passwd")

#: The secret is the whole match, or its group named ``secret`` where the rule has one.
RULES = [
    Rule("private key", re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?s:.*?)"
                                   r"-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"), ("private key",)),
    Rule("anthropic key", re.compile(r"\bsk-ant-[A-Za-z0-9_-]{20,}"), ("sk-ant-",)),
    Rule("openai key", re.compile(r"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}"), ("sk-",)),
    Rule("github token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})"),
         ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_")),
    Rule("aws key", re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b"), ("akia", "asia", "abia", "acca")),
    Rule("slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"), ("xox",)),
    Rule("google key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}"), ("aiza",)),
    Rule("hugging face token", re.compile(r"\bhf_[A-Za-z0-9]{30,}"), ("hf_",)),
    Rule("jwt", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"), ("eyj",)),
    Rule("bearer token", re.compile(r"\b(?i:bearer)\s+(?P<secret>[A-Za-z0-9._~+/-]{16,}=*)"), ("bearer",)),
    Rule("secret variable", re.compile(
        r"(?:\b[A-Z0-9_]{0,64}(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD)[A-Z0-9_]{0,64}"
        r"|(?i:\b[a-z0-9_]{0,64}(?:api_?key|access_?key|secret_?key|access_?token|auth_?token|client_?secret"
        r"|password|passwd)))"
        r"""(?:\\?["'])?\s*[:=]\s*(?:\\?["'])?(?P<secret>(?![$<{\[*])[^\s"'`,;<>\\]{8,})"""), _NAMES),
]


def suspect(text: str) -> bool:
    """Whether ``text`` may hold a secret (a rule's needle is in it): when not, it is left as it is."""
    lowered = text.lower()
    return any(needle in lowered for rule in RULES for needle in rule.needles)


@dataclass(frozen=True)
class Finding:
    where: str
    kind: str


class Redactor:
    """Replaces secrets in text and in the values that hold text; :attr:`findings` says where."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def text(self, text: str, where: str) -> str:
        lowered = text.lower()
        for rule in RULES:
            if any(needle in lowered for needle in rule.needles) and rule.pattern.search(text):
                text = rule.pattern.sub(lambda match, rule=rule: self._marker(match, rule, where), text)
        return text

    def _marker(self, match: re.Match[str], rule: Rule, where: str) -> str:
        marker = f"[REDACTED:{rule.kind}]"
        self.findings.append(Finding(where, rule.kind))
        if "secret" in rule.pattern.groupindex and match.group("secret") is not None:
            start, end = match.span("secret")
            whole = match.group(0)
            return whole[:start - match.start()] + marker + whole[end - match.start():]
        return marker

    def value(self, value: Any, where: str) -> Any:
        """``value`` with every string in it redacted (dicts, lists and dataclasses walked)."""
        if isinstance(value, str):
            return self.text(value, where)
        if isinstance(value, dict):
            return {key: self.value(item, f"{where}.{key}") for key, item in value.items()}
        if isinstance(value, list):
            return [self.value(item, f"{where}[{number}]") for number, item in enumerate(value)]
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {field.name: self.value(getattr(value, field.name), f"{where}.{field.name}")
                       for field in dataclasses.fields(value) if field.init}
            return dataclasses.replace(value, **changes)
        return value

    def report(self) -> Iterator[str]:
        """One line per place and kind, in the order found."""
        counts: dict[Finding, int] = {}
        for finding in self.findings:
            counts[finding] = counts.get(finding, 0) + 1
        for finding, count in counts.items():
            yield f"redacted {count} {finding.kind}{'s' if count != 1 else ''} in {finding.where}"


class Redacted:
    """A trajectory as the Markdown and HTML exports read it, its secrets replaced."""

    def __init__(self, trajectory: Any, redactor: Redactor) -> None:
        self._trajectory = trajectory
        self._redactor = redactor
        self.info: RunInfo = redactor.value(trajectory.info, "run")

    def stream(self) -> Iterator[Turn]:
        for turn in self._trajectory.stream():
            yield self._redactor.value(turn, f"turn {turn.index}")

    @property
    def skipped(self) -> list[SkippedLine]:
        return self._trajectory.skipped

    @property
    def notes(self) -> dict[int, str]:
        return {turn: self._redactor.text(text, f"the note on turn {turn}")
                for turn, text in self._trajectory.notes.items()}

    @property
    def damaged(self) -> list[SkippedLine]:
        return self._trajectory.damaged
