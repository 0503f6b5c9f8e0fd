"""Small dossiers written to a tmp dir, valid by default, for tests to break one rule at a time."""

from __future__ import annotations

import textwrap
from pathlib import Path

ARTICLE = (
    "Microsoft invested $1 billion in OpenAI in 2019. Sam Altman leads OpenAI.\n"
    "Microsoft Research built Orca 2. Nadella praised the deal.\n"
    "Altman spoke. Altman spoke.\n"
    "A metaphor is not Meta.\n"
)

CITE = "  citations: [{source: news, exact: Sam Altman leads OpenAI.}]\n"

FILES: dict[str, str] = {
    "sources.yaml": """
        - id: news
          title: A test article
          published: "2024-10-30"
    """,
    "companies.yaml": """
        - id: microsoft
          name: Microsoft
          citations: [{source: news, exact: "Microsoft invested $1 billion in OpenAI in 2019."}]
        - id: openai
          name: OpenAI
          citations: [{source: news, exact: "Sam Altman leads OpenAI."}]
        - id: microsoft-research
          name: Microsoft Research
          parent: microsoft
          citations: [{source: news, exact: "Microsoft Research built Orca 2."}]
        - id: meta
          name: Meta
          match_case: true
          citations: [{source: news, exact: "A metaphor is not Meta."}]
    """,
    "people.yaml": """
        - id: sam-altman
          name: Sam Altman
          aliases: [Altman]
          roles:
            - org: openai
              title: CEO
              citations: [{source: news, exact: "Sam Altman leads OpenAI."}]
          citations: [{source: news, exact: "Sam Altman leads OpenAI."}]
        - id: satya-nadella
          name: Satya Nadella
          aliases: [Nadella]
          citations: [{source: news, exact: "Nadella praised the deal."}]
    """,
    "deals.yaml": """
        - id: first-investment
          name: First investment
          type: investment
          parties:
            - {ref: microsoft, role: investor}
            - {ref: openai, role: investee}
          amount: {value: 1000000000, currency: USD, text: "$1 billion"}
          date: "2019"
          status: completed
          citations: [{source: news, exact: "Microsoft invested $1 billion in OpenAI in 2019."}]
    """,
    "events.yaml": """
        - id: investment-announced
          name: Investment announced
          date: "2019"
          involves: [microsoft, openai]
          related: [first-investment]
          citations: [{source: news, exact: "Microsoft invested $1 billion in OpenAI in 2019."}]
        - id: altman-speaks
          name: Altman speaks
          involves: [sam-altman]
          citations: [{source: news, exact: "Altman spoke.", prefix: "praised the deal."}]
    """,
}


def write_dossier(
    root: Path,
    overrides: dict[str, str | bytes | None] | None = None,
    article: str | bytes = ARTICLE,
) -> Path:
    """Write the base dossier to `root`, replacing (or with None, deleting) files by name."""
    files: dict[str, str | bytes | None] = {
        name: textwrap.dedent(body).lstrip("\n") for name, body in FILES.items()
    }
    files.update(overrides or {})
    (root / "sources").mkdir(parents=True, exist_ok=True)
    article_path = root / "sources" / "news.txt"
    if isinstance(article, bytes):
        article_path.write_bytes(article)
    else:
        article_path.write_text(article, encoding="utf-8")
    for name, body in files.items():
        if body is None:
            continue
        path = root / name
        if isinstance(body, bytes):
            path.write_bytes(body)
        else:
            path.write_text(textwrap.dedent(body).lstrip("\n"), encoding="utf-8")
    return root
