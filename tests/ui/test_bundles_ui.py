"""Bundles in the desk: export with progress, import with a preview, changes to review."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desk import backups
from desk.bundles import merge, signing
from desk.bundles.merge import MergePlan
from desk.bundles.reader import ValidatedBundle, open_bundle
from desk.bundles.writer import BundleSummary, Cancelled, export_bundle
from desk.case import Case
from desk.services.incidents import IncidentFields
from desk.verify import verify_case
from tests.bundles.conftest import all_rows, members_of, write_zip
from tests.ui.conftest import INCIDENT_TITLE
from ui.dialogs import bundle_export
from ui.dialogs.bundle_export import BundleExportDialog
from ui.dialogs.bundle_import import BundleImportDialog
from ui.operations import Operation, Progress
from ui.panes.merge_review import MergeReviewPane

WAIT_MS = 20_000
GATE_TIMEOUT = 30


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


class Gate:
    """Holds the worker at its first progress report until the test has pressed
    Cancel, so the cancel lands mid-work every time (no sleeps, no races)."""

    def __init__(self) -> None:
        self.pressed = threading.Event()
        self.reports = 0

    def hold(self, progress: Progress) -> Progress:
        def report(done: int, total: int, label: str) -> None:
            progress(done, total, label)
            self.reports += 1
            if self.reports == 1:
                assert self.pressed.wait(GATE_TIMEOUT), "Cancel was never pressed"

        return report

    def cancel(self, qtbot: QtBot, operation: Operation[Any]) -> None:
        """Press the progress window's Cancel, then let the worker go on."""
        qtbot.waitUntil(operation.dialog.isVisible, timeout=WAIT_MS)
        with qtbot.waitSignal(operation.finished, timeout=WAIT_MS):
            qtbot.mouseClick(operation.dialog.cancel_button, Qt.MouseButton.LeftButton)
            self.pressed.set()


def test_cancelling_an_export_leaves_nothing_in_the_folder(
    qtbot: QtBot,
    editable_case: Case,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    held: list[QWidget],
) -> None:
    gate = Gate()
    real_export = bundle_export.export_bundle

    def gated(
        case: Case,
        target: Path | str,
        incident_ids: Iterable[uuid.UUID] | None,
        sign_with: str | None,
        progress: Progress,
        cancelled: Cancelled,
    ) -> BundleSummary:
        return real_export(case, target, incident_ids, sign_with, gate.hold(progress), cancelled)

    monkeypatch.setattr(bundle_export, "export_bundle", gated)
    folder = tmp_path / "out"
    folder.mkdir()
    dialog = BundleExportDialog(editable_case, None)
    qtbot.addWidget(dialog)
    held.append(dialog)
    dialog.path_edit.setText(str(folder / "whole"))
    exported: list[object] = []
    dialog.exported.connect(exported.append)

    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    operation = dialog._running
    assert operation is not None
    assert not dialog.export_button.isEnabled()
    gate.cancel(qtbot, operation)

    assert gate.reports == 1  # stopped at the next record, before reporting it
    assert dialog.message.text() == "The export was cancelled; no bundle was written."
    assert exported == []
    assert list(folder.iterdir()) == []  # neither whole.evbundle nor .whole.evbundle.*.part
    assert dialog.export_button.isEnabled()


def test_cancelling_an_import_leaves_the_case_as_it_was(
    qtbot: QtBot,
    editable_case: Case,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    held: list[QWidget],
) -> None:
    path = tmp_path / "sample.evbundle"
    export_bundle(editable_case, path)
    gate = Gate()
    real_apply = merge.apply

    def gated(
        case: Case, bundle: ValidatedBundle, progress: Progress, cancelled: Cancelled
    ) -> MergePlan:
        return real_apply(case, bundle, gate.hold(progress), cancelled)

    with Case.create(tmp_path / "receiver.evcase", "Bob's case", analyst="Bob") as receiver:
        # A case with something in it, so "as it was" is more than "empty".
        receiver.incidents.create(IncidentFields(title="Bob's own incident"))
        before = all_rows(receiver)
        dialog = BundleImportDialog(receiver, path)
        qtbot.addWidget(dialog)
        held.append(dialog)
        with qtbot.waitSignal(dialog.previewed, timeout=WAIT_MS):
            pass  # the check and preview run ungated: only the merge is held
        monkeypatch.setattr(merge, "apply", gated)
        imported: list[object] = []
        dialog.imported.connect(imported.append)

        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        operation = dialog._running
        assert operation is not None
        gate.cancel(qtbot, operation)

        assert gate.reports == 1
        assert dialog.summary_label.text() == "The import was cancelled; the case is as it was."
        assert imported == []
        assert all_rows(receiver) == before  # records, history and bundle bookkeeping
        assert [r.title for r in receiver.incidents.rows()] == ["Bob's own incident"]
        report = verify_case(receiver)
        assert report.ok, report
        assert backups.list_backups(receiver.path) == []  # taken only just before a commit
        assert dialog.import_button.isEnabled()  # the analyst may try again


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
