"""Offline by construction: every workflow runs with socket creation made to fail."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desk.cli import main


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Creating a socket fails as in a sandbox with no network; a name lookup or a
    connection attempt is recorded and fails the test."""
    lookups: list[str] = []

    class RefusedSocket(socket.socket):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            raise OSError("socket creation is disabled in this test")

    def recorded(name: str) -> Any:
        def refuse(*args: object, **kwargs: object) -> None:
            lookups.append(f"{name}{args!r}")
            raise OSError(f"{name} is disabled in this test")

        return refuse

    monkeypatch.setattr(socket, "socket", RefusedSocket)
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "socketpair"):
        monkeypatch.setattr(socket, name, recorded(name))
    yield lookups
    assert lookups == [], "the application tried to reach the network"


def _run(capsys: pytest.CaptureFixture[str], *args: object) -> str:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_the_core_workflows_never_touch_the_network(
    no_network: list[str], tmp_path: Path, samples: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = tmp_path / "offline.evcase"
    _run(capsys, "new", case)
    incident = _run(
        capsys, "incident-add", case, "--title", "Clashes", "--place", "Albukamal"
    ).strip()
    files = sorted(p for p in samples.iterdir() if p.suffix != ".md")
    imported = json.loads(_run(capsys, "import", case, *files, "--incident", incident, "--json"))
    assert all(item["ok"] for item in imported)
    esm = next(i["source"]["id"] for i in imported if i["file"].endswith("monitor-2019-06-09.html"))
    _run(capsys, "search", case, "Albukamal")
    _run(capsys, "suggest", case, esm)
    _run(
        capsys, "claim-add", case, "--incident", incident, "--source", esm,
        "--field", "fatalities", "--value", "5", "--quote", "five people were killed",
    )  # fmt: skip
    _run(capsys, "conflicts", case)
    _run(capsys, "verify", case)
    _run(capsys, "demo", tmp_path / "demo.evcase")
