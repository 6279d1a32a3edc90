"""Qt models for claims: an incident's claims, its matrix of fields by sources, the
case's conflicts with the claims behind one, and the outlets with their grades.

An incident has tens of claims and a case tens of conflicts and outlets, so each model
holds its rows whole.
"""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from desk.claims.values import FIELD_LABELS
from desk.services.claims import ClaimView, ConflictView, Matrix, MatrixCell
from desk.services.outlets import OutletView
from ui.models import AnyIndex

# Admiralty (NATO) scales: the outlet's reliability and the claim's credibility.
RELIABILITY_MEANINGS = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
CREDIBILITY_MEANINGS = {
    1: "confirmed by other sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "truth cannot be judged",
}
ROLE_LABELS = {
    "actor1": "actor 1",
    "actor2": "actor 2",
    "assoc_actor1": "associated with actor 1",
    "assoc_actor2": "associated with actor 2",
    "target": "target",
    "victim": "victim",
    "other": "other",
}
STATUS_LABELS = {"open": "open", "resolved": "resolved", "reopened": "re-opened"}

# Matrix cells, like an Analysis of Competing Hypotheses matrix. Light fills with
# black text, so they read the same under a dark palette.
STATE_COLOURS = {
    "agree": QColor("#bfe5c0"),
    "conflict": QColor("#f6b7b3"),
    "alone": QColor("#ffffff"),
    "not stated": QColor("#dcdcdc"),
}
STATE_LABELS = {
    "agree": "agrees with other sources",
    "conflict": "in conflict",
    "alone": "stated by this source only",
    "not stated": "not stated",
}
INK = QColor("#1a1a1a")

# Custom roles every claim model answers.
CLAIM_ROLE = Qt.ItemDataRole.UserRole + 1  # the ClaimView of a row
FIELD_ROLE = Qt.ItemDataRole.UserRole + 2  # the row's claim field ("fatalities" ...)
STATE_ROLE = Qt.ItemDataRole.UserRole + 3  # a matrix cell's state
CLAIMS_ROLE = Qt.ItemDataRole.UserRole + 4  # a matrix cell's claims (tuple of ClaimView)
CONFLICT_ROLE = Qt.ItemDataRole.UserRole + 5  # the ConflictView of a row
OUTLET_ROLE = Qt.ItemDataRole.UserRole + 6  # the OutletView of a row

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_CENTRE = int(Qt.AlignmentFlag.AlignCenter)
_ROW_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)


def is_right_to_left_text(text: str | None) -> bool:
    """Whether the first strongly directed letter of ``text`` is written right to left."""
    for char in text or "":
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


def grade_text(reliability: str | None, credibility: int | None) -> str:
    """The Admiralty grade of a claim, as "B3"; "?" stands for what is not graded."""
    if reliability is None and credibility is None:
        return ""
    return f"{reliability or '?'}{credibility if credibility is not None else '?'}"


def grade_tooltip(reliability: str | None, credibility: int | None) -> str:
    outlet = (
        f"Outlet {reliability}: {RELIABILITY_MEANINGS[reliability]}"
        if reliability in RELIABILITY_MEANINGS
        else "Outlet not graded"
    )
    claim = (
        f"claim {credibility}: {CREDIBILITY_MEANINGS[credibility]}"
        if credibility in CREDIBILITY_MEANINGS
        else "claim's credibility not judged"
    )
    return f"{outlet}; {claim}."


def key_text(field: str, key: str) -> str:
    """What a group of claims is about beyond its field: a question, an actor's role."""
    return ROLE_LABELS.get(key, key) if field == "actor" else key


def row_label(field: str, key: str) -> str:
    label = FIELD_LABELS.get(field, field)
    return f"{label}: {key_text(field, key)}" if key else label


def outlet_text(outlet: str | None, reliability: str | None) -> str:
    if not outlet:
        return ""
    return f"{outlet} ({reliability})" if reliability else outlet


def one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def independence_text(claim: ClaimView, titles: Mapping[uuid.UUID, str]) -> str:
    if claim.repeats_source_id is None:
        return "independent"
    return f"repeats {titles.get(claim.repeats_source_id, 'another source')}"


