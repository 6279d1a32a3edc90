"""Signing keys: the analyst's own, to sign bundles with, and colleagues' they trust."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk.bundles import signing
from desk.bundles.signing import KeyInfo
from desk.errors import DeskError
from ui.tooltips import plain_tooltip
from ui.widgets.hint import hint_label

COLUMNS = ("Key", "Name", "Whose", "Trusted", "Added")
KEY, NAME, WHOSE, TRUSTED, ADDED = range(len(COLUMNS))
KEY_FILTER = "Public keys (*.pub);;All files (*)"
HELP = (
    "A bundle signed with your key shows colleagues that you made it and that nothing "
    "in it was changed since. Give them your public key file; import theirs and a "
    "bundle they sign shows as trusted here."
)
NO_KEYS = "You have no keys yet: Make my key makes one to sign your bundles with."
# Characters file systems refuse in a name (and control characters).
_NOT_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def key_file_name(key: KeyInfo) -> str:
    """The name to suggest for a public key file: the key's name, else its id."""
    name = _NOT_IN_NAMES.sub("-", key.label).strip(" .")
    return f"{name or key.key_id}.pub"


class KeysDialog(QDialog):
    """The analyst's own signing keys (newest first: it signs their bundles) and the
    colleagues' keys they trust, with "Make my key", "Trust", "Distrust", "Export my
    public key…" and "Import a colleague's key…". Keys live in the analyst's data
    folder, not in a case. A key distrusted here stays listed, not trusted, until the
    dialog closes, so that Trust can take it back.

    Signals:
        keys_changed(): a key was made, trusted, distrusted or imported.

    Attributes:
        keys: the ``KeyInfo``s in the table's order.
        table: id, name, whose (mine or a colleague's), trusted, when added.
        empty_label: shown instead of the table when there are no keys.
        make_button: makes a key named after the analyst.
        trust_button, distrust_button: for the selected key (Distrust only for a
            colleague's key).
        export_button: writes the public half of the selected own key, else of the
            newest, to a file the analyst chooses.
        import_button: trusts the key in a .pub file, under a name the analyst gives.
        message: what the last action did, or why it failed.
    """

    keys_changed = Signal()

    def __init__(self, analyst: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Signing keys")
        self._analyst = analyst
        # Keys distrusted while the dialog is open: trusted.json forgets them.
        self._distrusted: dict[str, KeyInfo] = {}
        self.keys: list[KeyInfo] = []

        explanation = QLabel(HELP)
        explanation.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        added = QTableWidgetItem(COLUMNS[ADDED])
        added.setToolTip("When you made the key, or when you trusted a colleague's key")
        self.table.setHorizontalHeaderItem(ADDED, added)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)
        self.table.itemSelectionChanged.connect(self._buttons_changed)
        self.empty_label = hint_label(NO_KEYS)
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)

        self.make_button = QPushButton("&Make my key")
        self.make_button.setToolTip(plain_tooltip(f"Make a signing key named {analyst}"))
        self.trust_button = QPushButton("&Trust")
        self.trust_button.setToolTip("Show bundles signed with the selected key as trusted")
        self.distrust_button = QPushButton("&Distrust")
        self.distrust_button.setToolTip(
            "Stop trusting the selected colleague's key: their bundles show as not trusted"
        )
        self.export_button = QPushButton("&Export my public key…")
        self.export_button.setToolTip("Write your public key to a file to give to colleagues")
        self.import_button = QPushButton("&Import a colleague's key…")
        self.import_button.setToolTip("Trust the public key in a colleague's .pub file")
        self.make_button.clicked.connect(self.make_key)
        self.trust_button.clicked.connect(self.trust_selected)
        self.distrust_button.clicked.connect(self.distrust_selected)
        self.export_button.clicked.connect(self.export_key)
        self.import_button.clicked.connect(self.import_key)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        for button in (
            self.make_button,
            self.trust_button,
            self.distrust_button,
            self.export_button,
            self.import_button,
        ):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        """Read the keys folder again, keeping the selection."""
        selected = self.selected_key()
        try:
            listed = signing.list_keys()
        except DeskError as exc:
            listed = []
            self.message.setText(str(exc))
        known = {k.key_id for k in listed}
        self._distrusted = {i: k for i, k in self._distrusted.items() if i not in known}
        self.keys = listed + list(self._distrusted.values())
        self.table.clearSelection()
        self.table.setRowCount(len(self.keys))
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        for row, key in enumerate(self.keys):
            key_id = QTableWidgetItem(key.key_id)
            key_id.setFont(fixed)
            key_id.setToolTip(f"Public key {key.public_key}")
            when = f"{key.added_at.astimezone():%Y-%m-%d %H:%M}" if key.added_at else ""
            self.table.setItem(row, KEY, key_id)
            self.table.setItem(row, NAME, QTableWidgetItem(key.label))
            self.table.setItem(row, WHOSE, QTableWidgetItem("mine" if key.own else "colleague's"))
            self.table.setItem(row, TRUSTED, QTableWidgetItem("yes" if key.trusted else "no"))
            self.table.setItem(row, ADDED, QTableWidgetItem(when))
        self.table.setVisible(bool(self.keys))
        self.empty_label.setVisible(not self.keys)
        if selected is not None:
            self._select(selected.key_id)
        self._buttons_changed()

    def selected_key(self) -> KeyInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.keys[rows[0].row()] if rows else None

    # -- actions ----------------------------------------------------------------

    def make_key(self) -> None:
        """A new key named after the analyst; from now on it signs their bundles."""
        own = [k for k in self.keys if k.own]
        if own and not self._confirm_new_key(own[0]):
            return
        self._change(
            lambda: signing.generate(self._analyst),
            "Made key {key_id}: it signs your bundles from now on. Export it for colleagues.",
        )

    def trust_selected(self) -> None:
        key = self.selected_key()
        if key is None or key.trusted:
            return
        label = key.label or (self._analyst if key.own else "")
        self._change(
            lambda: signing.trust(key.public_key, label),
            "Key {key_id} is trusted: bundles signed with it show as trusted.",
        )

    def distrust_selected(self) -> None:
        key = self.selected_key()
        if key is None or key.own or not key.trusted:
            return
        try:
            signing.untrust(key.key_id)
        except DeskError as exc:
            self.message.setText(str(exc))
            return
        self._distrusted[key.key_id] = dataclasses.replace(key, trusted=False)
        self._changed(
            key.key_id,
            f"Key {key.key_id} is no longer trusted: bundles signed with it show as not "
            "trusted. Trust takes this back while this window is open.",
        )

    def export_key(self) -> None:
        """Write the public half of the selected own key (else the newest) to a file."""
        selected = self.selected_key()
        own = [k for k in self.keys if k.own]
        key = selected if selected is not None and selected.own else own[0] if own else None
        if key is None:
            return
        target = self._ask_save_path(key_file_name(key))
        if target is None:
            return
        try:
            signing.export_public_key(key.key_id, target)
        except DeskError as exc:
            self.message.setText(str(exc))
            return
        self.message.setText(
            f"Public key {key.key_id} written to {target}. Give it to your colleagues; "
            "it cannot sign anything."
        )

    def import_key(self) -> None:
        """Trust the public key in a file a colleague gave, under the name they go by."""
        path = self._ask_open_path()
        if path is None:
            return
        name = self._ask_name(path.stem)
        if name is None:
            return
        self._change(
            lambda: signing.trust_file(path, name),
            "Key {key_id} is trusted: bundles signed with it show as trusted.",
        )

    # -- asking -------------------------------------------------------------------

    def _ask_save_path(self, suggested: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Export my public key", str(Path.home() / suggested), KEY_FILTER
        )
        return Path(name) if name else None

    def _ask_open_path(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Import a colleague's key", str(Path.home()), KEY_FILTER
        )
        return Path(name) if name else None

    def _confirm_new_key(self, current: KeyInfo) -> bool:
        """Whether the analyst who has a key wants another, which signs from now on."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Make a new key",
            f"You have a key already ({current.key_id}). Make a new one?\n\n"
            "Bundles you sign from now on are signed with the new key: colleagues need "
            "its public key to see them as trusted.",
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        make = box.addButton("&Make a new key", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is make

    def _ask_name(self, suggested: str) -> str | None:
        """The colleague's name for the key; None when the analyst cancels."""
        name, ok = QInputDialog.getText(
            self, "Import a colleague's key", "Whose key is this?", text=suggested
        )
        return name if ok else None

    # -- inside -------------------------------------------------------------------

    def _change(self, step: Callable[[], KeyInfo], done: str) -> None:
        try:
            key = step()
        except DeskError as exc:
            self.message.setText(str(exc))
            return
        self._distrusted.pop(key.key_id, None)
        self._changed(key.key_id, done.format(key_id=key.key_id))

    def _changed(self, key_id: str, text: str) -> None:
        self.refresh()
        self._select(key_id)
        self.message.setText(text)
        self.keys_changed.emit()

    def _select(self, key_id: str) -> None:
        row = next((n for n, k in enumerate(self.keys) if k.key_id == key_id), None)
        if row is not None:
            self.table.selectRow(row)

    def _buttons_changed(self) -> None:
        key = self.selected_key()
        self.trust_button.setEnabled(key is not None and not key.trusted)
        self.distrust_button.setEnabled(key is not None and key.trusted and not key.own)
        self.export_button.setEnabled(any(k.own for k in self.keys))
