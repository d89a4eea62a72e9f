"""Errors the package raises itself, worded in English and in Chinese as the core's are."""

from __future__ import annotations

from typing import Any, Type, TypeVar

from exemplar._exemplar import ExemplarError, PolicyError

E = TypeVar("E", bound=ExemplarError)


def _message_zh(error: BaseException) -> str:
    # The core's errors set their Chinese message; one raised without it reads as raised.
    return str(error.__dict__.get("_message_zh", error))


def _set_message_zh(error: BaseException, text: str) -> None:
    error.__dict__["_message_zh"] = text


ExemplarError.message_zh = property(_message_zh, _set_message_zh)  # type: ignore[assignment]


def error(cls: Type[E], zh: str, en: str) -> E:
    """An error of class `cls` whose message is `en`, and `zh` in Chinese."""
    e = cls(en)
    e.message_zh = zh
    return e


def wrong(zh: str, en: str, value: Any) -> PolicyError:
    """A PolicyError for an argument of the wrong type: what to pass, and what was given."""
    given = f"{value!r} ({type(value).__name__})"
    return error(PolicyError, f"请传入{zh}，而非{given}", f"pass {en}, not {given}")
