"""Bundles in the desk: export with progress, import with a preview, changes to review."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desk.bundles import merge, signing
from desk.bundles.reader import open_bundle
from desk.bundles.writer import export_bundle
from desk.case import Case
from tests.bundles.conftest import members_of, write_zip
from tests.ui.conftest import INCIDENT_TITLE
from ui.dialogs.bundle_export import BundleExportDialog
from ui.dialogs.bundle_import import BundleImportDialog
from ui.panes.merge_review import MergeReviewPane

WAIT_MS = 20_000


@pytest.fixture
def held() -> list[QWidget]:
    """Dialogs stay referenced after the test body: a parent widget collected while its
    Operation's deleteLater is pending crashes PySide (as it would in the desk)."""
    widgets: list[QWidget] = []
    return widgets


def _incident(case: Case) -> uuid.UUID:
    return case.incidents.rows(limit=1)[0].id


def test_export_writes_the_selection_on_a_worker(
    qtbot: QtBot,
    editable_case: Case,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    held: list[QWidget],
) -> None:
    dialog = BundleExportDialog(editable_case, [_incident(editable_case)])
    qtbot.addWidget(dialog)
    held.append(dialog)
    assert dialog.selected.isChecked()
    assert not dialog.sign_box.isEnabled()  # no key yet
    assert not dialog.export_button.isEnabled()
    target = tmp_path / "out" / "selection"
    target.parent.mkdir()
    monkeypatch.setattr(dialog, "_ask_path", lambda: target)
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    assert dialog.path_edit.text() == str(target)
    with qtbot.waitSignal(dialog.exported, timeout=WAIT_MS) as done:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    summary = done.args[0]
    assert summary.path == target.with_name("selection.evbundle")
    assert summary.counts["incident"] == 1
    assert [p.name for p in target.parent.iterdir()] == ["selection.evbundle"]
    assert "unsigned" in dialog.message.text()
    assert open_bundle(summary.path).manifest.scope == "incidents"


def test_export_signs_with_the_analysts_key(
    qtbot: QtBot, editable_case: Case, tmp_path: Path, held: list[QWidget]
) -> None:
    key = signing.generate("Test Analyst")
    dialog = BundleExportDialog(editable_case, None)
    qtbot.addWidget(dialog)
    held.append(dialog)
    assert dialog.whole_case.isChecked()
    assert not dialog.selected.isEnabled()
    assert dialog.sign_box.isChecked()
    dialog.path_edit.setText(str(tmp_path / "whole.evbundle"))
    with qtbot.waitSignal(dialog.exported, timeout=WAIT_MS) as done:
        dialog.start()
    assert done.args[0].signed_by == key.key_id
    assert open_bundle(tmp_path / "whole.evbundle").signature.trusted


def test_import_previews_then_merges(
    qtbot: QtBot, editable_case: Case, tmp_path: Path, held: list[QWidget]
) -> None:
    path = tmp_path / "sample.evbundle"
    export_bundle(editable_case, path)
    with Case.create(tmp_path / "empty.evcase", "Empty", analyst="Bob") as receiver:
        dialog = BundleImportDialog(receiver, path)
        qtbot.addWidget(dialog)
        held.append(dialog)
        with qtbot.waitSignal(dialog.previewed, timeout=WAIT_MS):
            pass
        assert "Not signed" in dialog.signature_label.text()
        assert "Al Bukamal, June 2019" in dialog.bundle_label.text()
        rows = {
            dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text()
            for r in range(dialog.table.rowCount())
        }
        assert rows["incident"] == "1"
        assert rows["source"] == "7"
        assert receiver.incidents.count() == 0  # a preview changes nothing
        assert dialog.import_button.isEnabled()
        with qtbot.waitSignal(dialog.imported, timeout=WAIT_MS) as done:
            qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        assert done.args[0].applied
        assert receiver.incidents.rows()[0].title == INCIDENT_TITLE
        assert dialog.summary_label.text().startswith("Imported: ")
        assert not dialog.import_button.isEnabled()


def test_import_shows_why_a_bundle_is_refused(
    qtbot: QtBot, editable_case: Case, tmp_path: Path, held: list[QWidget]
) -> None:
    path = tmp_path / "sample.evbundle"
    export_bundle(editable_case, path)
    members = members_of(path)
    members["../outside.txt"] = b"x"
    hostile = write_zip(tmp_path / "hostile.evbundle", members)
    dialog = BundleImportDialog(editable_case, hostile)
    qtbot.addWidget(dialog)
    held.append(dialog)
    with qtbot.waitSignal(dialog.refused, timeout=WAIT_MS) as refused:
        pass
    assert "climbs out of its folder" in refused.args[0]
    assert "climbs out of its folder" in dialog.summary_label.text()
    assert not dialog.import_button.isEnabled()


def test_the_review_pane_takes_the_colleagues_value(
    qtbot: QtBot, editable_case: Case, tmp_path: Path
) -> None:
    incident = _incident(editable_case)
    export_bundle(editable_case, tmp_path / "1.evbundle")
    with Case.create(tmp_path / "b.evcase", "Bob", analyst="Bob") as bob:
        merge.apply(bob, open_bundle(tmp_path / "1.evbundle"))
        bob.incidents.update(incident, status="confirmed")
        export_bundle(bob, tmp_path / "2.evbundle")
    editable_case.incidents.update(incident, status="disputed")
    merge.apply(editable_case, open_bundle(tmp_path / "2.evbundle"))

    pane = MergeReviewPane(editable_case)
    qtbot.addWidget(pane)
    assert pane.model.rowCount() == 1
    index = pane.model.index(0, 2)
    assert pane.model.data(index) == "disputed"
    assert pane.model.data(pane.model.index(0, 3)) == "confirmed"
    assert pane.take_button.isEnabled()
    with qtbot.waitSignal(pane.decided) as decided:
        qtbot.mouseClick(pane.take_button, Qt.MouseButton.LeftButton)
    assert decided.args[0].status == "took-incoming"
    assert editable_case.incidents.get(incident).fields.status == "confirmed"
    assert pane.model.rowCount() == 0
    assert not pane.empty_label.isHidden()
    assert not pane.keep_button.isEnabled()
