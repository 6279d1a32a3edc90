"""The changes-to-review list is a sound Qt model."""

from __future__ import annotations

from pathlib import Path

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desk.bundles import merge
from desk.bundles.reader import open_bundle
from desk.bundles.writer import export_bundle
from desk.case import Case
from ui.panes.merge_review import MergeReviewPane


def test_the_review_model_passes_qt_model_tester(
    qtbot: QtBot, qtmodeltester: ModelTester, editable_case: Case, tmp_path: Path
) -> None:
    incident = editable_case.incidents.rows(limit=1)[0].id
    export_bundle(editable_case, tmp_path / "1.evbundle")
    with Case.create(tmp_path / "b.evcase", "Bob", analyst="Bob") as bob:
        merge.apply(bob, open_bundle(tmp_path / "1.evbundle"))
        bob.incidents.update(incident, status="confirmed", summary="Bob's summary")
        export_bundle(bob, tmp_path / "2.evbundle")
    editable_case.incidents.update(incident, status="disputed", summary="Ann's summary")
    merge.apply(editable_case, open_bundle(tmp_path / "2.evbundle"))

    pane = MergeReviewPane(editable_case)
    qtbot.addWidget(pane)

    assert pane.model.rowCount() == 2  # status and summary, each changed on both sides
    qtmodeltester.check(pane.model)
