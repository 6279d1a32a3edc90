"""The bundle commands of the command line, run in this process."""

from __future__ import annotations

import json
import resource
import signal
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from desk.case import Case
from desk.cli import main
from tests.bundles.conftest import all_rows, members_of, write_zip


def run(*argv: str) -> int:
    return main(list(argv))


def test_export_verify_import_and_review_from_the_command_line(
    case_a: Case, incident_id: uuid.UUID, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_path = case_a.path
    case_a.close()
    assert run("keys", "--generate", "--label", "Anna") == 0
    out = tmp_path / "a.evbundle"
    assert (
        run("bundle-export", str(a_path), "-o", str(out), "--incident", str(incident_id), "--sign")
        == 0
    )
    assert "signed with key" in capsys.readouterr().out

    assert run("bundle-verify", str(out)) == 0
    text = capsys.readouterr().out
    assert text.startswith("valid:")
    assert "(Anna), trusted" in text

    b_path = tmp_path / "b.evcase"
    Case.create(b_path, "Bob's case", analyst="Bob").close()
    assert run("bundle-import", str(b_path), str(out), "--dry-run", "--json") == 0
    dry = json.loads(capsys.readouterr().out)
    assert dry["plan"]["applied"] is False
    assert dry["plan"]["counts"]["incident"]["added"] == 1
    assert dry["bundle"]["signature"]["trusted"] is True

    assert run("bundle-import", str(b_path), str(out)) == 0
    text = capsys.readouterr().out
    assert "Imported: " in text
    assert "backup of the case" in text
    assert run("bundle-import", str(b_path), str(out)) == 0
    assert "Nothing to import" in capsys.readouterr().out

    # both sides edit the title: B's import leaves a review to decide
    with Case.open(b_path, analyst="Bob") as case_b:
        case_b.incidents.update(incident_id, title="Bob's title")
    with Case.open(a_path, analyst="Anna") as case:
        case.incidents.update(incident_id, title="Anna's title")
    back = tmp_path / "b.evbundle"
    assert run("bundle-export", str(b_path), "-o", str(back)) == 0
    assert run("bundle-import", str(a_path), str(back)) == 0
    assert "1 change(s) to review" in capsys.readouterr().out
    assert run("bundle-reviews", str(a_path), "--json") == 0
    (waiting,) = json.loads(capsys.readouterr().out)
    assert waiting["incoming"] == {"title": "Bob's title"}
    assert run("bundle-reviews", str(a_path)) == 0
    assert "theirs: Bob's title" in capsys.readouterr().out
    assert run("bundle-review-decide", str(a_path), waiting["id"], "--take", "incoming") == 0
    with Case.open(a_path) as case:
        assert case.incidents.get(incident_id).title == "Bob's title"


def test_a_hostile_bundle_exits_2_on_import_and_1_on_verify(
    small_bundle: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    members = members_of(small_bundle)
    members["../../evil.sh"] = b"rm -rf ~"
    hostile = write_zip(tmp_path / "hostile.evbundle", members)
    case_path = tmp_path / "c.evcase"
    Case.create(case_path, "C").close()
    assert run("bundle-import", str(case_path), str(hostile)) == 2
    error = capsys.readouterr().err
    assert str(hostile) in error
    assert "climbs out of its folder" in error
    assert run("bundle-verify", str(hostile)) == 1
    assert capsys.readouterr().out.startswith(f"invalid: {hostile}")
    assert run("bundle-verify", str(hostile), "--json") == 1
    assert json.loads(capsys.readouterr().out)["valid"] is False


def test_keys_lists_and_trusts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("keys") == 0
    assert "no keys" in capsys.readouterr().out
    assert run("keys", "--generate", "--label", "Anna") == 0
    capsys.readouterr()
    assert run("keys", "--json") == 0
    (key,) = json.loads(capsys.readouterr().out)
    assert key["own"]
    assert key["label"] == "Anna"
    assert run("keys", "--untrust", key["key_id"]) == 0
    assert run("keys", "--trust", key["public_key"], "--label", "Anna again") == 0
    assert "trusted key" in capsys.readouterr().out
    assert run("keys", "--trust", "garbage") == 2


def _file_size_limited(limit: int) -> Callable[[], None]:
    def apply() -> None:  # in the child: writes past ``limit`` fail as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.parametrize(
    ("limit", "named", "reason"),
    [
        # The bundle (80 KB) is cut off half-way.
        (40_000, "bundle", "the bundle could not be written (File too large); no file was left"),
        # The bundle is written, then the case cannot record that it was sent.
        (100_000, "case", "the disk refused a write (disk I/O error), so this change was not"),
    ],
    ids=["bundle", "case"],
)
def test_a_bundle_that_cannot_be_written_says_so_and_leaves_nothing(
    case_a: Case, tmp_path: Path, limit: int, named: str, reason: str
) -> None:
    """The disk fails half-way (a file size limit, which fails a write as a full disk
    does): one sentence naming the file, no bundle left, the case unchanged."""
    case_a.close()
    with Case.open(case_a.path) as opened:
        before = all_rows(opened)
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "for-bob.evbundle"
    done = subprocess.run(
        [sys.executable, "-m", "desk", "bundle-export", str(case_a.path), "-o", str(target)],
        capture_output=True,
        text=True,
        preexec_fn=_file_size_limited(limit),
    )
    assert done.returncode == (1 if named == "bundle" else 2)  # the case's error: 2
    assert done.stderr.startswith(
        f"evidence-desk: {target if named == 'bundle' else case_a.path}: "
    )
    assert reason in done.stderr
    assert done.stderr.count("\n") == 1
    assert list(folder.iterdir()) == []
    with Case.open(case_a.path) as again:
        assert all_rows(again) == before
    assert run("bundle-export", str(case_a.path), "-o", str(target)) == 0
    assert 40_000 < target.stat().st_size < 100_000
