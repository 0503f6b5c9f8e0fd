"""Writes the hostile dossier used by the safety, pty and monkey tests (run to regenerate).

Every string a user or an article could smuggle in is here: Rich/Textual
markup and actions, terminal escapes (OSC 52 clipboard write, clear screen,
reset, cursor report, C1 CSI), bidi overrides, wide/combining/emoji/RTL text,
YAML 1.1 lookalikes, and a 1 MB single-line source.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent / "nasty"

MARKUP = [
    "breaking [/] news",
    "arr[0] = x[i][j]",
    "[black on black]hidden[/]",
    "[link=https://evil.example]x[/link]",
    "[@click=app.quit]Read more[/]",
    "see a[/",
    "[bold",
    "\\[escaped]",
]
ESCAPES = {
    "osc52": "CLIP\x1b]52;c;ZXZpbA==\x1b\\BOARD",
    "clear": "CLEAR\x1b[2JSCREEN",
    "reset": "RESET\x1bcTERM",
    "report": "ASK\x1b[6nPOS",
    "c1": "CSI\x9b31mONE",
    "bidi": "abc\u202eevil\u202c\u2066iso\u2069def",
    "bell": "BELL\x07RING",
}
ODD = [
    "宽字符 wide 文字",
    "e\u0301\u0301\u0301 combining",
    "emoji 👩‍👩‍👧‍👦 🇬🇧 🙂",
    "RTL שלום עולם مرحبا بالعالم",
    "tab\there",
    "no",
    "0755",
]


def q(text: str) -> str:
    """A YAML double-quoted scalar: printable text as is, control characters escaped."""
    body = json.dumps(text, ensure_ascii=False)
    return "".join(f"\\x{ord(c):02x}" if 0x7F <= ord(c) <= 0x9F else c for c in body)


def main() -> None:
    (HERE / "sources").mkdir(parents=True, exist_ok=True)
    sentences = [f"Sentence {i}: {s}." for i, s in enumerate(MARKUP + list(ESCAPES.values()) + ODD)]
    article = "Acme [bold]Corp[/] met Globex.\r\n" + "\n".join(sentences) + "\nGlobex replied.\n"
    (HERE / "sources" / "hostile.txt").write_text(article, encoding="utf-8", newline="")
    line = "Acme Globex " * 90_000  # ~1 MB on one line
    (HERE / "sources" / "one-line.txt").write_text("Huge: " + line + "end.", encoding="utf-8")

    def cite(source: str, exact: str) -> str:
        return f"  citations: [{{source: {source}, exact: {q(exact)}}}]\n"

    schema = "# yaml-language-server: $schema=schema/{}.schema.json\n"
    (HERE / "dossier.yaml").write_text(
        schema.format("dossier")
        + f"title: {q('[@click=app.quit]Nasty[/] dossier ' + ESCAPES['osc52'])}\n"
        f"description: {q(' '.join(MARKUP))}\n"
    )
    title = q("[link=https://evil.example]Hostile[/link] " + ESCAPES["clear"])
    (HERE / "sources.yaml").write_text(
        schema.format("sources") + f"- id: hostile\n  title: {title}\n"
        f"  publisher: {q(ESCAPES['bidi'])}\n  url: {q('javascript:alert(1)')}\n"
        '  published: "2024-02-29"\n'
        "- id: one-line\n  title: One very long line\n"
    )
    companies = schema.format("companies")
    companies += f"- id: acme\n  name: {q('Acme [bold]Corp[/]')}\n  aliases: [Acme]\n"
    companies += f"  summary: {q(ESCAPES['reset'] + ' ' + MARKUP[4])}\n" + cite(
        "hostile", "Acme [bold]Corp[/] met Globex."
    )
    companies += f"- id: globex\n  name: Globex\n  summary: {q(ESCAPES['report'])}\n" + cite(
        "hostile", "Globex replied."
    )
    people = schema.format("people")
    for index, text in enumerate(MARKUP + list(ESCAPES.values()) + ODD):
        people += f"- id: person-{index}\n  name: {q(text + f' #{index}')}\n"
        people += f"  summary: {q(text)}\n" + cite("hostile", sentences[index])
        people += f'  roles:\n    - org: acme\n      title: {q(text)}\n      start: "2023"\n'
        people += "  " + cite("hostile", sentences[index]).replace("  citations", "    citations")
    deals = schema.format("deals")
    deals += f"- id: deal\n  name: {q(MARKUP[2] + ' ' + ESCAPES['c1'])}\n  type: commercial\n"
    deals += (
        "  parties: [{ref: acme, role: "
        + q(MARKUP[3])
        + "}, {ref: globex, role: "
        + q(ESCAPES["bell"])
        + "}]\n"
    )
    deals += (
        "  amount: {value: 10000000000, currency: USD, text: " + q("$10 [b]billion[/b]") + "}\n"
    )
    deals += (
        '  date: "2024"\n  terms:\n    - text: '
        + q(MARKUP[5])
        + "\n  "
        + cite("hostile", sentences[5]).replace("  citations", "    citations")
    )
    deals += cite("hostile", "Acme [bold]Corp[/] met Globex.")
    events = schema.format("events")
    for index, text in enumerate(list(ESCAPES.values()) + MARKUP):
        events += f'- id: event-{index}\n  name: {q(text)}\n  date: "2024-0{1 + index % 9}"\n'
        events += "  involves: [acme, globex]\n  related: [deal]\n" + cite(
            "hostile", sentences[(index + len(MARKUP)) % len(sentences)]
        )
    events += "- id: huge\n  name: The long line\n  involves: [acme]\n" + cite(
        "one-line", "Huge: Acme Globex"
    )
    tensions = schema.format("tensions")
    tensions += (
        f"- id: tension\n  name: {q(MARKUP[4])}\n  category: governance\n  status: ongoing\n"
    )
    tensions += (
        "  parties: [{ref: acme, stance: "
        + q(ESCAPES["osc52"])
        + ", citations: [{source: hostile, exact: Globex replied.}]}, {ref: globex, stance: "
        + q(MARKUP[0])
        + ", citations: [{source: hostile, exact: Globex replied.}]}]\n"
    )
    tensions += cite("hostile", "Globex replied.")
    claims = schema.format("claims")
    claims += f"- id: claim\n  name: {q(MARKUP[1])}\n  about: [acme]\n  sides:\n"
    claims += f"    - says: {q(MARKUP[6])}\n  " + cite("hostile", sentences[0]).replace(
        "  citations", "    citations"
    )
    claims += f"    - says: {q(ESCAPES['bidi'])}\n  " + cite("hostile", sentences[1]).replace(
        "  citations", "    citations"
    )
    for name, body in [
        ("companies", companies),
        ("people", people),
        ("deals", deals),
        ("events", events),
        ("tensions", tensions),
        ("claims", claims),
    ]:
        (HERE / f"{name}.yaml").write_text(body, encoding="utf-8")


if __name__ == "__main__":
    main()
