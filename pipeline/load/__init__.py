"""Load: raw exports of a round into one table of responses with item codes.

Exports from Qualtrics, SurveyMonkey, LimeSurvey, Microsoft Forms, Google Forms,
KoboToolbox/ODK and SPSS ``.sav``, and plain CSV/XLSX tables, are recognised automatically
(:mod:`~pipeline.load.detect`, one module per tool). Columns map to items by code, alias or
label in any of the instrument's languages (:mod:`~pipeline.load.match`); answers map to
choices by name, alias or label (:mod:`~pipeline.load.answers`). Every problem of a file is
collected and raised together, so a user fixes a file in one go. Raw files are only read.
"""

from pipeline.load.export import (
    LoadedExport,
    load_export,
    load_exports,
    load_files,
    load_round,
    load_rounds,
    round_responses,
)
from pipeline.load.match import IDENTIFIER_KINDS, fold

__all__ = [
    "IDENTIFIER_KINDS",
    "LoadedExport",
    "fold",
    "load_export",
    "load_exports",
    "load_files",
    "load_round",
    "load_rounds",
    "round_responses",
]
