"""A renter's late cancellation as invoice lines (SPEC §2.13): the share of the room
price the terms kept, with the room line's VAT code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from invoicing.models import Unit
from invoicing.money import ZERO, euros
from invoicing.quotes import ROOM, PriceLine

CANCELLATION_FEE_WORDS = _("Cancellation fee %(percent)s %% of %(room)s")


def cancellation_fee_lines(lines: Sequence[PriceLine], percent: int) -> list[PriceLine]:
    """What a renter's late cancellation is billed (SPEC §2.13): the share of each room
    line the terms charged, with that line's VAT code; extras are not charged, they were
    never served."""
    fees = []
    for line in lines:
        if line.kind != ROOM or percent <= 0:
            continue
        net = euros(line.net * percent / 100)
        names = {}
        for language in ("fi", "sv", "en"):
            with translation.override(language):
                room = line.names.get(language) or line.names.get("fi", line.code)
                names[language] = str(CANCELLATION_FEE_WORDS % {"percent": percent, "room": room})
        fees.append(
            replace(
                line,
                names=names,
                quantity=Decimal(1),
                unit=Unit.PIECE,
                unit_price=net,
                net=net,
                vat=ZERO,
                gross=net,
            )
        )
    return fees
