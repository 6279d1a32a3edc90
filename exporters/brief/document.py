"""The brief: a PDF for readers who never open the desk.

``build_brief`` reads the chosen incidents through the services, builds a Platypus
story (cover, contents, summary with map and timeline, one section per incident, the
cited sources and a method note) and lays it out in as many passes as the contents
and the "page x of y" footers need, into a temporary file renamed over the target at
the end. Cancelling leaves no file.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab import rl_config
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import TimeStamp
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    LongTable,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)
from reportlab.platypus.doctemplate import IndexingFlowable
from reportlab.platypus.tableofcontents import TableOfContents

from desk import __version__
from desk.claims import values as v
from desk.dates import format_partial_date
from desk.errors import BadInputError
from exporters.brief import figures
from exporters.brief.fonts import SANS, SANS_BOLD, register_fonts
from exporters.brief.gather import BriefData, IncidentData, Interrupted, count_selected, gather
from exporters.brief.images import PreparedImage, PrintImage
from exporters.brief.options import BriefOptions, BriefResult, Cancelled, Progress
from exporters.brief.output import atomic_output
from exporters.brief.styles import (
    MARGIN,
    OPEN,
    RESOLVED,
    RULE,
    Styles,
    field_table_style,
    image_table_style,
    make_styles,
    table_style,
    toc_table_style,
)
from exporters.brief.text import fitted, inline, one_line, para

if TYPE_CHECKING:
    from desk.case import Case
    from desk.claims.assessment import AssessedFact
    from desk.services.claims import ClaimView, ConflictView
    from desk.services.sources import SourceView

RELIABILITY = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
CREDIBILITY = {
    1: "confirmed by other sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "truth cannot be judged",
}
_HEADER_SPACE = 12 * mm
_FOOTER_SPACE = 10 * mm
# Progress is reported to the caller every this many laid-out flowables.
_PROGRESS_EVERY = 25
_LAYOUT_PASSES = 3


def _configure_reportlab() -> None:
    """Trust no host and no scheme, so markup cannot fetch or read anything (SAFETY.md);
    ReportLab reads these process-wide settings when it opens a resource."""
    rl_config.trustedHosts = []
    rl_config.trustedSchemes = []
    # Binary streams: ASCII85 (pure Python without rl_accel) made images four times
    # slower to write and the file a quarter larger, for no gain in a binary PDF.
    rl_config.useA85 = 0


_configure_reportlab()


def build_brief(
    case: Case,
    target: Path,
    options: BriefOptions | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> BriefResult:
    """Write the brief for ``options`` to ``target``.

    ``progress(done, total, label)`` is called as incidents are read and pages laid
    out; ``cancelled()`` is checked between steps, and a cancelled build returns a
    result with ``cancelled`` set and leaves no file. Expected failures raise
    ``DeskError`` (a missing incident, a folder that does not exist).
    """
    options = options or BriefOptions()
    _refuse_case_files(case, target)
    _configure_reportlab()
    register_fonts()
    issued = options.issued or datetime.now(UTC)
    # Reading the incidents is the first half of the work, laying out pages the second.
    half = max(count_selected(case, options), 1)
    total = 2 * half
    try:
        data = gather(case, options, progress, cancelled, total=total)
        story = _Story(data, options, issued).build()
        reporter = _LayoutProgress(progress, cancelled, half)
        page_count = _PageCount()
        story.append(page_count)
        with atomic_output(target) as fh:
            doc = _BriefDoc(fh, data, options, issued, page_count)
            doc.setProgressCallBack(reporter)
            doc.multiBuild(story)
    except Interrupted:
        return BriefResult(path=None, cancelled=True)
    if progress is not None:
        progress(total, total, "")
    return BriefResult(
        path=target,
        pages=page_count.current,
        incidents=len(data.incidents),
        sources=len(data.cited),
        images=sum(1 for i in data.incidents for image in i.images if image.jpeg),
    )


def _refuse_case_files(case: Case, target: Path) -> None:
    """Renaming a PDF over the open case, or its WAL files, would destroy it."""
    case_files = {
        case.path.resolve(),
        *(case.path.resolve().with_name(case.path.name + s) for s in ("-wal", "-shm")),
    }
    if target.resolve() in case_files:
        raise BadInputError(
            f"{target}: that is the case file itself; choose another name for the brief."
        )


class _LayoutProgress:
    """ReportLab's progress callback, turned into ours; raises to cancel."""

    def __init__(self, progress: Progress | None, cancelled: Cancelled | None, half: int) -> None:
        self._progress = progress
        self._cancelled = cancelled
        self._half = half
        self._pass = 0
        self._size = 1

    def __call__(self, kind: str, value: int) -> None:
        if kind == "PASS":
            self._pass = value
        elif kind == "SIZE_EST":
            self._size = max(value, 1)
        elif kind == "PROGRESS" and value % _PROGRESS_EVERY == 0:
            if self._cancelled is not None and self._cancelled():
                raise Interrupted
            if self._progress is not None:
                # Usually two or three passes; a further one stays just short of the end.
                passes_done = min(self._pass - 1, _LAYOUT_PASSES - 1)
                share = (passes_done * self._size + value) / (_LAYOUT_PASSES * self._size)
                done = self._half + min(int(share * self._half), self._half - 1)
                self._progress(done, 2 * self._half, "Laying out pages")


