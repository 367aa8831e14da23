"""Steering report: one self-contained, offline HTML page per round.

The report only presents tables that earlier stages computed (DESIGN section 5); it sorts,
filters and formats them but computes no statistic. Decisions taken here:

- plotly.js is embedded once, in the ``<head>``; every figure is a ``<div>`` with a fixed id, so
  the same data gives a byte-identical page and the page needs no network at all;
- all of the report's own words come from :data:`_TEXT` (Dutch and English); numbers in the
  Dutch report use a decimal comma;
- every string from the data is HTML-escaped, in tables and in figures alike (Plotly renders a
  subset of HTML in titles, ticks and hover labels, and decodes the entities again);
- the band thresholds in the legend are read from the manifest settings ``bands_shines`` and
  ``bands_chafes`` when present, else the defaults 4.0 and 3.0; the bands themselves come from
  the tables;
- a suppressed cell shows ``n < min_group_size``; a cell hidden by secondary suppression (its own
  ``n`` is large enough) says that it is hidden, and neither shows its exact ``n``;
- the data-quality section lists counts per check and action, and at most
  :data:`_MAX_LOG_ROWS` individual quality-log events (the full log is in ``quality_log.csv``).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import plotly.offline

__all__ = ["RoundReportData", "round_report_html"]

#: Okabe-Ito colours per band (colour-blind safe); grey for a dimension without a band.
_BAND_COLOURS = {"shines": "#0072B2", "attention": "#E69F00", "chafes": "#D55E00"}
_NO_BAND_COLOUR = "#999999"
#: Text colour on top of each band colour, chosen for contrast.
_BAND_TEXT_COLOURS = {"shines": "#ffffff", "attention": "#000000", "chafes": "#000000"}
_BANDS = ("shines", "attention", "chafes")

#: Diverging orange-white-blue scale (ColorBrewer PuOr end colours), centred on 3 of 1-5.
_HEATMAP_COLOURSCALE = [
    [0.0, "#b35806"],
    [0.25, "#f1a340"],
    [0.5, "#f7f7f7"],
    [0.75, "#67a9cf"],
    [1.0, "#2166ac"],
]
_SUPPRESSED_COLOUR = "#d9d9d9"

_ALPHA_FLAG = 0.70
_SCALE_MIN = 1.0
_SCALE_MAX = 5.0
_DEFAULT_SHINES = 4.0
_DEFAULT_ATTENTION = 3.0
_MAX_LOG_ROWS = 100
#: Layout guides: characters per title line, per party name line, and the figure width.
_TITLE_WIDTH = 105
_PARTY_WIDTH = 24
_PAGE_PX = 1060

_FONT_STACK = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, '
    '"Liberation Sans", sans-serif'
)

_PLOTLY_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "showSendToCloud": False,
    "typesetMath": False,
}

_TEXT: dict[str, dict[str, str]] = {
    "nl": {
        "report_kind": "Rapportage voor de stuurgroep",
        "round": "ronde {round}",
        "sec_overview": "In het kort",
        "lead_hi_lo": (
            "De samenwerking scoort het hoogst op {hi} ({hi_v}) en het laagst op {lo} ({lo_v})."
        ),
        "lead_one": "De samenwerking scoort {v} op {dim}.",
        "lead_none": "Voor deze ronde zijn geen scores van de samenwerking beschikbaar.",
        "lead_chafes": "Schuurt (onder {t}): {dims}.",
        "lead_no_chafes": "Geen enkele dimensie schuurt (alle scores {t} of hoger).",
        "lead_party_low": "Het laagste partijgemiddelde is {v}: {party} op {dim}.",
        "lead_base": "Gebaseerd op {kept} ingevulde vragenlijsten van {parties} partijen.",
        "and": "en",
        "sec_partnership": "Scores van de samenwerking per dimensie",
        "fig_partnership_title": "Hoogst op {hi} ({hi_v}), laagst op {lo} ({lo_v})",
        "fig_partnership_one": "{dim}: {v}",
        "fig_none": "Geen scores om te tonen",
        "band_shines": "glanst (≥ {hi})",
        "band_attention": "aandacht ({lo}–{hi_minus})",
        "band_chafes": "schuurt (< {lo})",
        "band_none": "geen score",
        "band_word_shines": "glanst",
        "band_word_attention": "aandacht",
        "band_word_chafes": "schuurt",
        "marker_respondent": "gemiddelde over alle respondenten",
        "axis_score": "Gemiddelde score (1 = helemaal mee oneens, 5 = helemaal mee eens)",
        "hover_equal": "Partijen tellen even zwaar",
        "hover_respondent": "Alle respondenten",
        "hover_n": "n",
        "hover_parties": "partijen",
        "note_partnership": (
            "Balk: gemiddelde van de partijgemiddelden, elke partij telt even zwaar. "
            "Ruit: gemiddelde over alle respondenten. "
            "Kleur (grenzen als stippellijn): glanst bij {hi} of hoger, aandacht van {lo} "
            "tot en met {hi_minus}, schuurt onder {lo}. "
            "n = {n} respondenten per dimensie, {parties} partijen."
        ),
        "table_caption_partnership": "Tabel bij deze figuur",
        "col_dimension": "Dimensie",
        "col_equal": "Partijen even zwaar",
        "col_respondent": "Alle respondenten",
        "col_band": "Band",
        "col_n": "n",
        "col_parties": "Partijen",
        "sec_parties": "Verschillen tussen partijen",
        "fig_heat_title": "Laagst: {party} op {dim} ({v}); hoogst: {party2} op {dim2} ({v2})",
        "hover_party": "Partij",
        "hover_dimension": "Dimensie",
        "hover_mean": "Gemiddelde",
        "hover_interval": "Betrouwbaarheidsinterval",
        "suppressed_cell": "n < {k}",
        "hidden_cell": "afgeschermd",
        "hover_suppressed": "niet getoond: minder dan {k} respondenten",
        "hover_hidden": "niet getoond: anders is een kleine groep te herleiden",
        "hover_missing": "geen gegevens",
        "colorbar": "Gemiddelde",
        "note_heat": (
            "Getal in een cel: het gemiddelde van die partij op die dimensie (1–5); "
            "oranje is laag, blauw is hoog, wit is 3. Grijs: niet getoond, omdat minder dan "
            "{k} respondenten antwoordden, of omdat anders zo'n kleine groep te herleiden is. "
            "Respondenten per partij: {counts}."
        ),
        "table_caption_heat": "Tabel bij deze figuur",
        "sec_quality": "Datakwaliteit",
        "h_response": "Respons per partij",
        "col_party": "Partij",
        "col_received": "Ontvangen",
        "col_kept": "Behouden",
        "col_excluded": "Uitgesloten",
        "total": "Totaal",
        "h_log": "Meldingen in het kwaliteitslogboek",
        "col_check": "Controle",
        "col_action": "Actie",
        "col_count": "Aantal",
        "log_empty": "Geen meldingen: alle ontvangen antwoorden zijn ongewijzigd gebruikt.",
        "log_details_all": "Alle {n} meldingen bekijken",
        "log_details_capped": "De eerste {k} van {n} meldingen bekijken",
        "log_full": "Het volledige logboek staat in quality_log.csv bij de verwerkte tabellen.",
        "col_file": "Bestand",
        "col_row": "Rij",
        "col_detail": "Toelichting",
        "check_empty_response": "Lege vragenlijst",
        "check_duplicate": "Dubbele inzending",
        "check_identifiers_removed": "Identificerende gegevens verwijderd",
        "check_same_identifier": "Zelfde persoon later opnieuw ingevuld",
        "check_no_party": "Geen organisatie opgegeven",
        "check_too_few_items": "Te weinig vragen beantwoord",
        "action_excluded": "uitgesloten",
        "action_changed": "aangepast",
        "action_flagged": "gemarkeerd",
        "h_reliability": "Betrouwbaarheid van de schalen",
        "col_items": "Vragen",
        "col_complete": "Volledig ingevuld",
        "col_alpha": "Cronbachs alfa",
        "col_flag": "Opmerking",
        "alpha_low": "lager dan {t}",
        "alpha_na": "niet te berekenen",
        "note_reliability": (
            "Cronbachs alfa geeft aan hoe samenhangend de vragen van een dimensie zijn, berekend "
            "over de respondenten die alle vragen van die dimensie beantwoordden. Onder {t} is "
            "de dimensiescore minder betrouwbaar; lees die dan met voorzichtigheid."
        ),
        "sec_method": "Hoe dit rapport is gemaakt",
        "method_text": (
            "De score van de samenwerking is het gemiddelde van de partijgemiddelden: elke partij "
            "telt even zwaar. Een groep met minder dan {k} respondenten wordt niet getoond. "
            "Alle uitsluitingen en wijzigingen staan onder Datakwaliteit. Dit rapport bevat "
            "alleen samengevatte cijfers en werkt zonder internetverbinding."
        ),
        "generated_at": "Gemaakt op",
        "h_inputs": "Invoerbestanden",
        "col_rows": "Rijen",
        "col_sha": "SHA-256",
        "h_instrument": "Vragenlijst",
        "col_version": "Versie",
        "h_settings": "Instellingen",
        "col_setting": "Instelling",
        "col_value": "Waarde",
        "h_software": "Software",
        "col_package": "Pakket",
        "none": "geen",
        "missing": "–",
    },
    "en": {
        "report_kind": "Steering group report",
        "round": "round {round}",
        "sec_overview": "At a glance",
        "lead_hi_lo": (
            "The collaboration scores highest on {hi} ({hi_v}) and lowest on {lo} ({lo_v})."
        ),
        "lead_one": "The collaboration scores {v} on {dim}.",
        "lead_none": "No partnership scores are available for this round.",
        "lead_chafes": "Chafing (below {t}): {dims}.",
        "lead_no_chafes": "No dimension chafes (all scores {t} or higher).",
        "lead_party_low": "The lowest party mean is {v}: {party} on {dim}.",
        "lead_base": "Based on {kept} completed questionnaires from {parties} parties.",
        "and": "and",
        "sec_partnership": "Partnership scores per dimension",
        "fig_partnership_title": "Highest on {hi} ({hi_v}), lowest on {lo} ({lo_v})",
        "fig_partnership_one": "{dim}: {v}",
        "fig_none": "No scores to show",
        "band_shines": "shines (≥ {hi})",
        "band_attention": "needs attention ({lo}–{hi_minus})",
        "band_chafes": "chafes (< {lo})",
        "band_none": "no score",
        "band_word_shines": "shines",
        "band_word_attention": "needs attention",
        "band_word_chafes": "chafes",
        "marker_respondent": "mean over all respondents",
        "axis_score": "Mean score (1 = strongly disagree, 5 = strongly agree)",
        "hover_equal": "Parties weigh equally",
        "hover_respondent": "All respondents",
        "hover_n": "n",
        "hover_parties": "parties",
        "note_partnership": (
            "Bar: mean of the party means, every party weighs equally. "
            "Diamond: mean over all respondents. "
            "Colour (boundaries dotted): shines at {hi} or higher, needs attention from {lo} "
            "to {hi_minus}, chafes below {lo}. "
            "n = {n} respondents per dimension, {parties} parties."
        ),
        "table_caption_partnership": "Table for this figure",
        "col_dimension": "Dimension",
        "col_equal": "Parties weigh equally",
        "col_respondent": "All respondents",
        "col_band": "Band",
        "col_n": "n",
        "col_parties": "Parties",
        "sec_parties": "Differences between parties",
        "fig_heat_title": "Lowest: {party} on {dim} ({v}); highest: {party2} on {dim2} ({v2})",
        "hover_party": "Party",
        "hover_dimension": "Dimension",
        "hover_mean": "Mean",
        "hover_interval": "Confidence interval",
        "suppressed_cell": "n < {k}",
        "hidden_cell": "hidden",
        "hover_suppressed": "not shown: fewer than {k} respondents",
        "hover_hidden": "not shown: a small group could otherwise be derived",
        "hover_missing": "no data",
        "colorbar": "Mean",
        "note_heat": (
            "Number in a cell: that party's mean on that dimension (1–5); orange is low, blue "
            "is high, white is 3. Grey: not shown, because fewer than {k} respondents answered, "
            "or because such a small group could otherwise be derived. "
            "Respondents per party: {counts}."
        ),
        "table_caption_heat": "Table for this figure",
        "sec_quality": "Data quality",
        "h_response": "Response per party",
        "col_party": "Party",
        "col_received": "Received",
        "col_kept": "Kept",
        "col_excluded": "Excluded",
        "total": "Total",
        "h_log": "Quality log events",
        "col_check": "Check",
        "col_action": "Action",
        "col_count": "Count",
        "log_empty": "No events: every response received was used unchanged.",
        "log_details_all": "Show all {n} events",
        "log_details_capped": "Show the first {k} of {n} events",
        "log_full": "The full log is in quality_log.csv next to the processed tables.",
        "col_file": "File",
        "col_row": "Row",
        "col_detail": "Detail",
        "check_empty_response": "Empty questionnaire",
        "check_duplicate": "Duplicate submission",
        "check_identifiers_removed": "Identifying data removed",
        "check_same_identifier": "Same person answered again later",
        "check_no_party": "No organisation given",
        "check_too_few_items": "Too few questions answered",
        "action_excluded": "excluded",
        "action_changed": "changed",
        "action_flagged": "flagged",
        "h_reliability": "Reliability of the scales",
        "col_items": "Items",
        "col_complete": "Complete responses",
        "col_alpha": "Cronbach's alpha",
        "col_flag": "Remark",
        "alpha_low": "below {t}",
        "alpha_na": "cannot be computed",
        "note_reliability": (
            "Cronbach's alpha shows how consistently the items of a dimension hang together, "
            "computed over the respondents who answered every item of that dimension. Below {t} "
            "the dimension score is less reliable; read it with care."
        ),
        "sec_method": "How this report was made",
        "method_text": (
            "The partnership score is the mean of the party means: every party weighs equally. "
            "A group with fewer than {k} respondents is not shown. Every exclusion and change is "
            "listed under Data quality. This report holds aggregates only and works offline."
        ),
        "generated_at": "Generated at",
        "h_inputs": "Input files",
        "col_rows": "Rows",
        "col_sha": "SHA-256",
        "h_instrument": "Questionnaire",
        "col_version": "Version",
        "h_settings": "Settings",
        "col_setting": "Setting",
        "col_value": "Value",
        "h_software": "Software",
        "col_package": "Package",
        "none": "none",
        "missing": "–",
    },
}

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font-family: FONT_STACK; color: #1a1a1a; background: #ffffff;
  line-height: 1.5; font-size: 16px; }
.container { max-width: 1100px; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0.5rem 0 0.25rem; overflow-wrap: anywhere; }
h2 { font-size: 1.4rem; margin: 2.5rem 0 0.75rem; padding-top: 1rem;
  border-top: 2px solid #e0e0e0; }
section:first-of-type h2 { border-top: none; margin-top: 1.25rem; padding-top: 0; }
h3 { font-size: 1.1rem; margin: 1.75rem 0 0.5rem; }
.subtitle { color: #555555; margin: 0; font-size: 1.05rem; }
.lead { font-size: 1.2rem; max-width: 60em; }
.note { color: #444444; font-size: 0.9rem; max-width: 60em; }
figure { margin: 0; }
.figure { width: 100%; max-width: 100%; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.95rem; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.25rem; }
th, td { border-bottom: 1px solid #dddddd; padding: 0.3rem 0.75rem 0.3rem 0; text-align: left;
  vertical-align: top; }
th { font-weight: 600; border-bottom: 2px solid #999999; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: 600; border-top: 2px solid #999999; }
code { font-family: ui-monospace, "Cascadia Mono", "DejaVu Sans Mono", Menlo, Consolas,
  monospace; font-size: 0.85rem; overflow-wrap: anywhere; word-break: break-all; }
.flag { color: #8a3b00; font-weight: 600; }
details { margin: 0.5rem 0 1rem; }
summary { cursor: pointer; color: #0b5394; }
.table-wrap { overflow-x: auto; }
@media print {
  section { page-break-before: always; }
  section:first-of-type { page-break-before: avoid; }
  .container { max-width: none; padding: 0; }
  .modebar-container { display: none !important; }
  figure, table { page-break-inside: avoid; }
  details > *:not(summary) { display: block; }
}
""".replace("FONT_STACK", _FONT_STACK)


