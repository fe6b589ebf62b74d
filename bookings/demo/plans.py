"""The demo bookings, series and closures, planned in weeks around today."""

from __future__ import annotations

from dataclasses import dataclass

from bookings.models import ClosureReason
from bookings.services import Extra

# Every demo booking's message ends with this: it is how a second run recognises them.
DEMO_MARKER = "[demo data]"
COFFEE = "coffee"


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


def with_marker(message: str) -> str:
    return f"{message}\n\n{DEMO_MARKER}" if message else DEMO_MARKER
