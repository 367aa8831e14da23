"""Formatting helpers: escaping, numbers in the report's language, HTML tables, line wrapping.

Nothing here knows a word of Dutch or English; words come from :mod:`pipeline.report.text`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

import pandas as pd

__all__ = [
    "capitalised",
    "esc",
    "esc_fig",
    "fmt",
    "fmt_int",
    "fmt_p",
    "fmt_pct",
    "fmt_signed",
    "html_table",
    "is_missing",
    "join_words",
    "wrap",
    "wrap_lines",
]

#: The dash shown for a missing number.
MISSING = "–"


def esc(value: object) -> str:
    """HTML-escape any value for page text or attributes."""
    return html.escape(str(value), quote=True)


def esc_fig(value: object) -> str:
    """Escape a data string for Plotly, which renders a subset of HTML and decodes entities."""
    return html.escape(str(value), quote=False)


def is_missing(value: object) -> bool:
    """True for None, NaN and pandas' NA."""
    if isinstance(value, str):  # the common cases first: pd.isna costs a microsecond a call
        return False
    if isinstance(value, float):  # numpy's float64 too
        return bool(value != value)
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _decimal(text: str, language: str) -> str:
    return text.replace(".", ",") if language == "nl" else text


def fmt(value: object, language: str, decimals: int = 1) -> str:
    """A number with ``decimals`` decimals (decimal comma in Dutch; a dash if missing)."""
    if is_missing(value):
        return MISSING
    number = float(value)
    text = f"{number:.{decimals}f}"
    if text.startswith("-") and float(text) == 0:  # -0.0 reads as a loss that is not there
        text = text[1:]
    return _decimal(text.replace("-", "−"), language)


def fmt_signed(value: object, language: str, decimals: int = 1) -> str:
    """A number with its sign (+0,3 / −0,2 / 0,0)."""
    text = fmt(value, language, decimals)
    if text != MISSING and not text.startswith("−") and float(value) != 0 and text.strip("0,."):
        return "+" + text
    return text


def fmt_int(value: object, language: str) -> str:
    """A whole number with a thousands separator (a dot in Dutch, a comma in English)."""
    if is_missing(value):
        return MISSING
    text = f"{int(value):,}"
    return text.replace(",", ".") if language == "nl" else text


def fmt_pct(value: object, language: str) -> str:
    """A percentage rounded to a whole number, with the % sign."""
    if is_missing(value):
        return MISSING
    return f"{float(value):.0f}%"


def fmt_p(value: object, language: str) -> str:
    """A p-value: three decimals, or ``< 0,001``."""
    if is_missing(value):
        return MISSING
    if float(value) < 0.001:
        return "< " + _decimal("0.001", language)
    return fmt(value, language, 3)


def join_words(words: Sequence[str], conjunction: str) -> str:
    """Join words as 'a', 'a en b', 'a, b en c'."""
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def capitalised(text: str) -> str:
    """The text with its first letter upper case (the rest untouched)."""
    return text[:1].upper() + text[1:]


def html_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    numeric: Sequence[bool] | None = None,
    caption: str | None = None,
    total: Sequence[str] | None = None,
    row_classes: Sequence[str] | None = None,
) -> str:
    """A plain HTML table; ``headers``, ``rows``, ``caption`` and ``total`` hold escaped HTML."""
    numeric = list(numeric) if numeric is not None else [False] * len(headers)

    def cells(values: Sequence[str], tag: str) -> str:
        parts = []
        for value, is_num in zip(values, numeric, strict=True):
            klass = ' class="num"' if is_num else ""
            scope = ' scope="col"' if tag == "th" else ""
            parts.append(f"<{tag}{klass}{scope}>{value}</{tag}>")
        return "".join(parts)

    lines = ['<div class="table-wrap"><table>']
    if caption:
        lines.append(f"<caption>{caption}</caption>")
    lines.append(f"<thead><tr>{cells(headers, 'th')}</tr></thead>")
    lines.append("<tbody>")
    for index, row in enumerate(rows):
        klass = row_classes[index] if row_classes is not None else ""
        attribute = f' class="{klass}"' if klass else ""
        lines.append(f"<tr{attribute}>{cells(row, 'td')}</tr>")
    if total is not None:
        lines.append(f'<tr class="total">{cells(total, "td")}</tr>')
    lines.append("</tbody></table></div>")
    return "\n".join(lines)


def wrap_lines(text: str, width: int) -> list[str]:
    """Split text into lines of at most about ``width`` characters, at spaces.

    A word much longer than ``width`` is broken with a hyphen.
    """
    words: list[str] = []
    for word in str(text).split():
        while len(word) > width + 3:
            words.append(word[: width - 1] + "-")
            word = word[width - 1 :]
        words.append(word)
    lines: list[str] = []
    current = ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return lines


def wrap(text: str, width: int) -> str:
    """Text wrapped at ``width`` and escaped for Plotly, lines joined with ``<br>``."""
    return "<br>".join(esc_fig(line) for line in wrap_lines(str(text), width))


_PARENTHESES = re.compile(r"\s*\([^()]*\)")


def without_parentheses(text: str) -> str:
    """The text without parenthesised asides: 'Geld (budget) tussen' -> 'Geld tussen'."""
    return _PARENTHESES.sub("", str(text)).strip()