def claim_tooltip(claim: ClaimView, titles: Mapping[uuid.UUID, str] | None = None) -> str:
    """Who says what, how graded, and in which words: for a cell or a row."""
    who = claim.source_title
    if claim.outlet:
        who += f" ({outlet_text(claim.outlet, claim.outlet_reliability)})"
    lines = [
        f"{who}: {claim.value_text}",
        grade_tooltip(claim.outlet_reliability, claim.credibility),
    ]
    if claim.repeats_source_id is not None:
        lines.append(independence_text(claim, titles or {}).capitalize() + ".")
    lines.append(f"Corroborated by {_outlets(claim.corroboration)}.")
    if claim.quote:
        lines.append(f"“{claim.quote}”")
    if claim.note:
        lines.append(f"Note: {claim.note}")
    return "\n".join(lines)


def _outlets(count: int) -> str:
    return "1 independent outlet" if count == 1 else f"{count} independent outlets"


class _TableModel(QAbstractTableModel):
    HEADERS: tuple[str, ...] = ()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        raise NotImplementedError

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return super().headerData(section, orientation, role)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags


class ClaimTableModel(_TableModel):
    """An incident's claims as rows: field, what about, value, source, outlet, grade,
    corroboration, quote. No signals."""

    HEADERS = ("Field", "About", "Value", "Source", "Outlet", "Grade", "Corroborated", "Quote")
    FIELD, ABOUT, VALUE, SOURCE, OUTLET, GRADE, CORROBORATED, QUOTE = range(8)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._claims: list[ClaimView] = []
        self._titles: dict[uuid.UUID, str] = {}

    def set_claims(
        self, claims: Sequence[ClaimView], titles: Mapping[uuid.UUID, str] | None = None
    ) -> None:
        """Show ``claims``; ``titles`` names the sources that claims say they repeat."""
        self.beginResetModel()
        self._claims = list(claims)
        self._titles = dict(titles or {})
        self.endResetModel()

    def claim_at(self, row: int) -> ClaimView:
        return self._claims[row]

    def row_of(self, claim_id: uuid.UUID) -> int | None:
        return next((n for n, c in enumerate(self._claims) if c.id == claim_id), None)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._claims)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        claim = self._claims[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(claim, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.GRADE:
                return grade_tooltip(claim.outlet_reliability, claim.credibility)
            return claim_tooltip(claim, self._titles)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (self.GRADE, self.CORROBORATED):
                return _CENTRE
            if column in (self.VALUE, self.SOURCE, self.QUOTE, self.ABOUT) and (
                is_right_to_left_text(self._display(claim, column))
            ):
                return _RIGHT
            return None
        if role == CLAIM_ROLE:
            return claim
        if role == FIELD_ROLE:
            return claim.field
        return None

    def _display(self, claim: ClaimView, column: int) -> str:
        if column == self.FIELD:
            return FIELD_LABELS.get(claim.field, claim.field)
        if column == self.ABOUT:
            return key_text(claim.field, claim.key)
        if column == self.VALUE:
            return claim.value_text
        if column == self.SOURCE:
            return claim.source_title
        if column == self.OUTLET:
            return outlet_text(claim.outlet, claim.outlet_reliability)
        if column == self.GRADE:
            return grade_text(claim.outlet_reliability, claim.credibility)
        if column == self.CORROBORATED:
            text = str(claim.corroboration)
            return text if claim.independent else f"{text} (repeats)"
        return one_line(claim.quote)


class ClaimMatrixModel(QAbstractTableModel):
    """Fields down, the incident's sources across; each cell the values a source
    states, with their credibility in brackets, coloured by agreement. No signals."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._matrix: Matrix | None = None

    def set_matrix(self, matrix: Matrix | None) -> None:
        self.beginResetModel()
        self._matrix = matrix
        self.endResetModel()

    @property
    def matrix(self) -> Matrix | None:
        return self._matrix

    def cell(self, row: int, column: int) -> MatrixCell:
        assert self._matrix is not None
        return self._matrix.cell(row, column)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self._matrix is None else len(self._matrix.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self._matrix is None else len(self._matrix.sources)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._matrix is None:
            return None
        cell = self._matrix.cell(index.row(), index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return "\n".join(_cell_line(c) for c in cell.claims)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(STATE_COLOURS[cell.state])
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(INK)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _CENTRE
        if role == Qt.ItemDataRole.ToolTipRole:
            if not cell.claims:
                return f"{self._source_name(index.column())}: not stated."
            state = STATE_LABELS[cell.state].capitalize()
            return f"{state}.\n\n" + "\n\n".join(claim_tooltip(c) for c in cell.claims)
        if role == STATE_ROLE:
            return cell.state
        if role == CLAIMS_ROLE:
            return cell.claims
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        matrix = self._matrix
        if matrix is None:
            return super().headerData(section, orientation, role)
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(matrix.rows):
            field, key = matrix.rows[section]
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return row_label(field, key)
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(matrix.sources):
            _, title, outlet, grade = matrix.sources[section]
            if role == Qt.ItemDataRole.DisplayRole:
                # Several sources may share an outlet: the title tells them apart.
                lines = [_shorten(title, 23)]
                if outlet:
                    lines.append(_shorten(outlet, 23))
                lines.append(f"{grade or '?'} · {_grade_words(grade)}")
                return "\n".join(lines)
            if role == Qt.ItemDataRole.ToolTipRole:
                lines = [title]
                if outlet:
                    lines.append(f"Outlet: {outlet}")
                lines.append(f"Reliability: {grade or '?'}, {_grade_words(grade)}")
                return "\n".join(lines)
        return super().headerData(section, orientation, role)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def _source_name(self, column: int) -> str:
        assert self._matrix is not None
        _, title, outlet, _ = self._matrix.sources[column]
        return outlet or title


def _cell_line(claim: ClaimView) -> str:
    credibility = f" [{claim.credibility}]" if claim.credibility is not None else ""
    # An Arabic value is isolated so the bracket stays on its side.
    value = (
        f"\u2068{claim.value_text}\u2069"
        if is_right_to_left_text(claim.value_text)
        else claim.value_text
    )
    return value + credibility


def _grade_words(grade: str | None) -> str:
    return RELIABILITY_MEANINGS.get(grade or "", "not graded")


def _shorten(text: str, length: int) -> str:
    text = one_line(text)
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


class ConflictListModel(_TableModel):
    """Conflicts as rows: incident, what is disputed, status, the values stated.
    No signals."""

    HEADERS = ("Incident", "Conflict", "Status", "Values stated")
    INCIDENT, CONFLICT, STATUS, VALUES = range(4)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._conflicts: list[ConflictView] = []

    def set_conflicts(self, conflicts: Sequence[ConflictView]) -> None:
        self.beginResetModel()
        self._conflicts = list(conflicts)
        self.endResetModel()

    def conflict_at(self, row: int) -> ConflictView:
        return self._conflicts[row]

    def row_of(self, conflict_id: uuid.UUID) -> int | None:
        return next((n for n, c in enumerate(self._conflicts) if c.id == conflict_id), None)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._conflicts)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        conflict = self._conflicts[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.INCIDENT:
                return conflict.incident_title
            if column == self.CONFLICT:
                return row_label(conflict.field, conflict.key)
            if column == self.STATUS:
                return STATUS_LABELS.get(conflict.status, conflict.status)
            return " · ".join(dict.fromkeys(c.value_text for c in conflict.claims))
        if role == Qt.ItemDataRole.ToolTipRole:
            return conflict.explanation
        if role == Qt.ItemDataRole.FontRole and column == self.STATUS and conflict.is_open:
            font = QFont()
            font.setBold(True)
            return font
        if role == CONFLICT_ROLE:
            return conflict
        if role == FIELD_ROLE:
            return conflict.field
        return None


class ConflictClaimsModel(_TableModel):
    """The claims behind one conflict, one per row so their values, grades and quotes
    line up for comparison. No signals."""

    HEADERS = ("Value", "Source", "Outlet", "Grade", "Independence", "Corroborated", "Quote")
    VALUE, SOURCE, OUTLET, GRADE, INDEPENDENCE, CORROBORATED, QUOTE = range(7)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._claims: list[ClaimView] = []
        self._titles: dict[uuid.UUID, str] = {}

    def set_claims(
        self, claims: Sequence[ClaimView], titles: Mapping[uuid.UUID, str] | None = None
    ) -> None:
        self.beginResetModel()
        self._claims = list(claims)
        self._titles = dict(titles or {})
        self.endResetModel()

    def claim_at(self, row: int) -> ClaimView:
        return self._claims[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._claims)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        claim = self._claims[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(claim, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.GRADE:
                return grade_tooltip(claim.outlet_reliability, claim.credibility)
            if column == self.QUOTE:
                return claim.quote or "No quote recorded."
            return claim_tooltip(claim, self._titles)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (self.GRADE, self.CORROBORATED):
                return _CENTRE
            if is_right_to_left_text(self._display(claim, column)):
                return _RIGHT
            return None
        if role == CLAIM_ROLE:
            return claim
        return None

    def _display(self, claim: ClaimView, column: int) -> str:
        if column == self.VALUE:
            return claim.value_text
        if column == self.SOURCE:
            return claim.source_title
        if column == self.OUTLET:
            return outlet_text(claim.outlet, claim.outlet_reliability)
        if column == self.GRADE:
            return grade_text(claim.outlet_reliability, claim.credibility)
        if column == self.INDEPENDENCE:
            return independence_text(claim, self._titles)
        if column == self.CORROBORATED:
            return str(claim.corroboration)
        return one_line(claim.quote)


# Called with (outlet name, grade, reason) once both are known; True when it was saved.
Commit = Callable[[str, str, str], bool]


class OutletTableModel(_TableModel):
    """Outlets with their grade, its reason and how many sources each has; the grade
    and the reason are edited in place.

    A grade needs its reason: when one is given without the other, it is held as
    pending (shown in italics) until the other is given, then ``commit`` saves both.

    Signals:
        incomplete(QModelIndex, str): an edit is pending; the index of the cell still
            to fill and a sentence saying what is missing.
    """

    HEADERS = ("Outlet", "Reliability", "Reason", "Sources")
    NAME, RELIABILITY, REASON, SOURCES = range(4)

    incomplete = Signal(QModelIndex, str)

    def __init__(self, commit: Commit, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._commit = commit
        self._outlets: list[OutletView] = []
        self._counts: dict[str, int] = {}
        self._pending: dict[str, dict[str, str]] = {}

    def set_outlets(self, outlets: Sequence[OutletView], counts: Mapping[str, int]) -> None:
        self.beginResetModel()
        self._outlets = list(outlets)
        self._counts = dict(counts)
        known = {o.name for o in outlets}
        self._pending = {k: v for k, v in self._pending.items() if k in known}
        self.endResetModel()

    def outlet_at(self, row: int) -> OutletView:
        return self._outlets[row]

    def row_of(self, name: str) -> int | None:
        return next((n for n, o in enumerate(self._outlets) if o.name == name), None)

    def pending(self, name: str) -> dict[str, str]:
        return dict(self._pending.get(name, {}))

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._outlets)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        outlet = self._outlets[index.row()]
        column = index.column()
        pending = self._pending.get(outlet.name, {})
        grade = pending.get("reliability", outlet.reliability)
        reason = pending.get("reason", outlet.reason)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.NAME:
                return outlet.name
            if column == self.RELIABILITY:
                return f"{grade} · {RELIABILITY_MEANINGS[grade]}" if grade else "not graded"
            if column == self.REASON:
                return one_line(reason)
            return str(self._counts.get(outlet.name, 0))
        if role == Qt.ItemDataRole.EditRole:
            if column == self.RELIABILITY:
                return grade or ""
            if column == self.REASON:
                return reason or ""
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        if role == Qt.ItemDataRole.ToolTipRole:
            if pending:
                return "Not saved yet: a grade needs both a letter and its reason."
            if column == self.REASON:
                return reason or "No reason given."
            return None
        if role == Qt.ItemDataRole.FontRole and (
            (column == self.RELIABILITY and "reliability" in pending)
            or (column == self.REASON and "reason" in pending)
        ):
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == self.SOURCES:
                return _CENTRE
            if column in (self.NAME, self.REASON) and is_right_to_left_text(
                outlet.name if column == self.NAME else reason
            ):
                return _RIGHT
            return None
        if role == OUTLET_ROLE:
            return outlet
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() in (self.RELIABILITY, self.REASON):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            not index.isValid()
            or role != Qt.ItemDataRole.EditRole
            or index.column() not in (self.RELIABILITY, self.REASON)
        ):
            return False
        outlet = self._outlets[index.row()]
        text = str(value or "").strip()
        key = "reliability" if index.column() == self.RELIABILITY else "reason"
        if key == "reliability":
            text = text[:1].upper()
            if text not in RELIABILITY_MEANINGS:
                return False
        current = outlet.reliability if key == "reliability" else outlet.reason
        pending = self._pending.setdefault(outlet.name, {})
        if text == (current or "") and key not in pending:
            if not pending:
                del self._pending[outlet.name]
            return False
        pending[key] = text
        grade = pending.get("reliability", outlet.reliability)
        reason = pending.get("reason", outlet.reason)
        row = index.row()
        if grade and reason:
            if self._commit(outlet.name, grade, reason):
                self._pending.pop(outlet.name, None)
        elif not grade:
            self.incomplete.emit(
                self.index(row, self.RELIABILITY), f"Choose a grade for {outlet.name}."
            )
        else:
            self.incomplete.emit(
                self.index(row, self.REASON),
                f"Give the reason for grading {outlet.name} {grade}.",
            )
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.SOURCES))
        return True
