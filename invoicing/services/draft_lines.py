"""Lines and discounts accounting types on a draft invoice, and taking them off again.

A manual line is priced as drafts are: quantity times the unit price without VAT,
rounded half up once, its VAT rate from the dated table by its service date (none when
the seller is not registered for VAT). A discount is a negative line with the VAT code
and rate of what it discounts, so the VAT breakdown stays right (VAT Act 209 e § 8). An
issued invoice never changes: each service refuses one before writing anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from bookings.services import Actor
from bookings.validators import within_years, years_message
from invoicing.ledger import Product
from invoicing.models import (
    Invoice,
    InvoiceAction,
    InvoiceLine,
    InvoiceStatus,
    SellerSettings,
    Unit,
    VatGroup,
    vat_groups,
)
from invoicing.money import MAX_AMOUNT, ZERO, euros
from invoicing.quotes import vat_rate_for, vat_table
from invoicing.services.audit import invoice_event_record
from invoicing.services.lines import invoice_totals_set
from invoicing.vat import VatCode, rate_text, vat_of

LINE_DISCOUNT_WORDS = _("Discount %(percent)s of %(item)s")
DRAFT_DISCOUNT_WORDS = _("Discount %(percent)s")
AMOUNT_DISCOUNT_WORDS = _("Discount")
MAX_QUANTITY = Decimal("99999")


@dataclass(frozen=True)
class DraftLine:
    """A line typed by accounting: prices without VAT; the rate comes from the table."""

    description: str
    service_start: date
    quantity: Decimal
    unit: str
    unit_price: Decimal
    vat_code: str
    service_end: date | None = None


@dataclass(frozen=True)
class DraftDiscount:
    """A discount: `percent` of the line at `position` (none: of the whole draft), or a
    fixed `amount` without VAT of the lines of `vat_code`. `description` may replace the
    wording the invoice prints."""

    percent: Decimal | None = None
    position: int | None = None
    amount: Decimal | None = None
    vat_code: str = ""
    description: str = ""


def _draft(invoice: Invoice) -> Invoice:
    current = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if current.status != InvoiceStatus.DRAFT:
        raise ValidationError(_("An issued invoice never changes; credit it instead."))
    return current


def _lines(invoice: Invoice) -> list[InvoiceLine]:
    return list(invoice.lines.order_by("position"))


def _next_position(invoice: Invoice) -> int:
    return (invoice.lines.aggregate(last=Max("position"))["last"] or 0) + 1


def _totals_save(invoice: Invoice) -> None:
    invoice_totals_set(invoice, _lines(invoice))
    invoice.save(update_fields=["total_net", "total_vat", "total_gross"])


def _refuse_bad_line(line: DraftLine) -> date:
    errors: dict[str, object] = {}
    end = line.service_end or line.service_start
    if not line.description.strip():
        errors["description"] = _("Describe what the line is for.")
    if not (within_years(line.service_start) and within_years(end)):
        errors["service_start"] = years_message()
    elif end < line.service_start:
        errors["service_end"] = _("The end date must not be before the start date.")
    if not ZERO < line.quantity <= MAX_QUANTITY:
        errors["quantity"] = _("Enter a quantity more than zero.")
    if line.unit not in Unit.values:
        errors["unit"] = _("Choose a unit.")
    if not ZERO <= line.unit_price <= MAX_AMOUNT:
        errors["unit_price"] = _("Enter a price of zero or more; a reduction is a discount.")
    if line.vat_code not in VatCode.values:
        errors["vat_code"] = _("Choose a VAT code.")
    if errors:
        raise ValidationError(errors)
    return end


def _priced(line: DraftLine, end: date) -> InvoiceLine:
    registered = SellerSettings.load().vat_registered
    try:
        rate = vat_rate_for(line.vat_code, line.service_start, vat_table()) if registered else None
    except ValidationError as error:
        raise ValidationError({"vat_code": error.messages}) from None
    net = euros(line.quantity * line.unit_price)
    if net > MAX_AMOUNT:
        raise ValidationError({"quantity": _("The line comes to more than an invoice takes.")})
    vat = vat_of(net, rate)
    return InvoiceLine(
        product=Product.MANUAL,
        description=line.description.strip()[:300],
        service_start=line.service_start,
        service_end=end,
        quantity=line.quantity,
        unit=line.unit,
        unit_price=euros(line.unit_price),
        vat_code=line.vat_code,
        vat_rate=rate,
        net=net,
        vat=vat,
        gross=net + vat,
    )


@transaction.atomic
def invoice_draft_line_add(*, invoice: Invoice, actor: Actor, line: DraftLine) -> InvoiceLine:
    """Add a line typed by accounting at the end of a draft; its totals follow."""
    current = _draft(invoice)
    end = _refuse_bad_line(line)
    row = _priced(line, end)
    row.invoice, row.position = current, _next_position(current)
    row.save()
    _totals_save(current)
    invoice_event_record(
        invoice=current, action=InvoiceAction.LINE_ADDED, actor=actor, detail=str(row.position)
    )
    return row


# --- Discounts ---------------------------------------------------------------------------


def _discount_line(
    group: VatGroup | InvoiceLine, net: Decimal, words: str, days: list[InvoiceLine]
) -> InvoiceLine:
    """A negative line of `net` (given positive) with the code and rate of `group`."""
    vat = vat_of(-net, group.vat_rate)
    return InvoiceLine(
        product=Product.DISCOUNT,
        description=words[:300],
        service_start=min(line.service_start for line in days),
        service_end=max(line.service_end for line in days),
        quantity=Decimal(1),
        unit=Unit.PIECE,
        unit_price=-net,
        vat_code=group.vat_code,
        vat_rate=group.vat_rate,
        net=-net,
        vat=vat,
        gross=vat - net,
    )


def _in_group(lines: list[InvoiceLine], group: VatGroup) -> list[InvoiceLine]:
    return [
        line for line in lines if (line.vat_code, line.vat_rate) == (group.vat_code, group.vat_rate)
    ]


def _words(invoice: Invoice, discount: DraftDiscount, item: str = "") -> str:
    if discount.description.strip():
        return discount.description.strip()
    with translation.override(invoice.language):
        if discount.percent is None:
            return str(AMOUNT_DISCOUNT_WORDS)
        percent = rate_text(discount.percent, invoice.language)
        if item:
            return str(LINE_DISCOUNT_WORDS % {"percent": percent, "item": item})
        return str(DRAFT_DISCOUNT_WORDS % {"percent": percent})


def _percent_of_line(
    invoice: Invoice, lines: list[InvoiceLine], discount: DraftDiscount, percent: Decimal
) -> list[InvoiceLine]:
    target = next((line for line in lines if line.position == discount.position), None)
    if target is None:
        raise ValidationError(
            {"position": _("The draft has no line %(position)s.") % {"position": discount.position}}
        )
    if target.product == Product.DISCOUNT or target.net <= 0:
        raise ValidationError({"position": _("Choose a line that is not a discount.")})
    net = euros(target.net * percent / 100)
    row = _discount_line(target, net, _words(invoice, discount, target.description), [target])
    row.discounted_line = target
    return [row]


def _percent_of_draft(
    invoice: Invoice, lines: list[InvoiceLine], discount: DraftDiscount, percent: Decimal
) -> list[InvoiceLine]:
    words = _words(invoice, discount)
    return [
        _discount_line(group, euros(group.net * percent / 100), words, _in_group(lines, group))
        for group in vat_groups(lines)
        if group.net > 0
    ]


def _fixed_amount(
    invoice: Invoice, lines: list[InvoiceLine], discount: DraftDiscount, amount: Decimal
) -> list[InvoiceLine]:
    groups = [g for g in vat_groups(lines) if g.vat_code == discount.vat_code and g.net > 0]
    if not groups:
        raise ValidationError({"vat_code": _("The draft has no lines of that VAT code.")})
    if len(groups) > 1:
        raise ValidationError(
            {"vat_code": _("The draft has lines of that VAT code at two rates; discount a line.")}
        )
    if not ZERO < amount <= MAX_AMOUNT:
        raise ValidationError({"amount": _("Enter an amount without VAT, more than zero.")})
    group = groups[0]
    return [
        _discount_line(group, euros(amount), _words(invoice, discount), _in_group(lines, group))
    ]


def _discount_lines(
    invoice: Invoice, lines: list[InvoiceLine], discount: DraftDiscount
) -> list[InvoiceLine]:
    if (discount.percent is None) == (discount.amount is None):
        raise ValidationError(_("Give either a percentage or an amount for the discount."))
    if discount.amount is not None:
        return _fixed_amount(invoice, lines, discount, discount.amount)
    percent = discount.percent or ZERO
    if not ZERO < percent <= 100:
        raise ValidationError({"percent": _("Enter a percentage above 0 and at most 100.")})
    if discount.position is not None:
        return _percent_of_line(invoice, lines, discount, percent)
    return _percent_of_draft(invoice, lines, discount, percent)


def _refuse_negative(lines: list[InvoiceLine], message: str) -> None:
    """No VAT rate of a draft may come to less than zero: a discount never takes off
    more than it discounts, and an invoice is not a credit note."""
    if any(group.net < 0 or group.gross < 0 for group in vat_groups(lines)):
        raise ValidationError(message)


@transaction.atomic
def invoice_draft_discount_add(
    *, invoice: Invoice, actor: Actor, discount: DraftDiscount
) -> list[InvoiceLine]:
    """Add a discount to a draft: a negative line per VAT rate it takes from (one, or
    one for each rate of the draft for a percentage of the whole). Totals follow."""
    current = _draft(invoice)
    lines = _lines(current)
    rows = [row for row in _discount_lines(current, lines, discount) if row.net]
    if not rows:
        raise ValidationError(_("The discount comes to nothing; there is nothing to discount."))
    _refuse_negative([*lines, *rows], str(_("The discount is more than what it discounts.")))
    position = _next_position(current)
    for offset, row in enumerate(rows):
        row.invoice, row.position = current, position + offset
        row.save()
    _totals_save(current)
    detail = ", ".join(str(row.position) for row in rows)
    invoice_event_record(
        invoice=current, action=InvoiceAction.DISCOUNT_ADDED, actor=actor, detail=detail
    )
    return rows


@transaction.atomic
def invoice_draft_line_remove(*, invoice: Invoice, actor: Actor, position: int) -> None:
    """Take a manual or discount line off a draft (a line's discounts go with it); a
    booking's lines go with the booking, by making the draft again."""
    current = _draft(invoice)
    lines = _lines(current)
    line = next((row for row in lines if row.position == position), None)
    if line is None:
        raise ValidationError(_("The draft has no line %(position)s.") % {"position": position})
    if line.booking_id is not None:
        raise ValidationError(
            _("A booking's line goes with its booking: delete the draft and make it again.")
        )
    gone = {line.pk, *(row.pk for row in lines if row.discounted_line_id == line.pk)}
    _refuse_negative(
        [row for row in lines if row.pk not in gone],
        str(_("Remove the discounts of the draft first: they would be more than its lines.")),
    )
    line.delete()
    _totals_save(current)
    invoice_event_record(
        invoice=current, action=InvoiceAction.LINE_REMOVED, actor=actor, detail=str(position)
    )
