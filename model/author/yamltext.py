"""Values written into a user's YAML: quoted so they read back as exactly the text given."""

from __future__ import annotations

import yaml

from ..build.text import sanitize_same_length
from ..read.problems import Problem
from . import AuthoringError


def yaml_scalar(text: str) -> str:
    """`text` as one YAML flow scalar on one line, reading back as exactly `text`.

    PyYAML's emitter does the escaping. Double quotes unless the text holds a
    straight double quote and no single one, where single quotes read better
    (`'He said "yes"'`). Text with control or bidi characters is written with
    every non-ASCII character escaped, so the file never holds them raw.
    """
    clean = sanitize_same_length(text) == text and "\t" not in text and "\n" not in text
    style = "'" if clean and '"' in text and "'" not in text else '"'
    dumped = yaml.safe_dump(
        text, default_style=style, width=1_000_000_000, allow_unicode=clean, explicit_end=False
    )
    return dumped.rstrip("\n").removesuffix("\n...").rstrip("\n")


def clean_field(option: str, value: str) -> str:
    """A one-line metadata value (title, publisher, url) with runs of white space as one.

    Refuses control and bidi characters: they would hide or reorder what an
    editor and a terminal show.
    """
    for at, char in enumerate(value):
        if char not in "\t\r" and sanitize_same_length(char) != char:
            raise AuthoringError(
                [
                    Problem(
                        option,
                        1,
                        at + 1,
                        f"holds control character U+{ord(char):04X}",
                        "give plain text; nothing was written",
                    )
                ]
            )
    return " ".join(value.split())
