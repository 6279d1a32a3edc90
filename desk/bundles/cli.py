"""Bundle commands for the command line; ``register`` adds them to desk.cli's parser.

bundle-export, bundle-import, bundle-verify, bundle-reviews, bundle-review-decide
and keys. Exit codes as everywhere: 0 success, 1 the thing asked for failed (an
invalid bundle for bundle-verify), 2 bad usage or bad input (a refused bundle).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desk.case import Case, default_analyst
from desk.errors import BadInputError
from desk.services.incidents import parse_id

if TYPE_CHECKING:
    from desk.bundles.reader import ValidatedBundle

# The bundle modules (cryptography, jsonschema) load only when a bundle command runs.

Handler = Callable[[argparse.Namespace], int]
CommandFactory = Callable[[str, Handler, str], argparse.ArgumentParser]


def _print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _open(args: argparse.Namespace) -> Case:
    return Case.open(Path(args.case), analyst=args.analyst)


def _describe(bundle: ValidatedBundle) -> list[str]:
    manifest = bundle.manifest
    return [
        f"bundle {bundle.sha256}",
        f"  from case '{manifest.case_title}' ({manifest.case_id}), made by "
        f"{manifest.created_by} on {manifest.created_at:%Y-%m-%d %H:%M} UTC with Evidence "
        f"Desk {manifest.app_version}",
        f"  {bundle.signature.describe()}",
        "  holds " + ", ".join(f"{n} {t}" for t, n in manifest.counts.items() if n),
    ]


def cmd_bundle_export(args: argparse.Namespace) -> int:
    from desk.bundles import signing
    from desk.bundles.writer import export_bundle

    incidents = [parse_id(i) for i in args.incident] if args.incident else None
    key = signing.signing_key(args.key).key_id if args.sign or args.key else None
    with _open(args) as case:
        summary = export_bundle(case, Path(args.output), incidents, sign_with=key)
    if args.json:
        _print_json(summary.to_json())
        return 0
    held = ", ".join(f"{n} {t}" for t, n in summary.counts.items() if n)
    print(f"{summary.path}  {summary.sha256[:12]}  {held}; {summary.blobs} originals")
    print(f"signed with key {summary.signed_by}" if summary.signed_by else "unsigned")
    return 0


def cmd_bundle_import(args: argparse.Namespace) -> int:
    from desk.bundles import merge
    from desk.bundles.reader import open_bundle

    bundle = open_bundle(Path(args.bundle))
    with _open(args) as case:
        plan = merge.preview(case, bundle) if args.dry_run else merge.apply(case, bundle)
    if args.json:
        _print_json({"bundle": bundle.to_json(), "plan": plan.to_json()})
        return 0
    for line in _describe(bundle):
        print(line)
    for name, counts in plan.counts.items():
        if counts.added or counts.unchanged or counts.updated or counts.review:
            print(
                f"  {name}: {counts.added} new, {counts.unchanged} already here, "
                f"{counts.updated} merged, {counts.review} with changes to review"
            )
    print(plan.summary())
    if plan.reviews and plan.applied:
        print(f"See them with: evidence-desk bundle-reviews {args.case}")
    if plan.backup:
        print(f"backup of the case before the import: {plan.backup}")
    return 0


def cmd_bundle_verify(args: argparse.Namespace) -> int:
    from desk.bundles.reader import open_bundle, verify_originals

    try:
        bundle = open_bundle(Path(args.bundle))
        verify_originals(bundle)
    except BadInputError as exc:
        if args.json:
            _print_json({"valid": False, "reason": str(exc)})
        else:
            print(f"invalid: {exc}")
        return 1
    if args.json:
        _print_json({"valid": True, **bundle.to_json()})
        return 0
    print("valid: every member matches the manifest's size and SHA-256")
    for line in _describe(bundle):
        print(line)
    return 0


def cmd_bundle_reviews(args: argparse.Namespace) -> int:
    from desk.bundles import review

    with _open(args) as case:
        found = review.list_reviews(case, status=None if args.all else "open")
    if args.json:
        _print_json([r.to_json() for r in found])
        return 0
    if not found:
        print("no changes to review")
    for item in found:
        print(f"{item.id}  {item.status}  {item.record_label} — {item.field}")
        print(f"    here:   {review.value_text(item.local_value)}")
        print(
            f"    theirs: {review.value_text(item.incoming_value)}  "
            f"(case '{item.from_case}', bundle {item.bundle_sha256[:12]})"
        )
    return 0


def cmd_bundle_review_decide(args: argparse.Namespace) -> int:
    from desk.bundles import review

    with _open(args) as case:
        decided = review.decide(case, parse_id(args.review_id, "review"), args.take)
    if args.json:
        _print_json(decided.to_json())
    else:
        print(f"{decided.id}  {decided.status}  {decided.record_label} — {decided.field}")
    return 0


def cmd_keys(args: argparse.Namespace) -> int:
    from desk.bundles import signing

    if args.generate:
        key = signing.generate(args.label or args.analyst or default_analyst())
        print(f"new key {key.key_id}; public key file: {signing.keys_dir() / key.key_id}.pub")
    if args.trust:
        key = signing.trust(args.trust, args.label or "")
        print(f"trusted key {key.key_id} ({key.label})")
    if args.untrust:
        signing.untrust(args.untrust)
        print(f"key {args.untrust} is no longer trusted")
    if args.generate or args.trust or args.untrust:
        return 0
    keys = signing.list_keys()
    if args.json:
        _print_json([k.to_json() for k in keys])
        return 0
    if not keys:
        print("no keys; make one with: evidence-desk keys --generate")
    for key in keys:
        kind = "own" if key.own else "trusted"
        print(f"{key.key_id}  {kind:7}  {key.label}  {key.public_key}")
    return 0


def register(
    command: CommandFactory,
    with_case: Callable[[argparse.ArgumentParser], argparse.ArgumentParser],
    with_json: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Add the bundle commands through desk.cli.build_parser's own helpers."""
    p = with_case(command("bundle-export", cmd_bundle_export, "write a bundle for a colleague"))
    p.add_argument("-o", "--output", required=True, metavar="OUT.evbundle")
    p.add_argument(
        "--incident", action="append", metavar="ID", help="only this incident (repeatable)"
    )
    p.add_argument("--sign", action="store_true", help="sign with your newest key")
    p.add_argument("--key", metavar="KEY_ID", help="sign with this key of yours")
    with_json(p)

    p = with_case(
        command("bundle-import", cmd_bundle_import, "merge a colleague's bundle into the case")
    )
    p.add_argument("bundle", metavar="BUNDLE")
    p.add_argument("--dry-run", action="store_true", help="only show what would change")
    with_json(p)

    p = command("bundle-verify", cmd_bundle_verify, "check a bundle: structure, hashes, signer")
    p.add_argument("bundle", metavar="BUNDLE")
    with_json(p)

    p = with_case(
        command("bundle-reviews", cmd_bundle_reviews, "changes from bundles waiting for a choice")
    )
    p.add_argument("--all", action="store_true", help="decided ones too")
    with_json(p)

    p = with_case(
        command(
            "bundle-review-decide",
            cmd_bundle_review_decide,
            "keep the local value or take the incoming one",
        )
    )
    p.add_argument("review_id", metavar="REVIEW_ID")
    p.add_argument("--take", required=True, choices=("local", "incoming"))
    with_json(p)

    p = command("keys", cmd_keys, "your signing keys and the keys you trust")
    p.add_argument("--generate", action="store_true", help="make a new signing key")
    p.add_argument("--trust", metavar="FILE|KEY", help="trust a colleague's public key")
    p.add_argument("--untrust", metavar="KEY_ID", help="stop trusting a key")
    p.add_argument("--label", help="a name for the key (default: yours, or the file's)")
    with_json(p)
