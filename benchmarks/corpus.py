"""Word lists and sentence templates for the generated case (English, Arabic, Persian).

Nothing here is real reporting: sentences are put together from small lists so that a
generated case reads like a monitoring team's archive (places and actors in several
spellings, numbers, dates) and gives the full-text index a realistic vocabulary.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# -- places: (Latin name, other Latin spellings, Arabic spelling, lat, lon) -----------
KNOWN_PLACES: tuple[tuple[str, tuple[str, ...], str, float, float], ...] = (
    ("Al Bukamal", ("Albukamal", "Abu Kamal", "Bukamal"), "البوكمال", 34.45, 40.92),
    ("Deir ez-Zor", ("Deir Ezzor", "Dayr az-Zawr", "Deir al-Zour"), "دير الزور", 35.33, 40.14),
    ("Raqqa", ("Ar-Raqqah", "Rakka"), "الرقة", 35.95, 39.01),
    ("Al Mayadin", ("Mayadeen", "Al-Mayadin"), "الميادين", 35.02, 40.45),
    ("Hajin", ("Hajeen",), "هجين", 34.69, 40.83),
    ("Manbij", ("Menbij", "Membij"), "منبج", 36.53, 37.95),
    ("Tell Abyad", ("Tal Abyad", "Tel Abiad"), "تل أبيض", 36.70, 38.95),
    ("Ras al-Ayn", ("Ras al-Ain", "Serekaniye"), "رأس العين", 36.85, 40.07),
    ("Idlib", ("Idleb",), "إدلب", 35.93, 36.63),
    ("Maarat al-Numan", ("Maarat al-Nouman", "Ma'arrat an-Nu'man"), "معرة النعمان", 35.65, 36.67),
    ("Saraqib", ("Saraqeb",), "سراقب", 35.86, 36.80),
    ("Ariha", ("Areeha",), "أريحا", 35.81, 36.61),
    ("Jisr al-Shughur", ("Jisr ash-Shughur", "Jisr Al-Shoghour"), "جسر الشغور", 35.81, 36.32),
    ("Aleppo", ("Halab", "Haleb"), "حلب", 36.20, 37.16),
    ("Afrin", ("Efrin", "Afreen"), "عفرين", 36.51, 36.87),
    ("Azaz", ("A'zaz", "Izaz"), "أعزاز", 36.59, 37.05),
    ("Homs", ("Hims",), "حمص", 34.73, 36.71),
    ("Palmyra", ("Tadmur", "Tadmor"), "تدمر", 34.56, 38.27),
    ("Daraa", ("Deraa", "Dara'a"), "درعا", 32.62, 36.10),
    ("Hama", ("Hamah",), "حماة", 35.13, 36.75),
    ("Al Hasakah", ("Hasakeh", "Al-Hasakah"), "الحسكة", 36.50, 40.75),
    ("Qamishli", ("Qamishlo", "Kamishli"), "القامشلي", 37.05, 41.22),
    ("Mosul", ("Al Mawsil", "Mossul"), "الموصل", 36.34, 43.13),
    ("Tal Afar", ("Tel Afar", "Tall Afar"), "تلعفر", 36.38, 42.45),
    ("Fallujah", ("Falluja", "Al-Fallujah"), "الفلوجة", 33.35, 43.78),
    ("Ramadi", ("Ar-Ramadi",), "الرمادي", 33.42, 43.30),
    ("Al Qaim", ("Al-Qa'im", "Qaim"), "القائم", 34.37, 41.09),
    ("Sanaa", ("Sana'a", "Sana"), "صنعاء", 15.37, 44.19),
    ("Hodeidah", ("Al Hudaydah", "Hudaida"), "الحديدة", 14.80, 42.95),
    ("Taiz", ("Ta'izz", "Taizz"), "تعز", 13.58, 44.02),
    ("Marib", ("Ma'rib",), "مأرب", 15.46, 45.32),
    ("Aden", ("Adan",), "عدن", 12.79, 45.02),
)

# Synthetic places: prefix and root, each with its Latin variants and Arabic script.
PREFIXES: tuple[tuple[str, str, str], ...] = (
    ("Tell", "Tall", "تل"),
    ("Kafr", "Kfar", "كفر"),
    ("Deir", "Dayr", "دير"),
    ("Ain", "Ayn", "عين"),
    ("Khirbet", "Khirbat", "خربة"),
    ("Jabal", "Jebel", "جبل"),
    ("Wadi", "Ouadi", "وادي"),
    ("Qasr", "Kasr", "قصر"),
    ("Beit", "Bayt", "بيت"),
    ("Arab", "Orab", "عرب"),
    ("Marj", "Merj", "مرج"),
    ("Umm", "Um", "أم"),
    ("Bir", "Beer", "بئر"),
    ("Ras", "Raas", "رأس"),
    ("Tal", "Taal", "طال"),
    ("Hamam", "Hammam", "حمام"),
)
ROOTS: tuple[tuple[str, str, str], ...] = (
    ("Abyad", "Abiad", "أبيض"),
    ("Aswad", "Asouad", "أسود"),
    ("Nasr", "Naser", "نصر"),
    ("Hamra", "Hamrah", "حمراء"),
    ("Zaytun", "Zeitoun", "زيتون"),
    ("Rumman", "Romman", "رمان"),
    ("Sukkar", "Sokkar", "سكر"),
    ("Tahta", "Tahtah", "تحتا"),
    ("Fawqa", "Fouqa", "فوقا"),
    ("Shamali", "Chamali", "شمالي"),
    ("Janubi", "Jnoubi", "جنوبي"),
    ("Kabir", "Kebir", "كبير"),
    ("Saghir", "Sghir", "صغير"),
    ("Jadid", "Jdeid", "جديد"),
    ("Qadim", "Qdim", "قديم"),
    ("Hajar", "Hajjar", "حجر"),
    ("Nahr", "Naher", "نهر"),
    ("Baida", "Beida", "بيضاء"),
    ("Khadra", "Khadhra", "خضراء"),
    ("Safa", "Saffa", "صفا"),
    ("Marwa", "Marwah", "مروة"),
    ("Rahma", "Rahmeh", "رحمة"),
    ("Salam", "Salaam", "سلام"),
    ("Nur", "Noor", "نور"),
    ("Hilal", "Helal", "هلال"),
    ("Najm", "Nejm", "نجم"),
    ("Qamar", "Kamar", "قمر"),
    ("Shams", "Chams", "شمس"),
    ("Ward", "Warde", "ورد"),
    ("Yasmin", "Yasmine", "ياسمين"),
    ("Tuffah", "Touffah", "تفاح"),
    ("Inab", "Enab", "عنب"),
    ("Tin", "Teen", "تين"),
    ("Lawz", "Louz", "لوز"),
    ("Jawz", "Jouz", "جوز"),
    ("Sanobar", "Snoubar", "صنوبر"),
    ("Arz", "Erz", "أرز"),
    ("Sindiyan", "Sendian", "سنديان"),
    ("Ballut", "Balloot", "بلوط"),
    ("Ghar", "Gharr", "غار"),
    ("Zahra", "Zahrah", "زهرة"),
    ("Rabi", "Rabie", "ربيع"),
    ("Khalil", "Khaleel", "خليل"),
    ("Karim", "Kareem", "كريم"),
    ("Hasan", "Hassan", "حسن"),
    ("Husayn", "Hussein", "حسين"),
    ("Ali", "Aly", "علي"),
    ("Umar", "Omar", "عمر"),
    ("Uthman", "Othman", "عثمان"),
    ("Yusuf", "Youssef", "يوسف"),
    ("Ibrahim", "Ebrahim", "إبراهيم"),
    ("Ismail", "Esmail", "إسماعيل"),
    ("Sulayman", "Suleiman", "سليمان"),
    ("Dawud", "Daoud", "داود"),
    ("Musa", "Moussa", "موسى"),
    ("Isa", "Eissa", "عيسى"),
    ("Harun", "Haroun", "هارون"),
    ("Nuh", "Nouh", "نوح"),
    ("Salih", "Saleh", "صالح"),
    ("Hud", "Houd", "هود"),
    ("Shuayb", "Shoaib", "شعيب"),
    ("Ayyub", "Ayoub", "أيوب"),
    ("Yunus", "Younes", "يونس"),
    ("Zakariya", "Zakaria", "زكريا"),
    ("Yahya", "Yehia", "يحيى"),
    ("Idris", "Edris", "إدريس"),
    ("Luqman", "Loqman", "لقمان"),
    ("Khidr", "Khodr", "خضر"),
    ("Ilyas", "Elias", "إلياس"),
    ("Ghazal", "Ghazzal", "غزال"),
    ("Nimr", "Nemer", "نمر"),
    ("Asad", "Assad", "أسد"),
    ("Saqr", "Saker", "صقر"),
    ("Nasir", "Nasser", "ناصر"),
    ("Fahd", "Fahed", "فهد"),
    ("Dhib", "Deeb", "ذيب"),
    ("Hisan", "Hsan", "حصان"),
    ("Jamal", "Gamal", "جمل"),
    ("Bustan", "Boustan", "بستان"),
    ("Bayadir", "Bayader", "بيادر"),
)

# -- actors: (name, aliases) -------------------------------------------------------
KNOWN_ACTORS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Syrian Arab Army", ("SAA", "Syrian Army", "الجيش العربي السوري")),
    ("Syrian Democratic Forces", ("SDF", "QSD", "قوات سوريا الديمقراطية")),
    ("Islamic State", ("ISIS", "ISIL", "Daesh", "داعش")),
    ("Hayat Tahrir al-Sham", ("HTS", "Tahrir al-Sham", "هيئة تحرير الشام")),
    ("Syrian National Army", ("SNA", "الجيش الوطني السوري")),
    ("National Defence Forces", ("NDF", "قوات الدفاع الوطني")),
    ("Kata'ib Hezbollah", ("Kataib Hezbollah", "KH", "كتائب حزب الله")),
    ("Russian Armed Forces", ("Russian forces", "القوات الروسية")),
    ("Turkish Armed Forces", ("TAF", "Turkish army", "القوات التركية")),
    ("US-led Coalition", ("Coalition", "CJTF-OIR", "التحالف الدولي")),
    ("Iraqi Security Forces", ("ISF", "Iraqi army", "القوات الأمنية العراقية")),
    ("Popular Mobilization Forces", ("PMF", "Hashd al-Shaabi", "الحشد الشعبي")),
    ("Houthis", ("Ansar Allah", "Ansarallah", "أنصار الله")),
    ("Saudi-led Coalition", ("Arab Coalition", "التحالف العربي")),
    ("Southern Transitional Council", ("STC", "المجلس الانتقالي الجنوبي")),
    ("Civilians", ("civilians", "المدنيون", "غیرنظامیان")),
    ("Unidentified armed group", ("unknown gunmen", "مسلحون مجهولون")),
)
UNIT_WORDS = (
    ("Brigade", "لواء"),
    ("Battalion", "كتيبة"),
    ("Regiment", "فوج"),
    ("Division", "فرقة"),
    ("Front", "جبهة"),
    ("Movement", "حركة"),
    ("Forces", "قوات"),
)

# -- outlets -------------------------------------------------------------------------
OUTLET_WORDS = (
    "Monitor",
    "News",
    "Today",
    "Post",
    "Observer",
    "Press",
    "Voice",
    "Daily",
    "Network",
    "Report",
    "Eye",
    "Watch",
    "Agency",
    "Media Center",
    "Herald",
    "Times",
)
GRADE_REASONS = {
    "A": "Long record of accurate, verified reporting with named sources.",
    "B": "Usually reliable; corrections published when wrong.",
    "C": "Fairly reliable; mixes verified reports with hearsay.",
    "D": "Not usually reliable; partisan, several reports later contradicted.",
    "E": "Unreliable; repeated fabrications documented.",
    "F": "Too little track record to judge.",
}

# -- English -------------------------------------------------------------------------
EN_SUBJECTS = (
    "Local sources",
    "Residents",
    "A medical worker",
    "Activists",
    "A spokesperson for the local council",
    "Witnesses",
    "A civil defence volunteer",
    "Relatives of the victims",
    "A journalist in the area",
    "Hospital staff",
    "A displaced family",
    "Monitors",
    "Farmers",
    "A teacher",
    "Shop owners",
    "A nurse",
)
EN_VERBS = (
    "reported",
    "described",
    "said they saw",
    "documented",
    "confirmed",
    "denied",
    "recalled",
    "filmed",
    "photographed",
    "heard",
    "counted",
    "mentioned",
)
EN_OBJECTS = (
    "heavy shelling",
    "an air strike",
    "a convoy of military vehicles",
    "a drone circling overhead",
    "gunfire near the market",
    "a series of explosions",
    "smoke rising from the hospital",
    "damage to the water station",
    "an attack on the checkpoint",
    "artillery rounds landing in fields",
    "families fleeing towards the river",
    "ambulances arriving at the clinic",
    "the destruction of several homes",
    "a mortar strike on the school",
    "a rocket barrage",
    "looting of shops",
    "arrests at the bakery",
    "a protest outside the municipal building",
    "fighting along the main road",
    "the collapse of a bridge",
)
EN_TIMES = (
    "early in the morning",
    "shortly after midnight",
    "before dawn",
    "in the afternoon",
    "during evening prayers",
    "over several hours",
    "on the following day",
    "late at night",
    "around noon",
    "at first light",
)
EN_EXTRA = (
    "The claim could not be independently verified.",
    "Communication networks were down for most of the day.",
    "Electricity had been cut since the previous week.",
    "Humanitarian organisations called for access to the area.",
    "Satellite imagery later showed fresh craters near the road.",
    "The ministry did not respond to a request for comment.",
    "Videos circulating online appear to show the aftermath.",
    "Several families said they had received no warning.",
    "Prices of bread and fuel rose sharply afterwards.",
    "Schools in the district remained closed for a week.",
    "The local council published a list of names.",
    "Medical supplies were reported to be running low.",
    "Roads leading to the town were blocked by debris.",
    "An investigation was announced but no findings were published.",
    "Some reports gave a different date for the attack.",
    "The armed group issued a statement rejecting the accusations.",
)

# -- Arabic --------------------------------------------------------------------------
AR_SUBJECTS = (
    "مصادر محلية",
    "الأهالي",
    "عامل في القطاع الطبي",
    "ناشطون",
    "متحدث باسم المجلس المحلي",
    "شهود عيان",
    "متطوع في الدفاع المدني",
    "ذوو الضحايا",
    "صحفي في المنطقة",
    "كادر المستشفى",
    "عائلة نازحة",
    "مراقبون",
)
AR_VERBS = ("أفادت", "وصفت", "أكدت", "نفت", "وثقت", "ذكرت", "صورت", "سمعت", "أحصت", "نقلت")
AR_OBJECTS = (
    "قصفا مدفعيا عنيفا",
    "غارة جوية",
    "رتلا من الآليات العسكرية",
    "طائرة مسيرة تحلق فوق البلدة",
    "إطلاق نار قرب السوق",
    "سلسلة انفجارات",
    "دخانا يتصاعد من المستشفى",
    "أضرارا في محطة المياه",
    "هجوما على الحاجز",
    "قذائف تسقط في الحقول",
    "عائلات تفر نحو النهر",
    "وصول سيارات الإسعاف إلى المستوصف",
    "تدمير عدد من المنازل",
    "قذيفة هاون على المدرسة",
    "رشقات صاروخية",
    "عمليات نهب للمحلات",
    "حملة اعتقالات قرب الفرن",
    "اشتباكات على الطريق الرئيسي",
)
AR_TIMES = (
    "في ساعات الصباح الأولى",
    "بعد منتصف الليل",
    "قبيل الفجر",
    "بعد الظهر",
    "وقت صلاة المغرب",
    "على مدى ساعات",
    "في اليوم التالي",
    "في وقت متأخر من الليل",
)
AR_EXTRA = (
    "لم يتسن التحقق من هذه المعلومات بشكل مستقل.",
    "انقطعت شبكات الاتصال معظم ساعات النهار.",
    "طالبت منظمات إنسانية بالسماح بالوصول إلى المنطقة.",
    "أظهرت صور الأقمار الصناعية حفرا جديدة قرب الطريق.",
    "لم ترد الوزارة على طلب للتعليق.",
    "تظهر مقاطع مصورة متداولة آثار الهجوم.",
    "قالت عائلات عدة إنها لم تتلق أي تحذير.",
    "ارتفعت أسعار الخبز والوقود بشكل حاد بعد ذلك.",
    "بقيت المدارس في الناحية مغلقة لمدة أسبوع.",
    "نشر المجلس المحلي قائمة بأسماء الضحايا.",
    "أفادت تقارير بنقص حاد في المستلزمات الطبية.",
    "أصدرت الجماعة المسلحة بيانا نفت فيه الاتهامات.",
)

# -- Persian -------------------------------------------------------------------------
FA_SUBJECTS = (
    "منابع محلی",
    "ساکنان",
    "یک کادر درمانی",
    "فعالان",
    "سخنگوی شورای محلی",
    "شاهدان عینی",
    "یک امدادگر",
    "بستگان قربانیان",
    "یک خبرنگار در منطقه",
    "کارکنان بیمارستان",
)
FA_VERBS = ("گزارش دادند", "توصیف کردند", "تأیید کردند", "تکذیب کردند", "ثبت کردند", "شنیدند")
FA_OBJECTS = (
    "گلوله‌باران سنگین",
    "یک حمله هوایی",
    "یک کاروان نظامی",
    "پهپادی بر فراز شهر",
    "تیراندازی در نزدیکی بازار",
    "چند انفجار پیاپی",
    "دود از ساختمان بیمارستان",
    "خسارت به ایستگاه آب",
    "حمله به ایست بازرسی",
    "خمپاره‌ای بر مدرسه",
    "فرار خانواده‌ها به سوی رودخانه",
    "ویرانی چند خانه",
)
FA_TIMES = ("صبح زود", "پس از نیمه‌شب", "پیش از سپیده‌دم", "بعدازظهر", "در طول چند ساعت")
FA_EXTRA = (
    "این ادعا به طور مستقل تأیید نشد.",
    "شبکه‌های ارتباطی بیشتر روز قطع بود.",
    "سازمان‌های بشردوستانه خواستار دسترسی به منطقه شدند.",
    "تصاویر ماهواره‌ای بعدا حفره‌های تازه‌ای را نشان داد.",
    "وزارتخانه به درخواست اظهار نظر پاسخ نداد.",
    "چند خانواده گفتند هیچ هشداری دریافت نکرده بودند.",
    "قیمت نان و سوخت پس از آن به شدت افزایش یافت.",
)

# Words that occur in a handful of sources only: the "rare term" of the search figure.
RARE_WORDS = (
    "zanzibarite",
    "quillometer",
    "vexillarch",
    "obsidianite",
    "marlinspike",
    "xylographer",
    "grapnelled",
    "furbelowed",
    "tamarisked",
    "cinnabaric",
)

WEAPON_PHRASES = {
    "artillery": ("artillery shells", "122 mm artillery rounds", "howitzer fire", "mortar rounds"),
    "air": ("an air strike", "warplanes", "aircraft bombs"),
    "drone": ("a drone", "an FPV drone", "UAV strike"),
    "rockets": ("rockets", "Grad rockets", "a missile"),
    "small arms": ("small arms fire", "machine gun fire", "rifles"),
    "explosive": ("an IED", "a car bomb", "a landmine"),
}

NOTE_BODIES = (
    "Check the casualty figures against the hospital list before the brief.",
    "Two outlets here copy the same Telegram post; do not count them twice.",
    "Geolocated the main video to the road east of the market.",
    "Ask the field contact whether the date is the 7th or the 8th.",
    "The photos show shell fragments consistent with 122 mm artillery.",
    "Witness names withheld at their request.",
    "Possibly the same event as the one reported two days later; compare.",
    "راجع أسماء الضحايا مع قائمة المجلس المحلي.",
    "تاریخ را با گزارش بیمارستان مقایسه کنید.",
)


@dataclass(frozen=True)
class Sentence:
    text: str


def filler(rng: random.Random, language: str, place: str) -> str:
    """One sentence of background reporting in ``language`` mentioning ``place`` sometimes."""
    if language == "ar":
        if rng.random() < 0.3:
            return rng.choice(AR_EXTRA)
        where = f" في {place}" if rng.random() < 0.4 else ""
        return (
            f"{rng.choice(AR_VERBS)} {rng.choice(AR_SUBJECTS)} {rng.choice(AR_OBJECTS)}"
            f"{where} {rng.choice(AR_TIMES)}."
        )
    if language == "fa":
        if rng.random() < 0.3:
            return rng.choice(FA_EXTRA)
        where = f" در {place}" if rng.random() < 0.4 else ""
        return (
            f"{rng.choice(FA_SUBJECTS)} {rng.choice(FA_TIMES)} {rng.choice(FA_OBJECTS)}"
            f"{where} را {rng.choice(FA_VERBS)}."
        )
    if rng.random() < 0.3:
        return rng.choice(EN_EXTRA)
    where = f" in {place}" if rng.random() < 0.4 else ""
    return (
        f"{rng.choice(EN_SUBJECTS)} {rng.choice(EN_VERBS)} {rng.choice(EN_OBJECTS)}"
        f"{where} {rng.choice(EN_TIMES)}."
    )


def killed_sentence(language: str, value: str, place: str, day: str) -> str:
    """A sentence that states a fatality count written as a claim value."""
    number = value.lstrip(">=<~")
    if language == "ar":
        if value.startswith(">="):
            return f"قتل ما لا يقل عن {number} أشخاص في {place} بتاريخ {day}."
        if value.startswith("~"):
            return f"قتل نحو {number} أشخاص في {place}."
        if "-" in value:
            low, high = value.split("-")
            return f"قتل ما بين {low} و{high} أشخاص في {place}."
        return f"قتل {number} أشخاص في {place} بتاريخ {day}."
    if language == "fa":
        if value.startswith(">="):
            return f"دست کم {number} نفر در {place} کشته شدند."
        if value.startswith("~"):
            return f"حدود {number} نفر در {place} کشته شدند."
        if "-" in value:
            low, high = value.split("-")
            return f"بین {low} تا {high} نفر در {place} کشته شدند."
        return f"{number} نفر در {place} در تاریخ {day} کشته شدند."
    if value.startswith(">="):
        return f"At least {number} people were killed in {place} on {day}."
    if value.startswith("~"):
        return f"About {number} people were killed in {place}."
    if "-" in value:
        low, high = value.split("-")
        return f"Between {low} and {high} people were killed in {place}."
    return f"{number} people were killed in {place} on {day}."


def injured_sentence(language: str, value: str, place: str) -> str:
    number = value.lstrip(">=<~")
    if language == "ar":
        return f"وأصيب {number} آخرون بجروح في {place}."
    if language == "fa":
        return f"{number} نفر دیگر در {place} زخمی شدند."
    return f"{number} others were wounded in {place}."


def weapons_sentence(language: str, phrase: str) -> str:
    if language == "ar":
        return f"واستخدمت في الهجوم {phrase} بحسب المصادر."
    if language == "fa":
        return f"به گفته منابع در این حمله از {phrase} استفاده شد."
    return f"The attack involved {phrase}, according to the sources."


def actor_sentence(language: str, actor: str, place: str) -> str:
    if language == "ar":
        return f"ونسبت المصادر الهجوم إلى {actor} في {place}."
    if language == "fa":
        return f"منابع این حمله را به {actor} در {place} نسبت دادند."
    return f"Sources attributed the attack to {actor} in {place}."


def headline(language: str, what: str, place: str) -> str:
    if language == "ar":
        return f"{what} في {place}"
    if language == "fa":
        return f"{what} در {place}"
    return f"{what} in {place}"


HEADLINE_WORDS = {
    "en": ("Shelling", "Air strike", "Clashes", "Explosion", "Drone strike", "Raid", "Attack"),
    "ar": ("قصف", "غارة جوية", "اشتباكات", "انفجار", "هجوم بطائرة مسيرة", "مداهمة", "هجوم"),
    "fa": ("گلوله‌باران", "حمله هوایی", "درگیری", "انفجار", "حمله پهپادی", "یورش", "حمله"),
}
