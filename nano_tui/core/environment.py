"""The environment handed to the model's shell, with every secret removed.

The model can run any command, and everything it prints is logged and shown, so an API key visible to
the shell is an API key in the run log. We drop any variable whose name looks like a credential, every
variable of the model providers litellm talks to, and any variable whose value looks like one (a key's
format, a URL with a password), whatever its name.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

#: Name fragments that mark a credential (matched case-insensitively anywhere in the name).
SECRET_WORDS = re.compile(r"KEY|TOKEN|SECRET|PASSW|(?:^|_)PASS(?:$|_)|CREDENTIAL|AUTH|COOKIE|SESSION|"
                          r"PRIVATE|DSN|DATABASE_URL|(?:^|_)PW(?:$|_)", re.IGNORECASE)

#: Prefixes of providers' and tooling variables (endpoints, org ids, project ids: all private).
PROVIDER_PREFIXES = (
    "OPENAI_", "AZURE_", "ANTHROPIC_", "OPENROUTER_", "GEMINI_", "GOOGLE_", "VERTEX", "AWS_", "BEDROCK_",
    "COHERE_", "MISTRAL_", "GROQ_", "TOGETHER", "DEEPSEEK_", "XAI_", "FIREWORKS", "PERPLEXITY",
    "REPLICATE", "DATABRICKS_", "HF_", "HUGGINGFACE", "LITELLM_", "OLLAMA_", "HOSTED_VLLM", "VLLM_",
    "NVIDIA_", "CEREBRAS_", "SAMBANOVA_", "VOYAGE_", "WATSONX_", "CLOUDFLARE_", "DASHSCOPE_", "MOONSHOT_",
    "NEBIUS_", "GITHUB_", "GH_", "WANDB_", "LANGFUSE_", "HELICONE_", "SENTRY_", "STRIPE_", "SLACK_",
)

#: Values that are credentials whatever the variable is called: provider key formats, tokens of
#: code hosts and chat tools, cloud access keys, JWTs, private keys, and URLs with a password in them
#: (database URLs and DSNs among them).
SECRET_VALUES = re.compile(
    r"sk-[A-Za-z0-9_-]{16,}|sk-ant-|AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{30,}|"
    r"gh[pousr]_[A-Za-z0-9]{20,}|github_pat_|glpat-|xox[abpr]-|hf_[A-Za-z0-9]{20,}|"
    r"eyJ[A-Za-z0-9_-]{10,}\.eyJ|-----BEGIN [A-Z ]*PRIVATE KEY|"
    r"[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@"
)


def is_secret(name: str, value: str = "") -> bool:
    """Whether a variable must stay out of the shell's environment, by its name or its value."""
    return (bool(SECRET_WORDS.search(name)) or name.upper().startswith(PROVIDER_PREFIXES)
            or bool(SECRET_VALUES.search(value)))


def scrubbed_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """A copy of ``environ`` (default: this process's) without secrets."""
    source = os.environ if environ is None else environ
    return {name: value for name, value in source.items() if not is_secret(name, value)}
