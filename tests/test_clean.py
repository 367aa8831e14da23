"""Cleaning rules, one test each, on responses written by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from small_instrument import write_small_instrument

from pipeline import clean
from pipeline.clean import QUALITY_LOG_COLUMNS, clean_responses, pseudonyms
from pipeline.config import CleaningRules
from pipeline.questionnaire import load_instrument

NA = pd.NA
SECRET = "0123456789abcdef"


@pytest.fixture(scope="module")
def instrument(tmp_path_factory):
    return load_instrument(write_small_instrument(tmp_path_factory.mktemp("i") / "small.xlsx"))


def loaded(rows: list[dict]) -> pd.DataFrame:
    """Responses as the loader returns them."""
    frame = pd.DataFrame(
        [
            {
                "party": "a",
                "source_file": "data/raw/2025/a.csv",
                "source_row": number + 2,
                "submitted_at": NA,
                "level": "uitvoering",
                **row,
            }
            for number, row in enumerate(rows)
        ]
    )
    for column in ("X1", "X2", "X3", "Y1", "Y2", "Y3", "F1"):
        frame[column] = frame.get(column, pd.Series(NA, index=frame.index)).astype("Int8")
    frame["T1"] = frame.get("T1", pd.Series(NA, index=frame.index)).astype(object)
    return frame


FULL = {"X1": 4, "X2": 4, "X3": 2, "Y1": 3, "Y2": 3, "Y3": 4}


def log_of(log: pd.DataFrame, check: str) -> pd.DataFrame:
    return log[log["check"] == check]


def test_empty_response_is_excluded(instrument):
    responses, log, *_ = clean_responses(
        loaded([FULL, {}, {"T1": "alleen tekst"}]), instrument, "2025", SECRET
    )
    assert len(responses) == 2
    events = log_of(log, "empty_response")
    assert events["source_row"].tolist() == [3]
    assert events["action"].tolist() == ["excluded"]


def test_exact_duplicate_keeps_the_later_one(instrument):
    # rows 2 and 4 are one raw row twice (the loader's first_copy names row 2 for both)
    rows = [{**FULL, "first_copy": 2}, {**FULL, "X1": 1}, {**FULL, "first_copy": 2}]
    responses, log, *_ = clean_responses(loaded(rows), instrument, "2025", SECRET)
    assert len(responses) == 2
    assert log_of(log, "duplicate")["source_row"].tolist() == [2]
    assert "every cell of the raw row" in log_of(log, "duplicate")["detail"].iloc[0]


def test_copies_are_matched_within_their_file_only(instrument):
    frame = loaded([{**FULL, "first_copy": 2}, {**FULL, "first_copy": 2}])
    frame.loc[1, "source_file"] = "data/raw/2025/b.csv"  # row 2 of another file: not a copy
    responses, log, *_ = clean_responses(frame, instrument, "2025", SECRET)
    assert len(responses) == 2
    assert log_of(log, "duplicate").empty


def test_identical_answers_of_different_submissions_are_kept_and_flagged(instrument):
    # seven people who gave the same answers, each submitted at another time
    rows = [{**FULL, "submitted_at": f"2025-10-0{day} 10:00"} for day in range(1, 8)]
    responses, log, *_ = clean_responses(loaded(rows), instrument, "2025", SECRET)
    assert len(responses) == 7
    assert log[log["action"] == "excluded"].empty
    flagged = log_of(log, "identical_answers")
    assert flagged["action"].unique().tolist() == ["flagged"]
    assert flagged["source_row"].tolist() == [2, 3, 4, 5, 6, 7]  # all but the latest


def test_a_tools_response_id_excludes_no_one(instrument):
    # two parties whose tools both number their rows from 1, in one round
    frame = loaded([{**FULL, "id_respondent_id": str(n % 2 + 1)} for n in range(4)])
    frame["party"] = ["a", "a", "b", "b"]
    frame["source_file"] = ["a.csv", "a.csv", "b.xlsx", "b.xlsx"]
    responses, log, *_ = clean_responses(frame, instrument, "2025", SECRET)
    assert len(responses) == 4
    assert log_of(log, "same_identifier").empty
    assert responses["respondent"].nunique() == 4


def test_the_same_e_mail_in_two_parties_is_two_respondents(instrument):
    frame = loaded([{**FULL, "id_email": "jan@x.nl"}, {**FULL, "X1": 1, "id_email": "jan@x.nl"}])
    frame["party"] = ["a", "b"]
    responses, log, *_ = clean_responses(frame, instrument, "2025", SECRET)
    assert sorted(responses["party"]) == ["a", "b"]
    assert log_of(log, "same_identifier").empty


def test_the_same_token_answering_again_is_excluded(instrument):
    rows = [
        {**FULL, "id_token": "tk1", "submitted_at": "2025-10-03 10:00"},
        {**FULL, "X1": 2, "id_token": "tk1", "submitted_at": "2025-10-04 10:00"},
        {**FULL, "X1": 3, "id_external_id": "P-17", "submitted_at": "2025-10-03 10:00"},
        {**FULL, "X1": 5, "id_external_id": "P-17", "submitted_at": "2025-10-06 10:00"},
    ]
    responses, log, *_ = clean_responses(loaded(rows), instrument, "2025", SECRET)
    assert sorted(responses["X1"].tolist()) == [2, 5]
    assert log_of(log, "same_identifier")["source_row"].tolist() == [2, 4]


def test_same_identifier_twice_keeps_the_latest_submission(instrument):
    rows = [
        {**FULL, "id_email": "Jan@X.nl", "submitted_at": "2025-10-03 10:00"},
        {**FULL, "X1": 1, "id_email": "jan@x.nl ", "submitted_at": "2025-10-05 09:00"},
    ]
    responses, log, *_ = clean_responses(loaded(rows), instrument, "2025", SECRET)
    assert responses["X1"].tolist() == [1]
    assert log_of(log, "same_identifier")["source_row"].tolist() == [2]


def test_response_without_party_is_excluded(instrument):
    frame = loaded([FULL, FULL | {"X1": 2}])
    frame.loc[1, "party"] = None
    responses, log, *_ = clean_responses(frame, instrument, "2025", SECRET)
    assert len(responses) == 1
    assert log_of(log, "no_party")["source_row"].tolist() == [3]


def test_too_few_items_is_kept_and_flagged(instrument):
    # one item of D1 and one of D2: under two thirds everywhere
    responses, log, *_ = clean_responses(
        loaded([FULL, {"X1": 4, "Y1": 2}]), instrument, "2025", SECRET
    )
    assert len(responses) == 2
    events = log_of(log, "too_few_items")
    assert events["source_row"].tolist() == [3]
    assert events["action"].tolist() == ["flagged"]


def test_identifiers_never_reach_responses_and_their_removal_is_logged(instrument):
    rows = [{**FULL, "id_email": "piet@gemeente.nl", "id_name": "Piet Jansen", "id_ip": "10.1.2.3"}]
    responses, log, *_ = clean_responses(loaded(rows), instrument, "2025", SECRET)
    text = responses.to_csv() + log.to_csv()
    for secret_value in ("piet@gemeente.nl", "Piet Jansen", "10.1.2.3"):
        assert secret_value not in text
    assert not [c for c in responses.columns if c.startswith("id_")]
    assert "T1" not in responses.columns  # open answers do not go to responses
    assert log_of(log, "identifiers_removed")["action"].tolist() == ["changed"]


def test_responses_columns_and_log_columns(instrument):
    responses, log, *_ = clean_responses(loaded([FULL]), instrument, "2025", SECRET)
    assert list(responses.columns[:4]) == ["round", "party", "respondent", "level"]
    assert list(responses.columns[4:]) == ["X1", "X2", "X3", "Y1", "Y2", "Y3", "F1"]
    assert list(log.columns) == QUALITY_LOG_COLUMNS
    assert responses.at[0, "X3"] == 2  # not yet reversed


def test_pseudonyms_are_keyed_stable_and_distinct():
    emails = pd.Series(["jan@x.nl", "piet@x.nl", "jan@x.nl"])
    first = pseudonyms(emails, SECRET)
    assert first[0] == first[2] != first[1]
    assert first.tolist() == pseudonyms(emails, SECRET).tolist()  # same in every round
    assert first[0] != pseudonyms(emails, "fedcba9876543210")[0]  # depends on the secret
    assert first.str.fullmatch(r"R[0-9a-f]{16}").all()


@pytest.mark.parametrize("extra", [[], ["Zoë Ülker", "één@x.nl", ""], [7, None, 2.5]])
def test_pseudonym_is_r_and_the_keyed_hash_in_sixteen_hex_digits(extra):
    keys = pd.Series([f"persoon{i}@x.nl" for i in range(300)] + extra, dtype=object)
    hashed = pd.util.hash_pandas_object(keys.astype(str), index=False, hash_key=SECRET)
    expected = [f"R{int(value):016x}" for value in hashed]
    assert any(text[1] == "0" for text in expected)  # leading zeros are kept
    assert pseudonyms(keys, SECRET).tolist() == expected


def test_received_equals_kept_plus_excluded(instrument):
    rows = [FULL, {}, FULL, {**FULL, "id_email": "x@y.nl"}, {**FULL, "id_email": "x@y.nl", "X1": 5}]
    frame = loaded(rows)
    responses, log, *_ = clean_responses(frame, instrument, "2025", SECRET)
    excluded = log[log["action"] == "excluded"]
    assert len(responses) + len(excluded) == len(frame)


def test_dont_know_answers_become_a_table_of_their_own(instrument):
    frame = loaded([{**FULL, "X2": NA, "dont_know": "X2;Y3"}, FULL])
    responses, _, dont_know, _ = clean_responses(frame, instrument, "2025", SECRET)
    assert dont_know[["party", "item"]].values.tolist() == [["a", "X2"], ["a", "Y3"]]
    assert set(dont_know["respondent"]) == {
        responses.loc[responses["X2"].isna(), "respondent"].iloc[0]
    }


def test_unsubmitted_response_is_excluded(instrument):
    frame = loaded([FULL, FULL | {"X1": 1}, FULL | {"X1": 2}])
    frame["submitted"] = pd.array([True, False, pd.NA], dtype="boolean")
    responses, log, *_ = clean_responses(frame, instrument, "2025", SECRET)
    assert len(responses) == 2  # a tool that does not say keeps the response
    assert log_of(log, "not_submitted")["source_row"].tolist() == [3]


def test_same_identifier_keeps_the_latest_complete_response(instrument):
    rows = [
        {**FULL, "id_email": "jan@x.nl", "submitted_at": "2025-10-03 10:00"},
        {"X1": 5, "id_email": "jan@x.nl", "submitted_at": "2025-10-05 09:00"},  # later, partial
    ]
    frame = loaded(rows)
    frame["submitted"] = pd.array([True, False], dtype="boolean")
    responses, log, *_ = clean_responses(frame, instrument, "2025", SECRET)
    assert responses["X1"].tolist() == [4]
    assert log_of(log, "not_submitted")["source_row"].tolist() == [3]


def test_speeders_are_flagged_and_excluded_only_when_asked(instrument):
    rows = [FULL | {"X1": v} for v in (1, 2, 3, 4, 5)]
    frame = loaded(rows)
    frame["duration_seconds"] = [600.0, 500.0, 450.0, 120.0, 149.0]  # median 450: 150 and under
    responses, log, *_ = clean_responses(frame, instrument, "2025", SECRET)
    assert len(responses) == 5
    events = log_of(log, "speeder")
    assert events["source_row"].tolist() == [5, 6]
    assert set(events["action"]) == {"flagged"}
    strict = CleaningRules(exclude_speeders=True)
    responses, log, *_ = clean_responses(frame, instrument, "2025", SECRET, strict)
    assert len(responses) == 3
    assert set(log_of(log, "speeder")["action"]) == {"excluded"}


def test_straightliners_are_flagged(instrument):
    same = {"X1": 3, "X2": 3, "X3": 3, "Y1": 3, "Y2": 3, "Y3": 3}
    one_matrix = {"X1": 4, "X2": 4, "X3": 4}  # a single matrix is no evidence
    responses, log, *_ = clean_responses(
        loaded([FULL, same, one_matrix]), instrument, "2025", SECRET
    )
    assert len(responses) == 3
    assert log_of(log, "straightliner")["source_row"].tolist() == [3]
    strict = CleaningRules(exclude_straightliners=True)
    responses, *_ = clean_responses(loaded([FULL, same]), instrument, "2025", SECRET, strict)
    assert len(responses) == 1


def test_open_answers_are_redacted_into_comments(instrument):
    rows = [
        {**FULL, "id_name": "Piet Jansen", "T1": "Bel Piet op 06-12345678 of piet@x.nl"},
        {**FULL, "X1": 2, "T1": "Zie https://intranet.example/plan en vraag jansen"},
        {**FULL, "X1": 3, "T1": "  "},
    ]
    _, _, _, comments = clean_responses(loaded(rows), instrument, "2025", SECRET)
    assert list(comments.columns) == ["round", "party", "level", "question", "text"]
    assert comments["text"].tolist() == [
        "Bel [naam] op [telefoon] of [e-mail]",
        "Zie [link] en vraag [naam]",
    ]
    assert set(comments["question"]) == {"T1"}


def test_comments_redact_every_kind_and_the_names_of_excluded_responses_too(instrument):
    # the names come from every response of the round, the excluded empty one's included
    rows = [
        {**FULL, "id_name": "Jansen, Piet", "T1": "Piet Jansen belde vanaf 10.1.2.3 over Karin"},
        {**FULL, "X1": 2, "T1": "BSN 123456782, rekening NL91 ABNA 0417 1643 00, +32 470 12 34 56"},
        {"id_name": "karin de vries"},
    ]
    _, log, _, comments = clean_responses(loaded(rows), instrument, "2025", SECRET)
    assert log_of(log, "empty_response")["source_row"].tolist() == [4]
    assert comments["text"].tolist() == [
        "BSN [bsn], rekening [iban], [telefoon]",
        "[naam] belde vanaf [ip-adres] over [naam]",
    ]


def test_numbers_off_the_scale_are_set_missing_and_logged(instrument):
    frame = loaded([FULL | {"X1": NA}, FULL])
    frame["out_of_range"] = ["X1=7", NA]
    responses, log, *_ = clean_responses(frame, instrument, "2025", SECRET)
    assert len(responses) == 2
    events = log_of(log, "out_of_range")
    assert events["source_row"].tolist() == [2]
    assert events["action"].tolist() == ["changed"]
    assert "X1=7" in events["detail"].iloc[0]


def test_tables_come_sorted_by_party_respondent_and_then_item_or_question(instrument):
    rows = [
        {**FULL, "party": "b", "id_email": "z@x.nl", "dont_know": "Y3;X2", "T1": "één"},
        {**FULL, "party": "a", "id_email": "y@x.nl", "dont_know": "X3", "T1": "zo"},
        {**FULL, "party": "b", "id_email": "w@x.nl", "dont_know": "X1", "level": NA, "T1": "af"},
        {**FULL, "party": "a", "id_email": "v@x.nl", "T1": "Ärger", "level": "bestuur"},
        {**FULL, "party": "b", "id_email": "u@x.nl", "T1": "af", "level": "bestuur"},
    ]
    responses, _, dont_know, comments = clean_responses(loaded(rows), instrument, "2025", SECRET)
    keys = responses[["party", "respondent"]].values.tolist()
    assert [party for party, _ in keys] == ["a", "a", "b", "b", "b"]
    assert keys == sorted(keys)  # pseudonyms look random: Python's own order is the reference
    triples = dont_know[["party", "respondent", "item"]].values.tolist()
    assert len(triples) == 4
    assert triples == sorted(triples)
    same_respondent = [item for _, respondent, item in triples if respondent == triples[-1][1]]
    assert same_respondent in (["X1"], ["X2", "Y3"])  # "Y3;X2" comes out in item order
    # comments: party, question, level (missing last), then text in code point order
    assert comments[["party", "level", "text"]].fillna("-").values.tolist() == [
        ["a", "bestuur", "Ärger"],
        ["a", "uitvoering", "zo"],
        ["b", "bestuur", "af"],
        ["b", "uitvoering", "één"],
        ["b", "-", "af"],
    ]


def cells_table(rows: list[tuple]) -> pd.DataFrame:
    """Rows of (party, e-mail, an Int8 answer, a float, a flag) in the loader's types."""
    party, email, answer, number, flag = zip(*rows, strict=True) if rows else ([],) * 5
    table = pd.DataFrame(
        {
            "party": pd.Series(party, dtype=object),
            "id_email": pd.Series(email, dtype="string"),
            "answer": pd.array(answer, dtype="Int8"),
            "number": pd.Series(number, dtype="float64"),
            "flag": pd.array(flag, dtype="boolean"),
        }
    )
    return table.set_axis(range(100, 100 + len(rows)))  # labels other than positions, as here