@dataclass(frozen=True)
class RoundReportData:
    """Everything the steering report of one round shows, computed by earlier stages.

    Parameters
    ----------
    partnership_name, round_id, language, min_group_size
        From ``partnership.toml``; ``language`` is ``"nl"`` (default) or ``"en"``.
    dimensions
        Columns ``code, label`` (label in the report language), in instrument order.
    parties
        Columns ``id, name``, in ``partnership.toml`` order.
    summary, partnership, reliability, quality_log
        The DESIGN section 5 tables of this round.
    response_counts
        Columns ``party, received, kept, excluded``, one row per party.
    manifest
        Run manifest: ``generated_at``, ``software``, ``settings``, ``instrument``, ``inputs``.

    """

    partnership_name: str
    round_id: str
    language: str
    min_group_size: int
    dimensions: pd.DataFrame
    parties: pd.DataFrame
    summary: pd.DataFrame
    partnership: pd.DataFrame
    reliability: pd.DataFrame
    quality_log: pd.DataFrame
    response_counts: pd.DataFrame
    manifest: dict


def round_report_html(data: RoundReportData) -> str:
    """Render the steering report of one round as one self-contained HTML page.

    Parameters
    ----------
    data
        The tables and metadata of the round.

    Returns
    -------
    str
        The page; the same ``data`` always gives the same string.

    """
    if data.language not in _TEXT:
        raise ValueError(
            f"report language {data.language!r} is not supported; use one of {sorted(_TEXT)}"
        )
    t = _TEXT[data.language]
    title = f"{data.partnership_name} – {t['round'].format(round=data.round_id)}"
    sections = [
        _overview_section(data),
        _partnership_section(data),
        _parties_section(data),
        _quality_section(data),
        _method_section(data),
    ]
    return "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{data.language}">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_esc(title)}</title>",
            f"<style>{_CSS}</style>",
            f'<script type="text/javascript">{plotly.offline.get_plotlyjs()}</script>',
            "</head>",
            "<body>",
            '<main class="container">',
            *sections,
            "</main>",
            "</body>",
            "</html>",
            "",
        ]
    )


