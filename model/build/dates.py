"""Partial dates as the sources give them: ISO prefixes and "late 2022"-style approximations.

A date is never completed from memory: "2019" stays a year, and sorting puts it
at its earliest possible day, coarser before finer on ties.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_APPROX = re.compile(r"^(early|mid|late)[ -](\d{4})$", re.IGNORECASE)
# Earliest month each approximate part of a year can start in.
_APPROX_MONTH = {"early": 1, "mid": 5, "late": 9}
_MONTH_ABBR = calendar.month_abbr


class DateError(ValueError):
    """A date string that is malformed or names a day that does not exist."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True, slots=True, order=False)
class PartialDate:
    """A date known to the precision the source gives, and no further."""

    text: str
    year: int
    month: int | None = None
    day: int | None = None
    approx: str | None = None  # "early" | "mid" | "late"

    @property
    def precision(self) -> str:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        if self.approx is not None:
            return "part-year"
        return "year"

    @property
    def sort_key(self) -> tuple[int, int, int, int]:
        """Earliest possible day, then coarser before finer."""
        if self.approx is not None:
            return (self.year, _APPROX_MONTH[self.approx], 1, 1)
        rank = {"year": 0, "month": 2, "day": 3}[self.precision]
        return (self.year, self.month or 1, self.day or 1, rank)

    @property
    def latest_key(self) -> tuple[int, int, int]:
        """Latest possible day, for "end before start" and `before:` filters."""
        if self.day is not None:
            return (self.year, self.month or 12, self.day)
        if self.month is not None:
            return (self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        if self.approx == "early":
            return (self.year, 4, 30)
        if self.approx == "mid":
            return (self.year, 8, 31)
        return (self.year, 12, 31)

    def display(self) -> str:
        """Human form at the given precision: "2019", "Nov 2023", "17 Nov 2023", "late 2022"."""
        if self.approx is not None:
            return f"{self.approx} {self.year}"
        if self.day is not None and self.month is not None:
            return f"{self.day} {_MONTH_ABBR[self.month]} {self.year}"
        if self.month is not None:
            return f"{_MONTH_ABBR[self.month]} {self.year}"
        return str(self.year)

    def __str__(self) -> str:
        return self.text


def parse_date(text: str) -> PartialDate:
    """Parse a date string; raise DateError with a hint when it is not one we accept."""
    stripped = text.strip()
    match = _ISO.match(stripped)
    if match:
        year = int(match.group(1))
        month = int(match.group(2)) if match.group(2) else None
        day = int(match.group(3)) if match.group(3) else None
        if month is not None and not 1 <= month <= 12:
            raise DateError(f"impossible date {text!r}: no month {month}", "months run 01 to 12")
        if day is not None and month is not None:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise DateError(
                    f"impossible date {text!r}: {_MONTH_ABBR[month]} {year} has {last} days",
                    "check the day of the month",
                )
        return PartialDate(stripped, year, month, day)
    match = _APPROX.match(stripped)
    if match:
        return PartialDate(stripped, int(match.group(2)), approx=match.group(1).lower())
    raise DateError(
        f"malformed date {text!r}",
        'use "YYYY", "YYYY-MM", "YYYY-MM-DD" or "early/mid/late YYYY"; '
        "leave out a date no source gives",
    )