cells = st.tuples(
    st.sampled_from(["a", "b", None]),
    st.sampled_from(["x@example.org", "y@example.org", None]),
    st.sampled_from([1, 2, None]),
    st.sampled_from([0.0, -0.0, 1.5, np.nan, -np.nan]),  # two NaNs of other bits
    st.sampled_from([True, False, None]),
)


def repeats(table: pd.DataFrame, rows: list[int] | None = None) -> pd.Series:
    """``_repeats_a_later_row`` over all of ``table``'s columns (and all its rows in order)."""
    rows = np.arange(len(table)) if rows is None else np.array(rows, dtype=np.int64)
    return clean._repeats_a_later_row(table, list(table.columns), rows)


@settings(max_examples=300, deadline=None)
@given(st.lists(cells, max_size=12), st.data())
def test_duplicates_are_the_rows_pandas_calls_duplicated(rows, data):
    table = cells_table(rows)
    # some of the rows, in an order of their own: a later row is later in that order
    order = data.draw(st.permutations(range(len(rows))))
    chosen = order[: data.draw(st.integers(0, len(rows)))]
    expected = table.iloc[chosen].duplicated(keep="last")
    expected = expected.reindex(table.index, fill_value=False)
    pd.testing.assert_series_equal(repeats(table, chosen), expected)


