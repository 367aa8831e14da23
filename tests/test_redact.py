"""Redaction of open answers: each kind of identifier, what must be left alone, and the needles."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.redact import Names, redact, redact_text


def redacted(texts: list[str], names: list[str] | None = None) -> list[str]:
    return redact(pd.Series(texts, dtype="str"), names or []).tolist()


def test_ip_addresses_are_redacted_and_times_and_dotted_numbers_are_not():
    texts = [
        "server 10.1.2.3 en 192.168.0.1:8080",
        "via 2001:db8::1 of fe80::1ff:fe23:4567:890a.",
        "IP: 2001:0db8:85a3:0000:0000:8a2e:0370:7334, daarna ::1",
        "adres:2001:db8::1: werkt niet",
        "om 10:30:00, paragraaf 1.2.3.4.5, versie 2.0, 256.1.1.1",
    ]
    assert redacted(texts) == [
        "server [ip-adres] en [ip-adres]:8080",
        "via [ip-adres] of [ip-adres].",
        "IP: [ip-adres], daarna [ip-adres]",
        "adres:[ip-adres]: werkt niet",
        "om 10:30:00, paragraaf 1.2.3.4.5, versie 2.0, 256.1.1.1",
    ]


def test_citizen_service_numbers_that_pass_the_eleven_test_are_redacted():
    # 123456782 passes the 11-test: 9*1 + 8*2 + ... + 2*8 - 2 = 154 = 14 * 11
    texts = [
        "BSN 123456782, of 123.456.782, of 123 456 782, of 1234.56.782",
        "klantnummer 123456789 en 123.456.789",  # fail the test: a number, no person
        "€ 123.456.782 en 123.456.782,50 euro en 123.456.782.000",  # amounts
    ]
    assert redacted(texts) == [
        "BSN [bsn], of [bsn], of [bsn], of [bsn]",
        "klantnummer 123456789 en 123.456.789",
        "€ 123.456.782 en 123.456.782,50 euro en 123.456.782.000",
    ]


def test_a_mobile_number_written_without_its_zero_is_a_phone_number():
    # 612345678 fails the 11-test, so it is no citizen number; it is 06-12345678 without 0
    assert redacted(["bel 612345678 of 6 12345678"]) == ["bel [telefoon] of [telefoon]"]


def test_ibans_are_redacted_with_and_without_spaces_in_any_case_when_their_check_holds():
    texts = [
        "NL91ABNA0417164300, NL91 ABNA 0417 1643 00 en nl91abna0417164300.",
        "BE68 5390 0754 7034 / DE89370400440532013000 / GB82 WEST 1234 5698 7654 32",
        "NL91ABNA0417164300 NL20INGB0001234567",  # two, one after the other
    ]
    assert redacted(texts) == [
        "[iban], [iban] en [iban].",
        "[iban] / [iban] / [iban]",
        "[iban] [iban]",
    ]
    # a wrong check digit, or letters and digits that only look like one: no IBAN
    for text in ["NL92ABNA0417164300", "code AB12 CDEF GHIJ KLMN OP"]:
        assert "[iban]" not in redacted([text])[0]
    assert redacted(["code AB12 CDEF GHIJ KLMN OP"]) == ["code AB12 CDEF GHIJ KLMN OP"]


def test_phone_numbers_are_redacted_in_the_forms_people_write_them():
    numbers = [
        "+31 (0)6 12345678", "+31 6 12345678", "+31612345678", "0031 6 12345678",
        "06.12.34.56.78", "06 - 12 34 56 78", "06-12345678", "06 1234 5678", "0612345678",
        "(0252) 123456", "0252-123456", "020 - 123 45 67", "06/12345678",
        "+32 470 12 34 56", "+49 30 1234567", "+44 20 7946 0958", "0032 470 123456",
    ]  # fmt: skip
    texts = [f"Bel {number}, of mail." for number in numbers]
    assert redacted(texts) == ["Bel [telefoon], of mail."] * len(numbers)


def test_two_phone_numbers_in_one_run_of_digits_are_both_redacted():
    texts = ["0252-123456 / 06-12345678", "06-10-2025 06-12345678", "+31 6 12345678 06 87654321"]
    assert redacted(texts) == [
        "[telefoon] / [telefoon]",
        "06-10-2025 [telefoon]",
        "[telefoon] [telefoon]",
    ]


def test_dates_years_amounts_percentages_postcodes_and_hours_are_no_phone_numbers():
    texts = [
        "op 2025-10-06 of 06-10-2025, van 06-10-2025 07-10-2025 en 06-10-2025 - 07-10-2025",
        "in 2024-2025 en 2025 2026 2027",
        "€ 1.250.000, 1.250.000 euro, EUR 0612345678, 0612345678,- en 0612345678%",
        "postcode 2161 AB, open 09.00-17.00 en 08.30 - 12.30 13.00 - 17.00",
    ]
    assert redacted(texts) == texts


@pytest.mark.parametrize(
    "address",
    [
        "naam [at] domein.nl", "naam(at)domein.nl", "naam (AT) domein (dot) nl",
        "naam at domein dot nl", "naam apenstaartje domein punt nl", "piet @ x.nl",
        "piet@x .nl", "piet[at]x[dot]co[dot]uk", "p.jansen @ gemeente-lisse.nl",
    ],
)  # fmt: skip
def test_written_out_and_spaced_email_addresses_are_redacted(address):
    assert redacted([f"Mail {address} maar."]) == ["Mail [e-mail] maar."]


def test_at_as_an_english_word_is_no_address_and_a_link_keeps_its_full_stop():
    texts = ["look at example.com", "Zie WWW.X.NL. Of https://x.nl/a.b?c=d)", "@team"]
    assert redacted(texts) == ["look at example.com", "Zie [link]. Of [link])", "@team"]


def test_a_full_name_is_found_in_either_order_in_any_case_as_one_placeholder():
    texts = [
        "Piet Jansen belde",
        "met piet jansen",
        "Jansen, Piet zei",
        "JANSEN PIET",
        "P. Jansen",
        "Pieter en Jansens",  # other words
    ]
    assert redacted(texts, ["Jansen, Piet"]) == [
        "[naam] belde", "met [naam]", "[naam] zei", "[naam]", "[naam]", "Pieter en Jansens",
    ]  # fmt: skip


def test_name_parts_stored_in_lower_case_are_found_but_tussenvoegsels_alone_are_not():
    names = ["piet van den berg", "karin de graaf-smit"]
    texts = ["Vraag Piet", "met karin gesproken", "van de gemeente, den haag", "Smit belde"]
    assert redacted(texts, names) == [
        "Vraag [naam]", "met [naam] gesproken", "van de gemeente, den haag", "[naam] belde",
    ]  # fmt: skip


def test_a_name_part_that_is_a_common_word_is_a_name_only_where_written_as_one():
    names = ["Jan van der Meer", "Anna Bos", "Karin de Wit", "Ben Yilmaz"]
    texts = [
        "Wij willen meer overleg. Meer tijd ook.",  # the word, and the first of a sentence
        "het bos achter de wit geverfde muur; ik ben blij",
        "met Van der Meer gesproken, en met jan van der meer",
        "Bos en natuur. Verder belde Bos, en Ben ook",
        "mevrouw de Wit",
    ]
    assert redacted(texts, names) == [
        "Wij willen meer overleg. Meer tijd ook.",
        "het bos achter de wit geverfde muur; ik ben blij",
        "met [naam] gesproken, en met [naam]",
        "Bos en natuur. Verder belde [naam], en [naam] ook",
        "mevrouw [naam]",
    ]


def test_a_short_name_is_found_in_capitals_in_either_order():
    assert redacted(["met Bo Li en met Li, Bo; bo li"], ["Bo Li"]) == [
        "met [naam] en met [naam]; bo li"
    ]


def test_a_name_that_is_a_placeholder_word_leaves_the_placeholders_whole():
    texts = ["zie www.x.nl of bel 06-12345678", "Link belde"]
    assert redacted(texts, ["Link Telefoon"]) == ["zie [link] of bel [telefoon]", "[naam] belde"]


@pytest.mark.parametrize("dtype", ["str", object])
def test_redacting_keeps_the_index_the_type_and_the_missing_values(dtype):
    texts = pd.Series(["bel +32 470 12 34 56", None, "niets"], index=[7, 3, 5], dtype=dtype)
    out = redact(texts, ["Piet Jansen"])
    assert out.index.tolist() == [7, 3, 5]
    assert out.dtype == texts.dtype
    assert out.iloc[0] == "bel [telefoon]" and pd.isna(out.iloc[1]) and out.iloc[2] == "niets"


NAMES = ["Jansen, Piet", "Jan van der Meer", "Bo Li", "Anna Bos", "Link Telefoon"]
fragments = st.sampled_from(
    ["Piet", "piet", "Jansen", "jansen", "van der", "Meer", "meer", "Bo", "Li", "Bos", "bos",
     "link", "Link", "[link]", "Ünal", " ", ", ", ". ", "-", "\n", "(", ")", ":", "::", "@",
     " at ", " dot ", "[at]", "piet@x.nl", "piet [at] x.nl", "www.x.nl", "https://x.nl/p",
     "06-12345678", "+31 6 1234 5678", "0031612345678", "612345678", "123.456.782",
     "123456782", "NL91ABNA0417164300", "NL91 ABNA 0417 1643 00", "10.1.2.3", "2001:db8::1",
     "fe80::1", "+31", "0", "6", "2025", "06-10-2025", "€ ", "%", "tekst"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(fragments, max_size=6).map("".join), max_size=8),
    st.sampled_from(["pyarrow", "python", "object"]),
)
def test_each_text_comes_out_as_if_every_rule_had_read_it(texts, storage):
    # the rules read only the texts that hold their needle (or that an earlier rule changed):
    # so each text comes out as if every rule had read it, in any of pandas' text types
    names = Names.of(NAMES)
    if storage == "object":
        series = pd.Series(texts, dtype=object)
    else:
        with pd.option_context("mode.string_storage", storage):  # as ``_comments`` makes them
            series = pd.Series(texts, dtype="str")
    assert redact(series, names).tolist() == [redact_text(text, names) for text in texts]
