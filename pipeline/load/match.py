"""Match an export's columns to the instrument's items, and the tools' own columns to roles.

A column maps to an item by, in this order: its code (also inside LimeSurvey brackets
``Q1[SQ001]`` or after ``Q1_``, and at the end of a Kobo group path ``group/name`` or
``group-name``), one of the item's aliases, or its label in any of the instrument's languages.
Everything is compared after :func:`fold`. The statement part of ``question - statement``
(Qualtrics, SurveyMonkey) and ``question [statement]`` (LimeSurvey, Google Forms) counts as
the label, and so does the part after ``code. `` in LimeSurvey's "code and text" headings.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd

from pipeline.load.cells import distinct_text
from pipeline.load.layout import Column
from pipeline.questionnaire import Instrument

__all__ = [
    "IDENTIFIER_KINDS",
    "ItemMatcher",
    "code_variants",
    "fold",
    "fold_column",
    "generic_role",
    "label_variants",
    "role_from",
]

#: Headers of identifier columns, folded, by kind. They are used only to find duplicates and
#: make pseudonyms; cleaning drops them before anything is written.
IDENTIFIER_KINDS: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "naam",
        "full name",
        "volledige naam",
        "first name",
        "last name",
        "firstname",
        "lastname",
        "voornaam",
        "achternaam",
        "respondent",
        "respondent name",
        "recipientfirstname",
        "recipientlastname",
    ),
    "email": (
        "email",
        "e-mail",
        "email address",
        "emailaddress",
        "e-mail address",
        "e-mailadres",
        "emailadres",
        "e-mail adres",
        "recipientemail",
    ),
    "ip": ("ip", "ip address", "ipaddress", "ip-adres", "ip adres", "ipaddr"),
    "token": ("token", "access code", "toegangscode"),
    "respondent_id": (
        "id",
        "respondent id",
        "respondent-id",
        "respondentnummer",
        "response id",
        "responseid",
        "antwoord id",
        "antwoord-id",
        "_id",
        "_uuid",
        "instanceid",
        "meta/instanceid",
        "meta-instanceid",
        "key",
    ),
    "external_id": (
        "externalreference",
        "externaldatareference",
        "external data reference",
        "externe gegevensreferentie",
        "custom data",
        *(f"custom data {n}" for n in range(1, 6)),
        *(f"aangepaste gegevens {n}" for n in range(1, 6)),
    ),
    "location": (
        "locationlatitude",
        "locationlongitude",
        "locationaccuracy",
        "latitude",
        "longitude",
        "_geolocation",
    ),
    "device": ("deviceid", "device id", "subscriberid", "simserial", "imei"),
    "phone": ("phonenumber", "phone number", "telefoonnummer"),
    "account": ("username", "_submitted_by", "submitterid", "submittername", "gebruikersnaam"),
    "url": ("refurl", "referrer", "referer", "verwijzende url"),
}
_SUBMITTED_HEADERS = (
    "submitted",
    "submitted at",
    "timestamp",
    "tijdstempel",
    "ingevuld op",
    "datum ingevuld",
    "datum",
)
_GENERIC_ROLES: dict[str, str] = {
    **{header: f"id:{kind}" for kind, headers in IDENTIFIER_KINDS.items() for header in headers},
    **dict.fromkeys(_SUBMITTED_HEADERS, "submitted_at"),
}
_CODE_AND_TEXT = re.compile(r"^(?P<code>\S+?)\.\s+(?P<text>\S.*)$", re.DOTALL)
_BRACKETED = re.compile(r"^(?P<outer>.*?)\s*\[(?P<inner>[^\[\]]+)\]$", re.DOTALL)
_EDGES = re.compile("^[\\s\"'“”‘’„`]+|[\\s\"'“”‘’„`.:?!*]+$")


def fold(text: object) -> str:
    """Fold a header or an answer for matching: case, whitespace, quotes, trailing punctuation."""
    return _fold(str(text))


@lru_cache(maxsize=1 << 16)
def _fold(text: str) -> str:
    """:func:`fold` of a text: every export of a round has the same headers and answers."""
    value = unicodedata.normalize("NFKC", text).casefold()
    value = re.sub(r"\s+", " ", value)
    return _EDGES.sub("", value)


def fold_column(column: pd.Series) -> pd.Series:
    """:func:`fold` of every cell, computed once per distinct value."""
    codes, texts = distinct_text(column)
    folded = np.array([fold(text) for text in texts], dtype=object)
    return pd.Series(folded[codes], index=column.index, dtype=object)


def _code_part(text: str) -> str | None:
    """``AMB[AMB1]`` from LimeSurvey's ``AMB[AMB1]. Question text``, else None."""
    found = _CODE_AND_TEXT.match(text.strip())
    return found["code"] if found else None


