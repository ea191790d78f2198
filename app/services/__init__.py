"""Services validate, ask the permission module, write, and own their transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


class ServiceError(ValueError):
    """A request the member can fix: the message is shown to them as it is."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ServiceErrors(ServiceError):
    """Several problems found at once, so the member can fix them all in one go (the first one is its message)."""

    def __init__(self, errors: Sequence[ServiceError]) -> None:
        super().__init__(errors[0].message, errors[0].field)
        self.errors = tuple(errors)


class Checks:
    """Run every field's check, keep each refusal, and raise them together: a form never shows errors one at a time."""

    def __init__(self) -> None:
        self.errors: list[ServiceError] = []

    def run(self, check: Callable[[], T], fallback: T) -> T:
        """The check's result, or `fallback` when it refused (its refusal kept for `settle`)."""
        try:
            return check()
        except ServiceErrors as several:
            self.errors.extend(several.errors)
        except ServiceError as error:
            self.errors.append(error)
        return fallback

    def settle(self) -> None:
        """Raise what the checks refused: the one ServiceError, or all of them as ServiceErrors."""
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise ServiceErrors(self.errors)
