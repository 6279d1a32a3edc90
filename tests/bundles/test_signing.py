"""Keys and signatures: a signed bundle shows its key and whether it is trusted; an
altered manifest under its old signature is refused."""

from __future__ import annotations

import base64
import hashlib
import json
import stat
from pathlib import Path

import pytest

from desk.bundles import merge, signing
from desk.bundles.reader import open_bundle
from desk.bundles.writer import export_bundle
from desk.case import Case
from desk.errors import BadInputError, DeskError
from tests.bundles.conftest import members_of, write_zip


def test_a_key_pair_is_made_in_the_data_folder(home: Path) -> None:
    key = signing.generate("Anna")
    folder = home / "keys"
    private = folder / f"{key.key_id}.key"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert private.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert (folder / f"{key.key_id}.pub").read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    raw = base64.b64decode(key.public_key)
    assert key.key_id == hashlib.sha256(raw).hexdigest()[:16]
    assert signing.list_keys() == [key]
    assert signing.signing_key() == key
    assert json.loads((folder / "trusted.json").read_text())["keys"][key.key_id]["label"] == "Anna"


def test_without_a_key_signing_asks_for_one() -> None:
    with pytest.raises(DeskError, match="keys --generate"):
        signing.signing_key()


def test_a_signed_bundle_shows_its_key_and_trust(
    case_a: Case, tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = signing.generate("Anna")
    path = tmp_path / "signed.evbundle"
    summary = export_bundle(case_a, path, sign_with=key.key_id)
    assert summary.signed_by == key.key_id

    bundle = open_bundle(path)
    assert bundle.signature.signed
    assert bundle.signature.trusted
    assert bundle.signature.key_id == key.key_id
    assert bundle.signature.describe() == f"signed by key {key.key_id} (Anna), trusted"

    # a colleague who has not marked Anna's key trusted sees it signed, not trusted
    monkeypatch.setenv("EVIDENCE_DESK_HOME", str(tmp_path / "bob-home"))
    seen_by_bob = open_bundle(path)
    assert seen_by_bob.signature.signed
    assert not seen_by_bob.signature.trusted
    assert seen_by_bob.signature.describe().endswith("NOT trusted")
    trusted = signing.trust(str(home / "keys" / f"{key.key_id}.pub"), "Anna")
    assert trusted.key_id == key.key_id
    assert not trusted.own
    assert open_bundle(path).signature.trusted

    # the import records the signer
    with Case.create(tmp_path / "bob.evcase", "Bob", analyst="Bob") as bob:
        plan = merge.apply(bob, open_bundle(path))
        bundle_entry = bob.incidents.history(plan.import_id)[-1]  # type: ignore[arg-type]
        assert f"signed by key {key.key_id} (Anna), trusted" in bundle_entry.summary

    signing.untrust(key.key_id)
    assert not open_bundle(path).signature.trusted


def test_an_altered_manifest_with_its_old_signature_is_refused(
    case_a: Case, tmp_path: Path
) -> None:
    key = signing.generate("Anna")
    path = tmp_path / "signed.evbundle"
    export_bundle(case_a, path, sign_with=key.key_id)
    members = members_of(path)
    members["manifest.json"] = members["manifest.json"].replace(
        b'"created_by": "Anna"', b'"created_by": "Mallory"'
    )
    forged = write_zip(tmp_path / "forged.evbundle", members)
    with pytest.raises(BadInputError, match="the manifest was altered after it was signed") as e:
        open_bundle(forged)
    assert str(forged) in str(e.value)


def test_a_signature_whose_key_id_lies_is_refused(case_a: Case, tmp_path: Path) -> None:
    key = signing.generate("Anna")
    path = tmp_path / "signed.evbundle"
    export_bundle(case_a, path, sign_with=key.key_id)
    members = members_of(path)
    signature = json.loads(members["manifest.sig"])
    signature["key_id"] = "0123456789abcdef"
    members["manifest.sig"] = json.dumps(signature).encode()
    with pytest.raises(BadInputError, match="key id does not belong to its public key"):
        open_bundle(write_zip(tmp_path / "liar.evbundle", members))


def test_trusting_a_key_given_in_base64() -> None:
    key = signing.generate("Anna")
    assert signing.trust(key.public_key, "again").label == "again"
    with pytest.raises(BadInputError, match="neither a public key file"):
        signing.trust("not a key")
