"""Credit notes: the whole of an issued invoice, chosen lines of it, or amounts by VAT
rate, in as many credit notes as it takes until nothing is left to credit.

A credit note has its own number, refers to the original by number and date, and shows
negative amounts per VAT rate (VAT Act 209 e § 13). Each line of the original is credited
at most once; no VAT rate is ever credited beyond what is still uncredited of it. The
original's bookings can be invoiced again only when it is credited in full.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from bookings.services import Actor
from invoicing.ledger import Product
from invoicing.models import (
    Invoice,
    InvoiceAction,
    InvoiceBooking,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    Unit,
    VatGroup,
    vat_groups,
)
from invoicing.money import ZERO, euros
from invoicing.selectors.credits import invoice_credited_line_ids, invoice_uncredited
from invoicing.services.audit import invoice_event_record
from invoicing.services.issuing import invoice_issue
from invoicing.services.lines import invoice_lines_store, invoice_totals_set
from invoicing.vat import EXEMPT_SHORT, VatCode, rate_text, vat_of

BUYER_FIELDS = (
    "buyer_name",
    "buyer_address",
    "buyer_business_id",
    "buyer_e_invoice_address",
    "buyer_e_invoice_operator",
    "buyer_reference",
    "buyer_email",
    "delivery_method",
)
AMOUNT_WORDS = _("Credit of invoice %(number)s, VAT %(rate)s")
AMOUNT_WORDS_EXEMPT = _("Credit of invoice %(number)s, VAT exempt")


@dataclass(frozen=True)
class CreditedLine:
    """A line of the original to credit, by its position; all of it, or `quantity`."""

    position: int
    quantity: Decimal | None = None


@dataclass(frozen=True)
class CreditedAmount:
    """An amount without VAT to credit of one VAT code and rate of the original."""

    vat_code: str
    vat_rate: Decimal | None
    net: Decimal


GroupKey = tuple[str, Decimal | None]


class InvoiceNotCreditable(ValidationError):
    """The invoice cannot be credited at all (a draft, a credit note, nothing left):
    no other choice of lines or amounts would help."""


def _key(line: InvoiceLine | VatGroup | CreditedAmount) -> GroupKey:
    rate = None if line.vat_rate is None else Decimal(line.vat_rate).quantize(Decimal("0.01"))
    return (line.vat_code, rate)


def _refuse_uncreditable(original: Invoice, reason: str, remaining: list[VatGroup]) -> None:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the invoice is credited.")})
    if original.status != InvoiceStatus.ISSUED:
        raise InvoiceNotCreditable(_("Only an issued invoice can be credited; delete a draft."))
    if original.kind == InvoiceKind.CREDIT_NOTE:
        raise InvoiceNotCreditable(_("A credit note cannot be credited."))
    if all(group.gross <= 0 for group in remaining) and original.credit_notes.exists():
        raise InvoiceNotCreditable(
            _("Invoice %(number)s has already been credited.") % {"number": original}
        )


def _credit_of(line: InvoiceLine, quantity: Decimal | None) -> InvoiceLine:
    """The negative of a line, or of `quantity` of it (its amounts in proportion, so a
    capped or discounted price is credited as it was charged)."""
    if quantity is None or quantity == line.quantity:
        quantity, net, vat = line.quantity, line.net, line.vat
    else:
        net = euros(line.net * quantity / line.quantity)
        vat = vat_of(net, line.vat_rate)
    return InvoiceLine(
        booking_id=line.booking_id,
        credited_line=line,
        product=line.product,
        description=line.description,
        service_start=line.service_start,
        service_end=line.service_end,
        quantity=-quantity,
        unit=line.unit,
        unit_price=line.unit_price,
        vat_code=line.vat_code,
        vat_rate=line.vat_rate,
        net=-net,
        vat=-vat,
        gross=-(net + vat),
    )


def _line_credits(original: Invoice, chosen: Sequence[CreditedLine]) -> list[InvoiceLine]:
    lines = {line.position: line for line in original.lines.all()}
    credited = invoice_credited_line_ids(original)
    positions = [item.position for item in chosen]
    if len(set(positions)) != len(positions):
        raise ValidationError({"lines": _("Choose each line at most once.")})
    result = []
    for item in chosen:
        line = lines.get(item.position)
        if line is None:
            raise ValidationError(
                {"lines": _("The invoice has no line %(position)s.") % {"position": item.position}}
            )
        if line.pk in credited:
            raise ValidationError(
                {"lines": _("Line %(position)s is already credited.") % {"position": line.position}}
            )
        if line.net <= 0:
            raise ValidationError(
                {
                    "lines": _(
                        "Line %(position)s is a discount; credit it with the whole invoice "
                        "or as an amount by VAT rate."
                    )
                    % {"position": line.position}
                }
            )
        if item.quantity is not None and not ZERO < item.quantity <= line.quantity:
            raise ValidationError(
                {
                    "lines": _("Line %(position)s can be credited for 0 to %(quantity)s.")
                    % {"position": line.position, "quantity": line.quantity.normalize()}
                }
            )
        result.append(_credit_of(line, item.quantity))
    return result


def _amount_words(original: Invoice, group: GroupKey) -> str:
    code, rate = group
    with translation.override(original.language):
        if code == VatCode.EXEMPT or rate is None:
            return str(AMOUNT_WORDS_EXEMPT % {"number": original.number_text})
        return str(
            AMOUNT_WORDS
            % {"number": original.number_text, "rate": rate_text(rate, original.language)}
        )


def _amount_line(original: Invoice, group: VatGroup, net: Decimal) -> InvoiceLine:
    """A negative line of `net` of one VAT rate; its VAT is what is left of the rate's
    VAT when it takes the rest, so a fully credited invoice nets to zero to the cent."""
    vat = group.vat if net == group.net else vat_of(net, group.vat_rate)
    days = [line for line in original.lines.all() if _key(line) == _key(group)]
    return InvoiceLine(
        product=days[0].product if len({line.product for line in days}) == 1 else Product.MANUAL,
        description=_amount_words(original, _key(group))[:300],
        service_start=min(line.service_start for line in days),
        service_end=max(line.service_end for line in days),
        quantity=Decimal(-1),
        unit=Unit.PIECE,
        unit_price=net,
        vat_code=group.vat_code,
        vat_rate=group.vat_rate,
        net=-net,
        vat=-vat,
        gross=-(net + vat),
    )


def _amount_credits(
    original: Invoice, amounts: Sequence[CreditedAmount], remaining: list[VatGroup]
) -> list[InvoiceLine]:
    groups = {_key(group): group for group in remaining if group.gross > 0}
    keys = [_key(amount) for amount in amounts]
    if len(set(keys)) != len(keys):
        raise ValidationError({"amounts": _("Give each VAT rate at most once.")})
    result = []
    for amount, key in zip(amounts, keys, strict=True):
        group = groups.get(key)
        if group is None:
            raise ValidationError(
                {"amounts": _("The invoice has nothing left to credit at that VAT rate.")}
            )
        if amount.net <= 0:
            raise ValidationError(
                {"amounts": _("Enter the amount to credit without VAT, more than zero.")}
            )
        result.append(_amount_line(original, group, euros(amount.net)))
    return result


def _remainder_credits(original: Invoice, remaining: list[VatGroup]) -> list[InvoiceLine]:
    """The whole rest: the lines not credited yet, when they are exactly what is left;
    otherwise (after amounts or parts of lines) what is left of each VAT rate."""
    credited = invoice_credited_line_ids(original)
    rest = [_credit_of(line, None) for line in original.lines.all() if line.pk not in credited]
    left = {_key(group): (group.net, group.vat) for group in remaining if group.gross}
    negated = {_key(group): (-group.net, -group.vat) for group in vat_groups(rest) if group.gross}
    if negated == left:
        return rest
    return [_amount_line(original, group, group.net) for group in remaining if group.gross > 0]


def _refuse_overcredit(lines: list[InvoiceLine], remaining: list[VatGroup]) -> None:
    left = {_key(group): group for group in remaining}
    for group in vat_groups(lines):
        have = left.get(_key(group))
        if have is None or have.net + group.net < 0 or have.gross + group.gross < 0:
            raise ValidationError(
                _(
                    "That credits more than is left to credit at VAT %(rate)s: at most "
                    "%(net)s € without VAT."
                )
                % {
                    "rate": _vat_words(group),
                    "net": max(have.net if have else ZERO, ZERO),
                }
            )


def _vat_words(group: VatGroup) -> str:
    if group.vat_code == VatCode.EXEMPT or group.vat_rate is None:
        return str(EXEMPT_SHORT)
    return rate_text(group.vat_rate, (translation.get_language() or "fi")[:2])


def _note_for(original: Invoice, actor: Actor, reason: str) -> Invoice:
    note = Invoice(
        kind=InvoiceKind.CREDIT_NOTE,
        customer_id=original.customer_id,
        credited_invoice=original,
        credited_number=original.number_text,
        credited_issue_date=original.issue_date,
        credit_reason=reason.strip()[:500],
        language=original.language,
        created_by=actor,
    )
    for name in BUYER_FIELDS:
        setattr(note, name, getattr(original, name))
    return note


def _chosen_lines(
    original: Invoice,
    lines: Sequence[CreditedLine],
    amounts: Sequence[CreditedAmount],
    remaining: list[VatGroup],
) -> list[InvoiceLine]:
    if lines and amounts:
        raise ValidationError(_("Credit either chosen lines or amounts by VAT rate, not both."))
    if lines:
        return _line_credits(original, lines)
    if amounts:
        return _amount_credits(original, amounts, remaining)
    return _remainder_credits(original, remaining)


@transaction.atomic
def invoice_credit(
    *,
    invoice: Invoice,
    actor: Actor,
    reason: str,
    lines: Sequence[CreditedLine] = (),
    amounts: Sequence[CreditedAmount] = (),
) -> Invoice:
    """Issue a credit note of the invoice: of chosen `lines` (each at most once, whole
    or a part), of `amounts` by VAT rate, or, given neither, of all that is left. Its
    bookings can be invoiced again once the invoice is credited in full."""
    original = Invoice.objects.select_for_update().get(pk=invoice.pk)
    remaining = invoice_uncredited(original)
    _refuse_uncreditable(original, reason, remaining)
    note_lines = _chosen_lines(original, lines, amounts, remaining)
    _refuse_overcredit(note_lines, remaining)
    note = _note_for(original, actor, reason)
    invoice_totals_set(note, note_lines)
    note.save()
    invoice_lines_store(note, note_lines)
    if sum(group.gross for group in remaining) + note.total_gross <= 0:
        InvoiceBooking.objects.filter(invoice=original, active=True).update(active=False)
    issued = invoice_issue(invoice=note, actor=actor)
    invoice_event_record(
        invoice=original, action=InvoiceAction.CREDITED, actor=actor, detail=issued.number_text
    )
    return issued
