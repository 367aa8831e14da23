"""Redaction of open answers: what would identify a person becomes a placeholder.

Open answers reach ``comments`` and the reports, so whatever in them points to a person is
replaced, in this order (each rule reads the text the rules before it left):

- ``[e-mail]``: e-mail addresses, also written with spaces around the ``@`` or before a dot
  (``piet @ x.nl``, ``piet@x .nl``) or with the ``@`` and dots in words: ``[at]``, ``(at)``,
  ``{at}``, ``<apenstaartje>``, ``[dot]``, ``(punt)``. ``at`` without brackets counts only
  with its dots as words too (``piet at domein dot nl``): English ``look at example.com`` is
  no address;
- ``[link]``: ``http://``, ``https://`` and ``www.`` links, any case, up to the next space
  (punctuation at its end is left);
- ``[iban]``: IBANs of the registry's countries, compact or in groups of four, any case,
  whose length fits their country and whose mod-97 check holds (so random text is not hit);
- ``[ip-adres]``: IPv6 addresses that :mod:`ipaddress` accepts (with a decimal digit, so that
  ``de::ad`` is a word) and IPv4 addresses (four numbers of at most 255 not inside a longer
  dotted number; a version ``1.2.3.4`` looks the same and goes too);
- ``[telefoon]`` and ``[bsn]``: in each run of digits joined by spaces, ``-``, ``.``, ``/``
  and brackets, a Dutch number (``0`` and 9 more digits: ``06-12345678``, ``(0252) 123456``,
  ``06.12.34.56.78``), an international one (``+`` or ``00``, then 9 to 15 digits; for ``31``
  exactly 9 after it, a ``(0)`` or ``0`` aside: ``+31 (0)6 12345678``, ``+44 20 7946 0958``),
  a citizen service number (9 digits, or 3-3-3 or 4-2-3 joined by one kind of separator, that
  pass the 11-test), else a mobile number written without its ``0`` (9 digits starting with
  6). Other 9-digit numbers are left: a file or order number is no person. Never a phone
  number: digits that contain a date (``06-10-2025``, ``2025-10-06``) or a time range
  (``09.00-17.00``), an amount (after ``€`` or ``EUR``, before ``,-``, ``,50`` or ``euro``) or
  a percentage; years, postcodes and amounts have too few digits;
- ``[naam]``: the names of the round's identifier columns (:class:`Names`).

Not recognised: names of people not in the identifier columns (a colleague, a manager), a
description that identifies someone (*de enige vrouwelijke wijkagent*), numbers written in
words, addresses and postcodes, social media handles, and identifiers written in other ways
than these.

Most open answers hold none of this, so each rule first finds the texts that hold what every
one of its matches holds (its ``needle``, a regular expression that Arrow's RE2 runs over all
texts at once) and reads only those in Python: a million answers cost a few Arrow passes, not
a million Python calls per rule.
"""

from __future__ import annotations

import ipaddress
import itertools
import re
from collections.abc import Callable, Iterable
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "BSN",
    "COMMON_WORDS",
    "EMAIL",
    "IBAN",
    "IBAN_LENGTHS",
    "IP",
    "LINK",
    "NAME",
    "PARTICLES",
    "PHONE",
    "Names",
    "redact",
    "redact_text",
]

EMAIL, LINK, IBAN, IP, PHONE, BSN, NAME = (
    "[e-mail]", "[link]", "[iban]", "[ip-adres]", "[telefoon]", "[bsn]", "[naam]",
)  # fmt: skip
#: Any placeholder: their words are never taken for a name.
_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in (EMAIL, LINK, IBAN, IP, PHONE, BSN, NAME)))

# --- e-mail addresses and links ----------------------------------------------------------------

_SPACE = r"[^\S\r\n]"  # white space within a line


def _bracketed(words: str) -> str:
    """A word in brackets (``[at]``, ``(punt)``), spaces around it allowed."""
    return rf"{_SPACE}*[\[({{<]{_SPACE}*(?:{words}){_SPACE}*[\])}}>]{_SPACE}*"


