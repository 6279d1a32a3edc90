"""The command line: thin subcommands over the same services the GUI uses.

Exit codes: 0 success, 1 the thing asked for failed, 2 bad usage or bad input.
Expected errors print one sentence to stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from desk import __version__, backups, paths
from desk.bundles.cli import register as register_bundle_commands
from desk.case import Case
from desk.claims.values import FIELDS as CLAIM_FIELDS
from desk.dates import parse_partial_date
from desk.errors import BadInputError, DeskError
from desk.files import size_text
from desk.services.incidents import (
    IncidentFields,
    IncidentFilter,
    parse_id,
)
from desk.services.listing import incident_dicts, incident_rows
from desk.verify import verify_case

if TYPE_CHECKING:
    # Importers pull in trafilatura and lxml: loaded only by commands that import.
    from desk.services.sources import ImportOutcome, SourceView

Handler = Callable[[argparse.Namespace], int]


def _print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _open(args: argparse.Namespace) -> Case:
    return Case.open(Path(args.case), analyst=args.analyst)


def cmd_new(args: argparse.Namespace) -> int:
    title = args.title or Path(args.case).stem
    with Case.create(Path(args.case), title, analyst=args.analyst) as case:
        info = case.info()
    print(f"{info.id}  {args.case}  {title}")
    return 0


def _source_line(source: SourceView) -> str:
    facts = [
        source.kind,
        source.outlet or "",
        source.published_text,
        source.language or "",
    ]
    if source.gps_lat is not None and source.gps_lon is not None:
        facts.append(f"GPS {source.gps_lat:.5f},{source.gps_lon:.5f}")
    if source.extraction_warning:
        facts.append(f"warning: {source.extraction_warning}")
    return f"{source.id}  {source.title}  [{', '.join(f for f in facts if f)}]"


def cmd_import(args: argparse.Namespace) -> int:
    incident = parse_id(args.incident) if args.incident else None
    with _open(args) as case:
        outcomes = case.sources.import_files([Path(p) for p in args.files], incident)
    if args.json:
        _print_json([_outcome_json(o) for o in outcomes])
    for outcome in outcomes:
        if outcome.error:
            print(f"error: {outcome.error}", file=sys.stderr)
        elif not args.json and outcome.source is not None:
            status = "new" if outcome.created else "already in case"
            print(f"{_source_line(outcome.source)}  ({status})")
    return 0 if all(o.ok for o in outcomes) else BadInputError.exit_code


def _outcome_json(outcome: ImportOutcome) -> dict[str, Any]:
    result: dict[str, Any] = {"file": str(outcome.path), "ok": outcome.ok}
    if outcome.source is not None:
        result["created"] = outcome.created
        result["source"] = outcome.source.to_json()
    if outcome.error:
        result["error"] = outcome.error
    return result


def _incident_fields(args: argparse.Namespace) -> IncidentFields:
    start, precision = parse_partial_date(args.date) if args.date else (None, "day")
    end, end_precision = parse_partial_date(args.end) if args.end else (None, None)
    return IncidentFields(
        title=args.title,
        summary=args.summary or "",
        start=start,
        start_precision=precision,
        end=end,
        end_precision=end_precision,
        place=args.place,
        latitude=args.lat,
        longitude=args.lon,
        event_type=args.type,
        sub_event_type=args.sub_type,
        status=args.status,
        tags=tuple(args.tag or ()),
        actors=tuple(_actor(a) for a in args.actor or ()),
    )


def _actor(text: str) -> tuple[str, str]:
    name, _, role = text.rpartition(":")
    if not name:
        return text, "actor1"
    return name, role


def cmd_incident_add(args: argparse.Namespace) -> int:
    with _open(args) as case:
        view = case.incidents.create(_incident_fields(args))
    if args.json:
        _print_json(view.to_json())
    else:
        print(view.id)
    return 0


def cmd_incidents(args: argparse.Namespace) -> int:
    where = IncidentFilter(text=args.filter or "", status=args.status or "", place=args.place or "")
    with _open(args) as case:
        if args.json:
            # What the imports built lives until exit: keep the collector's full
            # passes, which the listing's many short-lived objects set off, off it.
            gc.freeze()
            _print_incidents_json(incident_dicts(case, where))
            return 0
        for row in incident_rows(case, where):
            disputed = f"; {row.open_conflicts} open conflicts" if row.open_conflicts else ""
            print(
                f"{row.id}  {row.date_text or '?':10}  {row.status:12}  {row.title}"
                f"  [{row.place or 'no place'}; {row.source_count} sources{disputed}]"
            )
    return 0


def _print_incidents_json(items: Iterable[dict[str, Any]]) -> None:
    """The incidents as one JSON list, written as they are read: a large case is
    never held whole. The bytes are what ``json.dump`` with indent 2 writes, encoded
    by orjson (json's indenting encoder is pure Python: most of the listing's time)."""
    sys.stdout.flush()
    out = sys.stdout.buffer
    out.write(b"[")
    first = True
    for item in items:
        # JSON strings hold no raw newline, so every newline is a line break to indent.
        text = orjson.dumps(item, option=orjson.OPT_INDENT_2).replace(b"\n", b"\n  ")
        out.write((b"\n  " if first else b",\n  ") + text)
        first = False
    out.write(b"]\n" if first else b"\n]\n")
    out.flush()


def cmd_sources(args: argparse.Namespace) -> int:
    incident = parse_id(args.incident) if args.incident else None
    with _open(args) as case:
        sources = case.sources.list(incident, limit=max(case.sources.count(), 1))
    if args.json:
        _print_json([s.to_json() for s in sources])
    else:
        for source in sources:
            print(_source_line(source))
    return 0


def _published(text: str) -> dict[str, Any]:
    """``--published`` as the source service takes it; empty for no date."""
    if not text.strip():
        return {"published_at": None, "published_precision": None}
    day, precision = parse_partial_date(text)
    if precision == "week":
        raise BadInputError(
            f"'{text}' is a week; a source's publication date is a day, a month or a year."
        )
    return {
        "published_at": datetime(day.year, day.month, day.day, tzinfo=UTC),
        "published_precision": precision,
    }


def cmd_source_edit(args: argparse.Namespace) -> int:
    source_id = parse_id(args.source_id, "source")
    changes: dict[str, Any] = {}
    if args.outlet is not None:
        changes["outlet"] = args.outlet.strip() or None
    if args.title is not None:
        changes["title"] = args.title.strip()
    if args.author is not None:
        changes["author"] = args.author.strip() or None
    if args.published is not None:
        changes.update(_published(args.published))
    if not changes:
        raise BadInputError(
            f"Nothing to change in source {source_id}: give --outlet, --title, --author "
            "or --published."
        )
    with _open(args) as case:
        source = case.sources.update(source_id, **changes)
    if args.json:
        _print_json(source.to_json())
    else:
        print(_source_line(source))
    return 0


def cmd_attach(args: argparse.Namespace) -> int:
    incident = parse_id(args.incident_id)
    sources = [parse_id(s, "source") for s in args.source_ids]
    with _open(args) as case:
        added = case.incidents.attach(incident, sources)
    print(f"{added} source(s) attached, {len(sources) - added} already attached")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    with _open(args) as case:
        results = case.search(args.query, limit=args.limit)
    if args.json:
        _print_json([r.to_json() for r in results])
        return 0
    if not results:
        print("no matches")
    for result in results:
        print(f"{result.kind:8}  {result.id}  {result.title}")
        print(f"          {result.snippet_marked().replace(chr(10), ' ')}")
    return 0


def cmd_note(args: argparse.Namespace) -> int:
    incident = parse_id(args.incident) if args.incident else None
    source = parse_id(args.source, "source") if args.source else None
    with _open(args) as case:
        note = case.notes.add(args.text, incident_id=incident, source_id=source)
    print(note.id)
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    record = parse_id(args.id, "record")
    with _open(args) as case:
        items = case.incidents.history(record)
    if args.json:
        _print_json([i.to_json() for i in items])
    for item in [] if args.json else items:
        print(f"{item.at.isoformat()}  {item.actor}  {item.action}  {item.summary}")
    return 0


def cmd_claim_add(args: argparse.Namespace) -> int:
    with _open(args) as case:
        claim = case.claims.add(
            parse_id(args.incident),
            parse_id(args.source, "source"),
            args.field,
            args.value,
            quote=args.quote,
            credibility=args.credibility,
            question=args.question,
            role=args.role,
            repeats_source_id=parse_id(args.repeats, "source") if args.repeats else None,
            note=args.note,
        )
    if args.json:
        _print_json(claim.to_json())
    else:
        print(claim.id)
    return 0


def cmd_claims(args: argparse.Namespace) -> int:
    incident = parse_id(args.incident) if args.incident else None
    with _open(args) as case:
        claims = case.claims.list(incident)
    if args.json:
        _print_json([c.to_json() for c in claims])
        return 0
    for claim in claims:
        grade = f"{claim.outlet_reliability or '?'}{claim.credibility or '?'}"
        key = f" [{claim.key}]" if claim.key else ""
        print(
            f"{claim.id}  {claim.field}{key} = {claim.value_text}  ({grade}) "
            f"{claim.outlet or claim.source_title}" + (f'  "{claim.quote}"' if claim.quote else "")
        )
    return 0


def cmd_conflicts(args: argparse.Namespace) -> int:
    incident = parse_id(args.incident) if args.incident else None
    with _open(args) as case:
        conflicts = case.claims.conflicts(incident, field=args.field, status=args.status)
    if args.json:
        _print_json([c.to_json() for c in conflicts])
        return 0
    if not conflicts:
        print("no conflicts")
    for conflict in conflicts:
        print(f"{conflict.id}  {conflict.status:8}  {conflict.incident_title} — {conflict.label}")
        print(f"    {conflict.explanation}")
        if conflict.resolution:
            r = conflict.resolution
            print(f"    resolved: {r.accepted_value or 'no value'} ({r.confidence}): {r.rationale}")
    return 0


def cmd_resolve(args: argparse.Namespace) -> int:
    with _open(args) as case:
        conflict = case.claims.resolve(
            parse_id(args.conflict_id, "conflict"),
            value=args.value,
            rationale=args.rationale,
            confidence=args.confidence,
            best=args.best,
            low=args.low,
            high=args.high,
        )
    if args.json:
        _print_json(conflict.to_json())
    else:
        print(f"{conflict.id}  {conflict.status}  {conflict.label}")
    return 0


def cmd_suggest(args: argparse.Namespace) -> int:
    with _open(args) as case:
        found = case.claims.suggestions(parse_id(args.source_id, "source"))
    if args.json:
        _print_json(
            [
                {
                    "field": s.field,
                    "value": s.value,
                    "quote": s.quote,
                    "start": s.start,
                    "end": s.end,
                }
                for s in found
            ]
        )
        return 0
    for s in found:
        print(f'{s.field:10}  {s.value:12}  "{s.quote}"  @{s.start}')
    return 0


def cmd_outlet_grade(args: argparse.Namespace) -> int:
    with _open(args) as case:
        outlet = case.outlets.grade(args.outlet, args.reliability, args.reason)
    print(f"{outlet.name}: {outlet.reliability}")
    return 0


def cmd_outlets(args: argparse.Namespace) -> int:
    with _open(args) as case:
        outlets = case.outlets.list()
    if args.json:
        _print_json([o.to_json() for o in outlets])
    for outlet in [] if args.json else outlets:
        print(
            f"{outlet.reliability or '-'}  {outlet.name}"
            + (f"  ({outlet.reason})" if outlet.reason else "")
        )
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    with _open(args) as case:
        report = verify_case(case)
    if args.json:
        _print_json(report.to_json())
    elif report.ok:
        print(
            f"ok: database intact, {report.blobs_checked} originals match their SHA-256, "
            f"history chain of {report.history_entries} entries intact"
            + (
                f", {report.received_history_entries} entries received in bundles intact"
                if report.received_history_entries
                else ""
            )
            + ("" if report.index_checked else "; search index not checked (read-only file)")
        )
    else:
        print(f"{len(report.problems)} problem(s) found in {args.case}:")
        for problem in report.problems:
            print(f"- {problem}")
    return 0 if report.ok else 1


def cmd_brief(args: argparse.Namespace) -> int:
    # ReportLab and the fonts load only for this command.
    from exporters.brief import BriefOptions, build_brief

    options = BriefOptions(
        incident_ids=tuple(parse_id(i) for i in args.incident or ()),
        title=args.title or "",
        author=args.author or "",
        handling=args.handling or "",
        include_map=not args.no_map,
        include_timeline=not args.no_timeline,
        graphic=args.graphic,
        # Naming a note means wanting notes: --notes is implied.
        include_notes=args.notes or bool(args.note),
        note_ids=frozenset(parse_id(i, "note") for i in args.note) if args.note else None,
    )
    with _open(args) as case:
        result = build_brief(case, Path(args.output), options)
    print(result.path)
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    path = Path(args.case)
    if not path.is_file():
        raise BadInputError(f"{path}: no such case file.")
    print(backups.snapshot(path, "manual"))
    return 0


def cmd_backups(args: argparse.Namespace) -> int:
    found = backups.list_backups(Path(args.case))
    if args.json:
        _print_json([b.to_json() for b in found])
        return 0
    if not found:
        print(f"no backups of {args.case} in {paths.backups_dir()}")
    for backup in found:
        print(
            f"{backup.created_at:%Y-%m-%d %H:%M:%S} UTC  {backup.reason:20}  "
            f"{size_text(backup.size):>8}  {backup.path}"
        )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    kept = backups.restore(Path(args.case), Path(args.backup))
    print(f"restored {args.backup} into {args.case}")
    print(f"the case as it was before is kept as {kept}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from desk.demo import build_demo_case

    path = build_demo_case(Path(args.case) if args.case else None, replace=args.replace)
    print(path)
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    from ui.app import run

    return run(Path(args.case) if args.case else None, analyst=args.analyst)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="evidence-desk",
        description="Evidence Desk: an offline case file for conflict and human-rights analysts.",
    )
    parser.add_argument("--version", action="version", version=f"evidence-desk {__version__}")
    parser.add_argument(
        "--analyst",
        help="your name for the case history (default: $EVIDENCE_DESK_ANALYST or your login)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(handler=handler)
        return p

    def with_case(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("case", metavar="CASE", help="the case file (.evcase)")
        return p

    def with_json(p: argparse.ArgumentParser) -> None:
        p.add_argument("--json", action="store_true", help="print JSON instead of text")

    p = with_case(command("new", cmd_new, "create a new, empty case file"))
    p.add_argument("--title", help="the case's title (default: the file name)")

    p = with_case(command("import", cmd_import, "import source files (or folders of them)"))
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--incident", metavar="ID", help="also attach them to this incident")
    with_json(p)

    p = with_case(command("incident-add", cmd_incident_add, "add an incident; prints its id"))
    p.add_argument("--title", required=True)
    p.add_argument("--summary")
    p.add_argument("--date", help="start: 2019-06-07, 2019-W23, 2019-06 or 2019")
    p.add_argument("--end", help="end date, same forms as --date")
    p.add_argument("--place", help="place name in any known spelling")
    p.add_argument("--lat", type=float, help="latitude in decimal degrees")
    p.add_argument("--lon", type=float, help="longitude in decimal degrees")
    p.add_argument("--type", help="ACLED event type, e.g. 'Battles'")
    p.add_argument("--sub-type", help="ACLED sub-event type, e.g. 'Armed clash'")
    p.add_argument("--status", default="draft", help="draft, under review, confirmed, ...")
    p.add_argument("--tag", action="append", help="a tag (repeatable)")
    p.add_argument("--actor", action="append", help="NAME:ROLE, e.g. 'NDF:actor2' (repeatable)")
    with_json(p)

    p = with_case(command("incidents", cmd_incidents, "list incidents"))
    p.add_argument("--filter", help="text in title or summary")
    p.add_argument("--status")
    p.add_argument("--place")
    with_json(p)

    p = with_case(command("sources", cmd_sources, "list sources"))
    p.add_argument("--incident", metavar="ID", help="only sources of this incident")
    with_json(p)

    p = with_case(
        command("source-edit", cmd_source_edit, "correct a source's outlet, title, author or date")
    )
    p.add_argument("source_id", metavar="SOURCE_ID")
    p.add_argument("--outlet", metavar="NAME", help="the outlet that published it ('' for none)")
    p.add_argument("--title", metavar="T")
    p.add_argument("--author", metavar="A", help="('' for none)")
    p.add_argument("--published", metavar="DATE", help="2019-06-07, 2019-06 or 2019 ('' for none)")
    with_json(p)

    p = with_case(command("attach", cmd_attach, "attach sources to an incident"))
    p.add_argument("incident_id", metavar="INCIDENT_ID")
    p.add_argument("source_ids", nargs="+", metavar="SOURCE_ID")

    p = with_case(command("search", cmd_search, "full-text search with snippets"))
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--limit", type=int, default=50)
    with_json(p)

    p = with_case(command("note", cmd_note, "add a note to the case, an incident or a source"))
    p.add_argument("text", metavar="TEXT")
    target = p.add_mutually_exclusive_group()
    target.add_argument("--incident", metavar="ID")
    target.add_argument("--source", metavar="ID")

    p = with_case(command("history", cmd_history, "the change history of one record"))
    p.add_argument("id", metavar="ID", help="an incident, source or note id")
    with_json(p)

    p = with_case(
        command("claim-add", cmd_claim_add, "record what a source says about an incident")
    )
    p.add_argument("--incident", required=True, metavar="ID")
    p.add_argument("--source", required=True, metavar="ID")
    p.add_argument("--field", required=True, choices=CLAIM_FIELDS)
    p.add_argument(
        "--value",
        required=True,
        help="3, 3-5, >=3, <=3, ~5; 2019-06-07, 2019-06, 2019-06-07..2019-06-08; yes/no; text",
    )
    p.add_argument("--quote", help="the source's exact words")
    p.add_argument(
        "--credibility", type=int, choices=range(1, 7), help="1 confirmed ... 6 cannot be judged"
    )
    p.add_argument("--question", help="the yes/no question a statement answers")
    p.add_argument("--role", help="an actor's role: actor1, actor2, ...")
    p.add_argument("--repeats", metavar="SOURCE_ID", help="the source this claim repeats")
    p.add_argument("--note")
    with_json(p)

    p = with_case(command("claims", cmd_claims, "list claims"))
    p.add_argument("--incident", metavar="ID")
    with_json(p)

    p = with_case(command("conflicts", cmd_conflicts, "list conflicts between claims"))
    p.add_argument("--incident", metavar="ID")
    p.add_argument("--field", choices=CLAIM_FIELDS)
    p.add_argument("--status", choices=("open", "resolved", "reopened"))
    with_json(p)

    p = with_case(command("resolve", cmd_resolve, "record an assessment of a conflict"))
    p.add_argument("conflict_id", metavar="CONFLICT_ID")
    p.add_argument("--value", help="the accepted value (omit to accept none)")
    p.add_argument("--rationale", required=True)
    p.add_argument("--confidence", required=True, choices=("low", "moderate", "high"))
    p.add_argument("--best", type=int, help="for counts: the best estimate")
    p.add_argument("--low", type=int, help="for counts: the low estimate")
    p.add_argument("--high", type=int, help="for counts: the high estimate")
    with_json(p)

    p = with_case(command("suggest", cmd_suggest, "suggest claims from a source's text"))
    p.add_argument("source_id", metavar="SOURCE_ID")
    with_json(p)

    p = with_case(command("outlet-grade", cmd_outlet_grade, "grade an outlet's reliability A-F"))
    p.add_argument("outlet", metavar="OUTLET")
    p.add_argument(
        "--reliability", required=True, help="A completely reliable ... F cannot be judged"
    )
    p.add_argument("--reason", required=True)

    p = with_case(command("outlets", cmd_outlets, "list outlets and their grades"))
    with_json(p)

    p = with_case(command("verify", cmd_verify, "check the database, originals and history"))
    with_json(p)

    p = with_case(command("brief", cmd_brief, "export a PDF brief of incidents"))
    p.add_argument("-o", "--output", required=True, metavar="OUT.pdf", help="the PDF to write")
    p.add_argument(
        "--incident", action="append", metavar="ID", help="an incident (repeatable; default: all)"
    )
    p.add_argument("--handling", help="handling line on every page, e.g. 'RESTRICTED'")
    p.add_argument("--title", help="the brief's title (default: Brief: <case title>)")
    p.add_argument("--author", help="the author named on the cover (default: the analyst)")
    p.add_argument("--no-map", action="store_true", help="leave out the map")
    p.add_argument("--no-timeline", action="store_true", help="leave out the timeline")
    p.add_argument(
        "--graphic",
        choices=("omit", "blur"),
        default="omit",
        help="graphic images: leave them out (default) or blur them",
    )
    p.add_argument("--notes", action="store_true", help="include the incidents' notes")
    p.add_argument(
        "--note",
        action="append",
        metavar="ID",
        help="include only this note (repeatable; implies --notes)",
    )

    with_case(command("backup", cmd_backup, "make a backup of the case now"))

    p = with_case(command("backups", cmd_backups, "list the case's backups: when, why, size, file"))
    with_json(p)

    p = with_case(
        command("restore", cmd_restore, "restore a backup; the present case is backed up first")
    )
    p.add_argument("backup", metavar="BACKUP", help="a backup file, as `backups` lists them")

    register_bundle_commands(command, with_case, with_json)

    p = command("demo", cmd_demo, "build the demo case (in your data folder by default)")
    p.add_argument("case", metavar="CASE", nargs="?")
    p.add_argument("--replace", action="store_true", help="rebuild it if it exists")

    p = command("gui", cmd_gui, "open the desk (the demo case when no case is given)")
    p.add_argument("case", metavar="CASE", nargs="?")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = getattr(args, "handler", cmd_gui)
    if args.command is None:
        args.case = None
    try:
        return handler(args)
    except DeskError as exc:
        print(f"evidence-desk: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("evidence-desk: interrupted", file=sys.stderr)
        return 130
