"""Demo prices and seller details for `seed_demo`, registered as a bookings demo hook so
they exist before the demo bookings are approved (and priced). Idempotent; clearly demo."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bookings.models import Room
from invoicing.models import Extra, PriceList, RoomPrice, SellerSettings
from invoicing.models.prices import CustomerGroup, ExtraPricing
from invoicing.vat import VatCode

# Hourly rate, half-day cap, full-day cap (euros, no VAT: letting is exempt) per room,
# for members and for external renters.
ROOM_PRICES: dict[str, tuple[tuple[str, str, str], tuple[str, str, str]]] = {
    "juhlasali": (("60.00", "200.00", "380.00"), ("95.00", "320.00", "600.00")),
    "juhlasali-ita": (("35.00", "120.00", "220.00"), ("55.00", "190.00", "350.00")),
    "juhlasali-lansi": (("35.00", "120.00", "220.00"), ("55.00", "190.00", "350.00")),
    "koulutusluokka": (("30.00", "100.00", "180.00"), ("50.00", "170.00", "300.00")),
    "kokoushuone-satama": (("20.00", "65.00", "120.00"), ("35.00", "110.00", "200.00")),
    "kokoushuone-puisto": (("20.00", "65.00", "120.00"), ("35.00", "110.00", "200.00")),
    "olohuone-keittio": (("25.00", "85.00", "150.00"), ("40.00", "140.00", "250.00")),
    "hallitushuone": (("15.00", "50.00", "90.00"), ("30.00", "100.00", "180.00")),
}

EXTRAS = [
    ("coffee", "Kahvitarjoilu", "Kaffeservering", "Coffee service", ExtraPricing.PERSON,
     "4.80", VatCode.CATERING),
    ("lunch", "Lounas", "Lunch", "Lunch", ExtraPricing.PERSON, "12.50", VatCode.CATERING),
    ("extra-cleaning", "Lisäsiivous", "Extra städning", "Extra cleaning", ExtraPricing.UNIT,
     "60.00", VatCode.GENERAL),
]  # fmt: skip


def demo_prices(rooms: dict[str, Room]) -> None:
    """Price lists for both customer groups, the extras and demo seller details."""
    for group, index in ((CustomerGroup.MEMBER, 0), (CustomerGroup.EXTERNAL, 1)):
        price_list, _created = PriceList.objects.get_or_create(
            name=f"Demo {group.label}",
            customer_group=group,
            defaults={"valid_from": date(2024, 1, 1)},
        )
        for slug, prices in ROOM_PRICES.items():
            if slug not in rooms:
                continue
            hourly, half_day, full_day = (Decimal(value) for value in prices[index])
            RoomPrice.objects.get_or_create(
                price_list=price_list,
                room=rooms[slug],
                defaults={
                    "hourly_rate": hourly,
                    "half_day_price": half_day,
                    "full_day_price": full_day,
                },
            )
    for code, fi, sv, en, pricing, price, vat_code in EXTRAS:
        Extra.objects.get_or_create(
            code=code,
            defaults={
                "name_fi": fi, "name_sv": sv, "name_en": en, "pricing": pricing,
                "price": Decimal(price), "vat_code": vat_code,
            },
        )  # fmt: skip
    seller = SellerSettings.load()
    if not seller.name:  # staff have not filled it in: demo details, clearly marked
        seller.name = "Perhetalon kannatusyhdistys ry (demo)"
        seller.address = "Esimerkkikatu 1\n20100 Turku"
        seller.business_id = "2331972-7"
        seller.iban = "FI37 1590 3000 0007 76"
        seller.bic = "NDEAFIHH"
        seller.vat_registered = True
        seller.contact = "laskutus@example.org"
        seller.e_invoice_address = "003723319727"
        seller.e_invoice_operator = "NDEAFIHH"
        seller.full_clean()
        seller.save()