_AT_WORDS, _DOT_WORDS = "at|apenstaartje", "dot|punt"
_DOT = rf"(?:{_SPACE}*\.|{_bracketed(_DOT_WORDS)})"
_WORD_DOT = rf"(?:{_SPACE}+(?:{_DOT_WORDS}){_SPACE}+|{_bracketed(_DOT_WORDS)})"
#: A local part starts where no character of one is before it: the same matches as without
#: the look-behind, but a word is not tried again from each of its letters.
_LOCAL, _LABEL, _TLD = r"(?<![\w.+-])[\w.+-]+", r"[\w-]+", r"[^\W\d_]{2,}(?![\w-])"
_EMAIL = re.compile(
    rf"{_LOCAL}@{_LABEL}(?:\.{_LABEL})+"  # piet@x.nl
    rf"|{_LOCAL}(?:{_SPACE}*@{_SPACE}*|{_bracketed(_AT_WORDS)})"  # piet @ x.nl, piet[at]x.nl
    rf"{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}{_TLD}"
    rf"|{_LOCAL}{_SPACE}+(?:{_AT_WORDS}){_SPACE}+"  # piet at x dot nl
    rf"{_LABEL}(?:{_WORD_DOT}{_LABEL})*{_WORD_DOT}{_TLD}",
    re.IGNORECASE,
)
_LINK = re.compile(r"(?:https?://|www\.)\S+?(?=[.,;:!?'\")\]}>]*(?:\s|$))", re.IGNORECASE)

# --- IBAN ----------------------------------------------------------------------------------------

#: Each country's IBAN length, from SWIFT's IBAN registry.
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28,
    "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28,
    "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22,
    "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23,
    "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24,
    "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}  # fmt: skip
#: Two letters, two check digits, then groups of four (the last shorter), with or without a
#: space between them: more than an IBAN, which :func:`_iban_end` cuts to its length.
_IBAN = re.compile(
    r"(?=[A-Za-z])(?<![0-9A-Za-z])[A-Za-z]{2}[0-9]{2}(?: ?[0-9A-Za-z]{4}){2,7}"
    r"(?: ?[0-9A-Za-z]{1,3})?"
)


def _iban_end(text: str, match: re.Match[str]) -> int | None:
    """Where the IBAN that ``match`` starts ends, or None if it holds none.

    The first as many letters and digits as its country's IBAN has, not followed by another
    letter or digit, with a valid mod-97 check (ISO 7064: the number made of the letters and
    digits, the first four moved to the end and each letter as 10 to 35, is 1 modulo 97).
    """
    length = IBAN_LENGTHS.get(match.group()[:2].upper())
    if length is None:
        return None
    counted, end = 0, None
    for position in range(match.start(), match.end()):
        counted += text[position] != " "
        if counted == length:
            end = position + 1
            break
    if end is None or (end < len(text) and text[end].isalnum()):
        return None
    compact = text[match.start() : end].replace(" ", "").upper()
    number = "".join(str(int(char, 36)) for char in compact[4:] + compact[:4])
    return end if int(number) % 97 == 1 else None


# --- IP addresses --------------------------------------------------------------------------------

_IPV6 = re.compile(
    r"(?=[0-9A-Fa-f:])(?<![0-9A-Za-z])(?:[0-9A-Fa-f]{0,4}:){2,7}"
    r"(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9A-Fa-f]{0,4})(?:%[0-9A-Za-z]+)?"
)
_IPV4 = re.compile(r"(?=[0-9])(?<![0-9.])[0-9]{1,3}(?:\.[0-9]{1,3}){3}(?![0-9]|\.[0-9])")


def _ipv6_end(text: str, match: re.Match[str]) -> int | None:
    """Where the IPv6 address ``match`` holds ends (a colon after it left), or None."""
    found = match.group()
    address = found.partition("%")[0]
    for core in (address, address[:-1] if address.endswith(":") else None):
        if core and any(char.isdigit() for char in core):
            try:
                ipaddress.IPv6Address(core)
            except ValueError:
                continue
            return match.start() + (len(found) if core == address else len(core))
    return None


