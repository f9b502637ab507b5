"""Summaries of lists of numbers."""

from tally.stats import mean, median, spread

__all__ = ["mean", "median", "spread"]
