"""Clean: loaded responses into kept responses with pseudonyms, and a log of every decision.

Identifier columns (names, e-mail, IP addresses, tokens, tool respondent ids) are used here only
to find duplicates and to make a stable pseudonym, then dropped: nothing after this stage sees
them. Every response that is excluded, changed or flagged gets a row in the quality log with its
reason, so that received = kept + excluded can be checked per file.
"""

from __future__ import annotations

import contextlib
import secrets
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.config import CleaningRules
from pipeline.questionnaire import Instrument
from pipeline.redact import redact
from pipeline.score import two_thirds_answered

__all__ = [
    "PERSON_IDENTIFIERS",
    "QUALITY_LOG_COLUMNS",
    "Cleaned",
    "clean_responses",
    "new_secret",
    "pseudonyms",
]

QUALITY_LOG_COLUMNS = ["round", "party", "source_file", "source_row", "check", "action", "detail"]
#: The identifiers of a person, in order of preference: the first a response has makes its
#: pseudonym. A tool's response id numbers the rows of its file and a name is shared by
#: different people, so neither is one.
PERSON_IDENTIFIERS = ("id_email", "id_token", "id_external_id")
#: Loader columns that are about a response, not answers in it.
_META = (
    "party", "source_file", "source_row", "submitted_at", "submitted", "duration_seconds",
    "dont_know", "out_of_range", "level", "first_copy",
)  # fmt: skip


def new_secret() -> str:
    """A new pseudonymisation key: 16 URL-safe characters (96 random bits)."""
    return secrets.token_urlsafe(12)


def pseudonyms(keys: pd.Series, secret: str) -> pd.Series:
    """Keyed, irreversible pseudonyms for ``keys``.

    SipHash-2-4 (pandas' vectorised ``hash_pandas_object`` with ``hash_key``, which also
    spreads each hash with a fixed bit mixer) is a keyed hash designed as a message
    authentication code: without the secret the pseudonym cannot be recomputed from an e-mail
    address, and the same key gives the same pseudonym in every round.
    """
    if len(secret.encode("utf-8")) != 16:
        raise ValueError("the pseudonymisation secret must be 16 bytes of UTF-8")
    texts = keys.to_numpy(object)
    if pd.api.types.infer_dtype(texts, skipna=False) == "string":
        # what ``hash_pandas_object`` computes for text, without first numbering the distinct
        # keys (its ``categorize``), which costs more than it saves here
        hashed = pd.util.hash_array(texts, hash_key=secret, categorize=False)
    else:  # not all text, or some missing: made text first
        hashed = pd.util.hash_pandas_object(keys.astype(str), index=False, hash_key=secret)
        hashed = hashed.to_numpy()
    # "R" and the 64-bit hash as 16 hex digits: each byte, most significant first, as two
    octets = hashed.astype(">u8").view(np.uint8).reshape(len(keys), 8)
    chars = np.empty((len(keys), 17), dtype=np.uint8)
    chars[:, 0] = ord("R")
    chars[:, 1:].view("<u2")[:] = _HEX_PAIRS[octets]
    # read as Arrow strings of 17 bytes each, made Python strings in one call
    offsets = np.arange(0, 17 * len(keys) + 1, 17, dtype=np.int64)
    text = pa.Array.from_buffers(
        pa.large_string(), len(keys), [None, pa.py_buffer(offsets), pa.py_buffer(chars)]
    )
    return pd.Series(text.to_numpy(zero_copy_only=False), index=keys.index, dtype=object)


#: Each byte's two hex digits, as the 16-bit little-endian number that is those two bytes.
_HEX_PAIRS = np.frombuffer(b"".join(f"{byte:02x}".encode() for byte in range(256)), "<u2")
_DEFAULT_RULES = CleaningRules()


class Cleaned(NamedTuple):
    """What cleaning gives: kept responses, its log, "weet niet" answers and open answers."""

    responses: pd.DataFrame
    quality_log: pd.DataFrame
    dont_know: pd.DataFrame
    comments: pd.DataFrame


