"""One widget per file: the timeline, the header and the turn panels."""