# --- formatting helpers ----------------------------------------------------------------------


def _esc(value: object) -> str:
    """HTML-escape any value for use in page text or attributes."""
    return html.escape(str(value), quote=True)


def _esc_fig(value: object) -> str:
    """Escape a data string for Plotly, which renders a subset of HTML and decodes entities."""
    return html.escape(str(value), quote=False)


def _is_missing(value: object) -> bool:
    """Return True for None, NaN and pandas' NA."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _fmt(value: object, language: str, decimals: int = 1) -> str:
    """Format a number with ``decimals`` decimals (decimal comma in Dutch; a dash if missing)."""
    if _is_missing(value):
        return _TEXT[language]["missing"]
    text = f"{float(value):.{decimals}f}"
    return text.replace(".", ",") if language == "nl" else text


def _fmt_int(value: object, language: str) -> str:
    """Format a whole number with a thousands separator (a dot in Dutch, a comma in English)."""
    if _is_missing(value):
        return _TEXT[language]["missing"]
    text = f"{int(value):,}"
    return text.replace(",", ".") if language == "nl" else text


def _fmt_range(values: Iterable[object], language: str) -> str:
    """Format the smallest and largest of whole numbers as ``a–b`` (or ``a`` when equal)."""
    numbers = sorted(int(v) for v in values if not _is_missing(v))
    if not numbers:
        return _TEXT[language]["missing"]
    low, high = numbers[0], numbers[-1]
    if low == high:
        return _fmt_int(low, language)
    return f"{_fmt_int(low, language)}–{_fmt_int(high, language)}"


def _join_words(words: Sequence[str], language: str) -> str:
    """Join words as 'a', 'a en b', 'a, b en c'."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {_TEXT[language]['and']} {words[-1]}"


