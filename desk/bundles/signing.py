"""The analyst's Ed25519 keys, and signatures over bundle manifests.

Keys live in ``paths.data_dir() / "keys"``: ``<key id>.key`` the private key (PEM,
PKCS#8, mode 0600), ``<key id>.pub`` the public key to hand to colleagues (PEM), and
``trusted.json`` the public keys the analyst has marked trusted (their own included).
A key id is the first 16 hex digits of the SHA-256 of the raw 32-byte public key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from desk import paths
from desk.bundles.schema import SIGNATURE_ALGORITHM
from desk.errors import BadInputError, DeskError
from desk.files import atomic_write

TRUSTED_FILE = "trusted.json"
MAX_KEY_FILE_BYTES = 16_384


@dataclass(frozen=True)
class KeyInfo:
    key_id: str
    public_key: str  # base64 of the raw 32 bytes
    label: str
    own: bool  # the private key is in this data folder
    trusted: bool
    # When the key came to this data folder: made (own keys) or trusted (colleagues').
    added_at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "key_id": self.key_id,
            "public_key": self.public_key,
            "label": self.label,
            "own": self.own,
            "trusted": self.trusted,
            "added_at": self.added_at.isoformat() if self.added_at else None,
        }


@dataclass(frozen=True)
class SignatureInfo:
    """Whether a bundle is signed, by which key, and whether that key is trusted here."""

    signed: bool
    key_id: str | None = None
    public_key: str | None = None
    trusted: bool = False
    label: str | None = None

    @property
    def status(self) -> str:
        return "signed" if self.signed else "unsigned"

    def describe(self) -> str:
        if not self.signed:
            return "unsigned"
        who = f"key {self.key_id}" + (f" ({self.label})" if self.label else "")
        return f"signed by {who}, " + ("trusted" if self.trusted else "NOT trusted")

    def to_json(self) -> dict[str, Any]:
        return {
            "signed": self.signed,
            "key_id": self.key_id,
            "public_key": self.public_key,
            "trusted": self.trusted,
            "label": self.label,
        }


def keys_dir() -> Path:
    folder = paths.data_dir() / "keys"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id_of(raw_public_key: bytes) -> str:
    return hashlib.sha256(raw_public_key).hexdigest()[:16]


def _trusted() -> dict[str, dict[str, str]]:
    path = keys_dir() / TRUSTED_FILE
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_bytes()[: 16 << 20])
        keys = data["keys"]
        assert isinstance(keys, dict)
        return {str(k): dict(v) for k, v in keys.items()}
    except (OSError, ValueError, KeyError, TypeError, AssertionError) as exc:
        raise DeskError(f"{path}: the list of trusted keys cannot be read ({exc}).") from exc


def _save_trusted(keys: dict[str, dict[str, str]]) -> None:
    text = json.dumps({"version": 1, "keys": keys}, indent=2, sort_keys=True, ensure_ascii=False)
    atomic_write(keys_dir() / TRUSTED_FILE, text.encode("utf-8") + b"\n")


def _add_trusted(raw: bytes, label: str) -> str:
    key_id = key_id_of(raw)
    keys = _trusted()
    keys[key_id] = {
        "public_key": base64.b64encode(raw).decode("ascii"),
        "label": label,
        "added_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
    }
    _save_trusted(keys)
    return key_id


def generate(label: str) -> KeyInfo:
    """A new key pair for this analyst; it is trusted here from the start."""
    private = Ed25519PrivateKey.generate()
    raw = _raw(private.public_key())
    key_id = key_id_of(raw)
    folder = keys_dir()
    # atomic_write's temporary file is created with mode 0600 and keeps it.
    atomic_write(
        folder / f"{key_id}.key",
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    atomic_write(
        folder / f"{key_id}.pub",
        private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
    )
    _add_trusted(raw, label)
    return _listed(key_id)


def _load_private(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise DeskError(f"{path}: the signing key cannot be read ({exc}).") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise DeskError(f"{path}: this is not an Ed25519 key.")
    return key


def list_keys() -> list[KeyInfo]:
    """The analyst's own keys first (newest first), then the other trusted keys."""
    trusted = _trusted()
    own_files = sorted(
        keys_dir().glob("*.key"), key=lambda p: (p.stat().st_mtime, p.name), reverse=True
    )
    found: list[KeyInfo] = []
    for path in own_files:
        raw = _raw(_load_private(path).public_key())
        key_id = key_id_of(raw)
        entry = trusted.get(key_id, {})
        found.append(
            KeyInfo(
                key_id,
                base64.b64encode(raw).decode("ascii"),
                entry.get("label", ""),
                own=True,
                trusted=key_id in trusted,
                added_at=datetime.fromtimestamp(int(path.stat().st_mtime), UTC),
            )
        )
    own_ids = {k.key_id for k in found}
    for key_id, entry in sorted(trusted.items(), key=lambda kv: kv[1].get("label", "")):
        if key_id not in own_ids:
            found.append(
                KeyInfo(
                    key_id,
                    entry["public_key"],
                    entry.get("label", ""),
                    own=False,
                    trusted=True,
                    added_at=_when(entry.get("added_at")),
                )
            )
    return found