def _ipv4_end(text: str, match: re.Match[str]) -> int | None:
    """Where the IPv4 address ``match`` is ends, or None if a number is over 255."""
    return match.end() if all(int(n) <= 255 for n in match.group().split(".")) else None


def _substituted(
    text: str, pattern: re.Pattern[str], end_of: Callable[[str, re.Match[str]], int | None],
    placeholder: str,
) -> str:  # fmt: skip
    """``text`` with each match that ``end_of`` accepts, up to where it says, replaced.

    Where ``end_of`` refuses a match, the search goes on from the match's next character, so
    a refused candidate hides no address that starts inside it.
    """
    parts, done, at = [], 0, 0
    while (match := pattern.search(text, at)) is not None:
        end = end_of(text, match)
        if end is None:
            at = match.start() + 1
            continue
        parts += [text[done : match.start()], placeholder]
        done = at = end
    return "".join(parts) + text[done:] if parts else text


# --- phone numbers and citizen service numbers ---------------------------------------------------

_GROUP = r"(?:\(\+?[0-9]{1,5}\)|[0-9]+)"
#: Digits joined by what joins the parts of a number: spaces, ``-``, ``.``, ``/``, brackets.
#: (Each pattern's look-ahead for its first character lets Python skip to where one can
#: start; a look-behind first would be tried at every character.)
_JOINT = r"(?:[ \t]*[-./][ \t]*|[ \t]+|(?<=\))|(?=\())"
_RUN = re.compile(rf"(?=[+(0-9])(?<![0-9])(?:\+[ \t]*)?{_GROUP}(?:{_JOINT}{_GROUP})*")
_GROUPS = re.compile(r"\+|\(\+?[0-9]+\)|[0-9]+")
_MONEY_BEFORE = re.compile(r"(?:€|\beur(?:o)?)[ \t]*$", re.IGNORECASE)
_MONEY_AFTER = re.compile(r"[ \t]*(?:,[0-9-]|%|(?:euro|eur|procent)\b)", re.IGNORECASE)


class _Group(NamedTuple):
    """One group of digits of a run: where it is, its digits and what comes before it."""

    start: int
    end: int
    digits: str
    joint: str  #: the separator before it, without spaces: ``-``, ``.``, ``/`` or empty
    bracketed: bool
    plus: bool  #: starts with ``+``: an international number


def _groups(run: str) -> list[_Group]:
    """The groups of digits of a run, a leading ``+`` counted as the first group's."""
    groups: list[_Group] = []
    plus = None  # where a "+" before the next group is
    for part in _GROUPS.finditer(run):
        text = part.group()
        if text == "+":
            plus = part.start()
            continue
        joint = run[groups[-1].end : part.start()].strip(" \t") if groups else ""
        groups.append(
            _Group(
                part.start() if plus is None else plus, part.end(), text.strip("(+)"), joint,
                text.startswith("("), plus is not None or text.startswith("(+"),
            )
        )  # fmt: skip
        plus = None
    return groups


def _numbers_redacted(match: re.Match[str]) -> str:
    """A run of digits with its phone numbers and citizen service numbers replaced."""
    run, text = match.group(), match.string
    if len(run) < 9:  # too short for 9 digits: a year, a count, an amount
        return run
    groups = _groups(run)
    money_before = _MONEY_BEFORE.search(text, max(0, match.start() - 8), match.start())
    money_after = _MONEY_AFTER.match(text, match.end())
    found: list[tuple[int, int, str]] = []
    first = 0
    while first < len(groups):
        for judge in (_phone_number, _citizen_number, _mobile_without_zero):
            if (taken := judge(groups, first)) is not None:
                last, placeholder = taken
                money = (first == 0 and money_before) or (last == len(groups) - 1 and money_after)
                if not money:
                    break
        else:
            first += 1
            continue
        found.append((groups[first].start, groups[last].end, placeholder))
        first = last + 1
    if not found:
        return run
    parts, done = [], 0
    for start, end, placeholder in found:
        parts += [run[done:start], placeholder]
        done = end
    return "".join(parts) + run[done:]