def _band_thresholds(data: RoundReportData) -> tuple[float, float]:
    """Return the (shines, attention) lower bounds from the manifest settings or the defaults."""
    settings = data.manifest.get("settings", {}) or {}
    try:
        shines = float(settings.get("bands_shines", _DEFAULT_SHINES))
        attention = float(settings.get("bands_chafes", _DEFAULT_ATTENTION))
    except (TypeError, ValueError):
        return _DEFAULT_SHINES, _DEFAULT_ATTENTION
    return shines, attention


def _band_words(data: RoundReportData) -> dict[str, str]:
    """Return the formatted thresholds used in band legends and notes."""
    shines, attention = _band_thresholds(data)
    language = data.language
    return {
        "hi": _fmt(shines, language),
        "lo": _fmt(attention, language),
        "hi_minus": _fmt(shines - 0.01, language, 2),
    }


def _dimension_labels(data: RoundReportData) -> dict[str, str]:
    """Dimension code -> label (the code itself when the label is missing)."""
    return {
        str(code): (str(code) if _is_missing(label) else str(label))
        for code, label in zip(data.dimensions["code"], data.dimensions["label"], strict=True)
    }


def _party_names(data: RoundReportData) -> dict[str, str]:
    """Party id -> display name (the id itself when the name is missing)."""
    return {
        str(pid): (str(pid) if _is_missing(name) else str(name))
        for pid, name in zip(data.parties["id"], data.parties["name"], strict=True)
    }


def _ordered_partnership(data: RoundReportData) -> pd.DataFrame:
    """Return the partnership rows in instrument order, with a ``label`` column."""
    labels = _dimension_labels(data)
    order = {code: i for i, code in enumerate(labels)}
    table = data.partnership.copy()
    table["dimension"] = table["dimension"].astype(str)
    table["label"] = [labels.get(code, code) for code in table["dimension"]]
    table["_order"] = [order.get(code, len(order)) for code in table["dimension"]]
    return table.sort_values(["_order", "dimension"], kind="stable").reset_index(drop=True)


def _extremes(table: pd.DataFrame, value: str) -> tuple[pd.Series, pd.Series] | None:
    """Return the rows with the highest and lowest ``value`` (first in table order on ties)."""
    present = table[table[value].notna()]
    if present.empty:
        return None
    ranked = present.sort_values(value, kind="stable")
    lowest = ranked.iloc[0]
    highest = ranked[ranked[value] == ranked[value].iloc[-1]].iloc[0]
    return highest, lowest


def _html_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    numeric: Sequence[bool] | None = None,
    caption: str | None = None,
    total: Sequence[str] | None = None,
) -> str:
    """Render a plain HTML table; ``headers``, ``rows`` and ``total`` hold escaped HTML."""
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
    lines.extend(f"<tr>{cells(row, 'td')}</tr>" for row in rows)
    if total is not None:
        lines.append(f'<tr class="total">{cells(total, "td")}</tr>')
    lines.append("</tbody></table></div>")
    return "\n".join(lines)


def _figure_html(fig: go.Figure, name: str, height: int) -> str:
    """One figure as a ``<div>`` with a fixed id, without plotly.js."""
    return pio.to_html(
        fig,
        full_html=False,
        include_plotlyjs=False,
        div_id=f"fig-{name}",
        config=_PLOTLY_CONFIG,
        default_height=f"{height}px",
        default_width="100%",
    )


def _base_layout(data: RoundReportData, title: str, height: int) -> dict[str, Any]:
    """Layout settings shared by every figure."""
    return {
        "template": "simple_white",
        "title": {
            "text": title,
            "x": 0,
            "xanchor": "left",
            # above the plot area, growing the top margin (multi-line titles anchored to the
            # container top get clipped)
            "yref": "paper",
            "y": 1,
            "yanchor": "bottom",
            "pad": {"b": 14},
            "automargin": True,
            "font": {"size": 17},
        },
        "font": {"family": _FONT_STACK, "size": 13, "color": "#1a1a1a"},
        "separators": ",." if data.language == "nl" else ".,",
        "height": height,
        "hoverlabel": {"font": {"family": _FONT_STACK}, "align": "left"},
    }


def _wrap_lines(text: str, width: int) -> list[str]:
    """Split raw text into lines of at most about ``width`` characters, at spaces.

    A word much longer than ``width`` is broken with a hyphen.
    """
    words: list[str] = []
    for word in text.split():
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


def _wrap(text: str, width: int) -> str:
    """Raw text wrapped at ``width`` and escaped for Plotly, lines joined with ``<br>``."""
    return "<br>".join(_esc_fig(line) for line in _wrap_lines(str(text), width))


# --- sections --------------------------------------------------------------------------------


def _lead_sentences(data: RoundReportData) -> list[str]:
    """Put the finding of the round in words, from the partnership and summary tables."""
    t = _TEXT[data.language]
    language = data.language
    table = _ordered_partnership(data)
    sentences: list[str] = []
    extremes = _extremes(table, "mean_equal_weight")
    if extremes is None:
        sentences.append(t["lead_none"])
    else:
        highest, lowest = extremes
        if table["mean_equal_weight"].notna().sum() == 1:
            sentences.append(
                t["lead_one"].format(
                    dim=highest["label"], v=_fmt(highest["mean_equal_weight"], language)
                )
            )
        else:
            sentences.append(
                t["lead_hi_lo"].format(
                    hi=highest["label"],
                    hi_v=_fmt(highest["mean_equal_weight"], language),
                    lo=lowest["label"],
                    lo_v=_fmt(lowest["mean_equal_weight"], language),
                )
            )
        words = _band_words(data)
        chafing = [str(label) for label in table.loc[table["band"] == "chafes", "label"]]
        if chafing:
            sentences.append(
                t["lead_chafes"].format(t=words["lo"], dims=_join_words(chafing, language))
            )
        else:
            sentences.append(t["lead_no_chafes"].format(t=words["lo"]))
    low_cell = _party_extremes(data)
    if low_cell is not None:
        _, lowest_cell = low_cell
        sentences.append(
            t["lead_party_low"].format(
                v=_fmt(lowest_cell["mean"], language),
                party=lowest_cell["party_name"],
                dim=lowest_cell["label"],
            )
        )
    counts = data.response_counts
    if not counts.empty:
        sentences.append(
            t["lead_base"].format(
                kept=_fmt_int(int(counts["kept"].sum()), language),
                parties=_fmt_int(len(counts), language),
            )
        )
    return sentences