class _PageCount(IndexingFlowable):  # type: ignore[misc]  # ReportLab has no type hints
    """Counts the pages of a pass, so the next pass can print "page x of y"; asks for
    another pass while the count changes."""

    def __init__(self) -> None:
        super().__init__()
        self.known = 0  # the count of the previous pass (0: not known yet)
        self.current = 0

    def beforeBuild(self) -> None:
        self.known = self.current

    def isSatisfied(self) -> bool:
        return self.known == self.current

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.current = self.canv.getPageNumber()


class _BriefDoc(BaseDocTemplate):  # type: ignore[misc]  # ReportLab has no type hints
    """Pages with the handling line on top and "page x of y" below; headings become
    bookmarks and contents entries as they are placed."""

    def __init__(
        self,
        fh: Any,
        data: BriefData,
        options: BriefOptions,
        issued: datetime,
        page_count: _PageCount,
    ) -> None:
        self.brief_title = _brief_title(data, options)
        self.handling = one_line(options.handling)
        self.issued = issued
        self.page_count = page_count
        self.styles = make_styles()
        pagesize = A4 if options.page_size == "A4" else LETTER
        author = one_line(options.author) or data.analyst
        super().__init__(
            fh,
            pagesize=pagesize,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + _HEADER_SPACE,
            bottomMargin=MARGIN + _FOOTER_SPACE,
            title=self.brief_title,
            author=author,
            subject=_subject(data),
            creator=f"Evidence Desk {__version__}",
            keywords=["Evidence Desk", "brief"],
            invariant=1 if options.invariant else 0,
            initialFontName=SANS,
            initialFontSize=9,
            lang="en",
        )
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._decorate)])
        # Header and footer have one line each: long texts are cut there (not on the cover).
        self._header = fitted(self.handling, self.styles.header, self.width)
        self._footer = fitted(self.brief_title, self.styles.footer, self.width * 0.75)

    def beforeDocument(self) -> None:
        # The creation date is the date of issue, so the same options give the same file.
        stamp = TimeStamp(invariant=1)
        utc = self.issued.astimezone(UTC)
        stamp.t = utc.timestamp()
        stamp.lt = utc.timetuple()
        stamp.YMDhms = tuple(stamp.lt)[:6]
        self.canv._doc._timeStamp = stamp
        self.canv.showOutline()

    def afterFlowable(self, flowable: Flowable) -> None:
        entry: _Entry | None = getattr(flowable, "brief_entry", None)
        if entry is None:
            return
        self.canv.bookmarkPage(entry.key)
        self.canv.addOutlineEntry(entry.title, entry.key, level=entry.level, closed=entry.level > 0)
        if entry.toc_markup is not None:
            self.notify("TOCEntry", (min(entry.level, 1), entry.toc_markup, self.page, entry.key))

    def _decorate(self, canvas: Any, doc: Any) -> None:
        """Header (handling line) and footer (title, page x of y) on every page."""
        styles = self.styles
        width = self.width
        left = self.leftMargin
        top = self.pagesize[1] - MARGIN
        canvas.saveState()
        if self.handling:
            _draw_paragraph(canvas, self._header, styles.header, left, top, width)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(left, top - 13, left + width, top - 13)
        canvas.line(left, MARGIN + 11, left + width, MARGIN + 11)
        total = self.page_count.known
        page = f"Page {doc.page} of {total}" if total else f"Page {doc.page}"
        _draw_paragraph(canvas, page, styles.footer_right, left, MARGIN + 8, width)
        _draw_paragraph(canvas, self._footer, styles.footer, left, MARGIN + 8, width * 0.75)
        canvas.restoreState()