def _phone_number(groups: list[_Group], first: int) -> tuple[int, str] | None:
    """The last group of the phone number that starts at group ``first``, if one does."""
    group = groups[first]
    if group.plus:
        last = _international(groups, first, group.digits)
    elif group.digits.startswith("00"):
        last = _international(groups, first, group.digits[2:])
    elif group.digits.startswith("0"):
        last, digits = None, 0
        for place in range(first, len(groups)):
            digits += len(groups[place].digits)
            if digits >= 10:
                last = place if digits == 10 else None
                break
    else:
        return None
    if last is None or _date_or_time(groups[first : last + 1]):
        return None
    return last, PHONE


def _international(groups: list[_Group], first: int, start: str) -> int | None:
    """The last group of an international number whose digits after ``+``/``00`` start so.

    A Dutch number (``31``) has exactly 9 digits after its country code, the trunk ``0``
    (``(0)``, or a ``0`` written after ``31``) aside. Another has 9 to 15 digits in all; it
    ends before a group starting with ``0`` once it has 9 (the next number, most likely).
    """
    digits, last = start, None
    for place in range(first, len(groups)):
        group = groups[place]
        if place > first:
            if group.plus:  # the next number
                break
            if group.bracketed and group.digits == "0":  # the trunk 0: +31 (0)6 ...
                continue
            if group.digits.startswith("0") and len(digits) >= 9 and digits[:2] != "31":
                break
            digits += group.digits
        if digits[:2] == "31":
            national = digits[2:].removeprefix("0")
            if len(national) >= 9:
                return place if len(national) == 9 else None
        elif len(digits) > 15:
            break
        elif len(digits) >= 9:
            last = place
    return last


def _citizen_number(groups: list[_Group], first: int) -> tuple[int, str] | None:
    """The last group of the citizen service number (BSN) at group ``first``, if one is.

    Nine digits, or 3-3-3 or 4-2-3 joined by one kind of separator, not part of a longer
    number joined the same way, that pass the 11-test (elfproef): 9 times the first digit, 8
    times the second, ... 2 times the eighth, minus the ninth, is a multiple of 11.
    """
    sizes = tuple(len(group.digits) for group in groups[first : first + 3])
    if sizes[:1] == (9,):
        last = first
    elif sizes in ((3, 3, 3), (4, 2, 3)) and groups[first + 1].joint == groups[first + 2].joint:
        last = first + 2
    else:
        return None
    taken = groups[first : last + 1]
    joint = taken[-1].joint if len(taken) > 1 else "."
    attached = (first > 0 and groups[first].joint == joint) or (
        last + 1 < len(groups) and groups[last + 1].joint == joint
    )
    if any(group.bracketed or group.plus for group in taken) or (attached and joint):
        return None
    digits = "".join(group.digits for group in taken)
    weighted = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=False))
    if int(digits) == 0 or (weighted - int(digits[8])) % 11:
        return None
    return last, BSN


def _mobile_without_zero(groups: list[_Group], first: int) -> tuple[int, str] | None:
    """The last group of a Dutch mobile number without its 0 (``612345678``, ``6 1234 5678``)."""
    group = groups[first]
    if group.bracketed or group.plus or not group.digits.startswith("6"):
        return None
    if len(group.digits) == 9:
        return first, PHONE
    if group.digits != "6":
        return None
    digits = 1
    for place in range(first + 1, len(groups)):
        digits += len(groups[place].digits)
        if digits >= 9:
            whole = digits == 9 and not _date_or_time(groups[first : place + 1])
            return (place, PHONE) if whole else None
    return None


def _date_or_time(groups: list[_Group]) -> bool:
    """Whether these groups hold a date (``06-10-2025``, ``2025-10-06``) or hours (``9.00-17.00``).

    A date's parts are joined by one kind of ``-``, ``.`` or ``/``, with a year from 1900 to
    2099; hours are two times joined by another separator than their own ``.``.
    """
    for place in range(len(groups) - 2):
        a, b, c = groups[place : place + 3]
        if b.joint != c.joint or b.joint not in ("-", ".", "/") or b.bracketed or c.bracketed:
            continue
        if _is_date(c.digits, b.digits, a.digits) or _is_date(a.digits, b.digits, c.digits):
            return True
    for place in range(len(groups) - 3):
        hour, minute, hour2, minute2 = groups[place : place + 4]
        if (
            minute.joint == minute2.joint
            and minute.joint in (".", ":")
            and hour2.joint != minute.joint
            and all(len(m.digits) == 2 and int(m.digits) < 60 for m in (minute, minute2))
            and all(len(h.digits) <= 2 and int(h.digits) <= 24 for h in (hour, hour2))
        ):
            return True
    return False


