"""Match an export's columns to the instrument's items, and the tools' own columns to roles.

A column maps to an item by, from the strongest match to the weakest (:class:`Strength`): its
code (the whole header, or the code part of LimeSurvey's "code and text" headings), its code
inside brackets (LimeSurvey ``Q1[SQ001]``), its code after a group path or prefix (``Q1_``,
Kobo ``group/name``, ODK Central ``group-name``), one of the item's aliases, or its label in
any of the instrument's languages. Everything is compared after :func:`fold`. The statement
part of ``question - statement`` (Qualtrics, SurveyMonkey) and ``question [statement]``
(LimeSurvey, Google Forms) counts as the label, and so does the part after ``code. `` in
LimeSurvey's "code and text" headings. Which column an item takes when several match it is
decided per file (:func:`pipeline.load.export._classify`): the strongest.

A ``select_multiple`` question has one column per choice, ``question/choice`` (ODK, Kobo),
``question_choice`` or ``question.choice`` (SPSS and others), ``question - choice``
(Qualtrics, SurveyMonkey) or ``question[choice]`` (LimeSurvey), where the question part
matches the question as above and the choice part is one of its list's choices (name, label
or alias); or one column headed as the question with the chosen names (Kobo). Those columns
are recognised so that they are neither answers nor unmatched: they are never scored.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import IntEnum
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd

from pipeline.load.cells import distinct_text
from pipeline.load.layout import Column
from pipeline.questionnaire import Instrument

__all__ = [
    "IDENTIFIER_KINDS",
    "ItemMatcher",
    "Match",
    "Strength",
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
    "device": ("deviceid", "device id", "device_id", "subscriberid", "simserial", "imei"),
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
#: A geopoint question's own columns, folded: ODK Central's ``<path>-Latitude`` ... and
#: ``-Accuracy``, and Kobo's ``_<name>_latitude`` ... and ``_precision`` (after a group path).
GEOPOINT = re.compile(
    r"^\S+-(?:latitude|longitude|altitude|accuracy)$"
    r"|(?:^|/)_(?P<name>[^/]+)_(?:latitude|longitude|altitude|precision)$"
)
_CODE_AND_TEXT = re.compile(r"^(?P<code>\S+?)\.\s+(?P<text>\S.*)$", re.DOTALL)
_BRACKETED = re.compile(r"^(?P<outer>.*?)\s*\[(?P<inner>[^\[\]]+)\]$", re.DOTALL)
_EDGES = re.compile("^[\\s\"'“”‘’„`]+|[\\s\"'“”‘’„`.:?!*]+$")
#: The part before a code that a group path or a prefix puts there: a name, no spaces.
_CODE_PREFIX = re.compile(r"^[^\W\d][\w.\-/]*$")
#: Separators between a question and a choice in a ``select_multiple`` question's columns.
_CHOICE_SEPARATORS = ("/", "_", ".", "-", " - ")


class Strength(IntEnum):
    """How a column matches an item, weakest first: a stronger match wins over a weaker one.

    ``SUFFIX`` is the code after a group path or a prefix (``VER_VER1``, ``groep/VER1``): the
    one match that two unrelated columns can share (``REGULAR_SODA`` and ``DIET_SODA`` for an
    item ``soda``), so the loader takes it only when one column of the file has it.
    """

    LABEL = 1
    ALIAS = 2
    SUFFIX = 3
    BRACKET = 4
    CODE = 5

    @property
    def described(self) -> str:
        """How messages say it: "by its code", "by its label"."""
        return {
            Strength.LABEL: "by its label",
            Strength.ALIAS: "by an alias",
            Strength.SUFFIX: "by the code at its end",
            Strength.BRACKET: "by the code in its brackets",
            Strength.CODE: "by its code",
        }[self]


@dataclass(frozen=True)
class Match:
    """What a column holds: an item (or a ``select_multiple`` question) and how it matched."""

    item: str
    strength: Strength
    multiple: bool = False


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
    return list(dict.fromkeys(code for code, _ in _code_candidates(text)))


@lru_cache(maxsize=1 << 14)
def _code_candidates(text: str) -> tuple[tuple[str, Strength], ...]:
    """:func:`code_variants` with the strength of each: code, bracketed code, suffix.

    A suffix needs a prefix that looks like a group or question name (it starts with a letter
    and has no spaces), so that ``2025_AMB1`` or ``1-VER1`` is no code of ``AMB1`` or ``VER1``.
    """
    text = text.strip()
    starts = [text]
    code = _code_part(text)
    if code:
        starts.append(code)
    out: list[tuple[str, Strength]] = []
    for start in starts:
        if re.search(r"\s", start):
            continue
        out.append((start, Strength.CODE))
        bracketed = _BRACKETED.match(start)
        if bracketed:
            out.append((bracketed["inner"].strip(), Strength.BRACKET))
        for separator in ("/", "-", "_", "."):
            parts = start.split(separator)
            out += [
                (separator.join(parts[i:]), Strength.SUFFIX)
                for i in range(1, len(parts))
                if parts[i] and _CODE_PREFIX.match(separator.join(parts[:i]))
            ]
    return tuple(out)


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
    """The role of a column any tool may have: an identifier kind or the submission time.

    A geopoint question's columns (:data:`GEOPOINT`) are a location, whatever the question's
    name.
    """
    for key in (header, _code_part(header) or ""):
        role = _GENERIC_ROLES.get(fold(key))
        if role:
            return role
    return "id:location" if GEOPOINT.search(fold(header)) else None


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
    """Look-ups from folded codes, aliases and labels to item codes, built once per instrument.

    The ``select_multiple`` questions (``Instrument.multiple``) have look-ups of their own, and
    so have their lists' choices, for their per-choice columns.
    """

    instrument: Instrument

    @staticmethod
    def _lookup(pairs: list[tuple[str, str]]) -> dict[str, str]:
        out: dict[str, str] = {}
        for key, value in pairs:
            folded = fold(key)
            if folded and folded not in out:
                out[folded] = value
        return out

    def _lookups(self, table: pd.DataFrame) -> tuple[dict[str, str], ...]:
        """Codes, aliases and labels (any language) of a table's rows -> the row's name."""
        return (
            self._lookup([(code, code) for code in table.index]),
            self._lookup(
                [
                    (alias, code)
                    for code, aliases in zip(table.index, table["aliases"], strict=True)
                    for alias in aliases
                ]
            ),
            self._lookup(
                [
                    (label, code)
                    for lang in self.instrument.languages
                    if f"label_{lang}" in table
                    for code, label in zip(table.index, table[f"label_{lang}"], strict=True)
                    if isinstance(label, str)
                ]
            ),
        )

    @cached_property
    def _items(self) -> tuple[dict[str, str], ...]:
        return self._lookups(self.instrument.items)

    @cached_property
    def _multiple(self) -> tuple[dict[str, str], ...]:
        return self._lookups(self.instrument.multiple)

    @property
    def by_code(self) -> dict[str, str]:
        """Folded item code -> item code."""
        return self._items[0]

    @property
    def by_alias(self) -> dict[str, str]:
        """Folded alias -> item code."""
        return self._items[1]

    @property
    def by_label(self) -> dict[str, str]:
        """Folded label, in any language -> item code."""
        return self._items[2]

    @cached_property
    def _choices_of(self) -> dict[str, frozenset[str]]:
        """Per ``select_multiple`` question: its choices' folded names, labels and aliases."""
        choices = self.instrument.choices
        labels = [
            f"label_{lang}" for lang in self.instrument.languages if f"label_{lang}" in choices
        ]
        texts: dict[str, set[str]] = {}
        for list_name, name, aliases, *rest in zip(
            choices["list_name"], choices["name"], choices["aliases"],
            *(choices[c] for c in labels), strict=True,
        ):  # fmt: skip
            found = texts.setdefault(list_name, set())
            found.update(fold(t) for t in (name, *aliases, *rest) if isinstance(t, str))
        multiple = self.instrument.multiple
        return {
            question: frozenset(texts.get(list_name, ()))
            for question, list_name in zip(multiple.index, multiple["list_name"], strict=True)
        }

    @cached_property
    def _found(self) -> dict[tuple[str, ...], Match | None]:
        """What :meth:`match` found for each column's keys: a round's files share their headers."""
        return {}

    def item(self, column: Column) -> str | None:
        """The item a column holds (None for a ``select_multiple`` question's column)."""
        found = self.match(column)
        return found.item if found is not None and not found.multiple else None

    def match(self, column: Column) -> Match | None:
        """What a column holds, by code, then alias, then label, over all its keys."""
        found = self._found
        if column.keys not in found:
            found[column.keys] = self._match(column.keys)
        return found[column.keys]

    def _match(self, keys: tuple[str, ...]) -> Match | None:
        found = _best(keys, self._items)
        best = Match(*found) if found else None
        if not len(self.instrument.multiple):
            return best
        questions = [_best(keys, self._multiple)]  # the question's own column (Kobo)
        for prefix, suffix in _choice_splits(keys):  # a column per choice
            question = _best((prefix,), self._multiple)
            if question is not None and fold(suffix) in self._choices_of[question[0]]:
                questions.append(question)
        for question in questions:
            if question is not None and (best is None or question[1] > best.strength):
                best = Match(*question, multiple=True)
        return best