def test_duplicates_count_signed_zeros_and_nans_of_other_bits_equal():
    table = cells_table([("a", None, 1, value, None) for value in (0.0, -0.0, np.nan, -np.nan)])
    assert np.signbit(table["number"].to_numpy()).tolist() == [False, True, False, True]
    assert repeats(table).tolist() == [True, False, True, False]


def test_rows_whose_hashes_meet_are_compared_whole(monkeypatch):
    # every row hashed alike, as in a collision: pandas' comparison alone decides
    monkeypatch.setattr(clean, "_cell_codes", lambda column: np.zeros(len(column), np.uint64))
    table = cells_table([("a", "x@example.org", 1, 0.0, True)] * 2 + [("b", None, 2, 1.5, None)])
    table = pd.concat([table, table.iloc[[2]]])
    found = repeats(table)
    assert found.tolist() == [True, False, True, False]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["b", "a"]),
            st.sampled_from(["R2", "R10", "R1"]),  # the same respondent twice: a tie
            st.one_of(st.none(), st.lists(st.sampled_from(["Y1", "X10", "X2", ""]), max_size=3)),
        ),
        max_size=10,
    )
)
def test_dont_know_rows_are_sorted_by_party_respondent_and_item(rows):
    kept = pd.DataFrame(
        {
            "party": [party for party, _, _ in rows],
            "respondent": [respondent for _, respondent, _ in rows],
            "dont_know": [None if items is None else ";".join(items) for _, _, items in rows],
        },
        dtype=object,
    ).set_axis(range(50, 50 + len(rows)))
    by_hand = sorted(
        (
            ("2025", party, respondent, item)
            for party, respondent, items in rows
            for item in (items or [])
            if item
        ),
        key=lambda row: row[1:],  # stable: equal rows keep their order
    )
    order = clean._sort_order(kept, ["party", "respondent"])
    responses = kept.iloc[order].reset_index(drop=True)
    found = clean._dont_know(kept, "2025", responses, order)
    assert list(found.columns) == ["round", "party", "respondent", "item"]
    assert [tuple(row) for row in found.to_numpy().tolist()] == by_hand


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["b.csv", "a.csv"]),
            st.sampled_from([True, False, None]),
            st.sampled_from([None, "2025-03-01 10:00", "2025-03-01 09:00", "2024-12-31 23:59"]),
            st.lists(st.sampled_from([1, None]), min_size=2, max_size=2),
        ),
        max_size=10,
    ),
    st.sampled_from(["", "+01:00", "mixed"]),
)
def test_the_latest_complete_submission_comes_last_in_its_file(rows, offset):
    def stamp(text, number):
        if text is None or not offset:
            return text
        return text + ("+02:00" if offset == "mixed" and number % 2 else "+01:00")

    frame = pd.DataFrame(
        {
            "source_file": [file for file, _, _, _ in rows],
            "source_row": pd.Series(range(2, 2 + len(rows)), dtype="int64"),
            "submitted": pd.array([done for _, done, _, _ in rows], dtype="boolean"),
            "submitted_at": pd.Series(
                [stamp(text, n) for n, (_, _, text, _) in enumerate(rows)], dtype=object
            ),
            "Q1": pd.array([answers[0] for *_, answers in rows], dtype="Int8"),
            "Q2": pd.array([answers[1] for *_, answers in rows], dtype="Int8"),
        }
    )
    # by hand: per file, finished, then most answered, then latest (none first), then row
    times = pd.to_datetime(frame["submitted_at"], errors="coerce", format="mixed", utc=True)
    keys = [
        (file, bool(done), int(q1 is not pd.NA) + int(q2 is not pd.NA), time, row)
        for file, done, time, row, q1, q2 in zip(
            frame["source_file"], frame["submitted"].fillna(False), times,
            frame["source_row"], frame["Q1"], frame["Q2"], strict=True,
        )
    ]  # fmt: skip
    by_hand = sorted(
        range(len(rows)),
        key=lambda i: (*keys[i][:3], keys[i][3] is not pd.NaT, keys[i][3].value, keys[i][4]),
    )
    assert clean._latest_complete_last(frame).tolist() == by_hand


