"""The signing keys dialog: making a key, handing it over as a file, trusting and
distrusting a colleague's key, as the analyst clicks through them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desk.bundles import signing
from desk.case import Case
from ui.dialogs.bundle_export import BundleExportDialog
from ui.dialogs.keys import ADDED, KEY, NAME, TRUSTED, WHOSE, KeysDialog

ANALYST = "Rana Haddad"


def _dialog(qtbot: QtBot) -> KeysDialog:
    dialog = KeysDialog(ANALYST)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _rows(dialog: KeysDialog) -> list[tuple[str, str, str]]:
    """Name, whose and trusted of every row, as the table shows them."""
    table = dialog.table
    return [
        (table.item(r, NAME).text(), table.item(r, WHOSE).text(), table.item(r, TRUSTED).text())
        for r in range(table.rowCount())
    ]


def _click(qtbot: QtBot, button: QWidget) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _click_row(qtbot: QtBot, dialog: KeysDialog, name: str) -> None:
    table = dialog.table
    row = next(r for r in range(table.rowCount()) if table.item(r, NAME).text() == name)
    rect = table.visualRect(table.model().index(row, NAME))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


@pytest.fixture
def colleague_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Path]:
    """A key Bob made on his own machine and the public key file he sent."""
    with monkeypatch.context() as bob:
        bob.setenv("EVIDENCE_DESK_HOME", str(tmp_path / "bob-home"))
        key = signing.generate("Bob")
        sent = signing.export_public_key(key.key_id, tmp_path / "bob-karimi.pub")
    return key.key_id, sent


def test_making_a_key_and_exporting_its_public_half(
    qtbot: QtBot, desk_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _dialog(qtbot)
    assert dialog.empty_label.isVisible()
    assert not dialog.table.isVisible()
    assert not dialog.export_button.isEnabled()

    with qtbot.waitSignal(dialog.keys_changed):
        _click(qtbot, dialog.make_button)

    assert _rows(dialog) == [(ANALYST, "mine", "yes")]
    (key,) = signing.list_keys()
    assert key.label == ANALYST
    assert (desk_home / "keys" / f"{key.key_id}.key").is_file()
    assert dialog.table.item(0, KEY).text() == key.key_id
    assert dialog.table.item(0, ADDED).text()
    assert dialog.message.text().startswith(f"Made key {key.key_id}")
    assert not dialog.distrust_button.isEnabled()  # one's own key stays trusted here

    asked: list[str] = []

    def save_to(suggested: str) -> Path:
        asked.append(suggested)
        return tmp_path / "for-colleagues.pub"

    monkeypatch.setattr(dialog, "_ask_save_path", save_to)
    _click(qtbot, dialog.export_button)
    assert asked == [f"{ANALYST}.pub"]
    exported = (tmp_path / "for-colleagues.pub").read_text()
    assert exported.startswith("-----BEGIN PUBLIC KEY-----")
    assert str(tmp_path / "for-colleagues.pub") in dialog.message.text()

    # A second key only when the analyst says so; the newest comes first and signs.
    monkeypatch.setattr(dialog, "_confirm_new_key", lambda current: False)
    _click(qtbot, dialog.make_button)
    assert len(signing.list_keys()) == 1
    monkeypatch.setattr(dialog, "_confirm_new_key", lambda current: True)
    _click(qtbot, dialog.make_button)
    newest = signing.signing_key()
    assert newest.key_id != key.key_id
    assert [dialog.table.item(r, KEY).text() for r in range(2)] == [newest.key_id, key.key_id]


def test_a_colleagues_key_imported_distrusted_and_trusted_again(
    qtbot: QtBot, colleague_key: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    bob_id, sent = colleague_key
    signing.generate(ANALYST)
    dialog = _dialog(qtbot)
    suggested: list[str] = []

    def name_it(stem: str) -> str:
        suggested.append(stem)
        return "Bob Karimi"

    monkeypatch.setattr(dialog, "_ask_open_path", lambda: sent)
    monkeypatch.setattr(dialog, "_ask_name", name_it)
    with qtbot.waitSignal(dialog.keys_changed):
        _click(qtbot, dialog.import_button)

    assert suggested == ["bob-karimi"]
    assert _rows(dialog) == [(ANALYST, "mine", "yes"), ("Bob Karimi", "colleague's", "yes")]
    selected = dialog.selected_key()
    assert selected is not None
    assert selected.key_id == bob_id
    trusted = {k.key_id: k for k in signing.list_keys()}
    assert trusted[bob_id].label == "Bob Karimi"

    _click_row(qtbot, dialog, ANALYST)
    assert not dialog.distrust_button.isEnabled()
    assert not dialog.trust_button.isEnabled()
    _click_row(qtbot, dialog, "Bob Karimi")
    assert dialog.distrust_button.isEnabled()
    assert not dialog.trust_button.isEnabled()

    _click(qtbot, dialog.distrust_button)

    assert bob_id not in {k.key_id for k in signing.list_keys()}
    assert _rows(dialog)[1] == ("Bob Karimi", "colleague's", "no")
    assert "no longer trusted" in dialog.message.text()
    assert dialog.trust_button.isEnabled()
    assert not dialog.distrust_button.isEnabled()

    _click(qtbot, dialog.trust_button)

    again = {k.key_id: k for k in signing.list_keys()}
    assert again[bob_id].trusted
    assert again[bob_id].label == "Bob Karimi"
    assert _rows(dialog)[1] == ("Bob Karimi", "colleague's", "yes")


def test_a_file_that_is_no_key_is_refused_in_one_sentence(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _dialog(qtbot)
    not_a_key = tmp_path / "bob.pub"
    not_a_key.write_text("<b>Bob</b>'s key is on the USB stick.\n")
    monkeypatch.setattr(dialog, "_ask_open_path", lambda: not_a_key)
    monkeypatch.setattr(dialog, "_ask_name", lambda stem: "Bob")

    _click(qtbot, dialog.import_button)

    assert dialog.message.text() == f"{not_a_key}: this is not a public key file."
    assert dialog.message.textFormat() == Qt.TextFormat.PlainText
    assert signing.list_keys() == []
    assert dialog.empty_label.isVisible()


def test_the_bundle_export_dialog_points_to_the_keys_dialog_and_then_signs(
    qtbot: QtBot, editable_case: Case
) -> None:
    before = BundleExportDialog(editable_case, None)
    qtbot.addWidget(before)
    assert not before.sign_box.isEnabled()
    assert "Case › Signing keys…" in before.sign_box.toolTip()

    keys = _dialog(qtbot)
    _click(qtbot, keys.make_button)

    after = BundleExportDialog(editable_case, None)
    qtbot.addWidget(after)
    assert after.sign_box.isEnabled()
    assert after.sign_box.isChecked()
    assert signing.signing_key().key_id in after.sign_box.text()
