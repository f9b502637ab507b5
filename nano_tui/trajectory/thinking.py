"""Separating an assistant message's thinking from its text.

Thinking arrives in several places: ``reasoning_content`` (vLLM, DeepSeek, OpenRouter),
``thinking_blocks`` (Anthropic via litellm), and a thinking block left inline in ``content`` (the tags
of ``contract.THINK_TAGS``) — anywhere in it, or unclosed when the reply was cut. Every form is
collected, in that order.
"""

from __future__ import annotations

import json
import re
from typing import Any

from nano_tui.contract import OPEN_TAGS, THINK_BLOCK


def content_text(content: Any) -> str:
    """A message's ``content`` as text: strings as they are, OpenAI content parts joined, else JSON."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for part in content:
            if isinstance(part, dict) and isinstance(part.get("text"), str):
                parts.append(part["text"])
            elif isinstance(part, str):
                parts.append(part)
            else:
                parts.append(json.dumps(part, ensure_ascii=False))
        return "\n".join(parts)
    return json.dumps(content, ensure_ascii=False)


def split_thinking(message: dict[str, Any]) -> tuple[list[str], str]:
    """Return (thinking blocks, text without them) for one assistant message."""
    thinking: list[str] = []

    def add(value: Any) -> None:
        if isinstance(value, str) and value and not value.isspace() and value not in thinking:
            thinking.append(value)

    add(message.get("reasoning_content"))
    add(message.get("reasoning"))
    blocks = message.get("thinking_blocks")
    if isinstance(blocks, list):
        for block in blocks:
            add(block.get("thinking") if isinstance(block, dict) else block)
    specific = message.get("provider_specific_fields")
    if isinstance(specific, dict):
        add(specific.get("reasoning_content"))

    text = content_text(message.get("content"))
    if any(tag in text for tag in OPEN_TAGS):
        for match in re.finditer(THINK_BLOCK, text):
            add(match.group(1).strip())
        text = re.sub(THINK_BLOCK, "", text)
    return thinking, text.strip()
