"""What to do about a failed model call, in words a user can act on (the UI never imports litellm)."""

from __future__ import annotations

#: The variable litellm reads the key from, for the providers people use most.
KEY_VARIABLES = {
    "openai": "OPENAI_API_KEY", "anthropic": "ANTHROPIC_API_KEY", "gemini": "GEMINI_API_KEY",
    "openrouter": "OPENROUTER_API_KEY", "groq": "GROQ_API_KEY", "mistral": "MISTRAL_API_KEY",
    "deepseek": "DEEPSEEK_API_KEY", "together_ai": "TOGETHERAI_API_KEY", "xai": "XAI_API_KEY",
}

_KEY = ("authentication", "permissiondenied", "api key", "api_key", "401", "403", "unauthorized")
_CONNECTION = ("apiconnectionerror", "connection refused", "connect error", "connection error",
               "name or service not known", "failed to establish")
_NOT_FOUND = ("notfounderror", "404", "model_not_found", "does not exist")
_LATER = ("ratelimit", "429", "internalservererror", "serviceunavailable", "badgateway", "timeout", "500",
          "502", "503", "504", "overloaded", "connection cut")


def key_variable(model: str) -> str:
    provider = model.split("/", 1)[0] if "/" in model else "openai"
    return KEY_VARIABLES.get(provider, f"{provider.upper()}_API_KEY")


def advice(error: str, model: str, api_base: str | None) -> str:
    """One or two sentences on what to try, most likely fix first."""
    lowered = error.lower()
    key = (f"Set {key_variable(model)} in the environment (or pass --api-base for a self-hosted server) "
           "and run again.")
    server = (f"Check --api-base {api_base}: is the server running, and does the URL end in /v1?" if api_base
              else "Check the network, or --api-base if the model is self-hosted.")
    later = "The provider is failing or busy: retry later, or raise --time-limit if it is slow."
    if any(word in lowered for word in _KEY):
        return key
    if any(word in lowered for word in _CONNECTION):
        return server
    if any(word in lowered for word in _NOT_FOUND):
        return f"Check the model name ({model}) and --api-base."
    if any(word in lowered for word in _LATER):
        return later
    return f"{key} {server} {later}"
