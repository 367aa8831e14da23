"""The HTML page around the sections: head with plotly.js inline once, CSS, figures, sections.

The page needs no network: plotly.js is embedded once in the ``<head>``, fonts are the reader's
system fonts, and every figure is a ``<div>`` with a fixed id, so the same data gives the same
bytes. Printing gives one section per page; collapsed tables open for printing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

import pandas as pd
import plotly.offline

from pipeline.report.data import Context
from pipeline.report.figures import FONT_STACK, Figure
from pipeline.report.formatting import esc

__all__ = ["Page", "Section", "figure_block", "page"]

_PLOTLY_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "showSendToCloud": False,
    "typesetMath": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
}

#: plotly.js (4.6 MB), read from plotly's package once per process rather than once per page.
_plotly_js = cache(plotly.offline.get_plotlyjs)


@cache
def _plotly_js_utf8() -> bytes:
    return _plotly_js().encode("utf-8")


_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font-family: FONT_STACK; color: #1a1a1a; background: #ffffff;
  line-height: 1.5; font-size: 16px; }
.container { max-width: 1100px; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
header h1 { font-size: 1.9rem; line-height: 1.2; margin: 0.5rem 0 0.25rem;
  overflow-wrap: anywhere; }
h2 { font-size: 1.35rem; line-height: 1.3; margin: 2.5rem 0 0.75rem; padding-top: 1rem;
  border-top: 2px solid #e0e0e0; }
h2 .kicker { display: block; font-size: 0.8rem; font-weight: 600; letter-spacing: 0.04em;
  text-transform: uppercase; color: #555555; margin-bottom: 0.2rem; }
h3 { font-size: 1.1rem; margin: 1.75rem 0 0.5rem; }
.subtitle { color: #555555; margin: 0; font-size: 1.05rem; }
.lead { font-size: 1.1rem; max-width: 62em; }
.note { color: #444444; font-size: 0.9rem; max-width: 62em; }
.notice { border-left: 4px solid #E69F00; background: #fff8e8; padding: 0.6rem 0.9rem;
  max-width: 62em; }
nav.toc { margin: 1rem 0 0; font-size: 0.95rem; }
nav.toc ol { margin: 0.25rem 0 0; padding-left: 1.4rem; columns: 2; column-gap: 2.5rem; }
nav.toc a { color: #0b5394; }
figure { margin: 0 0 0.5rem; }
.figure { width: 100%; max-width: 100%; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.92rem; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.25rem; }
th, td { border-bottom: 1px solid #dddddd; padding: 0.3rem 0.75rem 0.3rem 0; text-align: left;
  vertical-align: top; }
th { font-weight: 600; border-bottom: 2px solid #999999; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { font-weight: 600; border-top: 2px solid #999999; }
tr.partnership td { font-weight: 600; }
code { font-family: ui-monospace, "Cascadia Mono", "DejaVu Sans Mono", Menlo, Consolas,
  monospace; font-size: 0.85rem; overflow-wrap: anywhere; word-break: break-all; }
.flag { color: #8a3b00; font-weight: 600; }
.band { display: inline-block; padding: 0 0.45rem; border-radius: 0.2rem; font-weight: 600; }
.band-shines { background: #0072B2; color: #ffffff; }
.band-attention { background: #E69F00; color: #000000; }
.band-chafes { background: #D55E00; color: #000000; }
.up { color: #0b5394; font-weight: 600; }
.down { color: #8a3b00; font-weight: 600; }
details { margin: 0.5rem 0 1rem; }
summary { cursor: pointer; color: #0b5394; }
.table-wrap { overflow-x: auto; }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 0 2rem; }
@media (max-width: 800px) { .columns { grid-template-columns: 1fr; } nav.toc ol { columns: 1; } }
ul.comments { padding-left: 1.2rem; max-width: 62em; }
ul.comments li { margin: 0.3rem 0; white-space: pre-line; overflow-wrap: anywhere; }
@media print {
  section { break-before: page; }
  nav.toc { display: none; }
  .container { max-width: none; padding: 0; }
  .modebar-container, .updatemenu-container { display: none !important; }
  figure, table { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  summary { color: #1a1a1a; }
}
""".replace("FONT_STACK", FONT_STACK)

_PRINT_SCRIPT = (
    "window.addEventListener('beforeprint', function () {"
    " document.querySelectorAll('details').forEach(function (d) { d.open = true; }); });"
)


@dataclass(frozen=True)
class Section:
    """One section of a report.

    ``id`` is its anchor, ``name`` its short name (for the contents), ``heading`` its finding
    as plain text, ``body`` its HTML.
    """

    id: str
    name: str
    heading: str
    body: str


