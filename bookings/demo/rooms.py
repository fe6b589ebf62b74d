"""The demo rooms of Perhetalo Heideken and their opening hours."""

from __future__ import annotations

from datetime import time
from typing import Any

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
