"""The command line, driven as a user would: exit codes, text and JSON output."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from desk.cli import main
from desk.launch import gui_arguments

REPO = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def cli_case(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "albukamal.evcase"
    code, out, _ = run(capsys, "new", path, "--title", "Al Bukamal clashes")
    assert code == 0
    assert "Al Bukamal clashes" in out
    return path


def _counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as raw:
        names = [
            r[0]
            for r in raw.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'search_fts_%'"
            )
        ]
        counts = {n: raw.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    raw.close()
    return counts


def test_a_whole_session_from_the_command_line(
    cli_case: Path, samples: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys,
        "incident-add",
        cli_case,
        "--title",
        "Clashes in Albukamal",
        "--date",
        "2019-06-07",
        "--place",
        "Albukamal",
        "--lat",
        "34.4536",
        "--lon",
        "40.9367",
        "--type",
        "Battles",
        "--sub-type",
        "Armed clash",
        "--actor",
        "Kata'ib Hezbollah:actor1",
    )
    assert code == 0, err
    incident_id = out.strip()

    files = sorted(p for p in samples.iterdir() if p.suffix != ".md")
    imported = run_json(capsys, "import", cli_case, *files, "--incident", incident_id)
    assert [item["ok"] for item in imported] == [True] * len(files)
    by_file = {Path(item["file"]).name: item["source"] for item in imported}
    arabic = by_file["deir-ezzor-news-ar-2019-06-08.html"]
    assert arabic["language"] == "ar"
    assert arabic["outlet"] == "أخبار دير الزور"
    assert arabic["published"].startswith("2019-06-08")
    assert len(arabic["sha256"]) == 64
    photo = by_file["albukamal-square-2019-06-08.jpg"]
    gps = photo["image"]["gps"]
    assert (round(gps["latitude"], 4), round(gps["longitude"], 4)) == (34.4536, 40.9367)
    assert photo["image"]["width"] > photo["image"]["height"]

    incidents = run_json(capsys, "incidents", cli_case)
    assert [i["title"] for i in incidents] == ["Clashes in Albukamal"]
    assert incidents[0]["start"] == "2019-06-07"
    assert len(incidents[0]["sources"]) == len(files)

    sources = run_json(capsys, "sources", cli_case)
    assert {s["id"] for s in sources} == {s["id"] for s in by_file.values()}
    assert all(s["acquisitions"][0]["acquired_at"] for s in sources)

    hits = run_json(capsys, "search", cli_case, "killed")
    assert hits
    assert all("[" in h["snippet"] for h in hits)
    code, out, _ = run(capsys, "search", cli_case, "البوكمال")
    assert code == 0
    assert "[البوكمال]" in out

    code, out, _ = run(capsys, "verify", cli_case)
    assert code == 0
    assert out.startswith("ok:")


def test_attach_an_existing_source(
    cli_case: Path, samples: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (source,) = run_json(capsys, "import", cli_case, samples / "field-note-2019-06-10.txt")
    code, incident_id, _ = run(capsys, "incident-add", cli_case, "--title", "Flag incident")
    code, out, _ = run(capsys, "attach", cli_case, incident_id.strip(), source["source"]["id"])
    assert code == 0
    assert out.startswith("1 source(s) attached")
    listed = run_json(capsys, "sources", cli_case, "--incident", incident_id.strip())
    assert [s["id"] for s in listed] == [source["source"]["id"]]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("tool.exe", b"MZ\x90\x00binary", "not supported"),
        ("empty.html", b"", "empty"),
        ("photo.jpg", b"Just words, not a JPEG.\n", ""),
        ("noise.txt", bytes(range(256)) * 16, ""),
        ("huge.gif", None, "decompression bomb"),
        ("broken.jpg", None, ""),
    ],
)
def test_bad_input_exits_2_and_leaves_the_case_as_it_was(
    cli_case: Path,
    tmp_path: Path,
    real_files: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: bytes | None,
    reason: str,
) -> None:
    if content is None:
        real = (
            "pillow-decompression_bomb.gif" if name == "huge.gif" else "pillow-truncated_jpeg.jpg"
        )
        content = (real_files / real).read_bytes()
    bad = tmp_path / name
    bad.write_bytes(content)
    before = _counts(cli_case)
    code, verify_before, _ = run(capsys, "verify", cli_case)
    assert code == 0

    code, out, err = run(capsys, "import", cli_case, bad)
    assert code == 2
    assert out == ""
    assert err.startswith(f"error: {name}: ")
    assert reason in err
    assert "Traceback" not in err

    assert _counts(cli_case) == before
    code, verify_after, _ = run(capsys, "verify", cli_case)
    assert code == 0
    assert verify_after == verify_before


def test_an_unreadable_file_is_reported_by_name(
    cli_case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "import", cli_case, tmp_path / "nowhere.pdf")
    assert code == 2
    assert "nowhere.pdf: the file does not exist" in err


def test_mixed_imports_keep_the_good_files(
    cli_case: Path, tmp_path: Path, samples: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.gif"
    bad.write_bytes(b"GIF89a" + b"\x00" * 3)
    code, out, err = run(capsys, "import", cli_case, bad, samples / "field-note-2019-06-10.txt")
    assert code == 2
    assert "bad.gif" in err
    assert "FIELD NOTE" in out
    assert _counts(cli_case)["source"] == 1


@pytest.mark.parametrize(
    "args",
    [
        ["incident-add", "{case}", "--title", "X", "--date", "7 June"],
        ["incident-add", "{case}", "--title", "X", "--lat", "95", "--lon", "1"],
        ["attach", "{case}", "not-a-uuid", "also-not"],
        ["incidents", "{missing}"],
    ],
)
def test_bad_input_errors_exit_2_with_one_sentence(
    cli_case: Path, tmp_path: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    filled = [a.format(case=cli_case, missing=tmp_path / "missing.evcase") for a in args]
    code, _, err = run(capsys, *filled)
    assert code == 2
    assert err.startswith("evidence-desk: ")
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_an_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["frobnicate"])
    assert caught.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_verify_reports_an_altered_original_and_exits_1(
    cli_case: Path, samples: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (item,) = run_json(
        capsys, "import", cli_case, samples / "weekly-monitoring-report-2019-w23.pdf"
    )
    with sqlite3.connect(cli_case) as raw:
        raw.execute(
            "UPDATE blob SET data = zeroblob(length(data)) WHERE sha256 = ?",
            (item["source"]["sha256"],),
        )
    raw.close()
    code, out, _ = run(capsys, "verify", cli_case)
    assert code == 1
    assert item["source"]["sha256"][:12] in out
    assert "altered" in out


def test_the_installed_command_runs(tmp_path: Path) -> None:
    """The console script and ``python -m desk`` are the same program."""
    env = {**os.environ, "EVIDENCE_DESK_HOME": str(tmp_path / "home")}
    case = tmp_path / "sub.evcase"
    made = subprocess.run(
        [sys.executable, "-m", "desk", "new", str(case)], capture_output=True, text=True, env=env
    )
    assert made.returncode == 0, made.stderr
    listed = subprocess.run(
        [sys.executable, "-m", "desk", "incidents", str(case), "--json"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert listed.returncode == 0
    assert json.loads(listed.stdout) == []
    helped = subprocess.run(
        [str(Path(sys.executable).with_name("evidence-desk")), "--help"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert helped.returncode == 0
    listed_commands = {line.split()[0] for line in helped.stdout.splitlines() if line[:4] == "    "}
    assert {
        *("new", "import", "incident-add", "incidents", "sources", "attach", "search"),
        *("verify", "brief", "backups", "restore", "keys"),
        *("bundle-export", "bundle-import", "bundle-verify", "bundle-reviews"),
        "bundle-review-decide",
    } <= listed_commands


def test_the_command_script_loads_nothing_heavy_until_it_runs() -> None:
    # Each extraction worker (forked from a fork server, or "spawn") imports the parent's
    # main script first: the `evidence-desk` script's module must not pull in
    # SQLAlchemy and the whole desk.
    import subprocess
    import sys

    probe = "import sys, desk.launch; print(sorted({'sqlalchemy', 'desk.cli'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("argv", "window"),
    [
        ([], []),
        (["gui"], []),
        (["gui", "case.evcase"], ["case.evcase"]),
        (
            ["--analyst", "Rana Haddad", "gui", "case.evcase"],
            ["--analyst", "Rana Haddad", "case.evcase"],
        ),
        (["--analyst=Rana", "gui"], ["--analyst=Rana"]),
        (["--analyst", "gui", "incidents", "case.evcase"], None),  # "gui" is the name given
        (["incidents", "case.evcase", "--json"], None),
        (["gui", "--help"], None),
        (["--version"], None),
    ],
)
def test_the_window_is_started_without_the_command_line(
    argv: list[str], window: list[str] | None
) -> None:
    """`evidence-desk [gui]` goes straight to the window (which shows a case's first
    lines before loading the case layer); every other command to the command line."""
    assert gui_arguments(argv) == window
