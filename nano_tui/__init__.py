"""nano-tui: watch a coding agent work, live or from its logs."""
