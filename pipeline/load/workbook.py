"""An XLSX export checked before it is read: a zip archive within the limits of any export.

python-calamine inflates the parts it reads and makes a Python object of every cell (about 150
bytes a cell): a 1 MB archive that inflated to millions of cells took 6.4 GB, and one of 21
million rows ended the run in a Rust abort. So the archive's directory (each part's packed and
inflated size) and the first bytes of its worksheets (their ``<dimension>``) are checked first,
never a whole part. A file that is no archive is named for what it looks like instead.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from pipeline.errors import InputError, Problem

__all__ = ["FILE_KINDS", "check_workbook"]

#: What a file is, by its first bytes, for messages about a file of the wrong kind.
FILE_KINDS = {
    b"PK\x03\x04": "an Excel workbook (.xlsx)",
    b"$FL2": "an SPSS data file (.sav)",
    b"$FL3": "an SPSS data file (.sav)",
    b"\xd0\xcf\x11\xe0": "an old Excel workbook (.xls)",
    b"%PDF": "a PDF document",
}
#: The start of an OLE compound file: an old Excel workbook (.xls), or an encrypted
#: (password-protected) .xlsx, which Excel wraps in one.
_COMPOUND_FILE = b"\xd0\xcf\x11\xe0"

# No real export comes near these limits; each is named in the message that refuses a file.
#: A part (a sheet, the shared strings) inflates to at most this: Excel's largest sheet of an
#: export, 1,048,576 rows of 100 answers at about 30 bytes of XML a cell, is about 3 GB.
_MAX_PART_BYTES = 4 * 2**30
#: A part inflates at most this many times its packed size, once it is larger than
#: :data:`_RATIO_FROM_BYTES`: a sheet of answers packs 10 to 20 times (15 with the same answer
#: in every cell, 17 with random answers), a bomb of empty rows about 400 times. A small part
#: may pack as well as it likes: inflated it is still small.
_MAX_RATIO = 100
_RATIO_FROM_BYTES = 16 * 2**20
#: A sheet's ``<dimension>`` spans at most Excel's own 1,048,576 rows and 16,384 columns (XFD),
#: and at most 100,000,000 cells from A1 (a million responses to a hundred questions).
_MAX_SHEET_ROWS = 2**20
_MAX_SHEET_COLUMNS = 2**14
_MAX_SHEET_CELLS = 100_000_000
#: An archive holds at most this many parts: a workbook has tens (sheets, styles, shared
#: strings, properties), hundreds with many sheets or pictures.
_MAX_PARTS = 10_000
#: How much of a part's start is inflated to tell whether it is a worksheet (by its root
#: element), and at most how much of a worksheet's start to find its ``<dimension>`` in: it
#: comes before the rows, after the sheet's properties, views and column widths.
_PART_HEAD_BYTES = 4096
_SHEET_HEAD_BYTES = 4 * 2**20
_PREFIX = rb"<(?:[A-Za-z_][\w.-]*:)?"  # an element's start, with or without a namespace prefix
_WORKSHEET = re.compile(_PREFIX + rb"worksheet\b")
_SHEET_DATA = re.compile(_PREFIX + rb"sheetData\b")
_DIMENSION = re.compile(_PREFIX + rb"dimension\b[^>]*?\sref\s*=\s*[\"']([^\"']*)[\"']")
_CELL_REFERENCE = re.compile(rb"\$?([A-Za-z]+)\$?([0-9]+)")
#: What inflating a damaged part raises: a bad zip entry, an encrypted one (RuntimeError), a
#: packing method zipfile does not have, broken deflate data, or data that ends early.
_DAMAGED_PART = (
    zipfile.BadZipFile,
    RuntimeError,
    NotImplementedError,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
)


def check_workbook(data: bytes, suffix: str, name: str) -> None:
    """Refuse a workbook that is no zip archive, or whose archive holds more than any export.

    Checked before python-calamine reads the file, from the archive's directory (each part's
    packed and inflated size) and the first bytes of its worksheets (their ``<dimension>``),
    never a whole part: see :data:`_MAX_PART_BYTES` and the limits after it. An old workbook
    (``.xls``) is no archive and is left to calamine.

    Raises
    ------
    InputError
        Naming the part and the limit it is over, or saying what the file is instead.
    """
    if suffix == ".xls" and not data.startswith(b"PK"):
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise InputError([_not_an_archive(data, name)]) from None
    with archive:
        parts = archive.infolist()
        if len(parts) > _MAX_PARTS:
            _refuse(name, f"its archive holds {len(parts):,} parts, more than {_MAX_PARTS:,}")
        for part in parts:
            _check_part_size(part, name)
        damaged = None
        for part in parts:
            try:
                _check_dimension(archive, part, name)
            except _DAMAGED_PART:
                damaged = part.filename
                break
    if damaged is not None:
        _refuse(
            name,
            f"its part {damaged} is damaged, encrypted or packed in a way Excel does not pack it",
            hint="open it in Excel or LibreOffice and save it again as .xlsx, or export it anew",
        )


def _check_part_size(part: zipfile.ZipInfo, name: str) -> None:
    """Refuse a part that inflates beyond :data:`_MAX_PART_BYTES` or :data:`_MAX_RATIO`."""
    size, packed = part.file_size, part.compress_size
    if size > _MAX_PART_BYTES:
        _refuse(
            name,
            f"its part {part.filename} would inflate to {_bytes(size)}, more than the "
            f"{_bytes(_MAX_PART_BYTES)} of the largest sheet an export can be",
        )
    if size > _RATIO_FROM_BYTES and size > _MAX_RATIO * packed:
        _refuse(
            name,
            f"its part {part.filename} would inflate {size / max(packed, 1):,.0f} times, from "
            f"{_bytes(packed)} to {_bytes(size)}: a sheet of answers packs 10 to 20 times, and "
            f"a part of over {_bytes(_RATIO_FROM_BYTES)} that packs more than {_MAX_RATIO} "
            "times is not an export",
        )


def _check_dimension(archive: zipfile.ZipFile, part: zipfile.ZipInfo, name: str) -> None:
    """Refuse a worksheet whose ``<dimension>`` spans more than a sheet of any export.

    The dimension is what the sheet says it spans; beyond Excel's own sheet, or beyond the
    cells of any export, the file is damaged or made up. Only the part's start is inflated:
    enough to see its root element, and for a worksheet up to its rows (``<sheetData>``), which
    the dimension comes before.
    """
    if part.is_dir() or not part.file_size:
        return
    with archive.open(part) as stream:
        head = stream.read(_PART_HEAD_BYTES)
        if not _WORKSHEET.search(head):
            return
        found = _DIMENSION.search(head)
        while found is None and not _SHEET_DATA.search(head) and len(head) < _SHEET_HEAD_BYTES:
            more = stream.read(min(len(head) * 3, _SHEET_HEAD_BYTES - len(head)))
            if not more:
                break
            head += more
            found = _DIMENSION.search(head)
    if found is None:
        return
    ref = found.group(1)
    corners = [_CELL_REFERENCE.fullmatch(corner.strip()) for corner in ref.split(b":")]
    if not 1 <= len(corners) <= 2 or None in corners:
        return  # no reference: calamine sizes the grid by the cells themselves
    rows = max(_reference_number(match.group(2), base=10) for match in corners if match)
    columns = max(_reference_number(match.group(1), base=26) for match in corners if match)
    shown = ref[:40].decode("ascii", "replace")
    sheet = f"its sheet {part.filename} says it spans {shown}"
    if rows > _MAX_SHEET_ROWS:
        _refuse(
            name,
            f"{sheet} ({rows:,} rows), more than the {_MAX_SHEET_ROWS:,} rows an Excel sheet "
            "can hold",
        )
    if columns > _MAX_SHEET_COLUMNS:
        _refuse(
            name,
            f"{sheet} ({columns:,} columns), more than the {_MAX_SHEET_COLUMNS:,} columns an "
            "Excel sheet can hold",
        )
    if rows * columns > _MAX_SHEET_CELLS:
        _refuse(
            name,
            f"{sheet} ({rows * columns:,} cells), more than the {_MAX_SHEET_CELLS:,} cells of "
            "the largest export (a million responses to a hundred questions)",
        )


def _reference_number(text: bytes, base: int) -> int:
    """A cell reference's row (``base`` 10) or column (26: A is 1, Z 26, AA 27) number.

    One of more than 12 digits or letters, beyond every limit, is given as ``10**12``: a made-up
    reference of a million digits costs no more than a real one.
    """
    if len(text) > 12:
        return 10**12
    if base == 10:
        return int(text)
    number = 0
    for letter in text.upper():
        number = number * 26 + letter - ord("A") + 1
    return number


def _bytes(size: int) -> str:
    """A size as messages give it: ``640 KiB``, ``26.5 MiB``, ``4 GiB``."""
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if size >= scale:
            return f"{size / scale:,.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def _refuse(name: str, message: str, hint: str | None = None) -> None:
    """Raise the InputError of a workbook beyond the limits of any export."""
    raise InputError.single(
        message,
        file=name,
        hint=hint
        or "the file is damaged or was not made by a survey tool: export the responses again "
        "(as CSV, which has no such limits, when the export is very large)",
    )


def _not_an_archive(data: bytes, name: str) -> Problem:
    """The problem of an .xlsx that is no zip archive, saying what it looks like instead."""
    again = "export the responses again as .xlsx"
    if data.startswith(_COMPOUND_FILE):
        return Problem(
            "is not an .xlsx workbook (a zip archive): it is a workbook with a password, or an "
            "old Excel workbook (.xls)",
            file=name,
            hint="open it in Excel, remove the password (File > Info > Protect Workbook) and save "
            "it as .xlsx; an old workbook: save it as .xlsx, or give it the extension .xls",
        )
    if data.startswith(b"PK"):
        return Problem(
            "starts like an Excel workbook but is cut off or damaged: the end of its zip "
            "archive is not there",
            file=name,
            hint=f"{again}, or copy the whole file anew",
        )
    kind = next((what for magic, what in FILE_KINDS.items() if data.startswith(magic)), None)
    if kind is not None:
        return Problem(
            f"is not an Excel workbook: it looks like {kind}",
            file=name,
            hint=f"give the file the extension of what it is, or {again}",
        )
    head = data[:65536]
    if b"\x00" not in head or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            return Problem(
                "is not an Excel workbook (a zip archive) but a web page or XML text, as some "
                "tools save under an Excel extension",
                file=name,
                hint=f"open it in Excel and save it as .xlsx, or {again} or as CSV",
            )
        return Problem(
            "is not an Excel workbook (a zip archive) but text, perhaps CSV",
            file=name,
            hint=f"if it is a CSV export, give it the extension .csv; otherwise {again}",
        )
    return Problem(
        "is not an Excel workbook: an .xlsx file is a zip archive, and this one is not",
        file=name,
        hint=again,
    )
