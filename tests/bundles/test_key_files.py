"""Handing keys over as files: an analyst exports the public half of their key, a
colleague imports it and is then shown the analyst's bundles as trusted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desk.bundles import signing
from desk.bundles.reader import open_bundle
from desk.bundles.writer import export_bundle
from desk.case import Case
from desk.errors import BadInputError


def test_an_exported_key_trusted_by_a_colleague_vouches_for_the_bundle(
    case_a: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    anna = signing.generate("Anna")
    shared = signing.export_public_key(anna.key_id, tmp_path / "Anna.pub")
    bundle = tmp_path / "signed.evbundle"
    export_bundle(case_a, bundle, sign_with=anna.key_id)

    text = shared.read_text()
    assert text.startswith("-----BEGIN PUBLIC KEY-----")
    assert "PRIVATE" not in text

    monkeypatch.setenv("EVIDENCE_DESK_HOME", str(tmp_path / "bob-home"))
    assert not open_bundle(bundle).signature.trusted
    trusted = signing.trust_file(shared)
    assert (trusted.key_id, trusted.label, trusted.own, trusted.trusted) == (
        anna.key_id,
        "Anna",
        False,
        True,
    )
    assert (
        open_bundle(bundle).signature.describe() == f"signed by key {anna.key_id} (Anna), trusted"
    )
    assert signing.trust_file(shared, " Anna Petrova ").label == "Anna Petrova"


def test_keys_say_when_they_were_made_or_trusted(home: Path) -> None:
    before = datetime.now(UTC) - timedelta(seconds=2)
    own = signing.generate("Anna")
    colleague = signing.trust(signing.generate("Bob").public_key, "Bob")
    (home / "keys" / f"{colleague.key_id}.key").unlink()  # Bob's key, as on Anna's machine

    listed = {k.key_id: k for k in signing.list_keys()}

    for key in (listed[own.key_id], listed[colleague.key_id]):
        assert key.added_at is not None
        assert before <= key.added_at <= datetime.now(UTC)
        assert key.to_json()["added_at"] == key.added_at.isoformat()
    assert not listed[colleague.key_id].own


def test_only_own_keys_are_exported_and_only_key_files_imported(tmp_path: Path) -> None:
    colleague = signing.trust(signing.generate("Bob").public_key, "Bob")
    (signing.keys_dir() / f"{colleague.key_id}.key").unlink()
    with pytest.raises(BadInputError, match=f"no signing key {colleague.key_id}"):
        signing.export_public_key(colleague.key_id, tmp_path / "bob.pub")
    assert not (tmp_path / "bob.pub").exists()

    not_a_key = tmp_path / "notes.pub"
    not_a_key.write_text("Bob's key is on the USB stick.\n")
    with pytest.raises(BadInputError, match=f"{not_a_key}: this is not a public key file"):
        signing.trust_file(not_a_key)
    with pytest.raises(BadInputError, match="cannot be read"):
        signing.trust_file(tmp_path / "missing.pub")
    assert [k.key_id for k in signing.list_keys()] == [colleague.key_id]