def _is_date(year: str, month: str, day: str) -> bool:
    return (
        len(year) == 4 and year[:2] in ("19", "20") and len(month) <= 2 and len(day) <= 2
        and 1 <= int(month) <= 12 and 1 <= int(day) <= 31
    )  # fmt: skip


# --- names ---------------------------------------------------------------------------------------

#: Tussenvoegsels, titles, and what a name column holds for no name (``anoniem``): never a
#: name by themselves, but part of one where the stored name has them beside its other words
#: (``van der Meer``).
PARTICLES = frozenset((
    "van", "de", "der", "den", "ten", "ter", "te", "het", "op", "in", "aan", "bij", "uit", "voor",
    "over", "onder", "tot", "la", "le", "les", "du", "des", "di", "da", "dal", "del", "della",
    "dello", "dos", "das", "do", "el", "al", "von", "vom", "zu", "zum", "zur", "am", "im", "af",
    "av", "bin", "ibn", "bint", "abu", "st", "sint", "saint", "y", "e", "und", "en", "and", "of",
    "the",
    "dhr", "mevr", "mw", "mr", "mrs", "ms", "miss", "dr", "drs", "ir", "ing", "prof", "bc", "bsc",
    "msc", "ma", "mba", "phd", "jr", "sr", "heer", "mevrouw", "meneer", "juffrouw", "sir",
    "naam", "voornaam", "achternaam", "anoniem", "onbekend", "test", "nvt", "geen", "none",
    "null", "nan",
))  # fmt: skip
#: Everyday words (Dutch and English) that are also names or name parts (*Bos*, *de Wit*,
#: *Van der Meer*, *Ben*, *Wil*): such a name part is taken for a name by itself only where it
#: is written with a capital and is not the first word of a sentence; else only beside a part
#: of the same name that is (``jan van der meer``). A short list, of words an open answer
#: may well hold: a name part that is missing from it is found in lower case too.
COMMON_WORDS = frozenset((
    # Dutch words that are surnames or parts of them
    "meer", "groot", "klein", "jong", "oud", "oude", "lang", "lange", "kort", "sterk", "snel",
    "wit", "zwart", "groen", "rood", "bruin", "blauw", "goed", "goede", "vrij", "rijk", "baas",
    "boer", "bakker", "bos", "bosch", "berg", "dijk", "hoek", "veld", "wijk", "weg", "wal",
    "brug", "dam", "plas", "steen", "straat", "kerk", "markt", "school", "huis", "land", "stad",
    "dorp", "water", "haven", "vaart", "bron", "raad", "pool", "post", "brand", "hart", "hoop",
    "koning", "winter", "zomer",
    # Dutch words that are first names
    "ben", "wil", "max", "job", "lot", "roos",
    # English words that are names
    "will", "may", "mark", "rose", "hope", "grace", "joy", "young", "long", "white", "black",
    "brown", "green", "king", "cook", "hill", "wood", "hall", "bell", "price", "page", "lane",
    "rich", "love", "day", "little", "short", "best",
))  # fmt: skip
#: A word: a run of letters (in a name and in an answer alike).
_WORD = re.compile(r"[^\W\d_]+")
#: What may stand between two words of one name: spaces, a comma, a full stop, a hyphen or an
#: apostrophe (``Jansen, Piet``, ``P. Jansen``, ``Jansen-Bos``, ``d'Ancona``), on one line.
_NAME_GAP = re.compile(rf"{_SPACE}*[,.\-'’]?{_SPACE}*")
_SPACES = re.compile(rf"{_SPACE}+")
_SENTENCE_END = frozenset(".!?:;\n\r•*")
_PARTICLE, _INITIAL, _WEAK, _STRONG = range(4)