def _overview_section(data: RoundReportData) -> str:
    """Header: title, round and the lead paragraph."""
    t = _TEXT[data.language]
    lead = " ".join(_esc(sentence) for sentence in _lead_sentences(data))
    return "\n".join(
        [
            '<section id="overview">',
            f"<h1>{_esc(data.partnership_name)}</h1>",
            f'<p class="subtitle">{_esc(t["report_kind"])}, '
            f"{_esc(t['round'].format(round=data.round_id))}</p>",
            f"<h2>{_esc(t['sec_overview'])}</h2>",
            f'<p class="lead">{lead}</p>',
            "</section>",
        ]
    )


def _partnership_figure(data: RoundReportData) -> tuple[go.Figure, int]:
    """Horizontal bars of the equal-weight mean per dimension, coloured by band.

    Returns
    -------
    tuple
        The figure and its height in pixels.

    """
    t = _TEXT[data.language]
    language = data.language
    table = _ordered_partnership(data)
    words = _band_words(data)
    codes = list(table["dimension"])
    ticktext = [_wrap(label, 32) for label in table["label"]]
    height = 170 + 46 * max(len(codes), 1)

    extremes = _extremes(table, "mean_equal_weight")
    if extremes is None:
        raw_title = t["fig_none"]
    elif table["mean_equal_weight"].notna().sum() == 1:
        raw_title = t["fig_partnership_one"].format(
            dim=extremes[0]["label"], v=_fmt(extremes[0]["mean_equal_weight"], language)
        )
    else:
        highest, lowest = extremes
        raw_title = t["fig_partnership_title"].format(
            hi=highest["label"],
            hi_v=_fmt(highest["mean_equal_weight"], language),
            lo=lowest["label"],
            lo_v=_fmt(lowest["mean_equal_weight"], language),
        )
    title_lines = len(_wrap_lines(raw_title, _TITLE_WIDTH))
    title = _wrap(raw_title, _TITLE_WIDTH)
    height += 22 * (title_lines - 1)

    customdata = [
        [
            _esc_fig(row["label"]),
            _fmt(row["mean_equal_weight"], language),
            _fmt(row["mean_respondent_weight"], language),
            _fmt_int(row["n"], language),
            _fmt_int(row["parties"], language),
        ]
        for _, row in table.iterrows()
    ]
    hover = (
        "<b>%{customdata[0]}</b><br>"
        + f"{t['hover_equal']}: %{{customdata[1]}}<br>"
        + f"{t['hover_respondent']}: %{{customdata[2]}}<br>"
        + f"{t['hover_n']} = %{{customdata[3]}}, {t['hover_parties']}: %{{customdata[4]}}"
        + "<extra></extra>"
    )
    fig = go.Figure()
    band_names = {
        "shines": t["band_shines"].format(**words),
        "attention": t["band_attention"].format(**words),
        "chafes": t["band_chafes"].format(**words),
    }
    bands = table["band"].where(table["band"].isin(_BANDS), None)
    for band in (*_BANDS, None):
        mask = (bands == band) if band is not None else bands.isna()
        mask = mask.fillna(False).to_numpy(dtype=bool)
        if not mask.any() and band is None:
            continue
        # bars start at 1, the bottom of the scale, so the value fits at their left end
        x = [
            v - _SCALE_MIN if not _is_missing(v) else None for v in table["mean_equal_weight"][mask]
        ]
        y = [c for c, m in zip(codes, mask, strict=True) if m]
        if not y and codes:  # an empty band still gets its legend entry, from one empty bar
            x, y = [None], codes[:1]
        fig.add_trace(
            go.Bar(
                name=band_names[band] if band is not None else t["band_none"],
                orientation="h",
                x=x,
                base=_SCALE_MIN,
                y=y,
                customdata=[d for d, m in zip(customdata, mask, strict=True) if m],
                text=[_fmt(v, language) for v in table["mean_equal_weight"][mask]],
                textposition="inside",
                insidetextanchor="start",
                textfont={"color": _BAND_TEXT_COLOURS.get(band, "#000000"), "size": 13},
                marker={"color": _BAND_COLOURS.get(band, _NO_BAND_COLOUR)},
                hovertemplate=hover,
                legendrank=_BANDS.index(band) + 1 if band is not None else 4,
            )
        )
    fig.add_trace(
        go.Scatter(
            name=t["marker_respondent"],
            mode="markers",
            x=[v if not _is_missing(v) else None for v in table["mean_respondent_weight"]],
            y=codes,
            customdata=customdata,
            marker={
                "symbol": "diamond",
                "size": 13,
                "color": "#1a1a1a",
                "line": {"color": "#ffffff", "width": 1.5},
            },
            hovertemplate=hover,
            legendrank=5,
        )
    )
    layout = _base_layout(data, title, height)
    layout.update(
        barmode="overlay",
        bargap=0.3,
        margin={"l": 10, "r": 20, "t": 20, "b": 110},
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": -0.22 if len(codes) > 4 else -0.45,
            "yanchor": "top",
            "traceorder": "normal",
        },
        xaxis={
            "range": [_SCALE_MIN, _SCALE_MAX],
            "dtick": 0.5,
            "tickformat": ".1f",
            "showgrid": True,
            "gridcolor": "#e6e6e6",
            "title": {"text": t["axis_score"]},
            "fixedrange": True,
        },
        yaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": codes,
            "tickvals": codes,
            "ticktext": ticktext,
            "autorange": "reversed",
            "automargin": True,
            "fixedrange": True,
            "ticks": "",
        },
    )
    fig.update_layout(layout)
    for threshold in _band_thresholds(data):  # the band boundaries as dotted lines
        fig.add_vline(
            x=threshold, line={"color": "#555555", "dash": "dot", "width": 1}, opacity=0.9
        )
    return fig, height