def siphash24(key: bytes, message: bytes) -> int:
    """SipHash-2-4 as its paper gives it (Aumasson and Bernstein, 2012), in plain Python."""
    mask = 2**64 - 1

    def rotl(x: int, bits: int) -> int:
        return ((x << bits) | (x >> (64 - bits))) & mask

    k0, k1 = int.from_bytes(key[:8], "little"), int.from_bytes(key[8:], "little")
    v = [k0 ^ 0x736F6D6570736575, k1 ^ 0x646F72616E646F6D, k0 ^ 0x6C7967656E657261,
         k1 ^ 0x7465646279746573]  # fmt: skip

    def rounds(n: int) -> None:
        for _ in range(n):
            v[0] = (v[0] + v[1]) & mask
            v[1] = rotl(v[1], 13) ^ v[0]
            v[0] = rotl(v[0], 32)
            v[2] = (v[2] + v[3]) & mask
            v[3] = rotl(v[3], 16) ^ v[2]
            v[0] = (v[0] + v[3]) & mask
            v[3] = rotl(v[3], 21) ^ v[0]
            v[2] = (v[2] + v[1]) & mask
            v[1] = rotl(v[1], 17) ^ v[2]
            v[2] = rotl(v[2], 32)

    whole = len(message) - len(message) % 8
    for start in range(0, whole, 8):
        word = int.from_bytes(message[start : start + 8], "little")
        v[3] ^= word
        rounds(2)
        v[0] ^= word
    last = (len(message) & 0xFF) << 56 | int.from_bytes(message[whole:], "little")
    v[3] ^= last
    rounds(2)
    v[0] ^= last
    v[2] ^= 0xFF
    rounds(4)
    return v[0] ^ v[1] ^ v[2] ^ v[3]