def code_variants(text: str) -> list[str]:
    """The codes a header can hold, the whole header first.

    ``AMB[AMB1]`` gives ``AMB1``; ``AMB_AMB1`` gives ``AMB1``; ``groep/AMB1`` and
    ``groep-AMB1`` give ``AMB1``; LimeSurvey's ``AMB[AMB1]. Question`` gives the same as
    ``AMB[AMB1]``. A header with spaces is no code.
    """
    text = text.strip()
    starts = [text]
    code = _code_part(text)
    if code:
        starts.append(code)
    out: list[str] = []
    for start in starts:
        if re.search(r"\s", start):
            continue
        out.append(start)
        bracketed = _BRACKETED.match(start)
        if bracketed:
            out.append(bracketed["inner"].strip())
        for separator in ("/", "-", "_", "."):
            parts = start.split(separator)
            out += [separator.join(parts[i:]) for i in range(1, len(parts)) if parts[i]]
    return list(dict.fromkeys(out))


def label_variants(text: str) -> list[str]:
    """The labels a header can hold: itself, then the statement parts, then the last one.

    ``question - statement`` and ``question [statement]`` give ``statement``; LimeSurvey's
    ``code. text`` gives ``text``; a Kobo label path ``Groep/Vraag`` gives ``Vraag``.
    """
    text = text.strip()
    out = [text]
    found = _CODE_AND_TEXT.match(text)
    if found:
        out.append(found["text"])
    for start in list(out):
        bracketed = _BRACKETED.match(start)
        if bracketed:
            out.append(bracketed["inner"].strip())
        parts = start.split(" - ")
        out += [" - ".join(parts[i:]) for i in range(1, len(parts))]
        pieces = re.split(r"(?<=\S)/(?=\S)", start)
        if len(pieces) > 1:
            out.append(pieces[-1])
    for start in list(out):  # legacy Qualtrics: question-statement, without spaces
        parts = re.split(r"(?<=\S)-(?=\S)", start)
        out += ["-".join(parts[i:]) for i in range(1, len(parts))]
    return list(dict.fromkeys(v.strip() for v in out if v.strip()))


def generic_role(header: str) -> str | None:
    """The role of a column any tool may have: an identifier kind or the submission time."""
    for key in (header, _code_part(header) or ""):
        role = _GENERIC_ROLES.get(fold(key))
        if role:
            return role
    return None


def role_from(table: dict[str, str], header: str) -> str | None:
    """A role from a tool's table of folded headers: the header, its code part, its last path."""
    candidates = [header, _code_part(header) or ""]
    candidates.append(re.split(r"[/]", header.strip())[-1])
    for key in candidates:
        role = table.get(fold(key))
        if role:
            return role
    return None


@dataclass(frozen=True)
class ItemMatcher:
    """Look-ups from folded codes, aliases and labels to item codes, built once per instrument."""

    instrument: Instrument

    @staticmethod
    def _lookup(pairs: list[tuple[str, str]]) -> dict[str, str]:
        out: dict[str, str] = {}
        for key, value in pairs:
            folded = fold(key)
            if folded and folded not in out:
                out[folded] = value
        return out

    @cached_property
    def by_code(self) -> dict[str, str]:
        """Folded item code -> item code."""
        return self._lookup([(code, code) for code in self.instrument.items.index])

    @cached_property
    def by_alias(self) -> dict[str, str]:
        """Folded alias -> item code."""
        items = self.instrument.items
        return self._lookup(
            [
                (alias, code)
                for code, aliases in zip(items.index, items["aliases"], strict=True)
                for alias in aliases
            ]
        )

    @cached_property
    def by_label(self) -> dict[str, str]:
        """Folded label, in any language -> item code."""
        items = self.instrument.items
        return self._lookup(
            [
                (label, code)
                for lang in self.instrument.languages
                for code, label in zip(items.index, items[f"label_{lang}"], strict=True)
                if isinstance(label, str)
            ]
        )

    @cached_property
    def _found(self) -> dict[tuple[str, ...], str | None]:
        """What :meth:`item` found for each column's keys: a round's files share their headers."""
        return {}

    def item(self, column: Column) -> str | None:
        """The item a column holds: by code, then alias, then label, over all its keys."""
        found = self._found
        if column.keys not in found:
            found[column.keys] = self._item(column.keys)
        return found[column.keys]

    def _item(self, keys: tuple[str, ...]) -> str | None:
        codes = [c for key in keys for c in code_variants(key)]
        labels = [v for key in keys for v in label_variants(key)]
        for code in codes:
            item = self.by_code.get(fold(code))
            if item:
                return item
        for text in [*keys, *codes, *labels]:
            item = self.by_alias.get(fold(text))
            if item:
                return item
        for text in labels:
            item = self.by_label.get(fold(text))
            if item:
                return item
        return None