def _partnership_section(data: RoundReportData) -> str:
    """Section 2: the partnership figure, its note and its table."""
    t = _TEXT[data.language]
    language = data.language
    fig, height = _partnership_figure(data)
    table = _ordered_partnership(data)
    note = t["note_partnership"].format(
        **_band_words(data),
        n=_fmt_range(table["n"], language),
        parties=_fmt_range(table["parties"], language),
    )
    band_word = {band: t[f"band_word_{band}"] for band in _BANDS}
    rows = [
        [
            _esc(row["label"]),
            _fmt(row["mean_equal_weight"], language),
            _fmt(row["mean_respondent_weight"], language),
            _esc(band_word.get(row["band"], t["missing"])),
            _fmt_int(row["n"], language),
            _fmt_int(row["parties"], language),
        ]
        for _, row in table.iterrows()
    ]
    headers = [
        t[key] for key in ("col_dimension", "col_equal", "col_respondent", "col_band", "col_n")
    ] + [t["col_parties"]]
    table_html = _html_table(
        [_esc(h) for h in headers], rows, [False, True, True, False, True, True]
    )
    return "\n".join(
        [
            '<section id="partnership">',
            f"<h2>{_esc(t['sec_partnership'])}</h2>",
            '<figure class="figure">',
            _figure_html(fig, "partnership", height),
            f'<figcaption class="note">{_esc(note)}</figcaption>',
            "</figure>",
            f"<details><summary>{_esc(t['table_caption_partnership'])}</summary>",
            table_html,
            "</details>",
            "</section>",
        ]
    )


def _party_cells(data: RoundReportData) -> pd.DataFrame:
    """Summary rows of the parties and dimensions in the report, with display names."""
    labels = _dimension_labels(data)
    names = _party_names(data)
    cells = data.summary.copy()
    cells["party"] = cells["party"].astype(str)
    cells["dimension"] = cells["dimension"].astype(str)
    cells = cells[cells["party"].isin(names) & cells["dimension"].isin(labels)].copy()
    cells["party_name"] = [names[p] for p in cells["party"]]
    cells["label"] = [labels[d] for d in cells["dimension"]]
    cells["suppressed"] = pd.Series(
        [(not _is_missing(s)) and bool(s) for s in cells["suppressed"]],
        index=cells.index,
        dtype=bool,
    )
    party_order = {p: i for i, p in enumerate(names)}
    dim_order = {d: i for i, d in enumerate(labels)}
    cells["_p"] = [party_order[p] for p in cells["party"]]
    cells["_d"] = [dim_order[d] for d in cells["dimension"]]
    return cells.sort_values(["_p", "_d"], kind="stable").reset_index(drop=True)


def _party_extremes(data: RoundReportData) -> tuple[pd.Series, pd.Series] | None:
    """Return the shown party x dimension cells with the highest and the lowest mean."""
    cells = _party_cells(data)
    return _extremes(cells.loc[~cells["suppressed"].to_numpy(dtype=bool)], "mean")


def _party_heatmap(data: RoundReportData) -> tuple[go.Figure, int]:
    """Heatmap of party means: rows parties, columns dimensions, suppressed cells grey.

    Returns
    -------
    tuple
        The figure and its height in pixels.

    """
    t = _TEXT[data.language]
    language = data.language
    k = data.min_group_size
    names = _party_names(data)
    labels = _dimension_labels(data)
    party_ids = list(names)
    codes = list(labels)
    cells = _party_cells(data).set_index(["party", "dimension"])

    z: list[list[float | None]] = []
    z_hidden: list[list[float | None]] = []
    text: list[list[str]] = []
    text_hidden: list[list[str]] = []
    customdata: list[list[list[str]]] = []
    for pid in party_ids:
        z_row, hidden_row, text_row, custom_row = [], [], [], []
        hidden_text_row: list[str] = []
        for code in codes:
            party, label = _esc_fig(names[pid]), _esc_fig(labels[code])
            row = cells.loc[(pid, code)] if (pid, code) in cells.index else None
            if row is None:
                z_row.append(None)
                hidden_row.append(None)
                text_row.append("")
                hidden_text_row.append("")
                custom_row.append([party, label, t["hover_missing"]])
            elif row["suppressed"]:
                small = _is_missing(row["n"]) or int(row["n"]) < k
                z_row.append(None)
                hidden_row.append(1.0)
                cell_text = t["suppressed_cell"] if small else t["hidden_cell"]
                reason = t["hover_suppressed"] if small else t["hover_hidden"]
                text_row.append("")
                hidden_text_row.append(_esc_fig(cell_text.format(k=k)))
                custom_row.append([party, label, _esc_fig(reason.format(k=k))])
            else:
                mean = None if _is_missing(row["mean"]) else float(row["mean"])
                z_row.append(mean)
                hidden_row.append(None)
                text_row.append(_fmt(mean, language) if mean is not None else "")
                hidden_text_row.append("")
                detail = (
                    f"{t['hover_mean']}: {_fmt(mean, language)}<br>"
                    f"{t['hover_n']} = {_fmt_int(row['n'], language)}<br>"
                    f"{t['hover_interval']}: {_fmt(row['ci_low'], language)}–"
                    f"{_fmt(row['ci_high'], language)}"
                )
                custom_row.append([party, label, detail])
        z.append(z_row)
        z_hidden.append(hidden_row)
        text.append(text_row)
        text_hidden.append(hidden_text_row)
        customdata.append(custom_row)

    extremes = _party_extremes(data)
    if extremes is None:
        raw_title = t["fig_none"]
    else:
        highest, lowest = extremes
        raw_title = t["fig_heat_title"].format(
            party=lowest["party_name"],
            dim=lowest["label"],
            v=_fmt(lowest["mean"], language),
            party2=highest["party_name"],
            dim2=highest["label"],
            v2=_fmt(highest["mean"], language),
        )
    title_lines = len(_wrap_lines(raw_title, _TITLE_WIDTH))
    title = _wrap(raw_title, _TITLE_WIDTH)
    hover = (
        f"{t['hover_party']}: %{{customdata[0]}}<br>"
        f"{t['hover_dimension']}: %{{customdata[1]}}<br>"
        "%{customdata[2]}<extra></extra>"
    )
    common = {
        "x": codes,
        "y": party_ids,
        "texttemplate": "%{text}",
        "customdata": customdata,
        "hovertemplate": hover,
        "xgap": 3,
        "ygap": 3,
    }
    fig = go.Figure()
    fig.add_trace(
        go.Heatmap(
            z=z,
            zmin=1,
            zmax=5,
            zmid=3,
            colorscale=_HEATMAP_COLOURSCALE,
            colorbar={
                "title": {"text": t["colorbar"], "side": "right"},
                "tickvals": [1, 2, 3, 4, 5],
                "orientation": "h",
                "x": 1,
                "xanchor": "right",
                "y": 0,
                "yref": "container",
                "yanchor": "bottom",
                "len": 0.4,
                "thickness": 12,
            },
            text=text,
            textfont={"size": 14},
            name="",
            **common,
        )
    )
    fig.add_trace(
        go.Heatmap(
            z=z_hidden,
            zmin=0,
            zmax=1,
            colorscale=[[0, _SUPPRESSED_COLOUR], [1, _SUPPRESSED_COLOUR]],
            showscale=False,
            text=text_hidden,
            textfont={"size": 13, "color": "#333333"},
            name="",
            **common,
        )
    )
    # Column labels wrap to the width a column gets in the 1100 px page, so they do not collide.
    party_ticks = [_wrap(names[p], _PARTY_WIDTH) for p in party_ids]
    party_lines = [line for p in party_ids for line in _wrap_lines(names[p], _PARTY_WIDTH)]
    party_chars = max((len(line) for line in party_lines), default=0)
    column_px = (_PAGE_PX - 7 * party_chars - 30) / max(len(codes), 1)
    tick_size = 13 if column_px >= 120 else 11
    label_width = max(6, int(column_px / (0.56 * tick_size)))
    label_lines = max((len(_wrap_lines(labels[c], label_width)) for c in codes), default=1)
    height = 130 + 56 * max(len(party_ids), 1) + 16 * label_lines + 22 * title_lines
    layout = _base_layout(data, title, height)
    layout["title"]["pad"] = {"b": 30 + 22 * label_lines}  # room for the column labels on top
    layout.update(
        margin={"l": 10, "r": 10, "t": 20, "b": 70},
        plot_bgcolor="#ffffff",
        xaxis={
            "type": "category",
            "tickvals": codes,
            "ticktext": [_wrap(labels[c], label_width) for c in codes],
            "tickfont": {"size": tick_size},
            "side": "top",
            "tickangle": 0,
            "automargin": True,
            "fixedrange": True,
            "showline": False,
            "ticks": "",
        },
        yaxis={
            "type": "category",
            "tickvals": party_ids,
            "ticktext": party_ticks,
            "autorange": "reversed",
            "automargin": True,
            "fixedrange": True,
            "showline": False,
            "ticks": "",
        },
    )
    fig.update_layout(layout)
    return fig, height