def _draw_paragraph(
    canvas: Any, markup: str, style: ParagraphStyle, x: float, top: float, width: float
) -> None:
    paragraph = Paragraph(markup, style)
    _, height = paragraph.wrapOn(canvas, width, 100)
    paragraph.drawOn(canvas, x, top - height)


def _brief_title(data: BriefData, options: BriefOptions) -> str:
    return one_line(options.title) or f"Brief: {one_line(data.case_title)}"


def _subject(data: BriefData) -> str:
    count = len(data.incidents)
    noun = "incident" if count == 1 else "incidents"
    return f"{count} {noun} from the case {one_line(data.case_title)}: what is known, what is disputed, and the sources"


class _Entry:
    """A heading's bookmark (and contents line when ``toc_markup`` is set)."""

    def __init__(self, level: int, title: str, key: str, toc_markup: str | None) -> None:
        self.level = level
        self.title = title
        self.key = key
        self.toc_markup = toc_markup


class _Story:
    """The flowables of one brief, section by section; empty sections make nothing."""

    def __init__(self, data: BriefData, options: BriefOptions, issued: datetime) -> None:
        self.data = data
        self.options = options
        self.issued = issued
        self.s: Styles = make_styles()
        size = A4 if options.page_size == "A4" else LETTER
        self.width = size[0] - 2 * MARGIN
        self._keys = 0

    def build(self) -> list[Flowable]:
        story: list[Flowable] = []
        story += self._cover()
        story += self._contents()
        story += self._summary()
        if self.data.incidents:
            story.append(self._heading("Incidents", self.s.h1, 0, toc=True))
        for incident in self.data.incidents:
            story += self._incident(incident)
        if self.options.include_appendix:
            story += self._sources_appendix()
        story += self._method()
        return story

    # -- building blocks -----------------------------------------------------

    def _heading(self, title: str, style: ParagraphStyle, level: int, toc: bool) -> Flowable:
        self._keys += 1
        heading = para(title, style)
        markup = inline(title, SANS_BOLD if level == 0 else SANS) if toc else None
        heading.brief_entry = _Entry(level, one_line(title), f"h{self._keys}", markup)
        return heading

    def _p(self, text: str, style: ParagraphStyle | None = None) -> Flowable:
        return para(text, style or self.s.body)

    def _table(
        self, header: Sequence[str], rows: list[list[Flowable]], widths: Sequence[float]
    ) -> Table:
        """A table whose header repeats on every page it runs over."""
        head: list[Flowable] = [Paragraph(h, self.s.cell_head) for h in header]
        scaled = _fit(widths, self.width)
        return LongTable([head, *rows], colWidths=scaled, repeatRows=1, style=table_style())

    def _fields(self, rows: list[tuple[str, Flowable]], label_width: float = 28 * mm) -> Table:
        data = [[Paragraph(label, self.s.cell_bold), value] for label, value in rows]
        return Table(
            data, colWidths=[label_width, self.width - label_width], style=field_table_style()
        )

    def _cell(self, text: str | None, style: ParagraphStyle | None = None) -> Flowable:
        return para(text or "–", style or self.s.cell)

    # -- cover and contents --------------------------------------------------

    def _cover(self) -> list[Flowable]:
        s = self.s
        data = self.data
        flow: list[Flowable] = [Spacer(1, 30 * mm)]
        if self.options.handling.strip():
            flow += [para(self.options.handling, s.cover_handling), Spacer(1, 14 * mm)]
        flow += [para(_brief_title(data, self.options), s.cover_title), Spacer(1, 10 * mm)]
        author = one_line(self.options.author) or data.analyst
        rows = [
            ("Case", data.case_title),
            ("Period covered", _period(data.incidents)),
            ("Incidents", str(len(data.incidents))),
            ("Sources cited", str(len(data.cited))),
            ("Author", author),
            ("Date of issue", self.issued.date().isoformat()),
        ]
        flow.append(
            self._fields([(label, para(value, s.cover_line)) for label, value in rows], 40 * mm)
        )
        flow += [
            Spacer(1, 12 * mm),
            para(
                "Every statement in this brief names the sources it rests on. Where sources "
                "disagree, each value is shown with who states it, the outlet's reliability "
                "(A-F) and the claim's credibility (1-6); the method note at the end explains "
                "the scales. Each source is identified by the SHA-256 of its original file.",
                s.muted,
            ),
            PageBreak(),
        ]
        return flow

    def _contents(self) -> list[Flowable]:
        toc = TableOfContents(
            levelStyles=list(self.s.toc_levels), dotsMinLevel=0, tableStyle=toc_table_style()
        )
        return [Paragraph("Contents", self.s.toc_title), toc, PageBreak()]

    # -- summary ---------------------------------------------------------------

    def _summary(self) -> list[Flowable]:
        incidents = self.data.incidents
        if not incidents:
            return []
        s = self.s
        rows = []
        for i in incidents:
            f = i.view.fields
            rows.append(
                [
                    Paragraph(str(i.number), s.cell_bold),
                    self._cell(_date_text(i)),
                    self._cell(f.title),
                    self._cell(f.place),
                    self._cell(_breakable(f.sub_event_type or f.event_type)),
                    self._cell(f.status),
                    self._cell(_fatalities(i)),
                    Paragraph(str(len(i.sources)), s.cell),
                    Paragraph(str(sum(c.is_open for c in i.conflicts)), s.cell),
                ]
            )
        flow: list[Flowable] = [
            self._heading("Summary", s.h1, 0, toc=True),
            self._table(
                [
                    "#",
                    "Date",
                    "Incident",
                    "Place",
                    "Type",
                    "Status",
                    "Fatalities (assessed)",
                    "Sources",
                    "Open conflicts",
                ],
                rows,
                [22, 48, 104, 58, 64, 44, 58, 38, 42],
            ),
        ]
        flow += self._map()
        flow += self._timeline()
        flow.append(PageBreak())
        return flow

    def _map(self) -> list[Flowable]:
        points = [
            figures.MapPoint(i.number, i.view.fields.latitude, i.view.fields.longitude)
            for i in self.data.incidents
            if i.view.fields.latitude is not None and i.view.fields.longitude is not None
        ]
        if not self.options.include_map or not points:
            return []
        drawing = figures.incident_map(points, self.width, min(self.width * 0.62, 95 * mm))
        numbered = (
            "numbered as in the table" if len(points) <= figures.MAX_LABELLED else "unlabelled"
        )
        caption = (
            f"Incidents with coordinates, {numbered} (equirectangular projection; no base map)."
        )
        return [
            CondPageBreak(drawing.height + 30 * mm),
            self._heading("Map", self.s.h2, 1, toc=False),
            drawing,
            Paragraph(caption, self.s.caption),
        ]

    def _timeline(self) -> list[Flowable]:
        events = [
            figures.TimelineEvent(i.number, i.first_day, i.last_day or i.first_day)
            for i in self.data.incidents
            if i.first_day is not None
        ]
        if not self.options.include_timeline or not events:
            return []
        drawing = figures.incident_timeline(events, self.width)
        caption = "Incidents by date, numbered as in the table; a bar spans an incident's dates."
        if len(events) > figures.MAX_LABELLED:
            caption = "Number of incidents by date of start."
        return [
            CondPageBreak(drawing.height + 25 * mm),
            self._heading("Timeline", self.s.h2, 1, toc=False),
            drawing,
            Paragraph(caption, self.s.caption),
        ]

    # -- one incident ----------------------------------------------------------

    def _incident(self, incident: IncidentData) -> list[Flowable]:
        s = self.s
        f = incident.view.fields
        flow: list[Flowable] = [
            CondPageBreak(70 * mm),
            self._heading(f"{incident.number}. {f.title}", s.incident, 1, toc=True),
            self._record(incident),
        ]
        if f.summary.strip():
            flow += [Spacer(1, 4), self._p(f.summary)]
        flow += self._section("Assessed facts", self._facts(incident))
        flow += self._section("Disputed facts", self._disputes(incident))
        flow += self._section("Other statements", self._statements(incident))
        flow += self._section("Sources", self._sources(incident))
        flow += self._section("Images", self._images(incident))
        flow += self._section("Analyst's notes", self._notes(incident))
        return flow

    def _section(self, title: str, body: list[Flowable]) -> list[Flowable]:
        return [self._heading(title, self.s.h2, 2, toc=False), *body] if body else []

    def _record(self, incident: IncidentData) -> Table:
        s = self.s
        view = incident.view
        f = view.fields
        rows: list[tuple[str, Flowable]] = [("Date", self._cell(_date_text(incident)))]
        if f.place:
            where = ", ".join(p for p in (f.place, view.admin1, view.country) if p)
            rows.append(("Place", self._cell(where)))
            aliases = [a for a in view.place_aliases if a != f.place]
            if aliases:
                rows.append(("Also written", self._cell(" · ".join(aliases))))
        if f.latitude is not None and f.longitude is not None:
            rows.append(("Coordinates", self._cell(_coordinates(f.latitude, f.longitude))))
        if f.event_type:
            kind = f"{f.event_type} – {f.sub_event_type}" if f.sub_event_type else f.event_type
            rows.append(("Event type", self._cell(kind)))
        rows.append(("Status", self._cell(f.status)))
        if f.actors:
            rows.append(("Actors", self._cell("; ".join(f"{n} ({r})" for n, r in f.actors))))
        if f.tags:
            rows.append(("Tags", self._cell(", ".join(f.tags))))
        links = [f"{kind}: {title}" for kind, _, title in view.links]
        links += [f"{title} ({kind} this)" for kind, _, title in view.linked_from]
        if links:
            rows.append(("Linked", self._cell("; ".join(links))))
        rows.append(("Sources", Paragraph(self._source_refs(incident.sources), s.cell)))
        return self._fields(rows)

    def _source_refs(self, sources: Sequence[SourceView]) -> str:
        numbers = sorted(self.data.source_numbers[src.id] for src in sources)
        return ", ".join(f"S{n}" for n in numbers) if numbers else "none attached"

    def _facts(self, incident: IncidentData) -> list[Flowable]:
        if not incident.facts:
            return []
        rows = [
            [
                self._cell(fact.label, self.s.cell_bold),
                self._cell(fact.value),
                Paragraph(_basis(fact), self.s.cell),
                Paragraph(self._claim_refs(fact.claims), self.s.cell),
            ]
            for fact in incident.facts
        ]
        return [
            self._table(
                ["Fact", "Assessed value", "Basis and confidence", "Sources"],
                rows,
                [80, 150, 170, 93],
            )
        ]

    def _claim_refs(self, claims: Sequence[ClaimView]) -> str:
        numbers = sorted({self.data.source_numbers[c.source_id] for c in claims})
        return ", ".join(f"S{n}" for n in numbers)

    def _disputes(self, incident: IncidentData) -> list[Flowable]:
        flow: list[Flowable] = []
        for conflict in sorted(incident.conflicts, key=_field_order):
            flow += self._dispute(conflict)
        return flow

    def _dispute(self, conflict: ConflictView) -> list[Flowable]:
        s = self.s
        colour = RESOLVED if conflict.status == "resolved" else OPEN
        title = (
            f'{inline(conflict.label, SANS_BOLD)} <font color="{colour.hexval()}">'
            f"({conflict.status})</font>"
        )
        rows = []
        for claim in conflict.claims:
            rows.append(
                [
                    self._cell(v.describe(v.from_json(claim.value)), s.cell_bold),
                    Paragraph(_stated_by(claim), s.cell),
                    Paragraph(_credibility(claim.credibility), s.cell),
                    self._cell(claim.quote, s.quote) if claim.quote else Paragraph("–", s.cell),
                    Paragraph(f"S{self.data.source_numbers[claim.source_id]}", s.cell),
                ]
            )
        flow: list[Flowable] = [
            Paragraph(title, s.h3),
            self._p(conflict.explanation, s.small_keep),
            self._table(
                ["Value", "Stated by (reliability)", "Credibility", "Quote", "Source"],
                rows,
                [80, 112, 70, 195, 36],
            ),
        ]
        resolution = conflict.resolution
        if resolution is not None:
            accepted = resolution.accepted_value or "no value accepted"
            estimate = ""
            if resolution.best is not None:
                estimate = f"; best estimate {resolution.best}"
                if resolution.low is not None and resolution.high is not None:
                    estimate += f" (range {resolution.low}-{resolution.high})"
            when = resolution.decided_at.date().isoformat()
            state = (
                "Re-opened by new claims; earlier resolution"
                if conflict.status == "reopened"
                else "Resolution"
            )
            flow += [
                Spacer(1, 3),
                Paragraph(
                    f"<b>{state}</b> ({resolution.confidence} confidence, "
                    f"{inline(resolution.decided_by, SANS)}, {when}): accepted "
                    f"<b>{inline(accepted, SANS_BOLD)}</b>{estimate}.",
                    s.small,
                ),
                self._p(f"Rationale: {resolution.rationale}", s.small),
            ]
        flow.append(Spacer(1, 6))
        return flow

    def _statements(self, incident: IncidentData) -> list[Flowable]:
        free = [c for c in incident.claims if isinstance(v.from_json(c.value), v.FreeText)]
        if not free:
            return []
        rows = [
            [
                self._cell(c.value_text),
                Paragraph(_stated_by(c), self.s.cell),
                Paragraph(_credibility(c.credibility), self.s.cell),
                Paragraph(f"S{self.data.source_numbers[c.source_id]}", self.s.cell),
            ]
            for c in free
        ]
        return [
            self._table(
                ["Statement", "Stated by (reliability)", "Credibility", "Source"],
                rows,
                [250, 130, 77, 36],
            )
        ]

    def _sources(self, incident: IncidentData) -> list[Flowable]:
        if not incident.sources:
            return []
        s = self.s
        rows = [
            [
                Paragraph(f"S{self.data.source_numbers[src.id]}", s.cell_bold),
                self._cell(src.title),
                Paragraph(_outlet(src.outlet, src.outlet_reliability), s.cell),
                self._cell(_published(src)),
                self._cell(", ".join(p for p in (src.kind, src.language) if p)),
            ]
            for src in incident.sources
        ]
        return [
            self._table(
                ["", "Title", "Outlet (reliability)", "Published", "Kind, language"],
                rows,
                [28, 215, 125, 65, 60],
            )
        ]

    def _images(self, incident: IncidentData) -> list[Flowable]:
        flow: list[Flowable] = [self._image(image) for image in incident.images]
        if incident.graphic_left_out:
            count = incident.graphic_left_out
            noun = "image" if count == 1 else "images"
            flow.append(
                Paragraph(
                    f"{count} graphic {noun} left out of this brief; see the sources list.",
                    self.s.muted,
                )
            )
        return flow

    def _image(self, image: PreparedImage) -> Flowable:
        s = self.s
        src = image.source
        number = self.data.source_numbers[src.id]
        facts = [f"<b>S{number}</b> {inline(src.title, SANS)}"]
        if src.taken_at is not None:
            facts.append(f"taken {_minute(src.taken_at)}")
        else:
            facts.append("no time of taking in the file")
        if src.gps_lat is not None and src.gps_lon is not None:
            facts.append(f"GPS {_coordinates(src.gps_lat, src.gps_lon)}")
        else:
            facts.append("no GPS in the file")
        if src.sha256:
            facts.append(f"SHA-256 {src.sha256[:16]}…")
        if src.outlet:
            facts.append(_outlet(src.outlet, src.outlet_reliability))
        if image.blurred:
            facts.append("<b>graphic: blurred for this brief</b>")
        caption = Paragraph(" · ".join(facts), s.caption)
        if image.jpeg is None:
            shown: Flowable = Paragraph(
                f"The image could not be shown: {inline(image.problem or '', SANS)}", s.muted
            )
        else:
            shown = PrintImage(image.jpeg, image.width, image.height)
        # One table cell: never split, and a heading before it keeps with it.
        return Table(
            [[[shown, Spacer(1, 2), caption]]],
            colWidths=[self.width],
            style=image_table_style(),
            hAlign="LEFT",
        )

    def _notes(self, incident: IncidentData) -> list[Flowable]:
        flow: list[Flowable] = []
        for note in incident.notes:
            if not note.body.strip():
                continue
            flow.append(self._p(note.body))
            flow.append(
                Paragraph(
                    f"{inline(note.author, SANS)}, {note.updated_at.date().isoformat()}",
                    self.s.muted,
                )
            )
            flow.append(Spacer(1, 4))
        return flow

    # -- appendix --------------------------------------------------------------

    def _sources_appendix(self) -> list[Flowable]:
        if not self.data.cited:
            return []
        s = self.s
        flow: list[Flowable] = [
            PageBreak(),
            self._heading("Appendix A: Sources cited", s.h1, 0, toc=True),
            Paragraph(
                "Every source this brief cites. The SHA-256 identifies the original file "
                "byte for byte: anyone holding a copy can check that it is the same file.",
                s.muted,
            ),
            Spacer(1, 6),
        ]
        for src in self.data.cited:
            flow.append(self._source_entry(src))
        cited_outlets = sorted({src.outlet for src in self.data.cited if src.outlet})
        graded = [self.data.outlets[name] for name in cited_outlets if name in self.data.outlets]
        if graded:
            rows = [
                [
                    self._cell(o.name, s.cell_bold),
                    Paragraph(_grade(o.reliability), s.cell),
                    self._cell(o.reason),
                ]
                for o in graded
            ]
            flow += [
                self._heading("Outlets and their grades", s.h2, 1, toc=False),
                self._table(["Outlet", "Reliability", "Analyst's reason"], rows, [120, 95, 278]),
            ]
        return flow

    def _source_entry(self, src: SourceView) -> Flowable:
        s = self.s
        number = self.data.source_numbers[src.id]
        title = Paragraph(f"S{number} · {inline(src.title, SANS_BOLD)}", s.h3)
        rows: list[tuple[str, Flowable]] = [
            ("Outlet", Paragraph(_outlet(src.outlet, src.outlet_reliability, long=True), s.cell))
        ]
        if src.url:
            rows.append(("URL", self._cell(src.url)))
        if src.original_filename:
            rows.append(("Original file", self._cell(src.original_filename)))
        rows.append(("Published", self._cell(_published(src) or "not stated")))
        # The same file imported again at the same minute says nothing new.
        acquired = dict.fromkeys(
            f"{_minute(a.acquired_at)} by {a.acquired_by} from {a.original_filename}"
            for a in src.acquisitions
        )
        rows += [("Acquired", self._cell(line)) for line in acquired]
        details = ", ".join(p for p in (src.kind, src.media_type, src.language) if p)
        rows.append(("Kind", self._cell(details)))
        rows.append(("SHA-256", Paragraph(src.sha256 or "no original file", s.cell_mono)))
        cited_in = ", ".join(str(n) for n in self.data.cited_by.get(src.id, []))
        rows.append(("Cited in", Paragraph(f"incident {cited_in}", s.cell)))
        return KeepTogether([title, self._fields(rows, 26 * mm), Spacer(1, 4)])

    def _method(self) -> list[Flowable]:
        s = self.s
        reliability = [
            [Paragraph(grade, s.cell_bold), Paragraph(meaning.capitalize(), s.cell)]
            for grade, meaning in RELIABILITY.items()
        ]
        credibility = [
            [Paragraph(str(grade), s.cell_bold), Paragraph(meaning.capitalize(), s.cell)]
            for grade, meaning in CREDIBILITY.items()
        ]
        return [
            PageBreak(),
            self._heading("Appendix B: Method", s.h1, 0, toc=True),
            Paragraph(
                "Sources are graded on the two scales of the NATO Admiralty system. The "
                "letter grades the <b>outlet</b> that published a source, from its track "
                "record; the number grades each <b>claim</b>, what one source says about one "
                "incident, from how well it fits what else is known. The two are independent: "
                "a reliable outlet can carry an improbable claim.",
                s.body,
            ),
            Spacer(1, 4),
            self._heading("Outlet reliability (A-F)", s.h2, 1, toc=False),
            self._table(["Grade", "Meaning"], reliability, [30, 463]),
            self._heading("Claim credibility (1-6)", s.h2, 1, toc=False),
            self._table(["Grade", "Meaning"], credibility, [30, 463]),
            self._heading("Assessed and disputed facts", s.h2, 1, toc=False),
            Paragraph(
                "Each claim states one value for one field of an incident (fatalities, "
                "injured, date, place, actor, weapons, or a yes/no question). Claims that "
                "cannot all be true form a <b>conflict</b>: 3 killed and 5 killed conflict, "
                "while 'at least 3' agrees with 5, and 7 June agrees with 'June 2019'. "
                "Spellings of one place or actor in any language count as the same value. "
                "An <b>assessed fact</b> is either the value the analyst accepted when "
                "resolving a conflict, with the analyst's confidence (low, moderate, high) "
                "and rationale, or the value on which every claim agrees, with the number of "
                "independent outlets behind it. Outlets that repeat another source count as "
                "that source. A resolution never removes the claims it weighed: all of them "
                "are listed under the disputed facts.",
                s.body,
            ),
            Paragraph(
                f"Issued {self.issued.date().isoformat()} from the Evidence Desk case "
                f"{inline(self.data.case_title, SANS)}. Images are shown upright and reduced to "
                "print resolution; the originals are kept unchanged in the case.",
                s.muted,
            ),
        ]


