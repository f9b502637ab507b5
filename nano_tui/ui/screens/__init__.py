"""Screens: the run (one turn at a time), the run browser, and small dialogs."""