def _parties_section(data: RoundReportData) -> str:
    """Section 3: the party x dimension heatmap, its note and its table."""
    t = _TEXT[data.language]
    language = data.language
    k = data.min_group_size
    fig, height = _party_heatmap(data)
    names = _party_names(data)
    counts_table = data.response_counts
    kept = {str(p): n for p, n in zip(counts_table["party"], counts_table["kept"], strict=True)}
    counts = (
        ", ".join(f"{names[p]} {_fmt_int(kept[p], language)}" for p in names if p in kept)
        or t["none"]
    )
    note = t["note_heat"].format(k=k, counts=counts)

    cells = _party_cells(data)
    rows = []
    for _, row in cells.iterrows():
        if row["suppressed"]:
            small = _is_missing(row["n"]) or int(row["n"]) < k
            shown = (t["suppressed_cell"] if small else t["hidden_cell"]).format(k=k)
            rows.append([_esc(row["party_name"]), _esc(row["label"]), _esc(shown), "", ""])
        else:
            interval = f"{_fmt(row['ci_low'], language)}–{_fmt(row['ci_high'], language)}"
            rows.append(
                [
                    _esc(row["party_name"]),
                    _esc(row["label"]),
                    _fmt(row["mean"], language),
                    _esc(interval),
                    _fmt_int(row["n"], language),
                ]
            )
    headers = [t["col_party"], t["col_dimension"], t["hover_mean"], t["hover_interval"], "n"]
    table_html = _html_table([_esc(h) for h in headers], rows, [False, False, True, True, True])
    return "\n".join(
        [
            '<section id="parties">',
            f"<h2>{_esc(t['sec_parties'])}</h2>",
            '<figure class="figure">',
            _figure_html(fig, "parties", height),
            f'<figcaption class="note">{_esc(note)}</figcaption>',
            "</figure>",
            f"<details><summary>{_esc(t['table_caption_heat'])}</summary>",
            table_html,
            "</details>",
            "</section>",
        ]
    )


def _label(t: dict[str, str], prefix: str, code: object) -> str:
    """Return the human label of a check or action code; the code itself when unknown."""
    return t.get(f"{prefix}_{code}", str(code))


def _response_table(data: RoundReportData) -> str:
    """Received, kept and excluded responses per party, with a total row."""
    t = _TEXT[data.language]
    language = data.language
    names = _party_names(data)
    counts = data.response_counts.copy()
    counts["party"] = counts["party"].astype(str)
    order = {p: i for i, p in enumerate(names)}
    counts["_o"] = [order.get(p, len(order)) for p in counts["party"]]
    counts = counts.sort_values(["_o", "party"], kind="stable")
    columns = ("received", "kept", "excluded")
    rows = [
        [_esc(names.get(row["party"], row["party"]))]
        + [_fmt_int(row[c], language) for c in columns]
        for _, row in counts.iterrows()
    ]
    total = [_esc(t["total"])] + [_fmt_int(int(counts[c].sum()), language) for c in columns]
    headers = [t["col_party"], t["col_received"], t["col_kept"], t["col_excluded"]]
    return _html_table([_esc(h) for h in headers], rows, [False, True, True, True], total=total)


