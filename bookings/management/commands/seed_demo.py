"""Load the demo data set (SPEC §3.1): rooms of Perhetalo Heideken, opening hours, member
organisations, customers, and bookings in every state around today.

Idempotent. Rooms, organisations and customers are keyed by slug, business ID or e-mail
and brought to the values below; bookings, series and closures are written once, through
the booking services, and skipped when demo bookings exist already. Everything here is
fictional: names end in "(demo)", business IDs come from a serial range chosen for the
demo, and e-mail addresses are on example.org / example.com (RFC 2606).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.fi import ytunnus

from bookings.errors import BookingConflict
from bookings.hooks import demo_hooks
from bookings.management.commands.demo_login import demo_user
from bookings.models import (
    Booking,
    BookingStatus,
    ClosureReason,
    Customer,
    MemberOrganisation,
    OpeningHours,
    Room,
)
from bookings.recurrence import Recurrence
from bookings.roles import BOOKING_STAFF
from bookings.schedule import HELSINKI, is_holiday
from bookings.services import (
    Extra,
    RenterDetails,
    booking_approve,
    booking_cancel,
    booking_customer_confirm,
    booking_customer_match,
    booking_reject,
    booking_request_create,
    booking_series_approve,
    booking_series_request_create,
    booking_staff_create,
    bookings_expire,
    closure_create,
    room_parts_set,
)

# Every demo booking's message ends with this: it is how a second run recognises them.
DEMO_MARKER = "[demo data]"
COFFEE = "coffee"

# --- Rooms -------------------------------------------------------------------------------

STEP_FREE_FI = "Esteetön sisäänkäynti pihan puolelta ja hissi kaikkiin kerroksiin."
STEP_FREE_SV = "Tillgänglig ingång från gården och hiss till alla våningar."
STEP_FREE_EN = "Step-free entrance from the courtyard and a lift to every floor."

ROOMS: list[dict[str, Any]] = [
    {
        "slug": "juhlasali",
        "name_fi": "Juhlasali",
        "name_sv": "Festsalen",
        "name_en": "Main hall",
        "description_fi": "Entisen synnytyslaitoksen juhlasali, talon suurin tila. Siirtoseinä "
        "jakaa sen kahdeksi puolikkaaksi. Sopii seminaareihin, juhliin ja koulutuspäiviin; "
        "näyttämö, äänentoisto ja kaksi videotykkiä.",
        "description_sv": "Den forna BB-anstaltens festsal, husets största utrymme. En flyttbar "
        "vägg delar den i två halvor. Passar för seminarier, fester och utbildningsdagar; "
        "scen, ljudanläggning och två projektorer.",
        "description_en": "The former maternity hospital's festive hall, the largest space in "
        "the house. A movable wall divides it into two halves. Suits seminars, celebrations "
        "and training days; stage, sound system and two projectors.",
        "accessibility_fi": STEP_FREE_FI + " Induktiosilmukka. Esteetön WC salin vieressä.",
        "accessibility_sv": STEP_FREE_SV + " Hörslinga. Tillgänglig toalett intill salen.",
        "accessibility_en": STEP_FREE_EN + " Induction loop. Accessible toilet next to the hall.",
        "capacity": 120,
        "floor_area": "165.0",
        "has_projector": True,
        "has_screen": True,
        "has_hybrid_kit": True,
        "sort_order": 10,
        # Chairs and the movable wall take time: longer buffers and at least two hours.
        "setup_buffer_minutes": 30,
        "cleanup_buffer_minutes": 30,
        "min_duration_minutes": 120,
    },
    {
        "slug": "juhlasali-ita",
        "name_fi": "Juhlasali itä",
        "name_sv": "Festsalen öst",
        "name_en": "Main hall, east half",
        "description_fi": "Juhlasalin itäinen puolisko, ikkunat puistoon päin. Videotykki ja "
        "valkokangas. Varattavissa, kun koko salia ei ole varattu.",
        "description_sv": "Festsalens östra halva med fönster mot parken. Projektor och duk. "
        "Kan bokas när hela salen inte är bokad.",
        "description_en": "The east half of the main hall, windows towards the park. Projector "
        "and screen. Free whenever the whole hall is not booked.",
        "accessibility_fi": STEP_FREE_FI + " Induktiosilmukka.",
        "accessibility_sv": STEP_FREE_SV + " Hörslinga.",
        "accessibility_en": STEP_FREE_EN + " Induction loop.",
        "capacity": 60,
        "floor_area": "82.5",
        "has_projector": True,
        "has_screen": True,
        "sort_order": 11,
        "setup_buffer_minutes": 30,
        "cleanup_buffer_minutes": 30,
    },
    {
        "slug": "juhlasali-lansi",
        "name_fi": "Juhlasali länsi",
        "name_sv": "Festsalen väst",
        "name_en": "Main hall, west half",
        "description_fi": "Juhlasalin läntinen puolisko näyttämön puolella. Näyttö ja "
        "hybridikokouslaitteisto. Varattavissa, kun koko salia ei ole varattu.",
        "description_sv": "Festsalens västra halva på scensidan. Skärm och utrustning för "
        "hybridmöten. Kan bokas när hela salen inte är bokad.",
        "description_en": "The west half of the main hall, on the stage side. Display and "
        "hybrid meeting kit. Free whenever the whole hall is not booked.",
        "accessibility_fi": STEP_FREE_FI + " Näyttämölle on portaat, ei luiskaa.",
        "accessibility_sv": STEP_FREE_SV + " Till scenen leder trappor, ingen ramp.",
        "accessibility_en": STEP_FREE_EN + " The stage has steps and no ramp.",
        "capacity": 60,
        "floor_area": "82.5",
        "has_screen": True,
        "has_hybrid_kit": True,
        "sort_order": 12,
        "setup_buffer_minutes": 30,
        "cleanup_buffer_minutes": 30,
    },
    {
        "slug": "koulutusluokka",
        "name_fi": "Koulutusluokka",
        "name_sv": "Utbildningssalen",
        "name_en": "Training room",
        "description_fi": "Luokkamuotoon kalustettu koulutustila toisessa kerroksessa: 30 "
        "pöytäpaikkaa, videotykki, valkotaulu ja hybridikokouslaitteisto.",
        "description_sv": "Utbildningsutrymme möblerat som klassrum på andra våningen: 30 "
        "bordsplatser, projektor, whiteboard och utrustning för hybridmöten.",
        "description_en": "A training room on the second floor set out as a classroom: 30 desk "
        "places, projector, whiteboard and hybrid meeting kit.",
        "accessibility_fi": STEP_FREE_FI + " Säädettävä luennoitsijan pöytä.",
        "accessibility_sv": STEP_FREE_SV + " Höj- och sänkbart talarbord.",
        "accessibility_en": STEP_FREE_EN + " Height-adjustable lectern desk.",
        "capacity": 30,
        "floor_area": "62.0",
        "has_projector": True,
        "has_screen": True,
        "has_hybrid_kit": True,
        "sort_order": 20,
    },
    {
        "slug": "kokoushuone-satama",
        "name_fi": "Kokoushuone Satama",
        "name_sv": "Mötesrummet Hamnen",
        "name_en": "Meeting room Satama",
        "description_fi": "Valoisa neuvotteluhuone 12 hengelle, seinänäyttö ja valkotaulu.",
        "description_sv": "Ljust mötesrum för 12 personer med väggskärm och whiteboard.",
        "description_en": "A bright meeting room for 12 with a wall display and whiteboard.",
        "accessibility_fi": STEP_FREE_FI,
        "accessibility_sv": STEP_FREE_SV,
        "accessibility_en": STEP_FREE_EN,
        "capacity": 12,
        "floor_area": "28.5",
        "has_screen": True,
        "sort_order": 30,
    },
    {
        "slug": "kokoushuone-puisto",
        "name_fi": "Kokoushuone Puisto",
        "name_sv": "Mötesrummet Parken",
        "name_en": "Meeting room Puisto",
        "description_fi": "Pieni hybridikokouksiin varusteltu huone: kamera, kaiutinmikrofoni "
        "ja näyttö.",
        "description_sv": "Litet rum utrustat för hybridmöten: kamera, högtalarmikrofon och skärm.",
        "description_en": "A small room equipped for hybrid meetings: camera, speakerphone and "
        "display.",
        "accessibility_fi": "Kolmannessa kerroksessa; hissi, mutta kapea ovi (80 cm).",
        "accessibility_sv": "På tredje våningen; hiss, men smal dörr (80 cm).",
        "accessibility_en": "On the third floor; lift access, but a narrow door (80 cm).",
        "capacity": 8,
        "floor_area": "18.0",
        "has_screen": True,
        "has_hybrid_kit": True,
        "sort_order": 31,
    },
    {
        "slug": "olohuone-keittio",
        "name_fi": "Olohuone ja keittiö",
        "name_sv": "Vardagsrummet och köket",
        "name_en": "Living room and kitchen",
        "description_fi": "Kodikas olohuone ja täysin varusteltu keittiö perheiden tapahtumiin, "
        "kokkikerhoihin ja juhliin. Astiat 40 hengelle.",
        "description_sv": "Hemtrevligt vardagsrum och fullt utrustat kök för familjeevenemang, "
        "matlagningsklubbar och fester. Porslin för 40 personer.",
        "description_en": "A homely living room and fully equipped kitchen for family events, "
        "cooking clubs and parties. Tableware for 40.",
        "accessibility_fi": "Katutasossa, kynnyksetön. Keittiössä yksi madallettu työtaso.",
        "accessibility_sv": "I gatuplanet utan trösklar. En sänkt arbetsbänk i köket.",
        "accessibility_en": "At street level, no thresholds. One lowered worktop in the kitchen.",
        "capacity": 24,
        "floor_area": "70.0",
        "has_kitchen": True,
        "sort_order": 40,
        # Dishes and cleaning after cooking take an hour.
        "cleanup_buffer_minutes": 60,
    },
    {
        "slug": "hallitushuone",
        "name_fi": "Hallitushuone",
        "name_sv": "Styrelserummet",
        "name_en": "Board room",
        "description_fi": "Yhdistyksen oma kokoushuone. Varataan vain henkilökunnan kautta.",
        "description_sv": "Föreningens eget mötesrum. Bokas endast via personalen.",
        "description_en": "The association's own meeting room. Booked through staff only.",
        "accessibility_fi": STEP_FREE_FI,
        "accessibility_sv": STEP_FREE_SV,
        "accessibility_en": STEP_FREE_EN,
        "capacity": 14,
        "floor_area": "32.0",
        "has_screen": True,
        "has_hybrid_kit": True,
        "is_public": False,
        "sort_order": 50,
    },
]

HALL_PARTS = {"juhlasali": ("juhlasali-ita", "juhlasali-lansi")}

# Weekday (0 = Monday) → opening ranges.
HOUSE_HOURS = {day: [(time(7, 30), time(21))] for day in range(5)} | {5: [(time(9), time(16))]}
# The kitchen is used by families at weekends, so it keeps hours of its own.
KITCHEN_HOURS = {day: [(time(8), time(20))] for day in range(5)} | {
    5: [(time(10), time(18))],
    6: [(time(10), time(18))],
}

# --- Organisations and customers -------------------------------------------------------

# Serials from here on are used for the demo's fictional business IDs.
DEMO_ID_FIRST_SERIAL = 9_990_001

MEMBERS = [
    "Aurajoen Perhekumppanit ry (demo)",
    "Varsinais-Suomen Lastensuojelun Kehittäjät ry (demo)",
    "Yksin Yhdessä - Turun seudun yhden vanhemman perheet ry (demo)",
    "Kupittaan Sijaisperheyhdistys ry (demo)",
    "Saariston Nuorisotyö ry (demo)",
    "Lounaistuulen Vertaisvanhemmat ry (demo)",
    "Turun Perhekummit ry (demo)",
    "Nuorten Turvapaikka Varsinais-Suomi ry (demo)",
    "Adoptioperheiden Turun kerho ry (demo)",
    "Varhaisen Tuen Verkosto ry (demo)",
    "Monikkoperheet Aurinkoranta ry (demo)",
    "Lastenkotien Ystävät Turku ry (demo)",
]


def demo_business_ids(count: int) -> list[str]:
    """Valid Y-tunnus numbers for the fictional organisations, in a stable order.

    python-stdnum validates but does not compute the check digit, so each serial gets the
    digit it accepts; a serial with none (remainder 1 in the mod-11 check) is skipped.
    """
    found: list[str] = []
    serial = DEMO_ID_FIRST_SERIAL
    while len(found) < count:
        valid = [f"{serial:07d}-{digit}" for digit in range(10)]
        found.extend(candidate for candidate in valid if ytunnus.is_valid(candidate))
        serial += 1
    return found[:count]


BUSINESS_IDS = demo_business_ids(len(MEMBERS) + 2)
MEMBER_IDS = dict(zip(MEMBERS, BUSINESS_IDS, strict=False))


def _e_invoice(business_id: str) -> str:
    # OVT identifier: 0037 followed by the business ID's eight digits.
    return "0037" + business_id.replace("-", "")


CUSTOMERS: dict[str, dict[str, str]] = {
    "perhekumppanit": {
        "organisation": MEMBERS[0],
        "business_id": MEMBER_IDS[MEMBERS[0]],
        "contact_name": "Aino Esimerkki",
        "email": "aino.esimerkki@example.org",
        "phone": "+358 40 000 0101",
        "billing_address": "Esimerkkikatu 1 A\n20100 Turku",
        "e_invoice_address": _e_invoice(MEMBER_IDS[MEMBERS[0]]),
        "e_invoice_operator": "NDEAFIHH",
    },
    "kehittajat": {
        "organisation": MEMBERS[1],
        "business_id": MEMBER_IDS[MEMBERS[1]],
        "contact_name": "Pekka Mallikas",
        "email": "pekka.mallikas@example.org",
        "phone": "+358 40 000 0102",
        "billing_address": "Demotie 5\n20500 Turku",
    },
    "yksin-yhdessa": {
        "organisation": MEMBERS[2],
        "business_id": MEMBER_IDS[MEMBERS[2]],
        "contact_name": "Sanna Testinen",
        "email": "sanna.testinen@example.org",
        "phone": "+358 40 000 0103",
        "billing_address": "Kokeilukuja 3\n20700 Turku",
    },
    "sijaisperheet": {
        "organisation": MEMBERS[3],
        "business_id": MEMBER_IDS[MEMBERS[3]],
        "contact_name": "Mikko Muukalainen",
        "email": "mikko.muukalainen@example.org",
        "phone": "+358 40 000 0104",
        "billing_address": "Harjoituskatu 8\n20520 Turku",
    },
    "saaristo": {
        "organisation": MEMBERS[4],
        "business_id": MEMBER_IDS[MEMBERS[4]],
        "contact_name": "Johanna Saarinen",
        "email": "johanna.saarinen@example.org",
        "phone": "+358 40 000 0105",
        "billing_address": "Rantapolku 2\n21600 Parainen",
    },
    "koulutus-oy": {
        "organisation": "Esimerkki Koulutus Oy (demo)",
        "business_id": BUSINESS_IDS[len(MEMBERS)],
        "contact_name": "Laura Lähde",
        "email": "laura.lahde@example.com",
        "phone": "+358 50 000 0201",
        "billing_address": "Kauppakatu 10\n20100 Turku",
        "e_invoice_address": _e_invoice(BUSINESS_IDS[len(MEMBERS)]),
        "e_invoice_operator": "DABAFIHH",
        "buyer_reference": "Koulutukset 2/KL",
    },
    "familjestod": {
        "organisation": "Familjestöd i Åbo rf (demo)",
        "business_id": BUSINESS_IDS[len(MEMBERS) + 1],
        "contact_name": "Elin Exempel",
        "email": "elin.exempel@example.org",
        "phone": "+358 40 000 0301",
        "billing_address": "Exempelgatan 4\n20100 Åbo",
        "language": "sv",
    },
    "network": {
        "organisation": "Nordic Child Rights Network (demo)",
        "contact_name": "Sam Example",
        "email": "sam.example@example.com",
        "phone": "+46 70 000 0401",
        "billing_address": "Example Street 1\n111 22 Stockholm\nSweden",
        "language": "en",
    },
    "yksityinen": {
        "organisation": "Yksityishenkilö (demo)",
        "contact_name": "Liisa Esimerkki",
        "email": "liisa.esimerkki@example.org",
        "phone": "+358 40 000 0501",
        "billing_address": "Kotikatu 7 B 12\n20810 Turku",
    },
}


def renter_for(key: str) -> RenterDetails:
    return RenterDetails(**CUSTOMERS[key])


# --- Bookings ----------------------------------------------------------------------------

# What happens to a planned booking after it is made.
REQUESTED, APPROVED, REJECTED = "requested", "approved", "rejected"
CANCELLED = "cancelled"  # approved, then cancelled by staff
WITHDRAWN = "withdrawn"  # requested, then withdrawn by the renter
EXPIRED = "expired"  # requested for a past date and never decided
STAFF = "staff"  # booked by staff directly (approved at once)


@dataclass(frozen=True, kw_only=True)
class PlannedBooking:
    """A booking at a weekday of a week counted from the current one (negative: past)."""

    room: str
    week: int
    weekday: int
    hours: tuple[str, str]
    title: str
    attendees: int
    renter: str | None
    outcome: str
    extras: tuple[Extra, ...] = ()
    message: str = ""
    note: str = ""  # decision message, cancellation reason or opening-hours override


# The layout never puts two blocking entries on one space: each room's bookings differ by
# week, weekday or hours, and a date moved off a public holiday moves a whole week, away
# from today, so it keeps its weekday and cannot cross between past and future.
BOOKINGS = [
    # The hall and its halves.
    PlannedBooking(
        room="juhlasali", week=-6, weekday=5, hours=("10:00", "15:00"),
        title="Perhepäivä", attendees=100, renter="perhekumppanit", outcome=APPROVED,
        extras=(Extra(COFFEE, 80),), message="Tarvitsemme näyttämön ja kaksi mikrofonia.",
    ),
    PlannedBooking(
        room="juhlasali-ita", week=-3, weekday=2, hours=("09:00", "15:30"),
        title="Sijaisvanhempien koulutuspäivä", attendees=45, renter="sijaisperheet",
        outcome=APPROVED, extras=(Extra(COFFEE, 45),),
    ),
    PlannedBooking(
        room="juhlasali-lansi", week=-3, weekday=2, hours=("09:00", "12:00"),
        title="Alueellinen verkostokokous", attendees=25, renter="kehittajat",
        outcome=APPROVED,
    ),
    PlannedBooking(
        room="juhlasali", week=-5, weekday=3, hours=("18:00", "21:00"),
        title="Syntymäpäiväjuhlat", attendees=70, renter="yksityinen", outcome=REJECTED,
        note="Juhlasalia ei vuokrata arki-iltaisin yksityisjuhliin. Olohuone ja keittiö "
        "voisi sopia; tervetuloa varaamaan se.",
    ),
    PlannedBooking(
        room="juhlasali", week=2, weekday=4, hours=("12:00", "16:00"),
        title="Lastensuojelun alueellinen seminaari", attendees=110, renter="kehittajat",
        outcome=APPROVED, extras=(Extra(COFFEE, 110),),
    ),
    PlannedBooking(
        room="juhlasali-ita", week=4, weekday=1, hours=("09:00", "12:00"),
        title="Styrelsemöte och utbildning", attendees=35, renter="familjestod",
        outcome=REQUESTED, message="Vi behöver en projektor och kaffe till 35 personer.",
        extras=(Extra(COFFEE, 35),),
    ),
    # Training room.
    PlannedBooking(
        room="koulutusluokka", week=-7, weekday=1, hours=("08:30", "16:00"),
        title="Ensiapukoulutus EA1", attendees=24, renter="koulutus-oy", outcome=APPROVED,
        extras=(Extra(COFFEE, 24),),
    ),
    PlannedBooking(
        room="koulutusluokka", week=-4, weekday=0, hours=("09:00", "11:00"),
        title="Vapaaehtoisten perehdytys", attendees=15, renter="perhekumppanit",
        outcome=CANCELLED, note="Tilaaja perui puhelimitse: kouluttaja sairastui.",
    ),
    PlannedBooking(
        room="koulutusluokka", week=-2, weekday=3, hours=("13:00", "15:00"),
        title="Tiimin kehittämisiltapäivä", attendees=10, renter="saaristo", outcome=EXPIRED,
    ),
    PlannedBooking(
        room="koulutusluokka", week=2, weekday=2, hours=("09:00", "16:00"),
        title="Trauma-informed practice workshop", attendees=28, renter="network",
        outcome=APPROVED, message="We will bring our own laptop; HDMI is fine.",
    ),
    PlannedBooking(
        room="koulutusluokka", week=3, weekday=3, hours=("09:00", "12:00"),
        title="Lastensuojelulain ajankohtaispäivä", attendees=30, renter="koulutus-oy",
        outcome=REQUESTED,
    ),
    PlannedBooking(
        room="koulutusluokka", week=3, weekday=3, hours=("10:00", "14:00"),
        title="Perhetyöntekijöiden työnohjaus", attendees=12, renter="yksin-yhdessa",
        outcome=REQUESTED, message="Aika on joustava saman viikon aikana.",
    ),
    PlannedBooking(
        room="koulutusluokka", week=5, weekday=4, hours=("08:00", "10:00"),
        title="Myyntiesittely", attendees=20, renter="koulutus-oy", outcome=REJECTED,
        note="Talon tiloja ei vuokrata myynti- tai markkinointitilaisuuksiin.",
    ),
    # Meeting rooms.
    PlannedBooking(
        room="kokoushuone-satama", week=-1, weekday=0, hours=("10:00", "11:30"),
        title="Hallituksen kokous", attendees=8, renter="sijaisperheet", outcome=APPROVED,
    ),
    PlannedBooking(
        room="kokoushuone-satama", week=-1, weekday=3, hours=("15:00", "16:00"),
        title="Haastattelu", attendees=3, renter="yksityinen", outcome=EXPIRED,
    ),
    PlannedBooking(
        room="kokoushuone-satama", week=2, weekday=3, hours=("13:00", "15:00"),
        title="Project steering group", attendees=9, renter="network", outcome=APPROVED,
    ),
    PlannedBooking(
        room="kokoushuone-satama", week=3, weekday=2, hours=("10:00", "12:00"),
        title="Suunnittelupalaveri", attendees=6, renter="saaristo", outcome=WITHDRAWN,
        note="Palaveri pidetään etänä.",
    ),
    PlannedBooking(
        room="kokoushuone-puisto", week=-2, weekday=1, hours=("12:00", "14:00"),
        title="Hybridikokous kuntayhteistyöstä", attendees=6, renter="kehittajat",
        outcome=APPROVED,
    ),
    PlannedBooking(
        room="kokoushuone-puisto", week=2, weekday=1, hours=("09:00", "10:30"),
        title="Vertaistukiryhmän ohjaajat", attendees=5, renter="yksin-yhdessa",
        outcome=REQUESTED,
    ),
    PlannedBooking(
        room="kokoushuone-puisto", week=2, weekday=4, hours=("13:00", "15:00"),
        title="Rekrytointihaastattelut", attendees=4, renter="perhekumppanit",
        outcome=CANCELLED, note="Haastattelut siirrettiin; varaaja pyysi perumaan.",
    ),
    # Living room and kitchen.
    PlannedBooking(
        room="olohuone-keittio", week=-4, weekday=6, hours=("11:00", "15:00"),
        title="Perheiden kokkikerho", attendees=18, renter="yksin-yhdessa", outcome=APPROVED,
    ),
    PlannedBooking(
        room="olohuone-keittio", week=2, weekday=6, hours=("12:00", "16:00"),
        title="Isien ja lasten leivontapäivä", attendees=20, renter="perhekumppanit",
        outcome=APPROVED,
    ),
    PlannedBooking(
        room="olohuone-keittio", week=4, weekday=2, hours=("17:00", "20:00"),
        title="Nuorten ruokakurssi", attendees=12, renter="saaristo", outcome=REQUESTED,
    ),
    # Booked by staff: a house meeting in the non-public board room, one past closing
    # time with a reason, and one taken on the phone for a member.
    PlannedBooking(
        room="hallitushuone", week=1, weekday=2, hours=("17:00", "19:00"),
        title="Yhdistyksen hallituksen kokous", attendees=9, renter=None, outcome=STAFF,
    ),
    PlannedBooking(
        room="hallitushuone", week=2, weekday=0, hours=("18:00", "21:30"),
        title="Yhdistyksen syyskokous", attendees=14, renter=None, outcome=STAFF,
        note="Syyskokous venyy yli sulkemisajan; talonmies on paikalla.",
    ),
    PlannedBooking(
        room="kokoushuone-satama", week=1, weekday=1, hours=("08:00", "09:30"),
        title="Aamupalaveri", attendees=7, renter="saaristo", outcome=STAFF,
        note="", message="Varattu puhelimessa.",
    ),
]  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class PlannedSeries:
    room: str
    week: int
    weekday: int
    hours: tuple[str, str]
    count: int
    title: str
    attendees: int
    renter: str
    approve: bool


SERIES = [
    # Started a month ago and approved: its occurrences lie in the past and the future.
    PlannedSeries(
        room="juhlasali-lansi", week=-4, weekday=1, hours=("17:30", "19:30"), count=10,
        title="Yhden vanhemman perheiden vertaisryhmä", attendees=20, renter="yksin-yhdessa",
        approve=True,
    ),
    # Waiting for staff to decide.
    PlannedSeries(
        room="kokoushuone-satama", week=2, weekday=0, hours=("16:00", "18:00"), count=8,
        title="Perhekerhon ohjaajien tiimi", attendees=8, renter="perhekumppanit",
        approve=False,
    ),
]  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class PlannedClosure:
    rooms: tuple[str, ...]  # empty: the whole house
    week: int
    first: tuple[int, str]  # (weekday, time)
    last: tuple[int, str]
    reason: str
    note: str


CLOSURES = [
    PlannedClosure(
        rooms=(), week=3, first=(5, "08:00"), last=(5, "17:00"), reason=ClosureReason.OWN_EVENT,
        note="Perhetalon avoimet ovet (demo)",
    ),
    PlannedClosure(
        rooms=("kokoushuone-puisto",), week=6, first=(0, "07:00"), last=(4, "21:00"),
        reason=ClosureReason.RENOVATION, note="Lattian uusiminen (demo)",
    ),
    PlannedClosure(
        rooms=("olohuone-keittio",), week=-2, first=(0, "07:00"), last=(0, "12:00"),
        reason=ClosureReason.CLEANING, note="Keittiön perusteellinen siivous (demo)",
    ),
]  # fmt: skip


# --- Dates -----------------------------------------------------------------------------


def week_date(today: date, week: int, weekday: int) -> date:
    """That weekday of the week `week` weeks from this one (0: the current week)."""
    monday = today - timedelta(days=today.weekday())
    return monday + timedelta(weeks=week, days=weekday)


def week_day(today: date, week: int, weekday: int) -> date:
    """As week_date, but off a public holiday (the house is closed) by moving whole weeks
    away from today."""
    day = week_date(today, week, weekday)
    step = timedelta(weeks=1 if week > 0 else -1)
    while is_holiday(day):
        day += step
    return day


def at(day: date, clock: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(clock), tzinfo=HELSINKI)


def span(today: date, week: int, weekday: int, hours: tuple[str, str]) -> tuple[datetime, datetime]:
    day = week_day(today, week, weekday)
    return at(day, hours[0]), at(day, hours[1])


def sent_at(start: datetime, now: datetime) -> datetime:
    # A past booking was requested three weeks before it: within the notice and horizon
    # rules as they stood then. Future ones are requested now.
    return min(now, start - timedelta(weeks=3))


def with_marker(message: str) -> str:
    return f"{message}\n\n{DEMO_MARKER}" if message else DEMO_MARKER


# --- Writing -----------------------------------------------------------------------------


def rooms_seed(actor: User) -> dict[str, Room]:
    rooms = {}
    for values in ROOMS:
        defaults = {name: value for name, value in values.items() if name != "slug"}
        rooms[values["slug"]], _created = Room.objects.update_or_create(
            slug=values["slug"], defaults=defaults
        )
    for combined, part_slugs in HALL_PARTS.items():
        parts = [rooms[slug] for slug in part_slugs]
        # room_parts_set re-lays occupancy and writes an audit entry: only on a change.
        if set(rooms[combined].parts.all()) != set(parts):
            room_parts_set(room=rooms[combined], parts=parts, actor=actor)
    return rooms


def opening_hours_seed(rooms: dict[str, Room]) -> None:
    """House and kitchen hours, unless set already: staff may have changed them."""
    for room, hours in ((None, HOUSE_HOURS), (rooms["olohuone-keittio"], KITCHEN_HOURS)):
        if OpeningHours.objects.filter(room=room).exists():
            continue
        OpeningHours.objects.bulk_create(
            OpeningHours(room=room, weekday=day, opens=opens, closes=closes)
            for day, ranges in hours.items()
            for opens, closes in ranges
        )


def organisations_seed() -> None:
    for name, business_id in MEMBER_IDS.items():
        MemberOrganisation.objects.update_or_create(
            business_id=business_id, defaults={"name": name}
        )
    for values in CUSTOMERS.values():
        fields = {name: value for name, value in values.items() if name != "buyer_reference"}
        key: dict[str, Any]
        if fields.get("business_id"):
            key = {"business_id": fields.pop("business_id")}
        else:
            # Matched the way the booking services match renters without a business ID.
            key = {"business_id": "", "email": fields.pop("email")}
        Customer.objects.update_or_create(**key, defaults=fields)


class DemoBookings:
    """Writes the demo's closures, bookings and series through the booking services."""

    def __init__(self, *, rooms: dict[str, Room], actor: User, now: datetime):
        self.rooms, self.actor, self.now = rooms, actor, now
        self.today = timezone.localdate(now)
        self.status_token = ""

    def closure(self, plan: PlannedClosure) -> None:
        closure_create(
            actor=self.actor,
            # A closure may cover a holiday, so its dates stay where they are.
            start=at(week_date(self.today, plan.week, plan.first[0]), plan.first[1]),
            end=at(week_date(self.today, plan.week, plan.last[0]), plan.last[1]),
            reason=plan.reason,
            rooms=[self.rooms[slug] for slug in plan.rooms],
            whole_house=not plan.rooms,
            note=plan.note,
        )

    def booking(self, plan: PlannedBooking) -> None:
        start, end = span(self.today, plan.week, plan.weekday, plan.hours)
        details: dict[str, Any] = {
            "room": self.rooms[plan.room],
            "start": start,
            "end": end,
            "title": plan.title,
            "attendees": plan.attendees,
            "extras": plan.extras,
            "message": with_marker(plan.message),
        }
        if plan.outcome == STAFF:
            renter = renter_for(plan.renter) if plan.renter else None
            booking_staff_create(
                actor=self.actor, renter=renter, override_reason=plan.note, **details
            )
            return
        result = booking_request_create(
            renter=renter_for(plan.renter or ""),
            accept_terms=True,
            now=sent_at(start, self.now),
            **details,
        )
        if plan.outcome == REQUESTED and not self.status_token:
            self.status_token = result.status_token
        self.decide(result.booking, plan)

    def confirm_customer(self, booking: Booking) -> None:
        """Demo staff vouch for the demo renters, as staff confirm a request's customer."""
        if not booking.customer_confirmed:
            match = booking_customer_match(booking)
            booking_customer_confirm(booking=booking, actor=self.actor, customer=match)

    def decide(self, booking: Booking, plan: PlannedBooking) -> None:
        if plan.outcome in (APPROVED, CANCELLED):
            self.confirm_customer(booking)
            booking = booking_approve(booking=booking, actor=self.actor)
        if plan.outcome == CANCELLED:
            booking_cancel(booking=booking, actor=self.actor, reason=plan.note)
        elif plan.outcome == REJECTED:
            booking_reject(booking=booking, actor=self.actor, message=plan.note)
        elif plan.outcome == WITHDRAWN:
            booking_cancel(booking=booking, actor=None, reason=plan.note, by_renter=True)

    def series(self, plan: PlannedSeries) -> None:
        start, end = span(self.today, plan.week, plan.weekday, plan.hours)
        result = booking_series_request_create(
            room=self.rooms[plan.room],
            start=start,
            end=end,
            recurrence=Recurrence(count=plan.count),
            title=plan.title,
            attendees=plan.attendees,
            renter=renter_for(plan.renter),
            accept_terms=True,
            message=with_marker(""),
            # A date on a public holiday is left out, as a renter would be told.
            skip_unavailable=True,
            now=sent_at(start, self.now),
        )
        if plan.approve:
            first = result.series.bookings.order_by("start").first()
            if first is not None:
                self.confirm_customer(first)
            booking_series_approve(series=result.series, actor=self.actor)

    def write(self) -> None:
        """Closures first, so that a booking placed on one fails loudly; past requests
        left undecided expire at the end, as the nightly expire_requests would do."""
        for closure in CLOSURES:
            self.closure(closure)
        for booking in BOOKINGS:
            self.booking(booking)
        for series in SERIES:
            self.series(series)
        bookings_expire(now=self.now)