def _when(text: str | None) -> datetime | None:
    """An ``added_at`` of trusted.json; None when missing or not a date (an older file)."""
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def _listed(key_id: str) -> KeyInfo:
    return next(k for k in list_keys() if k.key_id == key_id)


def signing_key(key_id: str | None = None) -> KeyInfo:
    """The named own key, or the newest one; a DeskError when there is none."""
    own = [k for k in list_keys() if k.own]
    if key_id is None:
        if not own:
            raise DeskError(
                "You have no signing key yet; make one with `evidence-desk keys --generate`."
            )
        return own[0]
    for key in own:
        if key.key_id == key_id:
            return key
    raise BadInputError(f"There is no signing key {key_id} in {keys_dir()}.")


def sign(manifest: bytes, key_id: str) -> bytes:
    """manifest.sig for these exact manifest bytes."""
    private = _load_private(keys_dir() / f"{key_id}.key")
    raw = _raw(private.public_key())
    body = {
        "algorithm": SIGNATURE_ALGORITHM,
        "key_id": key_id_of(raw),
        "public_key": base64.b64encode(raw).decode("ascii"),
        "signature": base64.b64encode(private.sign(manifest)).decode("ascii"),
    }
    return json.dumps(body, indent=2).encode("utf-8") + b"\n"


def check(manifest: bytes, signature: dict[str, Any]) -> SignatureInfo:
    """Check a schema-valid signature object; ValueError says why it does not hold."""
    try:
        raw = base64.b64decode(signature["public_key"], validate=True)
        sig = base64.b64decode(signature["signature"], validate=True)
        public = Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("the signature's key or value is malformed") from exc
    if key_id_of(raw) != signature["key_id"]:
        raise ValueError("the signature's key id does not belong to its public key")
    try:
        public.verify(sig, manifest)
    except InvalidSignature as exc:
        raise ValueError(
            f"the signature by key {signature['key_id']} does not match the manifest: "
            "the manifest was altered after it was signed"
        ) from exc
    trusted = _trusted().get(signature["key_id"])
    return SignatureInfo(
        signed=True,
        key_id=signature["key_id"],
        public_key=signature["public_key"],
        trusted=trusted is not None,
        label=trusted.get("label") if trusted else None,
    )


def trust(key: str, label: str = "") -> KeyInfo:
    """Mark a colleague's public key trusted: a .pub file (PEM) or the key in base64."""
    text = key.strip()
    path = Path(text)
    try:
        is_file = path.is_file()
    except OSError:  # a key in base64 can be too long a name for the file system
        is_file = False
    if is_file:
        return trust_file(path, label)
    try:
        raw = base64.b64decode(text, validate=True)
        Ed25519PublicKey.from_public_bytes(raw)
    except (ValueError, binascii.Error) as exc:
        raise BadInputError(
            f"'{text[:80]}' is neither a public key file nor a public key in base64."
        ) from exc
    return _listed(_add_trusted(raw, label))


def trust_file(path: Path, label: str = "") -> KeyInfo:
    """Mark the public key in a .pub file (PEM, as ``export_public_key`` writes it)
    trusted, named ``label`` or else after the file."""
    try:
        if path.stat().st_size > MAX_KEY_FILE_BYTES:
            raise BadInputError(f"{path}: this is too large to be a public key.")
        loaded = serialization.load_pem_public_key(path.read_bytes())
    except OSError as exc:
        raise BadInputError(f"{path}: the file cannot be read ({exc.strerror}).") from exc
    except ValueError as exc:
        raise BadInputError(f"{path}: this is not a public key file.") from exc
    if not isinstance(loaded, Ed25519PublicKey):
        raise BadInputError(f"{path}: this is not an Ed25519 public key.")
    return _listed(_add_trusted(_raw(loaded), label.strip() or path.stem))


def export_public_key(key_id: str, target: Path) -> Path:
    """Write the public half of one of the analyst's keys to ``target`` (PEM), the file
    to hand to colleagues; the private key never leaves the data folder."""
    own = signing_key(key_id)
    public = _load_private(keys_dir() / f"{own.key_id}.key").public_key()
    atomic_write(
        target,
        public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
    )
    return target


def untrust(key_id: str) -> None:
    keys = _trusted()
    if key_id not in keys:
        raise BadInputError(f"Key {key_id} is not among your trusted keys.")
    del keys[key_id]
    _save_trusted(keys)