def test_pseudonym_is_siphash_of_the_key_spread_as_pandas_spreads_a_hash():
    # the paper's test vector: key 00..0f, message 00..0e
    assert siphash24(bytes(range(16)), bytes(range(15))) == 0xA129CA6149BE45E5
    mask = 2**64 - 1

    def spread(x: int) -> int:  # pandas' last step for every hash (a 64-bit bit mixer)
        x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & mask
        x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & mask
        return x ^ (x >> 31)

    keys = ["id_email:jan@x.nl", "id_name:zoë ülker", "", "row:2025|a.csv|12", "x" * 23]
    expected = [f"R{spread(siphash24(SECRET.encode(), key.encode())):016x}" for key in keys]
    assert pseudonyms(pd.Series(keys, dtype=object), SECRET).tolist() == expected


def test_respondents_are_keyed_by_their_first_identifier_else_by_where_they_were_found(
    instrument,
):
    rows = [
        {**FULL, "id_email": " Jan@X.nl ", "id_name": "Jan"},  # e-mail first, folded
        {**FULL, "X1": 1, "id_email": NA, "id_token": "T7", "id_name": "Piet"},
        # a name or a tool's response id is no person: the party, file and row
        {**FULL, "X1": 2, "id_email": NA, "id_name": "Piet", "id_respondent_id": "1"},
        {**FULL, "X1": 3, "id_email": NA, "id_name": NA, "id_respondent_id": "1"},
    ]
    responses, *_ = clean_responses(loaded(rows), instrument, "2025", SECRET)
    keys = [
        "id_email:a|jan@x.nl",
        "id_token:a|t7",
        "row:2025|a|data/raw/2025/a.csv|4",
        "row:2025|a|data/raw/2025/a.csv|5",
    ]
    expected = pseudonyms(pd.Series(keys, dtype=object), SECRET).tolist()
    found = responses.sort_values("X1")["respondent"].tolist()  # X1: 1, 2, 3, 4 in rows' order
    assert found == [expected[1], expected[2], expected[3], expected[0]]