def clean_responses(
    loaded: pd.DataFrame,
    instrument: Instrument,
    round_id: str,
    secret: str,
    rules: CleaningRules = _DEFAULT_RULES,
) -> Cleaned:
    """Apply the quality checks and strip identifiers.

    Parameters
    ----------
    loaded
        The round's responses as :func:`pipeline.load.load_round` returns them.
    instrument
        The round's instrument (which items are answers, which belong to a dimension).
    round_id
        The round, written into every row.
    secret
        The project's pseudonymisation key (:func:`new_secret`).
    rules
        Whether speeders and straight-liners are excluded or only flagged.

    Returns
    -------
    Cleaned
        ``responses`` (DESIGN section 5: ``round, party, respondent, level`` and one column per
        closed item, sorted by party and respondent), the ``quality_log`` of this stage,
        ``dont_know`` (``round, party, respondent, item``: the "weet niet" answers of kept
        respondents, which are missing in ``responses``) and ``comments`` (``round, party,
        level, question, text``: open answers of kept respondents with e-mail addresses, phone
        numbers, URLs and the names found in identifier columns redacted).
    """
    items = instrument.items
    text_items = [c for c in items.index[items["type"] == "text"] if c in loaded]
    scale_items = [c for c in [*instrument.scored_items, *instrument.friction_items] if c in loaded]
    closed_items = [
        code
        for code in items.index
        if code not in ("party", "level") and items.at[code, "type"] != "text"
    ]
    frame = loaded.reset_index(drop=True)
    for code in closed_items:
        if code not in frame:
            frame[code] = pd.NA
    log = _QualityLog(frame)
    keep = pd.Series(True, index=frame.index)

    no_party = frame["party"].isna()
    log.add(no_party, "no_party", "excluded", "the response names no party")
    keep &= ~no_party

    answered = [*scale_items, *text_items]
    empty = frame[answered].isna().all(axis=1) if answered else pd.Series(True, frame.index)
    log.add(keep & empty, "empty_response", "excluded", "no question answered")
    keep &= ~empty

    if "submitted" in frame:
        unsubmitted = frame["submitted"].eq(False).fillna(False).astype(bool)
        log.add(
            keep & unsubmitted, "not_submitted", "excluded",
            "the survey tool marks the response as not finished or not submitted",
        )  # fmt: skip
        keep &= ~unsubmitted

    if "out_of_range" in frame:
        off = frame["out_of_range"].notna()
        detail = "set missing, outside the scale: " + frame["out_of_range"].astype(str)
        log.add(keep & off, "out_of_range", "changed", detail)

    identifier_columns = [c for c in frame.columns if c.startswith("id_")]
    order = _latest_complete_last(frame)  # row labels are positions (reset above)
    copies = _copies_of_a_later_row(frame, order[keep.to_numpy()[order]])
    log.add(
        copies, "duplicate", "excluded",
        "the same submission twice: every cell of the raw row equals that of a later row of "
        "the file (the tool's response id aside), which is kept",
    )  # fmt: skip
    keep &= ~copies

    frame["respondent"] = _respondent_keys(frame, round_id, secret)
    person = [c for c in PERSON_IDENTIFIERS if c in frame]
    has_identifier = frame[person].notna().any(axis=1)
    candidates = order[(keep & has_identifier).to_numpy()[order]]
    repeated = frame["respondent"].loc[candidates].duplicated(keep="last")  # party in the key
    repeated = repeated.reindex(frame.index, fill_value=False)
    log.add(
        repeated, "same_identifier", "excluded",
        "the same person (e-mail, token or external reference) answered again in this party; "
        "the latest complete response is kept",
    )  # fmt: skip
    keep &= ~repeated

    candidates = order[keep.to_numpy()[order]]
    identical = _repeats_a_later_row(frame, ["party", *closed_items, *text_items], candidates)
    log.add(
        identical, "identical_answers", "flagged",
        "the same answers as a later submission of this party; kept, as different submissions "
        "are different people",
    )  # fmt: skip

    speeders = _speeders(frame, keep, rules.speeder_fraction)
    action = "excluded" if rules.exclude_speeders else "flagged"
    log.add(
        speeders, "speeder", action,
        f"took less than {rules.speeder_fraction:.2g} of the party's median time",
    )  # fmt: skip
    if rules.exclude_speeders:
        keep &= ~speeders

    answers = _dimension_answers(frame, instrument)
    straight = keep & _straightliners(answers, frame.index)
    action = "excluded" if rules.exclude_straightliners else "flagged"
    log.add(
        straight, "straightliner", action,
        "the same answer to every statement, reverse-keyed ones included",
    )  # fmt: skip
    if rules.exclude_straightliners:
        keep &= ~straight

    log.add_file_events(_identifier_events(frame, identifier_columns))

    # the kept rows without their answers, which are taken once, already sorted, below
    kept_rows = np.flatnonzero(keep.to_numpy())
    closed = set(closed_items)
    kept = frame.iloc[kept_rows, [n for n, c in enumerate(frame.columns) if c not in closed]]
    too_few = _too_few_items(answers.counts[kept_rows], answers.sizes, kept.index)
    too_few = too_few.reindex(frame.index, fill_value=False)
    log.add(
        too_few, "too_few_items", "flagged",
        "fewer than two thirds of the items of every dimension answered: kept, no scores",
    )  # fmt: skip

    responses = pd.DataFrame(
        {
            "round": round_id,
            "party": kept["party"].astype(str),
            "respondent": kept["respondent"],
            "level": kept.get("level", pd.NA),
        }
    )
    order = _sort_order(responses, ["party", "respondent"])
    responses = pd.concat(
        [
            responses.iloc[order].reset_index(drop=True),
            frame[closed_items].take(kept_rows[order]).reset_index(drop=True),
        ],
        axis=1,
    )
    return Cleaned(
        responses,
        log.table(round_id),
        _dont_know(kept, round_id, responses, order),
        _comments(kept, frame, text_items, round_id),
    )


