"""Basic summary statistics."""


def mean(values):
    """The arithmetic mean of a non-empty list."""
    return sum(values) / len(values)


def median(values):
    """The middle value of a non-empty list; the mean of the two middle values when the length is even."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2 == 1:
        return ordered[middle]
    return (ordered[middle] + ordered[middle + 1]) / 2


def spread(values):
    """The distance between the largest and the smallest value."""
    return max(values) - min(values)
