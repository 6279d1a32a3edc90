"""Generate a large, realistic synthetic case for the benchmarks.

    python benchmarks/make_case.py CASE --incidents N [--seed S] [--images K]
                                   [--text-sources M] [--jobs J]

Everything is written through ``desk.bulk.BulkWriter``, which records history, hashes
originals and lets the triggers fill the search index as the services do. The same
seed gives the same case content (ids included; history timestamps are the time of
writing). At N = 100,000 the defaults give about 50,000 text sources in English,
Arabic and Persian (300-800 words each), 2,000 JPEG photos of about 1 MB with EXIF and
GPS, 300,000 claims of which a realistic share disagree, 2,000 graded outlets, places
with aliases in Latin and Arabic script, notes and tags; the case is near 3 GB.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from multiprocessing import get_context
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

from desk.acled import EVENT_TYPES  # noqa: E402
from desk.bulk import BulkWriter  # noqa: E402
from desk.case import Case  # noqa: E402
from desk.ingest import extract  # noqa: E402
from desk.ingest.model import Extracted  # noqa: E402
from desk.names import normalize_name  # noqa: E402
from desk.services.incidents import IncidentFields  # noqa: E402

ANALYST = "Benchmark generator"
FIRST_DAY = date(2014, 1, 1)
DAYS = (date(2024, 12, 31) - FIRST_DAY).days
IMAGE_SIZE = (2048, 1536)
IMAGE_QUALITY = 76
STATUSES = (
    ("draft", 40),
    ("under review", 25),
    ("confirmed", 22),
    ("disputed", 8),
    ("discarded", 5),
)
LANGUAGES = (("en", 55), ("ar", 30), ("fa", 15))
CLAIMS_PER_INCIDENT = ((0, 4), (1, 9), (2, 18), (3, 32), (4, 20), (5, 10), (6, 7))
DISPUTED_SHARE = 0.2


@dataclass(frozen=True)
class Scale:
    """How many of each thing a case of ``incidents`` incidents gets."""

    incidents: int
    text_sources: int
    images: int
    outlets: int
    places: int
    actors: int
    tags: int
    base_images: int

    @classmethod
    def of(
        cls, incidents: int, images: int | None = None, text_sources: int | None = None
    ) -> Scale:
        images = incidents // 50 if images is None else images
        return cls(
            incidents=incidents,
            text_sources=incidents // 2 if text_sources is None else text_sources,
            images=images,
            outlets=max(20, incidents // 50),
            places=max(40, incidents // 40),
            actors=max(20, incidents // 500),
            tags=30 + incidents // 1000,
            base_images=max(1, min(300, images // 6 or 1)),
        )


@dataclass
class Place:
    name: str
    spellings: tuple[str, ...]  # Latin spellings, the name first
    arabic: str
    lat: float
    lon: float


@dataclass
class Actor:
    name: str
    spellings: tuple[str, ...]


@dataclass
class Made:
    """What the generator wrote, for the summary line."""

    incidents: int = 0
    sources: int = 0
    images: int = 0
    claims: int = 0
    disputed: int = 0
    notes: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def id_factory(seed: int) -> Callable[[], uuid.UUID]:
    rng = random.Random(f"ids-{seed}")

    def make() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    return make


def weighted(rng: random.Random, pairs: tuple[tuple[object, int], ...]) -> object:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def zipf_index(rng: random.Random, n: int, skew: float = 1.1) -> int:
    """An index in [0, n) with a long tail: a few items used often, most rarely."""
    u = rng.random()
    return min(n - 1, int(n * u**skew * u))


# -- the gazetteer ---------------------------------------------------------------------


def make_places(scale: Scale) -> list[Place]:
    places = [
        Place(name, (name, *others), arabic, lat, lon)
        for name, others, arabic, lat, lon in corpus.KNOWN_PLACES
    ]
    taken = {normalize_name(s) for p in places for s in (*p.spellings, p.arabic)}
    rng = random.Random("places")
    combos = [(p, r) for p in corpus.PREFIXES for r in corpus.ROOTS]
    rng.shuffle(combos)
    suffix = 0
    while len(places) < scale.places:
        for prefix, root in combos:
            if len(places) >= scale.places:
                break
            tail = f" {suffix + 1}" if suffix else ""
            name = f"{prefix[0]} {root[0]}{tail}"
            variant = f"{prefix[1]}-{root[1]}{tail}"
            arabic = f"{prefix[2]} {root[2]}{tail}"
            norms = {normalize_name(name), normalize_name(variant), normalize_name(arabic)}
            if len(norms) < 3 or norms & taken:
                continue  # one spelling would name two places
            taken |= norms
            places.append(
                Place(
                    name,
                    (name, variant),
                    arabic,
                    round(32 + rng.random() * 6, 5),
                    round(36 + rng.random() * 6, 5),
                )
            )
        suffix += 1
    return places[: scale.places]


def make_actors(scale: Scale) -> list[Actor]:
    actors = [Actor(name, (name, *aliases)) for name, aliases in corpus.KNOWN_ACTORS]
    rng = random.Random("actors")
    number = 1
    while len(actors) < scale.actors:
        unit, unit_ar = rng.choice(corpus.UNIT_WORDS)
        root = rng.choice(corpus.ROOTS)
        name = f"{root[0]} {unit} {number}"
        actors.append(Actor(name, (name, f"{unit_ar} {root[2]} {number}")))
        number += 1
    return actors[: scale.actors]


def make_outlets(scale: Scale) -> list[tuple[str, str]]:
    rng = random.Random("outlets")
    grades = (("A", 3), ("B", 20), ("C", 35), ("D", 20), ("E", 7), ("F", 15))
    outlets = []
    for number in range(scale.outlets):
        root = corpus.ROOTS[number % len(corpus.ROOTS)][0]
        word = corpus.OUTLET_WORDS[(number // len(corpus.ROOTS)) % len(corpus.OUTLET_WORDS)]
        cycle = number // (len(corpus.ROOTS) * len(corpus.OUTLET_WORDS))
        name = f"{root} {word}" + (f" {cycle + 1}" if cycle else "")
        outlets.append((name, str(weighted(rng, grades))))
    return outlets


# -- images (made in worker processes) --------------------------------------------------


@lru_cache(maxsize=2)
def _base_image(number: int) -> Image.Image:
    rng = random.Random(f"base-{number}")
    width, height = IMAGE_SIZE
    red = Image.linear_gradient("L").resize(IMAGE_SIZE)
    green = Image.linear_gradient("L").rotate(90).resize(IMAGE_SIZE)
    blue = Image.new("L", IMAGE_SIZE, rng.randrange(256))
    image = Image.merge("RGB", [red, green, blue])
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y = rng.randrange(width), rng.randrange(height)
        box = [x, y, x + rng.randrange(50, 400), y + rng.randrange(50, 300)]
        draw.rectangle(box, fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    # effect_noise draws from C's rand(): seed it through the image instead, by
    # blending noise made from our own generator.
    noise = Image.frombytes("L", IMAGE_SIZE, rng.randbytes(width * height)).convert("RGB")
    return Image.blend(image, noise, 0.3)


def _rational(value: float) -> tuple[float, float, float]:
    """Degrees, minutes and seconds, as EXIF writes a GPS coordinate."""
    degrees = int(value)
    minutes_float = (value - degrees) * 60
    minutes = int(minutes_float)
    seconds = min(59.99, round((minutes_float - minutes) * 60, 2))
    return (float(degrees), float(minutes), seconds)


ImageJob = tuple[int, int, int, int, float, float, str]


def make_image(job: ImageJob) -> tuple[bytes, Extracted]:
    """One photo's JPEG bytes (EXIF with time and GPS) and what the importer reads.

    Consecutive photos share a base picture (a few hundred in all) and differ by
    patches of colour and their EXIF, so every photo has bytes of its own.
    """
    number, count, base_count, seed, lat, lon, taken = job
    rng = random.Random(f"image-{seed}-{number}")
    image = _base_image(number * base_count // max(1, count)).copy()
    draw = ImageDraw.Draw(image)
    for _ in range(3):
        x, y = rng.randrange(IMAGE_SIZE[0] - 80), rng.randrange(IMAGE_SIZE[1] - 80)
        draw.rectangle(
            [x, y, x + 80, y + 80],
            fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)),
        )
    exif = Image.Exif()
    exif[0x010F] = "Benchmark Camera Co."  # Make
    exif[0x0110] = f"BC-{number % 7}"  # Model
    exif[0x0112] = rng.choice((1, 1, 1, 6, 8, 3))  # Orientation
    exif[0x0132] = taken  # DateTime
    exif_ifd = exif.get_ifd(0x8769)
    exif_ifd[0x9003] = taken  # DateTimeOriginal
    gps = exif.get_ifd(0x8825)
    gps[1] = "N" if lat >= 0 else "S"
    gps[2] = _rational(abs(lat))
    gps[3] = "E" if lon >= 0 else "W"
    gps[4] = _rational(abs(lon))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=IMAGE_QUALITY, exif=exif)
    data = buffer.getvalue()
    return data, extract(data, f"IMG_{number:05d}.jpg")


def image_jobs(
    count: int, base_count: int, seed: int, spots: list[tuple[float, float, date]]
) -> list[ImageJob]:
    rng = random.Random(f"image-jobs-{seed}")
    jobs = []
    for number in range(count):
        lat, lon, day = spots[number]
        moment = datetime(day.year, day.month, day.day, rng.randrange(24), rng.randrange(60))
        jobs.append(
            (
                number,
                count,
                base_count,
                seed,
                lat + rng.uniform(-0.01, 0.01),
                lon + rng.uniform(-0.01, 0.01),
                moment.strftime("%Y:%m:%d %H:%M:%S"),
            )
        )
    return jobs


# -- text sources ------------------------------------------------------------------------


class TextBuilder:
    """An article's text built sentence by sentence, remembering where each one starts."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.words = 0

    def add(self, sentence: str, new_paragraph: bool = False) -> int:
        if self.parts:
            separator = "\n\n" if new_paragraph else " "
            self.parts.append(separator)
            self.length += len(separator)
        start = self.length
        self.parts.append(sentence)
        self.length += len(sentence)
        self.words += sentence.count(" ") + 1
        return start

    def text(self) -> str:
        return "".join(self.parts)


