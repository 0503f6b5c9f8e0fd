"""Dates in a text, and what each one means in the dossier's date form.

"October 30, 2024" is "2024-10-30" as written. "last April" or "on Monday"
means nothing without the day the text was published: given that date, each
relative one is resolved, and the reasoning says how, so the author can check
it and copy it into `date_note`. A date is never made more precise than the
text and the publication date allow: "last April" is a month, and needs the
publication's month.

Hand-written rather than `dateparser`: its `search_dates` completes what a text
does not say ("April" becomes a day in April, "last year" today's date a year
ago), which is exactly what a dossier's dates must never do, and it gives no
reasoning to check.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from ..build.dates import DateError, PartialDate, parse_date
from .facts import MONTHS, WEEKDAYS


@dataclass(frozen=True, slots=True)
class DateFound:
    start: int
    end: int
    text: str
    resolved: str | None  # in the dossier's form ("2024-04", "late 2022"), None if it cannot be
    reasoning: str  # how it was resolved, or why it could not be
    relative: bool  # needed the publication date
    projected: bool = False  # falls after the publication date: a forecast or a plan


_ABBR = {m[:3]: i + 1 for i, m in enumerate(MONTHS)} | {"Sept": 9}
_MONTH_NUMBER = {m: i + 1 for i, m in enumerate(MONTHS)} | _ABBR
_M = r"(?:" + "|".join(MONTHS) + r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
_MONTH_FULL = "(?:" + "|".join(MONTHS) + ")"
_W = "(?:" + "|".join(WEEKDAYS) + ")"
_SEASON = "(?i:spring|summer|fall|autumn|winter)"
_Y = r"(?:19|20)\d{2}"
_D = r"\d{1,2}(?:st|nd|rd|th)?"
_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_N = r"(?:\d+|" + "|".join(_NUMBER_WORDS) + ")"
# Alternatives in priority order: at one place, the first (longest) reading wins.
_PATTERNS = [
    # "the same year", "the following year": the year the text gave last, before this
    (
        "same_year",
        # ("next year" alone is the year after publication; "the next year" follows the text)
        rf"\b(?:(?P<m0>{_MONTH_FULL})\s+(?:of\s+)?)?(?:(?i:the)\s+)?(?P<which0>(?i:same|following"
        r"|previous|preceding))\s+year\b"
        rf"|\b(?:(?P<m0n>{_MONTH_FULL})\s+(?:of\s+)?)?(?i:the)\s+(?P<which0n>(?i:next))\s+year\b",
    ),
    (
        "decade",
        r"\b(?:(?P<a14>(?i:early|mid|late))[\s-]+)?(?:the\s+)?(?P<y14>(?:19|20)\d0)'?s\b",
    ),
    ("iso", rf"\b{_Y}-\d{{2}}(?:-\d{{2}})?\b"),
    ("month_day_year", rf"\b(?P<m1>{_M})\s+(?P<d1>{_D}),?\s+(?P<y1>{_Y})\b"),
    ("day_month_year", rf"\b(?P<d2>{_D})\s+(?:of\s+)?(?P<m2>{_M}),?\s+(?P<y2>{_Y})\b"),
    ("month_year", rf"\b(?P<m3>{_M}),?\s+(?:of\s+)?(?P<y3>{_Y})\b"),
    ("approx", rf"\b(?P<a4>(?i:early|mid|late))[\s-]+(?P<y4>{_Y})\b"),
    # A season only with a qualifier or a year: "shares fall" is no date.
    (
        "season",
        rf"\b(?P<q5>(?i:last|this|next))\s+(?P<s5>{_SEASON})\b"
        rf"|\b(?P<s5y>{_SEASON})\s+(?:of\s+)?(?P<y5>{_Y})\b",
    ),
    ("qualified_month", rf"\b(?P<q6>(?i:last|this|next))\s+(?P<m6>{_M})(?!\w)"),
    ("month_day", rf"\b(?P<m7>{_M})\s+(?P<d7>{_D})\b"),
    ("day_month", rf"\b(?P<d8>{_D})\s+(?:of\s+)?(?P<m8>{_M})(?!\w)"),
    ("weekday", rf"\b(?:(?P<q9>(?i:last|this|next|on))\s+)?(?P<w9>{_W})\b"),
    ("day_word", r"\b(?P<r10>(?i:yesterday|today|tomorrow))\b"),
    (
        "qualified_unit",
        r"\b(?P<q11>(?i:last|this|next|earlier\s+this|later\s+this))\s+"
        r"(?P<u11>(?i:week|month|year|quarter))\b",
    ),
    ("ago", rf"\b(?P<n12>(?i:{_N}))\s+(?P<u12>(?i:day|week|month|year))s?\s+(?i:ago)\b"),
    ("month", rf"\b(?P<m13>{_MONTH_FULL})\b"),
    ("year", rf"\b{_Y}\b"),
]
_DATE = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _PATTERNS))
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11)}


def find_dates(text: str, published: PartialDate | None) -> list[DateFound]:
    """Every date in `text`, in order, resolved against the publication date where relative."""
    out: list[DateFound] = []
    last_year: str | None = None  # the year of the latest absolute date, for "the same year"
    for match in _DATE.finditer(text):
        kind = match.lastgroup
        if kind == "month" and match.group().startswith("May") and _modal_may(text, match):
            continue
        if kind == "same_year":
            resolved, reasoning, relative = _same_year(match, last_year)
            if resolved:
                last_year = resolved[:4]
        else:
            resolved, reasoning, relative = _resolve(kind or "", match, published)
            if resolved and not relative:
                last_year = resolved[-4:] if resolved[:1].isalpha() else resolved[:4]
        projected = bool(
            resolved and published is not None and _starts_after(resolved, published) and relative
        )
        if projected:
            reasoning += "; after the publication date, so a plan or forecast (projected: true)"
        out.append(
            DateFound(
                match.start(), match.end(), match.group(), resolved, reasoning, relative, projected
            )
        )
    return out


_MODAL_SUBJECTS = frozenset(
    {"i", "we", "you", "he", "she", "it", "they", "the", "this", "that", "these", "those"}
    | {"all", "our", "your", "his", "her", "their", "my", "god"}
)


def _same_year(match: re.Match[str], last_year: str | None) -> tuple[str | None, str, bool]:
    """ "October of the same year", "the following year": from the last year the text gave."""
    written = match.group()
    which = (match.group("which0") or match.group("which0n")).lower()
    if last_year is None:
        return None, f"{written!r}: no year is given before it in the text", False
    year = int(last_year) + {"following": 1, "next": 1, "previous": -1, "preceding": -1}.get(
        which, 0
    )
    month = match.group("m0") or match.group("m0n")
    resolved = f"{year}-{_month(month):02d}" if month else str(year)
    rule = {
        "same": "the year",
        "following": "the year after the year",
        "next": "the year after the year",
    }
    said = rule.get(which, "the year before the year")
    return resolved, f"{written!r}: {said} the text gives before it ({last_year})", False


def _modal_may(text: str, match: re.Match[str]) -> bool:
    """A sentence opening "May we ..." is the verb; "May was busy" is the month."""
    before = text[max(0, match.start() - 4) : match.start()].rstrip()
    opens = not before or before.endswith((".", "!", "?", '"', "“", "\n"))
    following = re.match(r" (\w+)", text[match.end() : match.end() + 20])
    return opens and following is not None and following.group(1).casefold() in _MODAL_SUBJECTS


def _starts_after(resolved: str, published: PartialDate) -> bool:
    try:
        date = parse_date(resolved)
    except DateError:
        return False
    return date.sort_key[:3] > published.latest_key


def _resolve(
    kind: str, match: re.Match[str], published: PartialDate | None
) -> tuple[str | None, str, bool]:
    """(resolved date or None, the reasoning, whether it is relative to publication)."""
    g = match.group
    if kind == "iso":
        return _checked(g(kind), "written as an ISO date")
    if kind == "month_day_year":
        return _checked(_ymd(g("y1"), g("m1"), g("d1")), "day, month and year as written")
    if kind == "day_month_year":
        return _checked(_ymd(g("y2"), g("m2"), g("d2")), "day, month and year as written")
    if kind == "month_year":
        return _checked(f"{g('y3')}-{_month(g('m3')):02d}", "month and year as written")
    if kind == "decade":
        return (
            None,
            f"{match.group()!r}: the format has no decades, so leave the date out and say "
            f"{match.group()!r} in date_note",
            False,
        )
    if kind == "approx":
        return f"{g('a4').lower()} {g('y4')}", "part of a year as written", False
    if kind == "year":
        return g(kind), "a year as written", False
    if kind == "season":
        season = g("s5") or g("s5y")
        return _season((g("q5") or "").lower(), season.lower(), g("y5"), published)
    if kind in ("qualified_month", "month_day", "day_month", "month"):
        month_text = g("m6") or g("m7") or g("m8") or g("m13")
        day_text = g("d7") or g("d8")
        return _month_without_year(
            (g("q6") or "").lower(), _month(month_text), day_text, match.group(), published
        )
    if kind == "weekday":
        return _weekday((g("q9") or "").lower(), g("w9"), match.group(), published)
    if kind == "day_word":
        word = g("r10").lower()
        shift = {"yesterday": -1, "today": 0, "tomorrow": 1}[word]
        return _days_from(published, shift, f"{word!r}")
    if kind == "qualified_unit":
        qualifier = " ".join(g("q11").lower().split())
        return _unit(qualifier, g("u11").lower(), match.group(), published)
    if kind == "ago":
        number = g("n12").lower()
        count = int(number) if number.isdigit() else _NUMBER_WORDS[number]
        return _ago(count, g("u12").lower(), match.group(), published)
    return None, "not a date form this command knows", False  # pragma: no cover


def _month(name: str) -> int:
    return _MONTH_NUMBER[name.rstrip(".")]


def _day(text: str) -> int:
    """The number of "4th", "21st"."""
    return int(text.rstrip("stndrh"))


def _ymd(year: str, month: str, day: str) -> str:
    return f"{year}-{_month(month):02d}-{_day(day):02d}"


def _checked(text: str, reasoning: str) -> tuple[str | None, str, bool]:
    try:
        parse_date(text)
    except DateError as exc:
        return None, f"{exc}: not a real date", False
    return text, reasoning, False


def _needs(published: PartialDate | None, precision: str, what: str) -> str | None:
    """Why `published` cannot resolve `what`, or None when it can."""
    if published is None:
        return f"{what} depends on when the text was published: give --published YYYY-MM-DD"
    have = {"year": 0, "part-year": 0, "month": 1, "day": 2}[published.precision]
    want = {"year": 0, "month": 1, "day": 2}[precision]
    if have < want:
        return f"{what} needs the publication {precision}, and the text was published {published}"
    return None


def _pub(published: PartialDate) -> str:
    return f"published {published.text}"


def _month_without_year(
    qualifier: str,
    month: int,
    day_text: str | None,
    written: str,
    published: PartialDate | None,
) -> tuple[str | None, str, bool]:
    why = _needs(published, "month", repr(written))
    if why:
        return None, why, True
    assert published is not None and published.month is not None
    name = MONTHS[month - 1]
    pub_month = published.month
    if qualifier == "last":
        year = published.year if month < pub_month else published.year - 1
        rule = f"the last {name} before the publication month"
    elif qualifier == "this":
        year = published.year
        rule = f"{name} of the publication year"
    elif qualifier == "next":
        year = published.year if month > pub_month else published.year + 1
        rule = f"the first {name} after the publication month"
    else:
        year = published.year if month <= pub_month else published.year - 1
        later = published.year if month > pub_month else published.year + 1
        rule = (
            f"no year given: the latest {name} up to publication "
            f"(if the text means a coming {name}, it is {later}-{month:02d})"
        )
    resolved = f"{year}-{month:02d}"
    if day_text:
        day = _day(day_text)
        if not 1 <= day <= calendar.monthrange(year, month)[1]:
            return None, f"{written!r}: {name} {year} has no day {day}", True
        resolved = f"{resolved}-{day:02d}"
    return resolved, f"{written!r}, {_pub(published)}: {rule}", True


def _pub_day(published: PartialDate) -> dt.date:
    assert published.month is not None and published.day is not None
    return dt.date(published.year, published.month, published.day)


def _weekday(
    qualifier: str, name: str, written: str, published: PartialDate | None
) -> tuple[str | None, str, bool]:
    why = _needs(published, "day", repr(written))
    if why:
        return None, why, True
    assert published is not None
    day = _pub_day(published)
    wanted = WEEKDAYS.index(name)
    back = (day.weekday() - wanted) % 7  # days since the latest such weekday, 0 if today
    pub_name = WEEKDAYS[day.weekday()]
    if qualifier == "next":
        found = day + dt.timedelta(days=(wanted - day.weekday()) % 7 or 7)
        rule = f"the first {name} after publication (a {pub_name})"
    elif qualifier == "last":
        found = day - dt.timedelta(days=back or 7)
        rule = f"the last {name} before publication (a {pub_name})"
    elif qualifier == "this":
        found = day - dt.timedelta(days=day.weekday() - wanted)
        rule = f"the {name} of the publication week (Monday to Sunday)"
    else:
        found = day - dt.timedelta(days=back)
        coming = found + dt.timedelta(days=7) if back else found
        rule = (
            f"the latest {name} up to publication (a {pub_name}); "
            f"if the text means a coming {name}, it is {coming.isoformat()}"
        )
    return found.isoformat(), f"{written!r}, {_pub(published)}: {rule}", True


def _days_from(
    published: PartialDate | None, shift: int, written: str
) -> tuple[str | None, str, bool]:
    why = _needs(published, "day", written)
    if why:
        return None, why, True
    assert published is not None
    found = _pub_day(published) + dt.timedelta(days=shift)
    return found.isoformat(), f"{written}, {_pub(published)}: {shift:+d} day(s)", True


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


def _unit(
    qualifier: str, unit: str, written: str, published: PartialDate | None
) -> tuple[str | None, str, bool]:
    shift = {"last": -1, "next": 1}.get(qualifier, 0)
    if unit == "year":
        why = _needs(published, "year", repr(written))
        if why:
            return None, why, True
        assert published is not None
        year = published.year + shift
        return str(year), f"{written!r}, {_pub(published)}: the year {year}", True
    if unit in ("month", "quarter"):
        why = _needs(published, "month", repr(written))
        if why:
            return None, why, True
        assert published is not None and published.month is not None
        if unit == "month":
            year, month = _shift_month(published.year, published.month, shift)
            return (
                f"{year}-{month:02d}",
                f"{written!r}, {_pub(published)}: the month {year}-{month:02d}",
                True,
            )
        year, month = _shift_month(published.year, published.month, 3 * shift)
        quarter = (month - 1) // 3 + 1
        return (
            str(year),
            f"{written!r}, {_pub(published)}: Q{quarter} {year}; the format has no quarters, "
            f"so the year (say Q{quarter} in date_note)",
            True,
        )
    why = _needs(published, "day", repr(written))
    if why:
        return None, why, True
    assert published is not None
    day = _pub_day(published) + dt.timedelta(days=7 * shift)
    monday = day - dt.timedelta(days=day.weekday())
    sunday = monday + dt.timedelta(days=6)
    span = f"the week {monday.isoformat()} to {sunday.isoformat()}"
    if (monday.year, monday.month) == (sunday.year, sunday.month):
        return (
            f"{monday.year}-{monday.month:02d}",
            f"{written!r}, {_pub(published)}: {span}; the format has no weeks, so the month",
            True,
        )
    return (
        None,
        f"{written!r}, {_pub(published)}: {span}, across two months; give the day if the "
        "text names it",
        True,
    )


def _ago(
    count: int, unit: str, written: str, published: PartialDate | None
) -> tuple[str | None, str, bool]:
    if unit == "year":
        why = _needs(published, "year", repr(written))
        if why:
            return None, why, True
        assert published is not None
        return (
            str(published.year - count),
            f"{written!r}, {_pub(published)}: {count} year(s) before",
            True,
        )
    if unit == "month":
        why = _needs(published, "month", repr(written))
        if why:
            return None, why, True
        assert published is not None and published.month is not None
        year, month = _shift_month(published.year, published.month, -count)
        return (
            f"{year}-{month:02d}",
            f"{written!r}, {_pub(published)}: {count} month(s) before",
            True,
        )
    why = _needs(published, "day", repr(written))
    if why:
        return None, why, True
    assert published is not None
    days = count * (7 if unit == "week" else 1)
    found = _pub_day(published) - dt.timedelta(days=days)
    note = " (a round figure in the text: say so in date_note)" if unit == "week" else ""
    return found.isoformat(), f"{written!r}, {_pub(published)}: {days} day(s) before{note}", True


def _season(
    qualifier: str, season: str, year_text: str | None, published: PartialDate | None
) -> tuple[str | None, str, bool]:
    written = " ".join(part for part in (qualifier, season, year_text) if part)
    if season == "winter":
        return (
            None,
            f"{written!r}: a winter spans two years and the format has no seasons; "
            "give the year the text means, or leave the date out",
            year_text is None,
        )
    first, last = _SEASONS[season]
    part = {"spring": "early", "summer": "mid", "fall": "late", "autumn": "late"}[season]
    caveat = f"the format has no seasons: {season} is given as {part!r} of the year"
    if year_text:
        return f"{part} {year_text}", f"{written!r}: {caveat}", False
    why = _needs(published, "month", repr(written))
    if why:
        return None, why, True
    assert published is not None and published.month is not None
    pub_month = published.month
    if qualifier == "last":
        year = published.year if pub_month > last else published.year - 1
    elif qualifier == "next":
        year = published.year if pub_month < first else published.year + 1
    elif qualifier == "this":
        year = published.year
    else:
        year = published.year if pub_month >= first else published.year - 1
    return f"{part} {year}", f"{written!r}, {_pub(published)}: {caveat}", True