class _QualityLog:
    """Collects events: one row per response and check, or per file for file-wide changes."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame = frame[["party", "source_file", "source_row"]]  # what an event names
        self._events: list[pd.DataFrame] = []

    def add(self, mask: pd.Series, check: str, action: str, detail: str | pd.Series) -> None:
        """An event for each row of ``mask``; ``detail`` is one text, or one per row."""
        chosen = mask.reindex(self._frame.index, fill_value=False).astype(bool)
        if chosen.any():
            if isinstance(detail, pd.Series):
                detail = detail[chosen].to_numpy()
            self._events.append(_events(self._frame[chosen], check, action, detail))

    def add_file_events(self, events: pd.DataFrame) -> None:
        if len(events):
            self._events.append(events)

    def table(self, round_id: str) -> pd.DataFrame:
        events = self._events or [_events(self._frame.iloc[:0], "", "", "")]
        log = pd.concat(events, ignore_index=True)
        log.insert(0, "round", round_id)
        log = log[QUALITY_LOG_COLUMNS].sort_values(
            ["source_file", "source_row", "check"], kind="stable"
        )
        return log.reset_index(drop=True)


def _speeders(frame: pd.DataFrame, keep: pd.Series, fraction: float) -> pd.Series:
    """Kept responses faster than ``fraction`` of their party's median duration."""
    if "duration_seconds" not in frame:
        return pd.Series(False, index=frame.index)
    duration = pd.to_numeric(frame["duration_seconds"], errors="coerce").where(keep)
    median = duration.groupby(frame["party"]).transform("median")
    return (duration < fraction * median).fillna(False).astype(bool)


def _straightliners(answers: _DimensionAnswers, index: pd.Index) -> pd.Series:
    """The same answer to every statement of every matrix (dimension) answered, at least two.

    Reverse-keyed statements are included as answered, so a straight line contradicts itself.
    Only respondents who answered at least two whole matrices are judged.
    """
    if not answers.values.size:
        return pd.Series(False, index=index)
    complete_matrices = (answers.counts == answers.sizes).sum(axis=1)
    # the largest and smallest answer: unequal where none (the type's least and most)
    values, answered = answers.values, answers.answered
    least, most = np.iinfo(values.dtype).min, np.iinfo(values.dtype).max
    high = np.where(answered, values, least).max(axis=1)
    low = np.where(answered, values, most).min(axis=1)
    return pd.Series((high == low) & (complete_matrices >= 2), index=index)


class _DimensionAnswers(NamedTuple):
    """The items of the dimensions as matrices (a row per response), for the checks on them."""

    values: np.ndarray  #: the loader's ``Int8`` codes, 0 where missing
    answered: np.ndarray  #: whether each is answered
    counts: np.ndarray  #: how many items of each dimension are answered
    sizes: np.ndarray  #: how many items each dimension has


