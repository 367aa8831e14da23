"""Which tool made an export, told from its header rows; and its layout.

The tools are tried in an order where a more specific signature comes first: Qualtrics (an
ImportId row), Qualtrics legacy (``V1, V2``), SurveyMonkey (``Respondent ID`` and
``Collector ID``), LimeSurvey (``id`` and ``submitdate``), Microsoft Forms (``ID, Start time,
Completion time``), Google Forms (``Timestamp``), KoboToolbox/ODK (``_uuid``, ``KEY``, ...);
anything else is a plain table with one header row. ``.sav`` files are SPSS.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from pipeline.config import SPSS_SUFFIXES
from pipeline.load import googleforms, kobo, limesurvey, msforms, plain, qualtrics, spss
from pipeline.load import surveymonkey as monkey
from pipeline.load.cells import read_cells
from pipeline.load.layout import Layout

__all__ = ["export_layout"]

_Detector = tuple[Callable[[pd.DataFrame], bool], Callable[[pd.DataFrame, str], Layout]]
_DETECTORS: tuple[_Detector, ...] = (
    (qualtrics.is_qualtrics, qualtrics.qualtrics_layout),
    (qualtrics.is_qualtrics_legacy, qualtrics.qualtrics_legacy_layout),
    (monkey.is_surveymonkey, monkey.surveymonkey_layout),
    (limesurvey.is_limesurvey, limesurvey.limesurvey_layout),
    (msforms.is_msforms, msforms.msforms_layout),
    (googleforms.is_googleforms, googleforms.googleforms_layout),
    (kobo.is_kobo, kobo.kobo_layout),
)
#: The rows the detectors look at (Qualtrics' ImportId row is the third).
_HEADER_ROWS = 3


def export_layout(path: Path, name: str) -> Layout:
    """Read an export and lay it out as the tool that made it did.

    Parameters
    ----------
    path
        The export.
    name
        How messages name the file.

    Raises
    ------
    InputError
        When the file cannot be read.
    """
    if path.suffix.lower() in SPSS_SUFFIXES:
        return spss.spss_layout(path, name)
    grid = read_cells(path, name)
    # the detectors read header rows only: taken once as plain cells, not once per detector
    head = pd.DataFrame(
        [grid.iloc[number].tolist() for number in range(min(_HEADER_ROWS, len(grid)))],
        columns=grid.columns,
        dtype=object,
    )
    for detected, layout in _DETECTORS:
        if detected(head):
            return layout(grid, name)
    return plain.plain_layout(grid, name)
