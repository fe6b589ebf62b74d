"""Finnish payment references: viitenumero, RF creditor reference, the virtual bank
barcode and the EPC QR payload.

Pure functions on strings, dates and Decimals; the facts are in
shared/FINNISH_INVOICING.md (Finance Finland's Bank Bar Code Guide 5.3, ISO 11649,
EPC069-12).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from stdnum import iso11649

WEIGHTS = (7, 3, 1)
MAX_BARCODE_AMOUNT = Decimal("999999.99")
EPC_MAX_BYTES = 331


def _digits(value: str) -> str:
    compact = "".join(value.split())
    if not (compact.isascii() and compact.isdigit()):
        raise ValueError(f"not a number: {value!r}")
    return compact


def reference_check_digit(base: str) -> str:
    """The 7-3-1 check digit: weights 7, 3, 1, 7, … from the right (Bank Bar Code Guide)."""
    digits = _digits(base)
    total = sum(int(digit) * WEIGHTS[index % 3] for index, digit in enumerate(reversed(digits)))
    return str((10 - total % 10) % 10)


def reference_number(base: str) -> str:
    """A Finnish reference: 3–19 base digits without a leading zero, plus the check digit."""
    digits = _digits(base)
    if not 3 <= len(digits) <= 19 or digits[0] == "0":
        raise ValueError(f"a reference base has 3–19 digits and no leading zero: {base!r}")
    return digits + reference_check_digit(digits)


def reference_is_valid(reference: str) -> bool:
    try:
        digits = _digits(reference)
    except ValueError:
        return False
    if not 4 <= len(digits) <= 20 or digits[0] == "0":
        return False
    return reference_check_digit(digits[:-1]) == digits[-1]


def reference_format(reference: str) -> str:
    """Printed in groups of five digits from the right: `1234561` → `12 34561`."""
    digits = _digits(reference)
    groups = []
    while digits:
        groups.append(digits[-5:])
        digits = digits[:-5]
    return " ".join(reversed(groups))


def rf_reference(reference: str) -> str:
    """The ISO 11649 form of a Finnish reference, compact: `1234561` → `RF341234561`.

    Check digits: the reference followed by `RF00` as digits (271500), mod 97, 98 minus it.
    """
    digits = _digits(reference)
    check = 98 - int(digits + "271500") % 97
    return f"RF{check:02d}{digits}"


def rf_format(rf: str) -> str:
    """Printed in groups of four: `RF34 1234 561`."""
    return iso11649.format(rf)


def rf_to_reference(rf: str) -> str:
    """The Finnish reference inside an RF reference (validated by stdnum)."""
    return iso11649.validate(rf)[4:]


def reference_from_payment(value: str) -> str:
    """A reference as a payer or bank file gives it, Finnish or RF, as a Finnish reference;
    raises ValueError when it is neither."""
    compact = "".join(value.split()).upper()
    if compact.startswith("RF"):
        try:
            compact = rf_to_reference(compact)
        except Exception as error:  # stdnum raises its own ValidationError subclasses
            raise ValueError(str(error)) from None
    if not reference_is_valid(compact):
        raise ValueError(f"not a valid reference: {value!r}")
    return compact.lstrip("0")


def _barcode_amount(amount: Decimal) -> str:
    # Bank Bar Code Guide: zero, negative or above 999 999.99 is left for the payer to type.
    if amount <= 0 or amount > MAX_BARCODE_AMOUNT:
        return "0" * 8
    cents = int((amount * 100).to_integral_value())
    return f"{cents // 100:06d}{cents % 100:02d}"


def _iban_digits(iban: str) -> str:
    compact = "".join(iban.split()).upper()
    if not (
        compact.startswith("FI")
        and len(compact) == 18
        and compact[2:].isascii()
        and compact[2:].isdigit()
    ):
        raise ValueError("the virtual barcode needs a Finnish IBAN (FI + 16 digits)")
    return compact[2:]


def _due(due_date: date | None) -> str:
    return due_date.strftime("%y%m%d") if due_date else "000000"


def virtual_barcode(
    *, iban: str, reference: str, amount: Decimal, due_date: date | None, rf: bool = False
) -> str:
    """The 54-digit virtual bank barcode: version 4 with a Finnish reference, version 5
    with its RF form (Bank Bar Code Guide 5.3, table in FINNISH_INVOICING.md)."""
    account = _iban_digits(iban)
    money = _barcode_amount(amount)
    if rf:
        creditor = rf_reference(reference)
        body = creditor[4:]
        if len(body) > 21:
            raise ValueError("an RF reference body has at most 21 digits in the barcode")
        code = "5" + account + money + creditor[2:4] + body.rjust(21, "0") + _due(due_date)
    else:
        digits = _digits(reference)
        if len(digits) > 20:
            raise ValueError("a Finnish reference has at most 20 digits")
        code = "4" + account + money + "000" + digits.rjust(20, "0") + _due(due_date)
    if len(code) != 54:
        raise ValueError(f"a virtual barcode has 54 digits, not {len(code)}")
    return code


def epc_qr_payload(
    *,
    bic: str,
    name: str,
    iban: str,
    amount: Decimal,
    reference: str,
    due_date: date | None = None,
) -> str:
    """The EPC QR code text (EPC069-12 version 002, UTF-8, SEPA credit transfer).

    LF-separated, nothing after the last line given; the beneficiary-to-originator line
    carries `ReqdExctnDt/YYYY-MM-DD`, which Finnish banking apps read as the due date.
    """
    lines = [
        "BCD",
        "002",
        "1",
        "SCT",
        "".join(bic.split()).upper(),
        name.strip()[:70],
        "".join(iban.split()).upper(),
        f"EUR{amount:.2f}" if Decimal("0.01") <= amount <= Decimal("999999999.99") else "",
        "",
        "".join(reference.split())[:35],
        "",
    ]
    if due_date is not None:
        lines.append(f"ReqdExctnDt/{due_date.isoformat()}")
    payload = "\n".join(lines).rstrip("\n")
    if len(payload.encode("utf-8")) > EPC_MAX_BYTES:
        raise ValueError("the EPC QR payload exceeds 331 bytes")
    return payload
