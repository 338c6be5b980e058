"""The one exception a user sees as a one-line message instead of a traceback."""


class UsageError(Exception):
    """Bad input or configuration. The message names the file or setting at fault."""