def spelling(rng: random.Random, place: Place, language: str) -> str:
    if language in ("ar", "fa"):
        return place.arabic
    return rng.choice(place.spellings)


def actor_spelling(rng: random.Random, actor: Actor, language: str) -> str:
    scripted = [s for s in actor.spellings if any("\u0600" <= c <= "\u06ff" for c in s)]
    latin = [s for s in actor.spellings if s not in scripted]
    if language in ("ar", "fa") and scripted:
        return rng.choice(scripted)
    return rng.choice(latin)


def count_value(rng: random.Random, truth: int) -> str:
    """A way of writing a number of people that agrees with ``truth``."""
    form = rng.random()
    if form < 0.55 or truth < 2:
        return str(truth)
    if form < 0.75:
        return f">={max(1, truth - rng.randrange(0, 3))}"
    if form < 0.9:
        return f"{max(0, truth - rng.randrange(1, 3))}-{truth + rng.randrange(1, 4)}"
    return f"~{truth}"


def disagreeing(rng: random.Random, truth: int) -> str:
    """An exact number that cannot be ``truth`` (nor about it)."""
    return str(truth + max(3, round(truth * 0.5)) + rng.randrange(0, 5))


@dataclass
class PlannedClaim:
    field: str
    value: str
    question: str | None = None
    role: str | None = None
    sentence: str | None = None  # the sentence of the new source that states it


