"""Tables the commands print (``runs``, ``compare``): one line a row, every cell printable and measured
in terminal cells, so hostile text cannot break the columns or reach the terminal live."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size

from nano_tui.safe_text import cell_stable, printable


def one_line(text: str, width: int) -> str:
    """A table cell: one line, printable, at most ``width`` terminal cells."""
    text = cell_stable(printable(" ".join(text.split())))
    return text if cell_len(text) <= width else set_cell_size(text, max(0, width - 1)) + "…"


def path_cell(path: str) -> str:
    """A path as it is (spaces and all, so it can be copied), newlines and tabs shown."""
    return printable(path).replace("\n", "␊").replace("\t", "␉")


def print_table(rows: Sequence[Sequence[str]]) -> None:
    """``rows`` (the first is the header) in columns padded to their widest cell; the last column,
    free-running, is not padded."""
    widths = [max(cell_len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell + " " * (width - cell_len(cell)) for cell, width in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[-1]]))
