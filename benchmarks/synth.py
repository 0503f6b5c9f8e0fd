"""Deterministic generator of valid synthetic dossiers, from a handful of records to thousands.

Why: the explorer must stay instant as a dossier grows for months, and the only
honest way to check that is to open dossiers of every size that obey every rule
the loader enforces (schemas line, unique names, exact quotes, dated roles...).

Usage::

    python benchmarks/synth.py OUT_DIR [--size tiny|small|medium|large] [--seed N]
                                       [--entities N --events N --sources N]

How quotes stay verifiable: every cited sentence carries a serial phrase
("according to filing 4821.") whose number is used once in the whole dossier
and is always followed by a non-digit, so the sentence occurs exactly once in
its source and is never a substring of another sentence. Uncited filler
sentences never carry a serial. Names and aliases are unique case-insensitively
across records, and never equal a word of the templates, so mention linking
finds only what was meant.

The same seed and sizes give byte-identical files (no set iteration, no clock,
no hash-order dependence).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from partnership_tui.model.build import fields

MANIFEST = "synth.json"  # written last: its presence means the folder is complete


@dataclass(frozen=True)
class Spec:
    """How much to generate. Deals, tensions and claims scale with the entity count."""

    entities: int
    events: int
    sources: int
    seed: int = 1

    @property
    def companies(self) -> int:
        return max(4, self.entities * 3 // 10)

    @property
    def people(self) -> int:
        return max(2, self.entities // 2)

    @property
    def products(self) -> int:
        return max(2, self.entities - self.companies - self.people)

    @property
    def deals(self) -> int:
        return max(2, self.entities // 5)

    @property
    def tensions(self) -> int:
        return max(1, self.entities // 20)

    @property
    def claims(self) -> int:
        return max(1, self.entities // 20)


SIZES: dict[str, tuple[int, int, int]] = {
    "tiny": (30, 60, 4),
    "small": (150, 600, 20),
    "medium": (1_000, 10_000, 200),
    "large": (10_000, 100_000, 2_000),
}

# --- word lists -------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "Ada Alan Alice Amara Anika Arjun Beatriz Boris Carla Chen Clara Daniel Dara Elena Emeka "
    "Farah Felix Greta Hana Hugo Ines Isaac Jonas Julia Kenji Lara Leila Lucas Maya Mateo "
    "Nadia Nikhil Noor Olga Omar Paula Priya Rafael Rosa Samir Sara Sofia Tariq Tomas Uma "
    "Viktor Wen Yara Yusuf Zofia Aiko Bruno Cyrus Dalia Erik Fatima Goran Helga Ivo Jana"
)
COMPANY_SUFFIXES = _words(
    "Systems Labs Capital Robotics Health Energy Networks Dynamics Partners Group Analytics "
    "Semiconductor Cloud Ventures Logistics Biotech Materials Software Holdings Foundry"
)
PRODUCT_WORDS = _words(
    "Engine Studio Cloud Vision Core Pilot Hub Forge Atlas Pulse Stream Vault Lens Grid "
    "Sense Nova Orbit Prism Relay Beacon"
)
PRODUCT_TYPES = ("model", "service", "platform", "hardware", "product")
COMPANY_TYPES = ("company", "company", "company", "organisation", "research-lab", "regulator")
TITLES = (
    "chief executive",
    "chief technology officer",
    "chief financial officer",
    "head of research",
    "board member",
    "general counsel",
    "head of partnerships",
    "president",
    "chief scientist",
    "head of cloud",
)
CITIES = _words(
    "Lisbon Austin Toronto Nairobi Seoul Berlin Dublin Osaka Bristol Denver Lyon Pune "
    "Krakow Tallinn Boston Montreal Zurich Helsinki Leeds Porto"
)
INDUSTRIES = (
    "cloud computing",
    "chip design",
    "language model",
    "robotics",
    "payments",
    "genomics",
    "logistics software",
    "battery storage",
    "satellite imaging",
    "cybersecurity",
    "data centre",
    "medical imaging",
)
ADJECTIVES = _words(
    "ambitious cautious fast-growing loss-making profitable secretive well-funded "
    "venture-backed family-owned listed regional global specialist mid-sized"
)
DEAL_KINDS: tuple[tuple[str, str, str, str], ...] = (
    # (type, role of A, role of B, phrase)
    ("investment", "investor", "investee", "investment in"),
    ("cloud", "provider", "customer", "cloud contract with"),
    ("commercial", "partner", "partner", "licensing agreement with"),
    ("funding-round", "investor", "investee", "funding round for"),
    ("project", "partner", "partner", "joint project with"),
    ("partnership", "partner", "partner", "strategic partnership with"),
    ("hiring", "acquirer", "partner", "talent agreement with"),
)
# The loader's own vocabularies, so generated dossiers stay valid when they change.
DEAL_STATUSES = tuple(status for status in fields.DEAL_STATUSES if status != "unknown")
TENSION_CATEGORIES = fields.TENSION_CATEGORIES
TENSION_STATUSES = fields.TENSION_STATUSES
STANCES = ("pushing for change", "resisting", "seeking compensation", "cautious", "publicly silent")
EVENT_ACTIONS = (
    ("signs a supply pact with", "signed a supply pact with"),
    ("announces a pilot with", "began a pilot with"),
    ("files a complaint against", "sued"),
    ("opens talks with", "opened talks with"),
    ("expands its contract with", "expanded a contract with"),
    ("ends its trial with", "ended a trial with"),
    ("hires engineers from", "hired staff from"),
    ("settles a dispute with", "settled with"),
    ("launches a joint lab with", "opened a lab with"),
    ("delays a rollout with", "delayed a rollout with"),
    ("meets", "met"),
    ("courts", "courted"),
)
SERIALS = (
    "per filing {n}",
    "docket {n} shows",
    "per record {n}",
    "memo {n} notes",
    "per briefing {n}",
    "report {n} says",
)
PUBLISHERS = (
    "The Ledger",
    "Circuit Weekly",
    "Harbor Times",
    "Northwind Review",
    "Market Dispatch",
    "The Quarterly Signal",
    "Atlas Business",
    "Morning Wire",
)
TOPICS = (
    "the race for compute",
    "a partnership under strain",
    "who controls the models",
    "the cost of cloud contracts",
    "regulators take a closer look",
    "talent wars in AI",
    "new money, old rivals",
    "the quiet renegotiation",
)
MONTHS = _words(
    "January February March April May June July August September October November December"
)
# Filler vocabulary, most common first: sampled with Zipf-like weights so the texts hold
# very common words, everyday words and rare ones (plus generated jargon in the long tail).
COMMON_WORDS = _words(
    "partnership market growth investors analysts revenue customers competition strategy "
    "pressure infrastructure capacity demand agreement leadership regulators pricing "
    "expansion talent research margins contracts priorities licensing efficiency "
    "governance workloads chips datacentres negotiations momentum outlook reliability "
    "adoption roadmap subscriptions latency security compliance procurement forecasts "
    "shareholders valuation benchmarks hardware integration ecosystem pipeline"
)
FILLER = (
    "Analysts expect {w1} to shape how {A} approaches {w2} over the coming quarters",
    "People familiar with {A} said {w1} and {w2} dominated recent board discussions",
    "For {A}, the question of {w1} has become harder to separate from {w2}",
    "Critics argue that {A} underestimated {w1}, while supporters point to {w2}",
    "{A} and {B} have both spoken about {w1}, though rarely about {w2}",
    "Several former employees of {A} described {w1} as the company's biggest worry",
    "Industry observers link the shift at {B} to {w1} and a renewed focus on {w2}",
    "Executives at {A} declined to comment on {w1} or on the state of {w2}",
)
_SYLLABLES_ON = _words("b br c d dr f g gr k kl l m n p pr r s st t tr v z")
_SYLLABLES_V = _words("a e i o u ia ea ou")
_SYLLABLES_END = ("", "", "n", "r", "s", "x", "l", "th", "nd")


class Names:
    """Hands out made-up words never used before (case-insensitively) nor used by a template."""

    def __init__(self, rng: random.Random, reserved: Iterable[str]) -> None:
        self.rng = rng
        self.used: dict[str, None] = {w.casefold(): None for w in reserved}

    def claim(self, name: str) -> bool:
        key = " ".join(name.casefold().split())
        if key in self.used:
            return False
        self.used[key] = None
        return True

    def word(self, syllables: tuple[int, int] = (2, 3)) -> str:
        while True:
            count = self.rng.randint(*syllables)
            parts = [
                self.rng.choice(_SYLLABLES_ON) + self.rng.choice(_SYLLABLES_V) for _ in range(count)
            ]
            word = ("".join(parts) + self.rng.choice(_SYLLABLES_END)).capitalize()
            if len(word) >= 5 and self.claim(word):
                return word


def _reserved_words() -> list[str]:
    words: list[str] = []
    texts = [
        *FIRST_NAMES,
        *COMPANY_SUFFIXES,
        *PRODUCT_WORDS,
        *CITIES,
        *ADJECTIVES,
        *COMMON_WORDS,
        *MONTHS,
        *TITLES,
        *INDUSTRIES,
        *STANCES,
        *TOPICS,
        *PUBLISHERS,
        *(a for pair in EVENT_ACTIONS for a in pair),
        *SERIALS,
        *FILLER,
        *(k[3] for k in DEAL_KINDS),
    ]
    for text in texts:
        words.extend(w.strip("{},.'") for w in text.replace("-", " ").split())
    return [w for w in words if w]


# --- the plan ---------------------------------------------------------------------


@dataclass
class Entity:
    """A company, person or product as the sentences need it."""

    id: str
    kind: str  # company | person | product
    name: str
    aliases: list[str]


class Generator:
    """Builds records and the sentences they cite, then writes the folder."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.rng = random.Random(spec.seed)
        self.names = Names(self.rng, _reserved_words())
        self.serial = 0
        self.repeated = 0  # citations that quote a sentence already cited (stances)
        # per source: list of (sentence) in insertion order; shuffled per source at write time
        self.texts: list[list[str]] = [[] for _ in range(spec.sources)]
        self.source_ids = [f"src-{i + 1:04d}" for i in range(spec.sources)]
        self.jargon = [self.names.word((2, 3)).lower() for _ in range(max(50, spec.events // 20))]
        self.vocab = [*COMMON_WORDS, *self.jargon]
        self.weights = [1.0 / (rank + 1) for rank in range(len(self.vocab))]
        self._cum = list(_accumulate(self.weights))

    # --- helpers ------------------------------------------------------------------

    def call(self, entity: Entity) -> str:
        """How a sentence names an entity: its full name, or now and then a shorter alias."""
        if entity.aliases and self.rng.random() < 0.5:
            return entity.aliases[0]
        return entity.name

    def pick_word(self) -> str:
        return self.rng.choices(self.vocab, cum_weights=self._cum, k=1)[0]

    def cite(self, sentence: str, source: int | None = None) -> dict[str, str]:
        """Place a sentence (ending in a serial phrase) in a source; return its citation."""
        index = self.rng.randrange(self.spec.sources) if source is None else source
        self.texts[index].append(sentence)
        return {"source": self.source_ids[index], "exact": sentence}

    def serial_phrase(self) -> str:
        self.serial += 1
        return self.rng.choice(SERIALS).format(n=self.serial)

    def date(self, undated: float = 0.0) -> tuple[str | None, str]:
        """(date string or None, how a sentence says it)."""
        rng = self.rng
        roll = rng.random()
        year = rng.randint(2012, 2025)
        if roll < undated:
            return None, "At an undisclosed date"
        if roll < undated + 0.05:
            part = rng.choice(("early", "mid", "late"))
            return (f"{part}-{year}" if part == "mid" else f"{part} {year}"), f"In {part} {year}"
        month = rng.randint(1, 12)
        if roll < undated + 0.15:
            return f"{year}", f"In {year}"
        if roll < undated + 0.30:
            return f"{year}-{month:02d}", f"In {MONTHS[month - 1]} {year}"
        day = rng.randint(1, 28)
        return f"{year}-{month:02d}-{day:02d}", f"On {day} {MONTHS[month - 1]} {year}"

    def amount(self) -> dict[str, object]:
        rng = self.rng
        currency, sign = rng.choice((("USD", "$"), ("USD", "$"), ("EUR", "€"), ("GBP", "£")))
        if rng.random() < 0.5:
            millions = rng.choice((5, 12, 40, 75, 120, 250, 400, 650, 900))
            return {
                "value": millions * 1_000_000,
                "currency": currency,
                "text": f"{sign}{millions} million",
            }
        tenths = rng.choice((10, 15, 20, 25, 40, 65, 100, 130))
        text = f"{sign}{tenths // 10}" + (f".{tenths % 10}" if tenths % 10 else "") + " billion"
        return {"value": tenths * 100_000_000, "currency": currency, "text": text}

    # --- records -----------------------------------------------------------------

    def build(self) -> dict[str, list[dict[str, object]]]:
        rng = self.rng
        spec = self.spec
        companies: list[Entity] = []
        for i in range(spec.companies):
            stem = self.names.word()
            name = f"{stem} {rng.choice(COMPANY_SUFFIXES)}"
            while not self.names.claim(name):
                stem = self.names.word()
                name = f"{stem} {rng.choice(COMPANY_SUFFIXES)}"
            aliases = [stem] if rng.random() < 0.5 else []
            companies.append(Entity(f"co-{i + 1:05d}-{stem.lower()}", "company", name, aliases))
        people: list[Entity] = []
        for i in range(spec.people):
            surname = self.names.word()
            name = f"{rng.choice(FIRST_NAMES)} {surname}"
            self.names.claim(name)
            aliases = [surname] if rng.random() < 0.6 else []
            people.append(Entity(f"pe-{i + 1:05d}-{surname.lower()}", "person", name, aliases))
        products: list[Entity] = []
        for i in range(spec.products):
            stem = self.names.word()
            name = f"{stem} {rng.choice(PRODUCT_WORDS)}"
            self.names.claim(name)
            products.append(Entity(f"pr-{i + 1:05d}-{stem.lower()}", "product", name, []))
        entities = companies + people + products

        out: dict[str, list[dict[str, object]]] = {}
        out["companies"] = [self._company(c, i, companies) for i, c in enumerate(companies)]
        out["people"] = [self._person(p, companies) for p in people]
        out["products"] = [self._product(p, companies) for p in products]
        deals = [self._deal(i, companies, entities) for i in range(spec.deals)]
        out["deals"] = deals
        out["tensions"] = [self._tension(i, companies, deals) for i in range(spec.tensions)]
        out["events"] = [self._event(i, entities, deals) for i in range(spec.events)]
        out["claims"] = [self._claim(i, deals) for i in range(spec.claims)]
        self._filler(entities)
        return out

    def _company(self, c: Entity, index: int, companies: list[Entity]) -> dict[str, object]:
        rng = self.rng
        industry = rng.choice(INDUSTRIES)
        city = rng.choice(CITIES)
        adjective = rng.choice(ADJECTIVES)
        sentence = (
            f"{c.name} is a {adjective} {industry} business based in {city}, "
            f"{self.serial_phrase()}."
        )
        record: dict[str, object] = {
            "id": c.id,
            "name": c.name,
            "aliases": c.aliases,
            "type": rng.choice(COMPANY_TYPES),
            "summary": f"A {adjective} {industry} business based in {city}.",
        }
        if index > 10 and rng.random() < 0.1:
            record["parent"] = companies[rng.randrange(index)].id
        record["citations"] = [self.cite(sentence)]
        if rng.random() < 0.15:
            staff = rng.choice((40, 120, 800, 2500, 12000))
            fact = f"{c.name} employs about {staff} people, {self.serial_phrase()}."
            record["facts"] = [
                {
                    "label": "Employees",
                    "value": f"about {staff}",
                    "citations": [self.cite(fact)],
                }
            ]
        return record

    def _person(self, p: Entity, companies: list[Entity]) -> dict[str, object]:
        rng = self.rng
        roles = []
        for _ in range(rng.choice((1, 1, 2))):
            org = rng.choice(companies)
            title = rng.choice(TITLES)
            start, said = self.date()
            end: str | None = None
            role: dict[str, object] = {"org": org.id, "title": title}
            if start is not None:
                role["start"] = start
                if rng.random() < 0.25 and start[:4].isdigit():
                    end = str(int(start[:4]) + rng.randint(1, 4))
                    role["end"] = end
            ended = f" until {end}" if end else ""
            sentence = (
                f"{said}, {self.call(p)} became {title} of {self.call(org)}{ended}, "
                f"{self.serial_phrase()}."
            )
            role["citations"] = [self.cite(sentence)]
            roles.append(role)
        first_org = next(c.name for c in companies if c.id == roles[0]["org"])
        intro = (
            f"{p.name} is known in the industry for work at {first_org}, {self.serial_phrase()}."
        )
        return {
            "id": p.id,
            "name": p.name,
            "aliases": p.aliases,
            "summary": f"{roles[0]['title'].capitalize()} at {first_org}.",  # type: ignore[union-attr]
            "citations": [self.cite(intro)],
            "roles": roles,
        }

    def _product(self, p: Entity, companies: list[Entity]) -> dict[str, object]:
        rng = self.rng
        maker = rng.choice(companies)
        kind = rng.choice(PRODUCT_TYPES)
        word = self.pick_word()
        sentence = (
            f"{self.call(maker)} introduced {p.name}, a {kind} aimed at {word}, "
            f"{self.serial_phrase()}."
        )
        return {
            "id": p.id,
            "name": p.name,
            "type": kind,
            "maker": maker.id,
            "summary": f"A {kind} made by {maker.name}.",
            "citations": [self.cite(sentence)],
        }

    def _deal(
        self, index: int, companies: list[Entity], entities: list[Entity]
    ) -> dict[str, object]:
        rng = self.rng
        kind, role_a, role_b, phrase = rng.choice(DEAL_KINDS)
        a, b = rng.sample(companies, 2)
        amount = self.amount() if kind in ("investment", "funding-round", "cloud") else None
        date, said = self.date(undated=0.05)
        name = f"{a.name} {phrase} {b.name}"
        record: dict[str, object] = {"id": f"deal-{index + 1:05d}", "name": name}
        aliases: list[str] = []
        if rng.random() < 0.3:
            alias = f"Project {self.names.word()}"
            if self.names.claim(alias):
                aliases.append(alias)
        record["aliases"] = aliases
        record["type"] = kind
        parties = [{"ref": a.id, "role": role_a}, {"ref": b.id, "role": role_b}]
        if rng.random() < 0.2:
            third = rng.choice(entities)
            if third.id not in (a.id, b.id):
                parties.append({"ref": third.id, "role": "partner"})
        record["parties"] = parties
        worth = f" worth {amount['text']}" if amount else ""
        known = f", known internally as {aliases[0]}" if aliases else ""
        sentence = (
            f"{said}, {self.call(a)} agreed a {phrase} {self.call(b)}{worth}{known}, "
            f"{self.serial_phrase()}."
        )
        if amount:
            record["amount"] = amount
        if date:
            record["date"] = date
        record["status"] = rng.choice(DEAL_STATUSES)
        record["summary"] = f"A {kind} deal between {a.name} and {b.name}."
        record["citations"] = [self.cite(sentence)]
        terms = []
        for _ in range(rng.choice((0, 1, 2))):
            word = self.pick_word()
            term = (
                f"Under the deal, {self.call(b)} gives {self.call(a)} priority access on {word}, "
                f"{self.serial_phrase()}."
            )
            terms.append({"text": f"Priority access on {word}.", "citations": [self.cite(term)]})
        if terms:
            record["terms"] = terms
        record["_sides"] = (a, b)
        return record

    def _tension(
        self, index: int, companies: list[Entity], deals: list[dict[str, object]]
    ) -> dict[str, object]:
        rng = self.rng
        a, b = rng.sample(companies, 2)
        category = rng.choice(TENSION_CATEGORIES)
        start, said = self.date(undated=0.1)
        word = self.pick_word()
        sentence = (
            f"{said}, friction grew between {self.call(a)} and {self.call(b)} over {category} "
            f"and {word}, {self.serial_phrase()}."
        )
        parties: list[dict[str, object]] = [
            {"ref": a.id, "stance": rng.choice(STANCES)},
            {"ref": b.id, "stance": rng.choice(STANCES)},
        ]
        record: dict[str, object] = {
            "id": f"tension-{index + 1:05d}",
            "name": f"{a.name} and {b.name} at odds over {category}",
            "category": category,
            "parties": parties,
            "status": rng.choice(TENSION_STATUSES),
        }
        if start:
            record["start"] = start
        if deals and rng.random() < 0.5:
            record["related"] = [rng.choice(deals)["id"]]
        record["summary"] = f"A {category} dispute between {a.name} and {b.name}."
        citation = self.cite(sentence)
        record["citations"] = [citation]
        for party in parties:
            party["citations"] = [dict(citation)]  # each stance cites the sentence too
            self.repeated += 1
        return record

    def _event(
        self, index: int, entities: list[Entity], deals: list[dict[str, object]]
    ) -> dict[str, object]:
        rng = self.rng
        a, b = rng.sample(entities, 2)
        present, past = rng.choice(EVENT_ACTIONS)
        date, said = self.date(undated=0.03)
        word = self.pick_word()
        record: dict[str, object] = {
            "id": f"ev-{index + 1:06d}",
            "name": f"{a.name} {present} {b.name}",
        }
        if date:
            record["date"] = date
        amount = self.amount() if rng.random() < 0.1 else None
        worth = f" worth {amount['text']}" if amount else ""
        about = f" on {word}" if rng.random() < 0.3 else ""
        sentence = (
            f"{said}, {self.call(a)} {past} {self.call(b)}{worth}{about}, {self.serial_phrase()}."
        )
        if date and rng.random() < 0.02:
            record["projected"] = True
        if amount:
            record["amount"] = amount
        record["involves"] = [a.id, b.id]
        if deals and rng.random() < 0.1:
            record["related"] = [rng.choice(deals)["id"]]
        if rng.random() < 0.25:
            record["summary"] = f"{a.name} {past} {b.name}."
        record["citations"] = [self.cite(sentence)]
        return record

    def _claim(self, index: int, deals: list[dict[str, object]]) -> dict[str, object]:
        rng = self.rng
        deal = rng.choice(deals)
        a, b = deal["_sides"]  # type: ignore[misc]
        sides = []
        for who in ("One account", "Another account"):
            amount = self.amount()
            sentence = (
                f"{who} put the value of the deal between {self.call(a)} and {self.call(b)} at "
                f"{amount['text']}, {self.serial_phrase()}."
            )
            sides.append(
                {
                    "says": f"Worth {amount['text']}.",
                    "amount": amount,
                    "citations": [self.cite(sentence)],
                }
            )
        return {
            "id": f"claim-{index + 1:05d}",
            "name": f"Value of the deal between {a.name} and {b.name}",
            "about": [deal["id"]],
            "summary": "The sources give different figures.",
            "sides": sides,
        }

    def _filler(self, entities: list[Entity]) -> None:
        """Uncited sentences: everyday and rare vocabulary, and mentions nothing cites."""
        rng = self.rng
        for index in range(self.spec.sources):
            for _ in range(rng.randint(2, 6)):
                a, b = rng.sample(entities, 2)
                template = rng.choice(FILLER)
                self.texts[index].append(
                    template.format(
                        A=self.call(a), B=self.call(b), w1=self.pick_word(), w2=self.pick_word()
                    )
                    + "."
                )

    # --- writing -----------------------------------------------------------------

    def source_records(self) -> list[dict[str, object]]:
        rng = self.rng
        records: list[dict[str, object]] = []
        for index, source_id in enumerate(self.source_ids):
            publisher = rng.choice(PUBLISHERS)
            topic = rng.choice(TOPICS)
            record: dict[str, object] = {
                "id": source_id,
                "title": f"{publisher}: {topic} ({index + 1})",
                "publisher": publisher,
                "url": f"https://example.com/{source_id}",
            }
            if rng.random() < 0.9:
                record["published"] = f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}"
            records.append(record)
        return records

    def source_text(self, index: int, title: str) -> str:
        rng = self.rng
        sentences = self.texts[index]
        rng.shuffle(sentences)
        paragraphs: list[str] = []
        at = 0
        while at < len(sentences):
            size = rng.randint(3, 7)
            paragraphs.append(" ".join(sentences[at : at + size]))
            at += size
        return title + "\n\n" + "\n\n".join(paragraphs) + "\n"


def _accumulate(values: list[float]) -> Iterable[float]:
    total = 0.0
    for value in values:
        total += value
        yield total


# --- YAML writing (by hand: fast, byte-stable, and in the documented layout) -----------


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


_PLAIN = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
_YAML_WORDS = ("true", "false", "null", "yes", "no", "on", "off", "y", "n")


def _scalar(value: object) -> str:
    """Numbers and booleans bare, ids and keywords plain, every other string double-quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and text not in _YAML_WORDS:
        return text
    return _q(text)


def _emit(lines: list[str], value: object, indent: int) -> None:
    """Block-style YAML of plain dicts/lists/scalars, lists of scalars written in flow style."""
    pad = " " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            if key.startswith("_") or item is None or item == []:
                continue
            if isinstance(item, dict):
                lines.append(f"{pad}{key}:")
                _emit(lines, item, indent + 2)
            elif isinstance(item, list):
                if all(not isinstance(x, dict | list) for x in item):
                    lines.append(f"{pad}{key}: [{', '.join(_scalar(x) for x in item)}]")
                else:
                    lines.append(f"{pad}{key}:")
                    _emit(lines, item, indent + 2)
            else:
                lines.append(f"{pad}{key}: {_scalar(item)}")
    elif isinstance(value, list):
        for item in value:
            sub: list[str] = []
            _emit(sub, item, indent + 2)
            first = sub[0]
            lines.append(f"{pad}- {first[indent + 2 :]}")
            lines.extend(sub[1:])


def dump_records(kind: str, records: list[dict[str, object]]) -> str:
    lines = [f"# yaml-language-server: $schema=schema/{kind}.schema.json"]
    for record in records:
        _emit(lines, [record], 0)
        lines.append("")
    return "\n".join(lines) + "\n" if records else lines[0] + "\n[]\n"


def generate(out_dir: str | Path, spec: Spec) -> dict[str, object]:
    """Write a complete dossier for `spec` into `out_dir`; return its manifest."""
    out = Path(out_dir)
    gen = Generator(spec)
    records = gen.build()
    sources = gen.source_records()
    texts = [gen.source_text(i, str(s["title"])) for i, s in enumerate(sources)]

    manifest_path = out / MANIFEST
    if out.is_dir() and any(out.iterdir()) and not manifest_path.exists():
        raise FileExistsError(f"{out} holds files this generator did not write; not touching it")
    if manifest_path.exists():
        manifest_path.unlink()
    if (out / "sources").is_dir():
        shutil.rmtree(out / "sources")
    (out / "sources").mkdir(parents=True)
    schema_src = Path(__file__).resolve().parent.parent / "data" / "schema"
    if schema_src.is_dir():
        shutil.copytree(schema_src, out / "schema", dirs_exist_ok=True)

    dossier_yaml = (
        "# yaml-language-server: $schema=schema/dossier.schema.json\n"
        f"title: {_q(f'Synthetic dossier ({spec.entities} entities, seed {spec.seed})')}\n"
        f"description: {_q('Generated by benchmarks/synth.py for speed tests; not real.')}\n"
    )
    (out / "dossier.yaml").write_text(dossier_yaml, encoding="utf-8")
    (out / "sources.yaml").write_text(dump_records("sources", sources), encoding="utf-8")
    for kind, items in records.items():
        (out / f"{kind}.yaml").write_text(dump_records(kind, items), encoding="utf-8")
    text_bytes = 0
    for source, text in zip(sources, texts, strict=True):
        data = text.encode("utf-8")
        text_bytes += len(data)
        (out / "sources" / f"{source['id']}.txt").write_bytes(data)
    manifest: dict[str, object] = {
        "spec": asdict(spec),
        "counts": {kind: len(items) for kind, items in records.items()} | {"sources": len(sources)},
        "citations": gen.serial + gen.repeated,
        "text_bytes": text_bytes,
    }
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def spec_for(size: str, seed: int = 1, **overrides: int | None) -> Spec:
    entities, events, sources = SIZES[size]
    values = {"entities": entities, "events": events, "sources": sources}
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Spec(seed=seed, **values)


def read_manifest(out_dir: str | Path) -> dict[str, object] | None:
    try:
        return json.loads((Path(out_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--size", choices=tuple(SIZES), default="large")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--entities", type=int)
    parser.add_argument("--events", type=int)
    parser.add_argument("--sources", type=int)
    args = parser.parse_args(argv)
    spec = spec_for(
        args.size, args.seed, entities=args.entities, events=args.events, sources=args.sources
    )
    if spec.entities < 6 or spec.sources < 1 or spec.events < 0:
        parser.error("need at least 6 entities and 1 source")
    started = time.perf_counter()
    try:
        manifest = generate(args.out_dir, spec)
    except FileExistsError as exc:
        parser.error(str(exc))
    elapsed = time.perf_counter() - started
    print(
        f"wrote {args.out_dir}: {json.dumps(manifest['counts'])}, "
        f"{manifest['citations']} quotes, {int(manifest['text_bytes']) / 1e6:.1f} MB of text "
        f"in {elapsed:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