@pytest.mark.parametrize("address", [" Jan@X.nl ", "STRAßE@x.nl", "Élise@X.nl"])
def test_identifiers_are_casefolded_ascii_or_not(instrument, address):
    # the reference: Python's casefold (ß is ss); ASCII text is lowered by Arrow instead
    rows = [{**FULL, "id_email": address}, {**FULL, "X1": 1, "id_email": "b@x.nl"}]
    responses, *_ = clean_responses(loaded(rows), instrument, "2025", SECRET)
    keys = ["id_email:a|" + address.strip().casefold(), "id_email:a|b@x.nl"]
    expected = pseudonyms(pd.Series(keys, dtype=object), SECRET).tolist()
    assert responses.sort_values("X1")["respondent"].tolist() == [expected[1], expected[0]]


@settings(max_examples=100, deadline=None)
@given(
    cells=st.lists(
        st.one_of(
            st.sampled_from(["a", "b", "é", "", " a", "A"]),
            st.sampled_from([None, float("nan"), pd.NA]),
            st.integers(0, 2),  # not text: numbered by pandas
        ),
        max_size=12,
    ),
    dtype=st.sampled_from([object, "str"]),
)
def test_distinct_numbers_text_as_pandas_factorize_does(cells, dtype):
    if dtype == "str":  # a text column holds text and missing cells only
        cells = [c if isinstance(c, str) or c is None else None for c in cells]
    column = pd.Series(cells, dtype=dtype)
    codes, uniques = clean._distinct(column)
    expected_codes, expected_uniques = pd.factorize(column)
    assert codes.tolist() == expected_codes.tolist()
    assert uniques == list(expected_uniques)