class Names(NamedTuple):
    """The names of a round's identifier columns, ready to be found in open answers.

    A name's words are its runs of letters, lower-cased. In an answer, as whole words:

    - a word of 3 or more letters that is no tussenvoegsel or title (:data:`PARTICLES`) nor a
      common word (:data:`COMMON_WORDS`) is a name in any case: ``Jansen``, ``jansen``;
    - a common word, or a word of 2 letters, only where it is written with a capital (not in
      capitals) and is not the first word of a sentence: ``met Bos gesproken``, not ``het
      bos`` nor ``Bos en natuur.``;
    - beside a name found so, the words of the same name next to it are part of it, in any
      case, in the order the tool stored them or turned round, each pair separated by a
      space, comma, full stop, hyphen or apostrophe on one line (``Piet Jansen``, ``jansen,
      piet``, ``piet van der meer``, ``Van der Meer, Piet``, ``P. Jansen``): the whole is one
      ``[naam]``, as are names separated by spaces only.

    So a name written only in words that are common or short (``bo li``, ``roos de wit``)
    is not found, nor an initial or a tussenvoegsel by itself.
    """

    kinds: dict[str, int]  #: each word's kind: a particle, an initial, weak or strong
    numbers: dict[str, int]  #: each word's number, for :attr:`pairs`
    #: neighbours in a name, each pair as ``first * len(numbers) + second``, sorted: each word
    #: before the next, the last before the first (``Jansen, Piet`` is ``piet jansen`` too),
    #: and each with the first one's initial (``p jansen``, ``j p`` of ``J.P. Balkenende``)
    pairs: np.ndarray

    @classmethod
    def of(cls, names: Iterable[str]) -> Names:
        """The words and neighbours of ``names`` (the identifier columns' full names).

        The names' words are found by Arrow (a million names are a few seconds' work), the
        letters between other characters as :data:`_WORD` finds them in the answers, and each
        distinct word is lower-cased by Python, as the answers' words are.
        """
        text = pa.array(list(names), pa.large_string())  # the same name twice is no matter
        split = pc.split_pattern_regex(text, r"\PL+")
        flat = pc.list_flatten(split)
        said = pc.greater(pc.binary_length(flat), 0)
        owner = pc.list_parent_indices(split).to_numpy()[said.to_numpy(zero_copy_only=False)]
        coded = pc.dictionary_encode(flat.filter(said))
        numbers: dict[str, int] = {}
        lowered = [
            numbers.setdefault(w.lower(), len(numbers)) for w in coded.dictionary.to_pylist()
        ]
        word = np.array(lowered, dtype=np.int64)[coded.indices.to_numpy()]  # each name's words
        initial = np.array([numbers.setdefault(w[0], len(numbers)) for w in list(numbers)])
        kinds = {w: _kind(w) for w in numbers}
        if not len(owner):
            return cls(kinds, numbers, np.empty(0, dtype=np.int64))
        # each word with the next of its name, and a name's last with its first
        starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
        ends = np.r_[starts[1:], len(owner)] - 1
        inside = np.flatnonzero(owner[:-1] == owner[1:])
        several = starts != ends
        first, second = word[np.r_[inside, ends[several]]], word[np.r_[inside + 1, starts[several]]]
        size = len(numbers)
        pairs = np.unique(
            np.concatenate(
                [
                    first * size + second,
                    initial[first] * size + second,
                    initial[first] * size + initial[second],
                ]
            ).astype(np.int64)
        )
        return cls(kinds, numbers, pairs)

    def paired(self, first: str, second: str) -> bool:
        """Whether two lower-cased words are neighbours in a name (:attr:`pairs`)."""
        key = self.numbers[first] * len(self.numbers) + self.numbers[second]
        place = int(np.searchsorted(self.pairs, key))
        return place < len(self.pairs) and int(self.pairs[place]) == key

    def redacted(self, text: str) -> str:
        """``text`` with the names found in it replaced by ``[naam]``."""
        words = list(_WORD.finditer(text))
        kinds = [self.kinds.get(word.group().lower()) for word in words]
        if not any(kind in (_STRONG, _WEAK) for kind in kinds):
            return text
        if "[" in text:  # the words of placeholders are none
            hidden = [(m.start(), m.end()) for m in _PLACEHOLDER.finditer(text)]
            shown = [
                place
                for place, word in enumerate(words)
                if not any(start <= word.start() < end for start, end in hidden)
            ]
            words, kinds = [words[p] for p in shown], [kinds[p] for p in shown]
        seeds = [
            kind == _STRONG
            or (kind == _WEAK and _capitalised(word.group()) and not _starts(text, word.start()))
            for word, kind in zip(words, kinds, strict=True)
        ]
        if not any(seeds):
            return text
        linked = [
            kinds[place] is not None
            and kinds[place + 1] is not None
            and _NAME_GAP.fullmatch(text, a.end(), b.start()) is not None
            and self.paired(a.group().lower(), b.group().lower())
            for place, (a, b) in enumerate(itertools.pairwise(words))
        ]
        spans: list[tuple[int, int]] = []
        place = 0
        while place < len(words):
            last = place
            while last < len(linked) and linked[last]:
                last += 1
            if any(seeds[place : last + 1]):
                start, end = words[place].start(), words[last].end()
                if spans and _SPACES.fullmatch(text, spans[-1][1], start):  # one [naam]
                    start = spans.pop()[0]
                spans.append((start, end))
            place = last + 1
        parts, done = [], 0
        for start, end in spans:
            parts += [text[done:start], NAME]
            done = end
        return "".join(parts) + text[done:]

    def may_start(self, piece: str) -> bool:
        """Whether a piece of text holds a word that can start a name.

        A strong word, or a weak one with a capital: where it stands in its sentence is left
        to :meth:`redacted`, so this holds for every text in which that finds a name.
        """
        for word in _WORD.findall(piece):
            kind = self.kinds.get(word.lower())
            if kind == _STRONG or (kind == _WEAK and word[0].isupper()):
                return True
        return False