def _dimension_answers(frame: pd.DataFrame, instrument: Instrument) -> _DimensionAnswers:
    """The dimensions' items of ``frame`` as :class:`_DimensionAnswers`.

    Whole matrices, for all the checks on them: a pandas operation per dimension costs more
    than the arithmetic on a round's few hundred rows. Small integers and column order: at a
    million responses, a matrix of floats took eight times the memory and three times as long.
    """
    items, dimensions = [], []
    for code in instrument.dimensions.index:
        columns = instrument.dimension_items(code)
        dimensions.append(slice(len(items), len(items) + len(columns)))
        items += columns
    values = np.empty((len(frame), len(items)), dtype=np.int8, order="F")
    answered = np.empty((len(frame), len(items)), dtype=bool, order="F")
    for place, item in enumerate(items):
        column = frame[item]
        values[:, place] = column.to_numpy(dtype=np.int8, na_value=0)
        answered[:, place] = column.notna().to_numpy()
    counts = np.empty((len(frame), len(dimensions)), dtype=np.int16, order="F")
    for place, columns in enumerate(dimensions):
        counts[:, place] = np.add.reduce(answered[:, columns], axis=1, dtype=np.int16)
    sizes = np.array([columns.stop - columns.start for columns in dimensions], dtype=np.int16)
    return _DimensionAnswers(values, answered, counts, sizes)


def _comments(
    kept: pd.DataFrame, frame: pd.DataFrame, text_items: list[str], round_id: str
) -> pd.DataFrame:
    """Open answers of kept respondents, one row per answer, redacted (:func:`redact`).

    The names to redact are every name in the round's identifier columns (``frame``, all
    responses): an answer may name a colleague who answered too, or someone left out.
    """
    columns = ["round", "party", "level", "question", "text"]
    if not text_items:
        return pd.DataFrame(columns=columns)
    # one row per answer given, question by question, as ``melt`` would give them (without
    # first making a row for each answer not given)
    question, row = np.nonzero(kept[text_items].notna().to_numpy().T)
    level = kept["level"] if "level" in kept else pd.Series(pd.NA, index=kept.index, dtype=object)
    long = pd.DataFrame(
        {
            "party": kept["party"].to_numpy(object)[row],
            "level": level.to_numpy(object)[row],
            "question": np.array(text_items, dtype=object)[question],
            "text": kept[text_items].to_numpy(object)[row, question],
        }
    )
    text = long["text"].astype(str).str.strip()
    said = (text != "").to_numpy()
    long, text = long[said], text[said]
    text = redact(text, _names(frame))
    return _sorted(
        long.assign(text=text, round=round_id)[columns], ["party", "question", "level", "text"]
    )


def _names(frame: pd.DataFrame) -> list[str]:
    """The distinct full names of the round's identifier columns, as the tool stored them.

    :class:`pipeline.redact.Names` makes their words and both orders (``Jansen, Piet`` and
    ``Piet Jansen``) from them.
    """
    if "id_name" not in frame:
        return []
    full = frame["id_name"].dropna().astype(str).str.strip()
    return [name for name in full.unique() if name]


def _dont_know(
    kept: pd.DataFrame, round_id: str, responses: pd.DataFrame, order: np.ndarray
) -> pd.DataFrame:
    """One row per "weet niet" answer, from the loader's ``;``-joined ``dont_know`` column.

    Sorted by party, respondent and item as :func:`_sorted` sorts, but on numbers: ``order``
    puts ``kept`` in the order of ``responses`` (by party and respondent), each row's answers
    are taken in that order, and the items are ranked among themselves. A text sort of a round
    of a million (2.3 million answers) took 2 s.
    """
    columns = ["round", "party", "respondent", "item"]
    if "dont_know" not in kept:
        return pd.DataFrame(columns=columns)
    answered = kept["dont_know"].notna().to_numpy()
    lists = pc.split_pattern(
        pa.array(kept["dont_know"][answered].to_numpy(object), pa.string()), ";"
    )
    counts = np.zeros(len(kept), dtype=np.int64)
    counts[answered] = pc.list_value_length(lists).to_numpy()
    # the answers of kept's rows in the responses' order: each row's run of the flat list
    firsts, counts = (np.cumsum(counts) - counts)[order], counts[order]
    ends = np.cumsum(counts)
    answer = np.arange(ends[-1] if len(ends) else 0) + np.repeat(firsts - (ends - counts), counts)
    coded = pc.dictionary_encode(pc.list_flatten(lists))
    code = coded.indices.to_numpy()[answer]
    names = np.array(coded.dictionary.to_pylist(), dtype=object)
    rank = _ranks(names)  # each item's among the items named
    # each row's group of equal party and respondent, numbered in the responses' order
    party, respondent = responses["party"], responses["respondent"]
    starts = (party.ne(party.shift()) | respondent.ne(respondent.shift())).to_numpy(
        bool, na_value=True
    )
    group = np.repeat(np.cumsum(starts) - 1, counts)
    # sorted by group already: a stable sort keeps equal answers in kept's order
    by = np.argsort(group * len(names) + rank[code], kind="stable")
    by = by[(names != "")[code[by]]]
    rows = np.repeat(order, counts)[by]
    # the items as text (pandas' type for the run) straight from Arrow: inferring it from 2.3
    # million Python strings took 0.25 s
    text = pd.api.types.pandas_dtype("str")
    items = text.__from_arrow__(coded.dictionary.cast(pa.large_string()).take(code[by]))
    long = kept[["party", "respondent"]].iloc[rows].assign(item=items, round=round_id)
    return long[columns].reset_index(drop=True)