def _best(
    keys: tuple[str, ...], lookups: tuple[dict[str, str], ...]
) -> tuple[str, Strength] | None:
    """The strongest match of ``keys`` in look-ups of codes, aliases and labels; the first wins.

    Codes from every key come before aliases from any key, and aliases before labels: a
    header's code decides over the question text beside it.
    """
    by_code, by_alias, by_label = lookups
    candidates = [c for key in keys for c in _code_candidates(key)]
    found: tuple[str, Strength] | None = None
    for code, strength in candidates:
        item = by_code.get(fold(code))
        if item and (found is None or strength > found[1]):
            found = (item, strength)
    if found is not None:
        return found
    labels = [v for key in keys for v in label_variants(key)]
    for text in [*keys, *(code for code, _ in candidates), *labels]:
        item = by_alias.get(fold(text))
        if item:
            return item, Strength.ALIAS
    for text in labels:
        item = by_label.get(fold(text))
        if item:
            return item, Strength.LABEL
    return None


def _choice_splits(keys: tuple[str, ...]) -> list[tuple[str, str]]:
    """Every (question, choice) a ``select_multiple`` question's column header may be.

    ``Q[choice]`` and ``question [choice]`` split at the brackets; ``Q/choice``, ``Q_choice``,
    ``Q.choice``, ``Q-choice`` and ``question - choice`` at each place the separator occurs,
    since a choice's name may hold one too (``y3_5``). LimeSurvey's ``code. text`` headings
    are split in both parts.
    """
    texts: list[str] = []
    for key in keys:
        key = key.strip()
        texts.append(key)
        found = _CODE_AND_TEXT.match(key)
        if found:
            texts += [found["code"], found["text"]]
    out: list[tuple[str, str]] = []
    for text in texts:
        bracketed = _BRACKETED.match(text)
        if bracketed:
            out.append((bracketed["outer"].strip(), bracketed["inner"].strip()))
        for separator in _CHOICE_SEPARATORS:
            parts = text.split(separator)
            out += [
                (separator.join(parts[:i]).strip(), separator.join(parts[i:]).strip())
                for i in range(1, len(parts))
            ]
    return [(prefix, suffix) for prefix, suffix in dict.fromkeys(out) if prefix and suffix]