def plan_claims(
    rng: random.Random,
    count: int,
    disputed: bool,
    truth: dict[str, object],
    place: Place,
    actor: Actor,
    language: str,
) -> list[PlannedClaim]:
    fatalities = int(str(truth["fatalities"]))
    injured = int(str(truth["injured"]))
    day = truth["date"]
    assert isinstance(day, date)
    weapon_kind = str(truth["weapon"])
    fields = (
        ("fatalities", 30),
        ("injured", 14),
        ("date", 14),
        ("place", 12),
        ("actor", 10),
        ("weapons", 10),
        ("statement", 10),
    )
    claims: list[PlannedClaim] = []
    if disputed and count >= 2:
        claims.append(PlannedClaim("fatalities", str(fatalities)))
        claims.append(PlannedClaim("fatalities", disagreeing(rng, fatalities)))
    while len(claims) < count:
        name = str(weighted(rng, fields))
        if name == "fatalities":
            claims.append(PlannedClaim(name, count_value(rng, fatalities)))
        elif name == "injured":
            claims.append(PlannedClaim(name, count_value(rng, injured)))
        elif name == "date":
            written = day.isoformat() if rng.random() < 0.8 else day.strftime("%Y-%m")
            claims.append(PlannedClaim(name, written))
        elif name == "place":
            claims.append(PlannedClaim(name, spelling(rng, place, rng.choice(("en", "ar")))))
        elif name == "actor":
            claims.append(PlannedClaim(name, actor_spelling(rng, actor, language), role="actor1"))
        elif name == "weapons":
            claims.append(PlannedClaim(name, rng.choice(corpus.WEAPON_PHRASES[weapon_kind])))
        elif rng.random() < 0.6:
            answer = "yes" if weapon_kind in ("artillery", "rockets", "air") else "no"
            claims.append(PlannedClaim(name, answer, question="Were heavy weapons used?"))
        else:
            claims.append(PlannedClaim(name, rng.choice(corpus.EN_EXTRA)))
    return claims