def _kind(word: str) -> int:
    if word in PARTICLES:
        return _PARTICLE
    if len(word) == 1:
        return _INITIAL
    return _WEAK if len(word) == 2 or word in COMMON_WORDS else _STRONG


def _capitalised(word: str) -> bool:
    """A capital first letter, and not all capitals (``Bos``, not ``bos`` nor ``BOS``)."""
    return word[0].isupper() and not word.isupper()


def _starts(text: str, start: int) -> bool:
    """Whether the word at ``start`` is the first of a sentence (or of the text, or a line)."""
    before = text[:start].rstrip(" \t\"'“”‘’«»([")
    return not before or before[-1] in _SENTENCE_END


# --- the rules, and applying them -----------------------------------------------------------------


class _Rule(NamedTuple):
    """One kind of identifier: what every text it changes holds, and how it is replaced.

    ``needle`` is an RE2 expression (Arrow's) that matches every text that ``apply`` can
    change. It is read in the texts as they came, before the rules ahead of it changed them:
    those put in placeholders, which start and end with a bracket that no needle's match can
    hold and hold no digit or colon, so a needle's match in a changed text was one in the text
    as it came.
    """

    needle: str
    apply: Callable[[str], str]


_RULES = (
    _Rule(r"@|(?i:\b(?:at|apenstaartje)\b)", lambda text: _EMAIL.sub(EMAIL, text)),
    _Rule(r"(?i:https?://|www\.)", lambda text: _LINK.sub(LINK, text)),
    _Rule(
        r"[A-Za-z]{2}[0-9]{2} ?[0-9A-Za-z]{4} ?[0-9A-Za-z]{4}",
        lambda text: _substituted(text, _IBAN, _iban_end, IBAN),
    ),
    _Rule(
        r"[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:|[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}",
        lambda text: _substituted(_substituted(text, _IPV6, _ipv6_end, IP), _IPV4, _ipv4_end, IP),
    ),
    # at least 9 digits (a Dutch number has 10, an international one 9 or more after its +,
    # a citizen number 9), joined by what joins the groups of a run
    _Rule(r"[0-9](?:[ \t().\-/+]*[0-9]){8}", lambda text: _RUN.sub(_numbers_redacted, text)),
)
#: Texts at a time whose words :func:`_holding_names` looks up.
_BLOCK = 2**17


