"""Services validate, ask the permission module, write, and own their transaction."""


class ServiceError(ValueError):
    """A request the member can fix: the message is shown to them as it is."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