# -- small formatting helpers ----------------------------------------------------


def _fit(widths: Sequence[float], total: float) -> list[float]:
    """Column widths scaled to the page's text width."""
    scale = total / sum(widths)
    return [w * scale for w in widths]


def _breakable(kind: str | None) -> str | None:
    """ACLED's names join words with "/" ("Shelling/artillery/missile attack"): spaced,
    a narrow column breaks the line between words, not inside one."""
    return kind.replace("/", " / ") if kind else kind


def _date_text(incident: IncidentData) -> str:
    f = incident.view.fields
    start = format_partial_date(f.start, f.start_precision)
    if f.end is None:
        return start or "date unknown"
    return f"{start} to {format_partial_date(f.end, f.end_precision)}"


def _period(incidents: Sequence[IncidentData]) -> str:
    firsts = [i.first_day for i in incidents if i.first_day is not None]
    lasts = [i.last_day for i in incidents if i.last_day is not None]
    if not firsts or not lasts:
        return "no dated incidents"
    first, last = min(firsts), max(lasts)
    return first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"


def _field_order(conflict: ConflictView) -> tuple[int, str]:
    fields = v.FIELDS
    return (fields.index(conflict.field) if conflict.field in fields else len(fields), conflict.key)


def _minute(moment: datetime) -> str:
    """A time to the minute, with its offset from UTC."""
    offset = moment.strftime("%z")
    zone = "UTC" if offset in ("", "+0000") else f"UTC{offset[:3]}:{offset[3:]}"
    return f"{moment:%Y-%m-%d %H:%M} {zone}"


