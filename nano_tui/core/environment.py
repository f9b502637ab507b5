"""The environment handed to the model's shell, with every secret removed.

The model can run any command, and everything it prints is logged and shown, so an API key visible to
the shell is an API key in the run log. We drop any variable whose name looks like a credential and
every variable of the model providers litellm talks to, whatever its name.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

#: Name fragments that mark a credential (matched case-insensitively anywhere in the name).
SECRET_WORDS = re.compile(r"KEY|TOKEN|SECRET|PASSW|CREDENTIAL|AUTH|COOKIE|SESSION|PRIVATE", re.IGNORECASE)

#: Prefixes of providers' and tooling variables (endpoints, org ids, project ids: all private).
PROVIDER_PREFIXES = (
    "OPENAI_", "AZURE_", "ANTHROPIC_", "OPENROUTER_", "GEMINI_", "GOOGLE_", "VERTEX", "AWS_", "BEDROCK_",
    "COHERE_", "MISTRAL_", "GROQ_", "TOGETHER", "DEEPSEEK_", "XAI_", "FIREWORKS", "PERPLEXITY",
    "REPLICATE", "DATABRICKS_", "HF_", "HUGGINGFACE", "LITELLM_", "OLLAMA_", "HOSTED_VLLM", "VLLM_",
    "NVIDIA_", "CEREBRAS_", "SAMBANOVA_", "VOYAGE_", "WATSONX_", "CLOUDFLARE_", "DASHSCOPE_", "MOONSHOT_",
    "NEBIUS_", "GITHUB_", "GH_", "WANDB_", "LANGFUSE_", "HELICONE_",
)


def is_secret(name: str) -> bool:
    """Whether a variable must stay out of the shell's environment."""
    return bool(SECRET_WORDS.search(name)) or name.upper().startswith(PROVIDER_PREFIXES)


def scrubbed_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """A copy of ``environ`` (default: this process's) without secrets."""
    source = os.environ if environ is None else environ
    return {name: value for name, value in source.items() if not is_secret(name)}
