"""The error type for mistakes a user can fix (bad path, dirty repo, missing key).

The CLI prints its message as one line on stderr and exits 1, never a traceback.
"""


class UserError(Exception):
    """A problem with the user's input or setup, worded so the message alone says what to do."""