def test_rows_of_small_whole_numbers_get_hashes_of_their_own():
    # every row of eight answers from 1 to 5: all differ, so their hashes should, nearly all
    # (a hash that kept only the high bits of the numbers gave a few thousand in all)
    grid = np.stack(np.meshgrid(*[np.arange(1, 6)] * 8, indexing="ij"), -1).reshape(-1, 8)
    table = pd.DataFrame({f"X{i}": pd.array(grid[:, i], dtype="Int8") for i in range(8)})
    hashes = clean._row_hashes(table, list(table.columns))
    assert len(np.unique(hashes)) > 0.999 * len(table)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 30).flatmap(
        lambda n: st.lists(
            st.one_of(
                st.lists(st.integers(-3, 3), min_size=n, max_size=n),
                st.lists(st.booleans(), min_size=n, max_size=n),
                st.lists(st.integers(-(2**62), 2**62), min_size=n, max_size=n),  # no packing
            ),
            min_size=1,
            max_size=5,
        )
    )
)
def test_lexsort_is_numpy_s(columns):
    kinds = [bool if column and isinstance(column[0], bool) else np.int64 for column in columns]
    keys = [np.array(column, dtype=kind) for column, kind in zip(columns, kinds, strict=True)]
    assert clean._lexsort(keys).tolist() == np.lexsort(keys).tolist()


def test_lexsort_of_keys_that_are_not_whole_numbers_is_numpy_s():
    keys = [np.array([0.5, -1.5, 0.5, 2.0]), np.array([1, 0, 0, 1]), np.array(["b", "a", "a", "b"])]
    for some in (keys[:2], keys[1:], keys):
        assert clean._lexsort(some).tolist() == np.lexsort(some).tolist()
