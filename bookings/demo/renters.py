"""The demo member organisations and customers, all fictional."""

from __future__ import annotations

from stdnum.fi import ytunnus

from bookings.services import RenterDetails

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