def figure_html(fig: Figure, name: str, height: int) -> str:
    """One figure as a ``<div id="fig-<name>">``, without plotly.js.

    The HTML that ``plotly.io.to_html(fig, full_html=False, include_plotlyjs=False,
    div_id=..., config=..., default_height=..., default_width="100%", validate=False)`` writes
    for a figure without frames (``tests/test_report.py`` compares the two on every figure of
    the example), written here because ``to_html`` first imports plotly's figure classes, which
    the figures (plain dicts) do not use: 0.13 s in every process that writes a page, and
    plotly's JSON encoder its validators (0.17 s).
    """
    div_id = f"fig-{name}"
    layout = fig.get("layout", {})
    template = layout.get("template", {}).get("layout", {})
    width = _css_size(layout.get("width", template.get("width", "100%")))
    div_height = _css_size(layout.get("height", template.get("height", f"{height}px")))
    data, layout_json = _figure_json(fig.get("data", [])), _figure_json(layout)
    # plotly's own templates (plotly/io/_html.py), whitespace and all
    script = """\
                if (document.getElementById("{id}")) {{\
                    Plotly.newPlot(\
                        "{id}",\
                        {data},\
                        {layout},\
                        {config}\
                    )\
                }}""".format(id=div_id, data=data, layout=layout_json, config=_CONFIG_JSON)  # noqa: UP032
    return """\
<div style="height:{height}; width:{width};">\
        {mathjax_script}\
        {load_plotlyjs}\
            <div id="{id}" class="plotly-graph-div" \
style="height:100%; width:100%;"></div>\
            <script>\
                window.PLOTLYENV=window.PLOTLYENV || {{}};\
                {script};\
            </script>\
        </div>""".format(
        mathjax_script="",
        load_plotlyjs="",
        height=div_height,
        width=width,
        id=div_id,
        script=script,
    )


#: The figures' config as ``to_html`` writes it: it keeps ``responsive`` and, since
#: ``showSendToCloud`` is off, leaves out ``plotlyServerURL``, which the config does not set.
_CONFIG_JSON = json.dumps(_PLOTLY_CONFIG)


def _figure_json(value: object) -> str:
    """JSON as ``plotly.io.json.to_json_plotly`` writes it with Python's json module.

    Compact; NaN and infinities as ``null``; ``<``, ``>`` and ``/`` escaped, so that no text
    can close the script. Written here since importing plotly's encoder imports its figure
    validators (0.17 s).
    """
    text = json.dumps(value, separators=(",", ":"), default=_json_value)
    if "NaN" in text or "Infinity" in text:  # maybe in a text only: then the same text again
        strict = json.loads(text, parse_constant=lambda _: None)
        text = json.dumps(strict, separators=(",", ":"))
    for unsafe, safe in (("<", "\\u003c"), (">", "\\u003e"), ("/", "\\u002f")):
        text = text.replace(unsafe, safe)
    return text


def _json_value(value: object) -> object:
    """A value json cannot write, as plotly's encoder writes it.

    NA as null, a numpy value as Python's, a time in ISO form.
    """
    if value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"a figure holds {type(value).__name__}, which JSON cannot write")


def _css_size(size: object) -> str:
    """A figure's width or height for CSS, as ``to_html`` gives it: a number in pixels."""
    try:
        float(size)  # type: ignore[arg-type]
    except (ValueError, TypeError):
        return str(size)
    return f"{size}px"


def figure_block(
    fig: Figure,
    name: str,
    height: int,
    note: str,
    table_html: str = "",
    table_caption: str = "",
) -> str:
    """A figure with its note (plain text, escaped here) and, collapsed, its table."""
    parts = [
        '<figure class="figure">',
        figure_html(fig, name, height),
        f'<figcaption class="note">{esc(note)}</figcaption>',
        "</figure>",
    ]
    if table_html:
        parts += [f"<details><summary>{esc(table_caption)}</summary>", table_html, "</details>"]
    return "\n".join(parts)


@dataclass(frozen=True)
class Page:
    """A whole page, as the HTML before and after the plotly.js it embeds.

    Kept apart so that writing a page encodes only its own HTML: plotly.js is the same 4.6 MB
    in every page, encoded once per process.
    """

    before: str
    after: str

    def html(self) -> str:
        """The page as text."""
        return self.before + _plotly_js() + self.after

    def utf8(self) -> tuple[bytes, bytes, bytes]:
        """The page as UTF-8, in the three parts that are written to its file one after another.

        Not joined: a page is 4 MB, and joining would copy plotly.js for every page.
        """
        return self.before.encode("utf-8"), _plotly_js_utf8(), self.after.encode("utf-8")


def page(ctx: Context, title: str, header: str, sections: list[Section]) -> Page:
    """The whole page: head (CSS, plotly.js once), header, contents and the sections.

    Sections of parts the instrument does not ask about are left out, and named in one line.
    """
    sections = [section for section in sections if section.id not in ctx.not_asked]
    if ctx.not_asked:
        names = ", ".join(name[:1].lower() + name[1:] for name in ctx.not_asked.values())
        header += f'\n<p class="note">{esc(ctx.t["not_asked"].format(parts=names))}</p>'
    toc = "\n".join(
        f'<li><a href="#{section.id}">{esc(section.name)}</a></li>' for section in sections
    )
    body = [
        f'<section id="{section.id}" aria-labelledby="h-{section.id}">\n'
        f'<h2 id="h-{section.id}"><span class="kicker">{esc(section.name)}</span>'
        f"{esc(section.heading)}</h2>\n{section.body}\n</section>"
        for section in sections
    ]
    before = "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{ctx.language}">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{esc(title)}</title>",
            f"<style>{_CSS}</style>",
            '<script type="text/javascript">',
        ]
    )
    after = "\n".join(
        [
            "</script>",
            f"<script>{_PRINT_SCRIPT}</script>",
            "</head>",
            "<body>",
            '<main class="container">',
            "<header>",
            header,
            f'<nav class="toc" aria-label="{esc(ctx.t["contents"])}">'
            f"<strong>{esc(ctx.t['contents'])}</strong>\n<ol>\n{toc}\n</ol></nav>",
            "</header>",
            *body,
            "</main>",
            "</body>",
            "</html>",
            "",
        ]
    )
    return Page(before, after)