def _sorted(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """``frame.sort_values(by, kind="stable")`` on text columns, renumbered from 0.

    Arrow's stable sort puts text in the same (code point) order as Python, missing last, and
    is several times faster than pandas' on a round of a million respondents.
    """
    return frame.iloc[_sort_order(frame, by)].reset_index(drop=True)


def _sort_order(frame: pd.DataFrame, by: list[str]) -> np.ndarray:
    """The positions that sort ``frame`` as :func:`_sorted` does."""
    keys = pa.table({column: pa.array(frame[column], from_pandas=True) for column in by})
    order = pc.sort_indices(keys, sort_keys=[(column, "ascending") for column in by])
    return order.to_numpy()


def _latest_complete_last(frame: pd.DataFrame) -> pd.Index:
    """Row order in which, per file, the latest complete submission comes last.

    Complete means submitted (where the tool says) with the most questions answered.
    """
    # as instants: texts the loader could not read may hold other offsets (which pandas
    # refuses to mix without utc=True); the loader's own texts have none, and keep their order.
    # Each distinct text is read once ("mixed" reads each text by itself): a round shares its
    # minutes. NaT is the smallest integer, so a response without a time sorts first.
    codes, texts = _distinct(frame["submitted_at"])
    instants = pd.DatetimeIndex(pd.to_datetime(texts, errors="coerce", format="mixed", utc=True))
    instants = np.append(instants.asi8, np.iinfo(np.int64).min)  # the last: no time (code -1)
    submitted = np.unique(instants, return_inverse=True)[1][codes]  # by place among the times
    finished = (
        frame["submitted"].eq(True).fillna(False).to_numpy(bool)
        if "submitted" in frame
        else np.zeros(len(frame), dtype=bool)
    )
    answered = np.zeros(len(frame), dtype=np.int64)
    for column in frame.columns:  # a column at a time: a frame of flags summed across was slower
        if not (column.startswith("id_") or column in _META):
            answered += frame[column].notna().to_numpy()
    file, names = _distinct(frame["source_file"])
    file = np.where(file >= 0, _ranks(names)[file], -1)  # numbered in the files' sorted order
    row = frame["source_row"].to_numpy()
    return frame.index[_lexsort([row, submitted, answered, finished, file])]


def _lexsort(keys: list[np.ndarray]) -> np.ndarray:
    """``np.lexsort(keys)``: the order by the last key, then the one before, and so on.

    Whole-number keys whose ranges fit in 63 bits together are packed into one number and
    sorted once (stably, as ``np.lexsort``): a million responses' five keys in 0.1 s, not 0.4 s.
    """
    if not all(len(key) and key.dtype.kind in "biu" for key in keys):  # empty, or not integers
        return np.lexsort(keys)
    offsets = [int(key.min()) for key in keys]
    widths = [(int(key.max()) - low).bit_length() for key, low in zip(keys, offsets, strict=True)]
    if sum(widths) > 63:
        return np.lexsort(keys)
    packed = np.zeros(len(keys[0]), dtype=np.int64)
    shift = 0
    for key, low, width in zip(keys, offsets, widths, strict=True):
        packed |= (key.astype(np.int64) - low) << shift
        shift += width
    return np.argsort(packed, kind="stable")


def _ranks(texts: np.ndarray | list[object]) -> np.ndarray:
    """Each distinct text's place among them in a text sort (code point order, as Python's)."""
    rank = np.empty(len(texts), dtype=np.int64)
    rank[np.argsort(np.asarray(texts, dtype=object), kind="stable")] = np.arange(len(texts))
    return rank


def _copies_of_a_later_row(frame: pd.DataFrame, rows: np.ndarray) -> pd.Series:
    """Which of ``frame``'s ``rows`` (positions, in order) are a raw copy of a later one of them.

    The loader numbers each group of equal raw rows of a file by its first row (``first_copy``,
    -1 for a row that no other equals); of each group among ``rows`` the last is kept.
    """
    copies = np.zeros(len(frame), dtype=bool)
    if "first_copy" not in frame:
        return pd.Series(copies, index=frame.index)
    first = frame["first_copy"].to_numpy(dtype=np.int64, na_value=-1)
    rows = rows[first[rows] >= 0]
    if len(rows):
        file = _distinct(frame["source_file"].iloc[rows])[0]
        key = pd.DataFrame({"file": file, "first": first[rows]})
        copies[rows] = key.duplicated(keep="last").to_numpy()
    return pd.Series(copies, index=frame.index)


def _repeats_a_later_row(frame: pd.DataFrame, columns: list[str], rows: np.ndarray) -> pd.Series:
    """Which of ``frame``'s ``rows`` (positions) repeat a later one of them in ``columns``.

    ``frame.iloc[rows][columns].duplicated(keep="last")`` on ``frame``'s index, without copying:
    each row gets a 64-bit hash of its cells (each column's codes, equal where pandas counts the
    values equal, mixed by multiplying and adding), and only the rows whose hash another of
    ``rows`` shares are compared whole, by pandas. The number columns are hashed first, and the
    text columns only of the rows whose numbers' hash another shares: numbering a million texts
    takes 0.17 s a column. A round of a million responses (65 columns) took 3.0 s by pandas
    alone, 0.8 s so.
    """
    numbers = [column for column in columns if _is_number(frame[column])]
    texts = [column for column in columns if column not in numbers]
    hashed = _row_hashes(frame, numbers)
    maybe = rows[_shared(hashed[rows])]
    if texts and len(maybe):
        maybe = maybe[_shared(_row_hashes(frame.iloc[maybe], texts, hashed[maybe]))]
    repeats = np.zeros(len(frame), dtype=bool)
    repeats[maybe] = frame.iloc[maybe][columns].duplicated(keep="last").to_numpy()
    return pd.Series(repeats, index=frame.index)


def _is_number(column: pd.Series) -> bool:
    """Whether a column holds numbers or flags (hashed by their bits), not text."""
    return pd.api.types.is_numeric_dtype(column.dtype) or pd.api.types.is_bool_dtype(column.dtype)


def _shared(hashes: np.ndarray) -> np.ndarray:
    """Which hashes another of them equals."""
    return pd.Series(hashes).duplicated(keep=False).to_numpy()


def _row_hashes(
    frame: pd.DataFrame, columns: list[str], start: np.ndarray | None = None
) -> np.ndarray:
    """A 64-bit hash of each row's cells in ``columns``, continued from ``start`` if given."""
    # odd 64-bit multipliers, the same in every run (any would do: a shared hash only means
    # that pandas compares the rows)
    multipliers = np.random.default_rng(_SEED).integers(1, 2**63, len(columns), np.uint64) | 1
    hashed = np.zeros(len(frame), dtype=np.uint64) if start is None else start
    for multiplier, column in zip(multipliers, columns, strict=True):
        hashed = hashed * _MIX + _cell_codes(frame[column]) * multiplier  # modulo 2**64
    return hashed


def _cell_codes(column: pd.Series) -> np.ndarray:
    """A column's cells as numbers, equal for values that pandas' ``duplicated`` counts equal.

    Numbers by their bits, the high half folded into the low: a small whole number's bits as a
    float are zero but for the highest 20, and a product keeps them there, so that a row's
    numbers alone took some 16,000 hashes.
    """
    if _is_number(column):
        values = column.to_numpy(dtype="float64", na_value=np.nan) + 0.0  # -0.0 is 0.0
        values[np.isnan(values)] = np.nan  # one NaN: a NaN keeps its sign and bits otherwise
        bits = values.view(np.uint64)
        return bits ^ (bits >> np.uint64(32))  # a one-to-one mix
    return _distinct(column)[0].astype(np.uint64)  # missing: -1, as one number


def _distinct(column: pd.Series) -> tuple[np.ndarray, list[object]]:
    """``pd.factorize(column)`` of a text column: codes (-1: missing) and the distinct values.

    Numbered by Arrow's dictionary encoding, as pandas numbers them (in order of first
    appearance), at a third of the time on a million texts; a column Arrow cannot take as
    text (other objects) by pandas.
    """
    text = None
    if isinstance(column.dtype, pd.StringDtype) or column.dtype == object:
        with contextlib.suppress(pa.ArrowInvalid, pa.ArrowTypeError):  # not all text
            text = pa.array(column, type=pa.large_string(), from_pandas=True)
    if text is None:
        codes, uniques = pd.factorize(column)
        return codes, list(uniques)
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    encoded = text.dictionary_encode()
    codes = pc.fill_null(encoded.indices, -1).to_numpy().astype(np.int64)
    return codes, encoded.dictionary.to_pylist()


_SEED = 20250901
_MIX = np.uint64(1099511628211)  # the 64-bit FNV prime


def _respondent_keys(frame: pd.DataFrame, round_id: str, secret: str) -> pd.Series:
    """Pseudonyms of a person in a party: its first person identifier, else its place.

    The party is part of the key: the same e-mail address in two parties is two respondents,
    each paired only with itself in another round. A response without a person identifier gets
    a pseudonym of its round, party, file and row: it pairs with no other response.
    """
    party = pa.array(frame["party"], type=pa.large_string(), from_pandas=True)
    key = pa.nulls(len(frame), pa.large_string())
    for column in PERSON_IDENTIFIERS:
        if column in frame:
            text = frame[column].astype("string").str.strip()
            # casefolding ASCII is lowering it, which Arrow does; else Python casefolds
            folded = text.str.lower() if text.str.isascii().all() else text.str.casefold()
            folded = pa.array(folded, type=pa.large_string(), from_pandas=True)
            # "<column>:<party>|<identifier>", joined by Arrow (missing where either is)
            prefix, bar, none = (_text(t) for t in (column + ":", "|", ""))
            key = pc.coalesce(key, pc.binary_join_element_wise(prefix, party, bar, folded, none))
    unknown = key.is_null().to_numpy(zero_copy_only=False)
    keys = key.to_numpy(zero_copy_only=False)
    if unknown.any():  # where it was found: made only for those
        found = frame[["party", "source_file", "source_row"]][unknown].astype(str)
        where = (
            "row:" + round_id + "|" + found["party"] + "|" + found["source_file"] + "|"
            + found["source_row"]
        )  # fmt: skip
        keys[unknown] = where.astype(object).to_numpy()
    return pseudonyms(pd.Series(keys, index=frame.index, dtype=object), secret)


def _text(value: str) -> pa.Scalar:
    """A text as an Arrow scalar of the type the loader's text columns have."""
    return pa.scalar(value, pa.large_string())


def _too_few_items(counts: np.ndarray, sizes: np.ndarray, index: pd.Index) -> pd.Series:
    """Fewer than two thirds of the items of every dimension answered (``counts`` per row)."""
    return pd.Series(~two_thirds_answered(counts, sizes).any(axis=1), index=index)


def _events(rows: pd.DataFrame, check: str, action: str, detail: str | np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "party": rows["party"].astype(object),
            "source_file": rows["source_file"],
            "source_row": rows["source_row"].astype("Int64"),
            "check": check,
            "action": action,
            "detail": detail,
        }
    )


def _identifier_events(frame: pd.DataFrame, identifier_columns: list[str]) -> pd.DataFrame:
    """One event per file that carried identifiers: which kinds were removed, from how many."""
    if not identifier_columns:
        return _events(frame.iloc[:0], "identifiers_removed", "changed", "")
    present = frame[identifier_columns].notna().groupby(frame["source_file"], sort=True).sum()
    present = present[present.sum(axis=1) > 0]
    parties = frame.groupby("source_file", sort=True)["party"].agg(
        lambda p: ", ".join(sorted(p.dropna().unique()))
    )
    rows = []
    for source_file, counts in present.iterrows():
        kinds = ", ".join(
            f"{column.removeprefix('id_')} ({count})" for column, count in counts.items() if count
        )
        rows.append(
            {
                "party": parties.get(source_file) or pd.NA,
                "source_file": source_file,
                "source_row": pd.NA,
                "check": "identifiers_removed",
                "action": "changed",
                "detail": f"identifier columns dropped after pseudonymisation: {kinds}",
            }
        )
    return pd.DataFrame(rows).astype({"source_row": "Int64"})