def article(
    rng: random.Random,
    number: int,
    language: str,
    place: Place,
    actor: Actor,
    day: date,
    claims: list[PlannedClaim],
    rare: str | None,
) -> tuple[str, str, dict[int, int]]:
    """A title, a text of 300-800 words, and where each stated claim's sentence starts."""
    where = spelling(rng, place, language)
    what = rng.choice(corpus.HEADLINE_WORDS[language])
    title = corpus.headline(language, what, where)
    builder = TextBuilder()
    target = rng.randrange(300, 801)
    builder.add(corpus.filler(rng, language, where))
    starts: dict[int, int] = {}
    day_text = day.isoformat()
    for index, claim in enumerate(claims):
        if claim.field == "fatalities":
            sentence = corpus.killed_sentence(language, claim.value, where, day_text)
        elif claim.field == "injured":
            sentence = corpus.injured_sentence(language, claim.value, where)
        elif claim.field == "weapons":
            sentence = corpus.weapons_sentence(language, claim.value)
        elif claim.field == "actor":
            sentence = corpus.actor_sentence(language, claim.value, where)
        else:
            continue
        starts[index] = builder.add(sentence, new_paragraph=rng.random() < 0.3)
        claim.sentence = sentence
    paragraph_every = rng.randrange(4, 8)
    sentences = 0
    while builder.words < target:
        sentence = corpus.filler(rng, language, where)
        if rare and sentences == 3:
            sentence = f"{sentence[:-1]} ({rare})."
        builder.add(sentence, new_paragraph=sentences % paragraph_every == 0)
        sentences += 1
    return title, builder.text(), starts


# -- the case -------------------------------------------------------------------------------


def build(
    path: Path,
    scale: Scale,
    seed: int = 1,
    jobs: int | None = None,
    log: Callable[[str], None] = print,
) -> Made:
    """Write a generated case of ``scale`` to ``path`` (which must not exist)."""
    made = Made()
    clock = time.perf_counter()
    rng = random.Random(seed)
    case = Case.create(path, f"Generated case: {scale.incidents:,} incidents", ANALYST)
    try:
        with BulkWriter(case, ids=id_factory(seed)) as writer:
            places = make_places(scale)
            for place in places:
                writer.place(
                    place.name,
                    [*place.spellings[1:], place.arabic],
                    country="Syria",
                    latitude=place.lat,
                    longitude=place.lon,
                )
            actors = make_actors(scale)
            for actor in actors:
                writer.actor(actor.name, actor.spellings[1:])
            outlets = make_outlets(scale)
            for name, grade in outlets:
                writer.outlet(
                    name,
                    url=f"https://{name.lower().replace(' ', '-')}.example",
                    reliability=grade,
                    reason=corpus.GRADE_REASONS[grade],
                )
            tags = [f"tag-{n:03d}" for n in range(scale.tags)]
            tags[:6] = ["shelling", "air strike", "hospital", "school", "water", "displacement"]
            made.seconds["gazetteer"] = time.perf_counter() - clock
            log(f"  places, actors, outlets: {time.perf_counter() - clock:.1f} s")

            incident_ids, spots = _incidents(
                writer, rng, scale, places, actors, outlets, tags, made, log
            )
            made.seconds["incidents"] = time.perf_counter() - clock
            log(f"  incidents, text sources, claims: {time.perf_counter() - clock:.1f} s")

            _images(writer, rng, scale, seed, incident_ids, spots, made, jobs)
            made.seconds["images"] = time.perf_counter() - clock
            for body in corpus.NOTE_BODIES[:3]:
                writer.note(body)
                made.notes += 1
    finally:
        case.close()
    made.seconds["total"] = time.perf_counter() - clock
    return made


