"""The agent loop, its tools, the workspace and the run log. Imports no Textual."""