def _quality_log_tables(data: RoundReportData) -> str:
    """Quality-log events counted by check and action, plus a capped list of the events."""
    t = _TEXT[data.language]
    language = data.language
    log = data.quality_log
    if log.empty:
        return f"<p>{_esc(t['log_empty'])}</p>"
    counted = (
        log.assign(check=log["check"].astype(str), action=log["action"].astype(str))
        .groupby(["check", "action"], sort=True)
        .size()
        .reset_index(name="count")
    )
    rows = [
        [
            _esc(_label(t, "check", row["check"])),
            _esc(_label(t, "action", row["action"])),
            _fmt_int(row["count"], language),
        ]
        for _, row in counted.iterrows()
    ]
    headers = [t["col_check"], t["col_action"], t["col_count"]]
    parts = [_html_table([_esc(h) for h in headers], rows, [False, False, True])]

    names = _party_names(data)
    shown = log.head(_MAX_LOG_ROWS)
    summary_key = "log_details_all" if len(log) <= _MAX_LOG_ROWS else "log_details_capped"
    summary = t[summary_key].format(
        n=_fmt_int(len(log), language), k=_fmt_int(_MAX_LOG_ROWS, language)
    )
    event_rows = [
        [
            _esc(
                names.get(str(row["party"]), row["party"])
                if not _is_missing(row["party"])
                else t["missing"]
            ),
            _esc(row["source_file"] if not _is_missing(row["source_file"]) else t["missing"]),
            _fmt_int(row["source_row"], language),
            _esc(_label(t, "check", row["check"])),
            _esc(_label(t, "action", row["action"])),
            _esc(row["detail"] if not _is_missing(row["detail"]) else ""),
        ]
        for _, row in shown.iterrows()
    ]
    event_headers = [
        t["col_party"],
        t["col_file"],
        t["col_row"],
        t["col_check"],
        t["col_action"],
        t["col_detail"],
    ]
    parts.extend(
        [
            f"<details><summary>{_esc(summary)}</summary>",
            _html_table(
                [_esc(h) for h in event_headers],
                event_rows,
                [False, False, True, False, False, False],
            ),
            f'<p class="note">{_esc(t["log_full"])}</p>',
            "</details>",
        ]
    )
    return "\n".join(parts)


def _reliability_table(data: RoundReportData) -> str:
    """Cronbach's alpha per dimension, flagged below :data:`_ALPHA_FLAG`."""
    t = _TEXT[data.language]
    language = data.language
    labels = _dimension_labels(data)
    order = {code: i for i, code in enumerate(labels)}
    table = data.reliability.copy()
    table["dimension"] = table["dimension"].astype(str)
    table["_o"] = [order.get(code, len(order)) for code in table["dimension"]]
    table = table.sort_values(["_o", "dimension"], kind="stable")
    threshold = _fmt(_ALPHA_FLAG, language, 2)
    rows = []
    for _, row in table.iterrows():
        alpha = row["alpha"]
        if _is_missing(alpha):
            flag = _esc(t["alpha_na"])
        elif float(alpha) < _ALPHA_FLAG:
            flag = f'<span class="flag">{_esc(t["alpha_low"].format(t=threshold))}</span>'
        else:
            flag = ""
        rows.append(
            [
                _esc(labels.get(row["dimension"], row["dimension"])),
                _fmt_int(row["n_items"], language),
                _fmt_int(row["n_complete"], language),
                _fmt(alpha, language, 2),
                flag,
            ]
        )
    headers = [t["col_dimension"], t["col_items"], t["col_complete"], t["col_alpha"], t["col_flag"]]
    return "\n".join(
        [
            _html_table([_esc(h) for h in headers], rows, [False, True, True, True, False]),
            f'<p class="note">{_esc(t["note_reliability"].format(t=threshold))}</p>',
        ]
    )


def _quality_section(data: RoundReportData) -> str:
    """Section 4: response per party, quality-log counts, reliability."""
    t = _TEXT[data.language]
    return "\n".join(
        [
            '<section id="quality">',
            f"<h2>{_esc(t['sec_quality'])}</h2>",
            f"<h3>{_esc(t['h_response'])}</h3>",
            _response_table(data),
            f"<h3>{_esc(t['h_log'])}</h3>",
            _quality_log_tables(data),
            f"<h3>{_esc(t['h_reliability'])}</h3>",
            _reliability_table(data),
            "</section>",
        ]
    )


def _setting_value(value: object) -> str:
    """Render a manifest setting as text: lists joined by commas, dicts as key=value pairs."""
    if isinstance(value, dict):
        return ", ".join(f"{k}={_setting_value(v)}" for k, v in sorted(value.items()))
    if isinstance(value, list | tuple):
        return ", ".join(_setting_value(v) for v in value)
    return str(value)


def _method_section(data: RoundReportData) -> str:
    """Section 5: how the report was made, from the run manifest."""
    t = _TEXT[data.language]
    language = data.language
    manifest = data.manifest
    inputs = sorted(manifest.get("inputs", []) or [], key=lambda item: str(item.get("file", "")))
    input_rows = [
        [
            _esc(item.get("file", "")),
            _fmt_int(item.get("rows"), language),
            f"<code>{_esc(item.get('sha256', ''))}</code>",
        ]
        for item in inputs
    ]
    instrument = manifest.get("instrument", {}) or {}
    instrument_rows = [
        [
            _esc(instrument.get("file", "")),
            _esc(instrument.get("version", "")),
            f"<code>{_esc(instrument.get('sha256', ''))}</code>",
        ]
    ]
    settings = manifest.get("settings", {}) or {}
    setting_rows = [
        [f"<code>{_esc(name)}</code>", _esc(_setting_value(value))]
        for name, value in sorted(settings.items(), key=lambda kv: str(kv[0]))
    ]
    software = manifest.get("software", {}) or {}
    software_rows = [
        [_esc(name), _esc(version)]
        for name, version in sorted(software.items(), key=lambda kv: str(kv[0]))
    ]
    generated = f"{_esc(t['generated_at'])}: {_esc(manifest.get('generated_at', t['missing']))}"
    return "\n".join(
        [
            '<section id="method">',
            f"<h2>{_esc(t['sec_method'])}</h2>",
            f"<p>{_esc(t['method_text'].format(k=data.min_group_size))}</p>",
            f"<p>{generated}</p>",
            f"<h3>{_esc(t['h_inputs'])}</h3>",
            _html_table(
                [_esc(t["col_file"]), _esc(t["col_rows"]), _esc(t["col_sha"])],
                input_rows,
                [False, True, False],
            ),
            f"<h3>{_esc(t['h_instrument'])}</h3>",
            _html_table(
                [_esc(t["col_file"]), _esc(t["col_version"]), _esc(t["col_sha"])],
                instrument_rows,
            ),
            f"<h3>{_esc(t['h_settings'])}</h3>",
            _html_table([_esc(t["col_setting"]), _esc(t["col_value"])], setting_rows),
            f"<h3>{_esc(t['h_software'])}</h3>",
            _html_table([_esc(t["col_package"]), _esc(t["col_version"])], software_rows),
            "</section>",
        ]
    )
