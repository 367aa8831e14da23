"""The error a user can fix: it says where (file, row, column) and how, and the CLI exits 2."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["InputError", "Problem"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, with where it is and what would fix it."""

    message: str
    file: Path | str | None = None
    row: int | None = None
    column: str | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = [str(self.file)] if self.file is not None else []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        text = (", ".join(where) + ": " if where else "") + self.message
        if self.hint:
            text += f"\n    fix: {self.hint}"
        return text


@dataclass
class InputError(Exception):
    """One or more problems with the user's input; raised so that all of them are shown at once."""

    problems: list[Problem] = field(default_factory=list)

    @classmethod
    def single(cls, message: str, **where: object) -> InputError:
        """An error with one problem."""
        return cls([Problem(message, **where)])  # type: ignore[arg-type]

    def __str__(self) -> str:
        return "\n".join(f"- {problem}" for problem in self.problems)