def _incidents(
    writer: BulkWriter,
    rng: random.Random,
    scale: Scale,
    places: list[Place],
    actors: list[Actor],
    outlets: list[tuple[str, str]],
    tags: list[str],
    made: Made,
    log: Callable[[str], None],
) -> tuple[list[uuid.UUID], list[tuple[float, float, date]]]:
    sub_types = [(kind, sub) for kind, subs in EVENT_TYPES.items() for sub in subs]
    violent = [pair for pair in sub_types if pair[0] in ("Battles", "Explosions/Remote violence")]
    recent: list[uuid.UUID] = []
    incident_ids: list[uuid.UUID] = []
    spots: list[tuple[float, float, date]] = []
    sources_made = 0
    rare_left = {word: 5 for word in corpus.RARE_WORDS}
    step = max(1, scale.incidents // 10)
    for number in range(scale.incidents):
        place = places[zipf_index(rng, len(places))]
        actor = actors[zipf_index(rng, len(actors))]
        other = actors[zipf_index(rng, len(actors))]
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        kind, sub = rng.choice(violent) if rng.random() < 0.8 else rng.choice(sub_types)
        fatalities = int(rng.paretovariate(1.3)) - 1 if rng.random() < 0.7 else 0
        truth: dict[str, object] = {
            "fatalities": min(fatalities, 400),
            "injured": rng.randrange(0, 3 * max(1, fatalities) + 2),
            "date": day,
            "weapon": rng.choice(tuple(corpus.WEAPON_PHRASES)),
        }
        where = rng.choice(place.spellings)
        title = f"{sub} in {where}" + (f" ({actor.name})" if rng.random() < 0.5 else "")
        summary = (
            f"{actor.name} and {other.name}: {corpus.filler(rng, 'en', where)} "
            f"{truth['fatalities']} reported killed."
        )
        disputed = rng.random() < DISPUTED_SHARE
        status = "disputed" if disputed and rng.random() < 0.4 else str(weighted(rng, STATUSES))
        roles = [(actor.name, "actor1")]
        if other is not actor and rng.random() < 0.6:
            roles.append((other.name, "actor2"))
        chosen_tags = tuple(
            sorted({tags[zipf_index(rng, len(tags))] for _ in range(rng.randrange(0, 4))})
        )
        incident_id = writer.incident(
            IncidentFields(
                title=title,
                summary=summary,
                start=day,
                start_precision="day" if rng.random() < 0.9 else "month",
                place=where,
                latitude=place.lat,
                longitude=place.lon,
                event_type=kind,
                sub_event_type=sub,
                status=status,
                tags=chosen_tags,
                actors=tuple(roles),
            )
        )
        incident_ids.append(incident_id)
        spots.append((place.lat, place.lon, day))
        made.incidents += 1

        language = str(weighted(rng, LANGUAGES))
        count = int(str(weighted(rng, CLAIMS_PER_INCIDENT)))
        planned = plan_claims(rng, count, disputed, truth, place, actor, language)
        if disputed and count >= 2:
            made.disputed += 1
        # Sources for this incident: a new article on schedule, and often one already
        # in the case (the same report covering several incidents).
        wanted_sources = (number + 1) * scale.text_sources // max(1, scale.incidents)
        source_ids: list[uuid.UUID] = []
        starts: dict[int, int] = {}
        new_source: uuid.UUID | None = None
        if wanted_sources > sources_made:
            rare = None
            if rng.random() < 0.002:
                left = [w for w, n in rare_left.items() if n]
                if left:
                    rare = rng.choice(left)
                    rare_left[rare] -= 1
            # The other side of a dispute comes from another source.
            mine_at = [
                i for i in range(len(planned)) if rng.random() < 0.7 and not (disputed and i == 1)
            ] or [0]
            mine = [planned[i] for i in mine_at if i < len(planned)]
            title_text, text, local_starts = article(
                rng, sources_made, language, place, actor, day, mine, rare
            )
            outlet, _grade = outlets[zipf_index(rng, len(outlets))]
            published = datetime(day.year, day.month, day.day, 12, tzinfo=UTC) + timedelta(
                days=rng.randrange(0, 4)
            )
            found = Extracted(
                kind="article",
                media_type="text/plain",
                title=title_text,
                text=text,
                outlet=outlet,
                url=f"https://{outlet.lower().replace(' ', '-')}.example/{sources_made}",
                published=published,
                published_precision="day",
                language=language,
            )
            data = f"{title_text}\n\n{text}\n".encode()
            new_source, _ = writer.source(
                data, f"article-{sources_made:06d}.txt", found, incident_ids=[incident_id]
            )
            sources_made += 1
            made.sources += 1
            source_ids.append(new_source)
            starts = {mine_at[i]: start for i, start in local_starts.items()}
            recent.append(new_source)
            if len(recent) > 400:
                recent.pop(0)
        if recent and (not source_ids or rng.random() < 0.5):
            source_ids.append(recent[rng.randrange(len(recent))])
        if not source_ids:
            continue
        for index, claim in enumerate(planned):
            if index in starts and new_source is not None:
                source_id, quote, start = new_source, claim.sentence, starts[index]
            else:
                source_id = source_ids[-1] if len(source_ids) > 1 else source_ids[0]
                quote, start = None, None
                if claim.field == "fatalities" and len(claims_on(planned, "fatalities")) > 1:
                    # The two sides of a dispute come from different sources.
                    source_id = source_ids[index % len(source_ids)]
            writer.claim(
                incident_id,
                source_id,
                claim.field,
                claim.value,
                quote=quote,
                quote_start=start,
                credibility=rng.choice((None, None, 1, 2, 2, 3, 3, 3, 4, 5, 6)),
                question=claim.question,
                role=claim.role,
            )
            made.claims += 1
        if rng.random() < 0.1:
            writer.note(rng.choice(corpus.NOTE_BODIES), incident_id=incident_id)
            made.notes += 1
        if new_source is not None and rng.random() < 0.03:
            writer.note(rng.choice(corpus.NOTE_BODIES), source_id=new_source)
            made.notes += 1
        if (number + 1) % step == 0:
            log(f"    {number + 1:,} incidents")
    return incident_ids, spots


def claims_on(planned: list[PlannedClaim], name: str) -> list[PlannedClaim]:
    return [c for c in planned if c.field == name]


def _images(
    writer: BulkWriter,
    rng: random.Random,
    scale: Scale,
    seed: int,
    incident_ids: list[uuid.UUID],
    spots: list[tuple[float, float, date]],
    made: Made,
    jobs: int | None,
) -> None:
    if not scale.images or not incident_ids:
        return
    targets = [rng.randrange(len(incident_ids)) for _ in range(scale.images)]
    work = image_jobs(scale.images, scale.base_images, seed, [spots[t] for t in targets])
    for number, (data, found) in enumerate(_made_images(work, jobs)):
        incident_id = incident_ids[targets[number]]
        source_id, _ = writer.source(
            data, f"IMG_{number:05d}.jpg", found, incident_ids=[incident_id]
        )
        made.images += 1
        if rng.random() < 0.5:
            kind = rng.choice(tuple(corpus.WEAPON_PHRASES))
            writer.claim(
                incident_id,
                source_id,
                "weapons",
                rng.choice(corpus.WEAPON_PHRASES[kind]),
                credibility=rng.choice((2, 3, 4, 6)),
            )
            made.claims += 1


def _made_images(work: list[ImageJob], jobs: int | None) -> Iterator[tuple[bytes, Extracted]]:
    processes = jobs if jobs is not None else min(2, os.cpu_count() or 1)
    if processes <= 1 or len(work) < 8:
        yield from map(make_image, work)
        return
    with get_context("spawn").Pool(processes) as pool:
        yield from pool.imap(make_image, work, chunksize=4)


def case_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("case", type=Path, help="the case file to write (must not exist)")
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--images", type=int, help="photos (default: incidents / 50)")
    parser.add_argument("--text-sources", type=int, help="articles (default: incidents / 2)")
    parser.add_argument("--jobs", type=int, help="processes making photos (default: 2)")
    parser.add_argument("--replace", action="store_true", help="overwrite an existing case")
    args = parser.parse_args(argv)
    if args.replace:
        for leftover in args.case.parent.glob(args.case.name + "*"):
            leftover.unlink()
    scale = Scale.of(args.incidents, args.images, args.text_sources)
    print(f"Generating {args.case} with {scale}")
    made = build(args.case, scale, args.seed, args.jobs)
    size = case_size(args.case)
    print(
        f"Done in {made.seconds['total']:.1f} s: {made.incidents:,} incidents, "
        f"{made.sources:,} text sources, {made.images:,} images, {made.claims:,} claims "
        f"({made.disputed:,} incidents with disputed fatalities), {made.notes:,} notes; "
        f"case size {size / 2**20:,.1f} MiB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
