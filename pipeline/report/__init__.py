"""Report: the processed tables of a round as self-contained, offline HTML pages.

``reports/<round>/index.html`` is the steering report (:func:`round_report_html`), and
``reports/<round>/party-<id>.html`` the report of each party (:func:`party_report_html`).
The report computes no statistic: it sorts, filters, labels and formats the tables of
:mod:`pipeline.compare` and :mod:`pipeline.score` (DESIGN section 3).

Modules: :mod:`~pipeline.report.data` (what a report is given), :mod:`~pipeline.report.text`
(every word, Dutch and English), :mod:`~pipeline.report.figures` (the Plotly figures),
:mod:`~pipeline.report.sections` (pieces both reports use), :mod:`~pipeline.report.steering`
and :mod:`~pipeline.report.party` (the two kinds of page), :mod:`~pipeline.report.page`
(the HTML around them).

Decisions taken here, beyond DESIGN:

- plotly.js is embedded once per file, in the ``<head>``; every figure is a ``<div>`` with a
  fixed id and figure numbers are rounded to four decimals, so the same data gives the same
  bytes, and a page holds aggregates only (its size does not grow with the respondents);
- every section's heading states its finding, built from the tables; a small line above it
  names the section, and the contents list those names;
- every string from the data is escaped, in the page and in figures (Plotly renders a subset
  of HTML in titles, ticks and hover labels);
- the band thresholds are read from the manifest settings ``bands_shines`` and
  ``bands_chafes`` (defaults 4.0 and 3.0); the bands themselves come from the tables;
- a hidden cell shows ``n < min_group_size``, or 'hidden' where a level is hidden with the
  others of its party (its own n is large enough); neither shows its exact n;
- the response rate is kept / invited, where ``partnership.toml`` gives ``invited``.
"""

from __future__ import annotations

from pipeline.report.data import (
    PARTNERSHIP,
    REPORT_TABLES,
    Context,
    RoundReportData,
    history_rows,
    report_labels,
)
from pipeline.report.page import Page
from pipeline.report.party import party_page
from pipeline.report.steering import steering_page

__all__ = [
    "PARTNERSHIP",
    "REPORT_TABLES",
    "STEERING_PAGE",
    "Context",
    "Page",
    "RoundReportData",
    "history_rows",
    "page_file",
    "party_report_html",
    "report_labels",
    "report_page",
    "round_report_html",
]


#: The file of a round's steering report; each party's is :func:`page_file` of its id.
STEERING_PAGE = "index.html"


def round_report_html(data: RoundReportData) -> str:
    """The steering report of one round as one self-contained HTML page.

    Raises
    ------
    ValueError
        When ``data.language`` is not ``nl`` or ``en``.
    """
    return report_page(Context(data), None).html()


def party_report_html(data: RoundReportData, party: str) -> str:
    """The report of one party (an id of ``data.parties``) as one self-contained HTML page.

    Raises
    ------
    ValueError
        When the language is not supported or the party is not one of ``data.parties``.
    """
    return report_page(Context(data), party).html()


def page_file(party: str | None) -> str:
    """The file name of a round's page: the steering report's (``None``) or a party's."""
    return STEERING_PAGE if party is None else f"party-{party}.html"


def report_page(context: Context, party: str | None) -> Page:
    """The steering report (``party`` None) or a party's, from the round's shared ``context``.

    One :class:`~pipeline.report.data.Context` can serve every page of a round, so what the
    pages share (labels, sorted tables, the statements' agreement) is worked out once.
    """
    return steering_page(context) if party is None else party_page(context, party)
