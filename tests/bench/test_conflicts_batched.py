"""The whole case's conflicts, read in chunks, are each incident's conflicts in order."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from desk.case import Case
from desk.services import claims as claims_service
from tests.conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))

import make_case


def test_conflicts_of_the_case_match_each_incidents_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "generated.evcase"
    make_case.build(path, make_case.Scale.of(120, images=0), seed=3, jobs=1, log=lambda _: None)
    with Case.open(path, "Tester") as case:
        first = case.claims.conflicts()
        assert len({c.incident_id for c in first}) > 10  # several chunks below
        # One resolved (with an accepted value) and one resolved without: both stay listed.
        case.claims.resolve(first[0].id, rationale="Hospital records", confidence="high")
        monkeypatch.setattr(claims_service, "_CONFLICT_CHUNK", 7)
        whole = case.claims.conflicts()
        incidents = list(dict.fromkeys(c.incident_id for c in whole))
        one_by_one = [c for i in incidents for c in case.claims.conflicts(incident_id=i)]
        assert whole == one_by_one
        assert whole[0].status == "resolved"
        assert [c.id for c in whole] == [c.id for c in first]
        assert sum(c.is_open for c in whole) == len(first) - 1
