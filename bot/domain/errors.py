"""Harbor's one error type for things a person should read (no `discord` here: domain code raises it)."""

NOT_YOURS = "This belongs to someone else — only the member it was shown to can use it."
"""The one answer to anyone who uses a button, select or invitation that is not theirs (UI kit and services)."""


class HarborError(Exception):
    """Bad input or a refused action; the error handler shows the message to the member as it is.

    Domain errors subclass it (and `ValueError` where they reject a value), so no layer translates
    one error into another: a service or cog lets it travel to the error handler.
    """