def demo_bookings_exist() -> bool:
    return Booking.objects.filter(message__contains=DEMO_MARKER).exists()


class Command(BaseCommand):
    help = "Load the demo rooms, organisations, customers and bookings (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.seed(now=timezone.now())
        except (BookingConflict, ValidationError) as error:
            # Demo bookings clash with data already in this database: nothing was written.
            message = _("Demo data could not be loaded: %(error)s") % {"error": error}
            raise CommandError(message) from error

    @transaction.atomic
    def seed(self, *, now: datetime) -> None:
        actor = demo_user("demo-staff", BOOKING_STAFF)
        rooms = rooms_seed(actor)
        opening_hours_seed(rooms)
        organisations_seed()
        for hook in demo_hooks:  # e.g. invoicing's demo prices, before any approval
            hook(rooms)
        self.stdout.write(
            _("Demo rooms, opening hours, member organisations and customers are in place.")
        )
        if demo_bookings_exist():
            self.stdout.write(_("Demo bookings exist already; left them as they are."))
            return
        writer = DemoBookings(rooms=rooms, actor=actor, now=now)
        writer.write()
        self.report(writer)

    def report(self, writer: DemoBookings) -> None:
        demo = Booking.objects.filter(message__contains=DEMO_MARKER)
        self.stdout.write(_("Demo bookings by status:"))
        for status in BookingStatus:
            count = demo.filter(status=status).count()
            self.stdout.write(f"  {status.label}: {count}")
        if writer.status_token:
            self.stdout.write(
                _("A renter's status page: %(url)s")
                % {"url": f"{settings.SITE_URL}/request/{writer.status_token}/"}
            )
