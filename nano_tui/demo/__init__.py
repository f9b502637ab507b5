"""Bundled material for ``nano-tui demo``: a small sample repository with a real bug, and the scripts the
``scripted/<name>`` model replays."""