def _published(src: SourceView) -> str:
    if src.published_at is not None and src.published_precision == "datetime":
        return _minute(src.published_at)
    return src.published_text


def _coordinates(lat: float, lon: float) -> str:
    return f"{lat:.5f}, {lon:.5f}"


def _fatalities(incident: IncidentData) -> str:
    """Fatalities as assessed; the range claimed while they are disputed."""
    for fact in incident.facts:
        if fact.field == "fatalities" and not fact.key:
            return fact.value
    claimed = [v.from_json(c.value) for c in incident.claims if c.field == "fatalities"]
    counts = [c for c in claimed if isinstance(c, v.Count)]
    if not counts:
        return "–"
    low = min(c.low for c in counts)
    high = max(c.high for c in counts)
    upper = "+" if high == v.INFINITY else f"-{int(high)}"
    return f"disputed: {low}{upper}"


def _basis(fact: AssessedFact) -> str:
    outlets = fact.independent_outlets
    noun = "outlet" if outlets == 1 else "outlets"
    if fact.resolution is not None:
        r = fact.resolution
        return (
            f"Resolved: {r.confidence} confidence ({inline(r.decided_by, SANS)}, "
            f"{r.decided_at.date().isoformat()}); claims from {outlets} independent {noun}"
        )
    claims = len(fact.claims)
    if claims == 1:
        return "One claim, not contradicted; not corroborated"
    return f"Uncontested: {claims} claims agree, from {outlets} independent {noun}"


def _grade(reliability: str | None) -> str:
    if not reliability:
        return "not graded"
    return f"<b>{reliability}</b> {RELIABILITY.get(reliability, '')}"


def _outlet(name: str | None, reliability: str | None, long: bool = False) -> str:
    """Outlet name and grade as markup (the name escaped)."""
    if not name:
        return "no outlet recorded"
    if long:
        return f"{inline(name, SANS)} ({_grade(reliability)})"
    return f"{inline(name, SANS)} ({reliability or 'not graded'})"


def _stated_by(claim: ClaimView) -> str:
    who = (
        _outlet(claim.outlet, claim.outlet_reliability)
        if claim.outlet
        else inline(claim.source_title, SANS)
    )
    extra = []
    if not claim.independent:
        extra.append("repeats another source")
    if claim.corroboration > 1:
        extra.append(f"agreed by {claim.corroboration} outlets")
    return who + (f"<br/><i>{'; '.join(extra)}</i>" if extra else "")


def _credibility(grade: int | None) -> str:
    if grade is None:
        return "not graded"
    return f"<b>{grade}</b> {CREDIBILITY.get(grade, '')}"