def redact_text(text: str, names: Names | None = None) -> str:
    """One text with every rule applied, needles unread: what :func:`redact` gives for it."""
    for rule in _RULES:
        text = rule.apply(text)
    return names.redacted(text) if names is not None else text


def redact(texts: pd.Series, names: Iterable[str] | Names = ()) -> pd.Series:
    """Open answers with their identifiers replaced by placeholders (the module's rules).

    E-mail addresses, links, IBANs, IP addresses, phone numbers, citizen service numbers and
    the ``names`` of the round's identifier columns.

    Parameters
    ----------
    texts
        Open answers, of any pandas text type (missing values stay missing).
    names
        The full names in the round's identifier columns (``"Piet Jansen"``, ``"Jansen,
        Piet"``), or :class:`Names` made of them.

    Returns
    -------
    pandas.Series
        The same index and type; each text as :func:`redact_text` makes it. A rule reads, in
        Python, only the texts that hold its needle (found by Arrow over all texts at once,
        before any rule changed them: see :class:`_Rule`), and the names only the texts that
        hold a word of one or that a rule changed (a placeholder can end a word: ``Li[link]``).
        Most answers hold no identifier, and a million of them would otherwise cost a million
        Python calls per rule.
    """
    if texts.empty:
        return texts
    known = names if isinstance(names, Names) else Names.of(names)
    arrow = pa.array(texts, type=pa.large_string(), from_pandas=True)
    if isinstance(arrow, pa.ChunkedArray):
        arrow = arrow.combine_chunks()
    changed: dict[int, str] = {}  # row: its text, where a rule changed it
    candidates = _matching(arrow, "|".join(f"(?:{rule.needle})" for rule in _RULES))
    if len(candidates):
        held = arrow.take(pa.array(candidates))
        current = held.to_pylist()
        touched: set[int] = set()
        for rule in _RULES:
            for place in _matching(held, rule.needle).tolist():
                text = rule.apply(current[place])
                if text != current[place]:
                    current[place] = text
                    touched.add(place)
        changed = {int(candidates[place]): current[place] for place in touched}
    if known.kinds:
        for row in {*_holding_names(arrow, known).tolist(), *changed}:
            text = changed.get(row, arrow[row].as_py())
            if (named := known.redacted(text)) != text:
                changed[row] = named
    if not changed:
        return texts
    redacted = texts.copy()
    rows = sorted(changed)
    redacted.iloc[rows] = [changed[row] for row in rows]
    return redacted


def _matching(texts: pa.Array, needle: str) -> np.ndarray:
    """The places of the texts that ``needle`` (RE2) matches."""
    found = pc.fill_null(pc.match_substring_regex(texts, needle), False)
    return np.flatnonzero(found.to_numpy(zero_copy_only=False))


def _holding_names(texts: pa.Array, names: Names) -> np.ndarray:
    """The places of the texts with a word that can start a name (:meth:`Names.may_start`).

    Arrow splits the texts at white space, which no word holds, and numbers the pieces; each
    distinct piece is judged once, in Python, by the same words the redaction reads. A block
    of texts at a time: a million answers' 13 million pieces at once took 300 MB of Arrow's.
    """
    judged: dict[str, bool] = {}
    found = [np.array([], dtype=np.int64)]
    for start in range(0, len(texts), _BLOCK):
        pieces = pc.utf8_split_whitespace(texts.slice(start, _BLOCK))
        coded = pc.dictionary_encode(pc.list_flatten(pieces))
        verdicts = []
        for piece in coded.dictionary.to_pylist():
            if (verdict := judged.get(piece)) is None:
                verdict = judged[piece] = names.may_start(piece)
            verdicts.append(verdict)
        hit = np.array(verdicts, dtype=bool)[coded.indices.to_numpy()]
        owner = pc.list_parent_indices(pieces).to_numpy()
        found.append(np.unique(owner[hit]) + start)
    return np.concatenate(found)
