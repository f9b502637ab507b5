"""What to do about a failed model call, in words a user can act on, by the kind of failure the loop
reported (``contract.ErrorKind``): nothing here reads the provider's message, and no litellm."""

from __future__ import annotations

#: The variable litellm reads the key from, for the providers people use most.
KEY_VARIABLES = {
    "openai": "OPENAI_API_KEY", "anthropic": "ANTHROPIC_API_KEY", "gemini": "GEMINI_API_KEY",
    "openrouter": "OPENROUTER_API_KEY", "groq": "GROQ_API_KEY", "mistral": "MISTRAL_API_KEY",
    "deepseek": "DEEPSEEK_API_KEY", "together_ai": "TOGETHERAI_API_KEY", "xai": "XAI_API_KEY",
}


def key_variable(model: str) -> str:
    provider = model.split("/", 1)[0] if "/" in model else "openai"
    return KEY_VARIABLES.get(provider, f"{provider.upper()}_API_KEY")


def advice(kind: str | None, model: str, api_base: str | None) -> str:
    """One or two sentences on what to try, most likely fix first."""
    key = (f"Set {key_variable(model)} in the environment (or pass --api-base for a self-hosted server) "
           "and run again.")
    server = (f"Check --api-base {api_base}: is the server running, and does the URL end in /v1?" if api_base
              else "Check the network, or --api-base if the model is self-hosted.")
    later = "The provider is failing or busy: retry later, or raise --time-limit if it is slow."
    return {"key": key, "connection": server, "model": f"Check the model name ({model}) and --api-base.",
            "busy": later}.get(kind or "", f"{key} {server} {later}")
