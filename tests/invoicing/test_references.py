"""Reference numbers, RF references, the virtual bank barcode and the EPC QR payload
against the worked examples of FINNISH_INVOICING.md and against python-stdnum."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from stdnum import iso11649

from invoicing.references import (
    epc_qr_payload,
    reference_check_digit,
    reference_format,
    reference_from_payment,
    reference_is_valid,
    reference_number,
    rf_format,
    rf_reference,
    virtual_barcode,
)

IBAN = "FI37 1590 3000 0007 76"


@pytest.mark.parametrize(
    ("base", "reference", "printed"),
    [
        ("123456", "1234561", "12 34561"),
        ("234823", "2348236", "23 48236"),
        ("1000", "10003", "10003"),
    ],
)
def test_reference_numbers_of_the_facts_file(base, reference, printed):
    assert reference_number(base) == reference
    assert reference_format(reference) == printed
    assert reference_is_valid(reference)


def test_long_references_are_printed_in_groups_of_five_from_the_right():
    assert reference_format("202600017") == "2026 00017"
    assert reference_format("12345678901234567890") == "12345 67890 12345 67890"


def test_check_digit_uses_weights_7_3_1_from_the_right():
    # "31": from the right 1·7 + 3·3 = 16, so (10 − 6) mod 10 = 4; "1": 7 → 3.
    assert reference_check_digit("31") == "4"
    assert reference_check_digit("1") == "3"


@pytest.mark.parametrize("base", ["12", "0123", "12345678901234567890", "12a4"])
def test_reference_bases_outside_the_rules_are_refused(base):
    with pytest.raises(ValueError):
        reference_number(base)


@pytest.mark.parametrize("reference", ["1234562", "123", "01234561", "", "12 3456 x"])
def test_wrong_references_are_not_valid(reference):
    assert not reference_is_valid(reference)


@pytest.mark.parametrize(
    ("reference", "printed"),
    [("1234561", "RF34 1234 561"), ("2348236", "RF33 2348 236"), ("11112", "RF98 1111 2")],
)
def test_rf_references_of_the_facts_file(reference, printed):
    rf = rf_reference(reference)
    assert rf_format(rf) == printed
    assert iso11649.is_valid(rf)
    assert iso11649.format(rf) == printed


def test_rf_references_agree_with_stdnum_for_many_bases():
    for base in range(100, 100_000, 997):
        rf = rf_reference(reference_number(str(base)))
        assert iso11649.is_valid(rf), rf
        assert len(rf) <= 25


@pytest.mark.parametrize(
    ("given", "reference"),
    [("12 34561", "1234561"), ("RF34 1234 561", "1234561"), ("rf341234561", "1234561")],
)
def test_a_payer_may_give_the_reference_in_either_form(given, reference):
    assert reference_from_payment(given) == reference


@pytest.mark.parametrize("given", ["RF35 1234 561", "1234562", "hello"])
def test_a_wrong_reference_from_a_payer_is_refused(given):
    with pytest.raises(ValueError):
        reference_from_payment(given)


def test_virtual_barcode_version_4_example():
    digits = virtual_barcode(
        iban=IBAN, reference="11112", amount=Decimal("12.25"), due_date=date(2016, 12, 21)
    )
    assert digits == "437159030000007760000122500000000000000000011112161221"


def test_virtual_barcode_version_5_example():
    digits = virtual_barcode(
        iban=IBAN, reference="11112", amount=Decimal("1.10"), due_date=date(2017, 1, 1), rf=True
    )
    assert digits == "537159030000007760000011098000000000000000011112170101"


@pytest.mark.parametrize("amount", [Decimal("0.00"), Decimal("1000000.00")])
def test_barcode_leaves_an_amount_it_cannot_carry_for_the_payer_to_type(amount):
    digits = virtual_barcode(iban=IBAN, reference="11112", amount=amount, due_date=None)
    assert digits[17:25] == "00000000"
    assert digits[48:] == "000000"


def test_barcode_carries_only_finnish_accounts():
    with pytest.raises(ValueError):
        virtual_barcode(
            iban="SE4550000000058398257466", reference="11112", amount=Decimal(1), due_date=None
        )


def test_epc_qr_payload_has_the_epc069_12_lines_and_nothing_after_the_last():
    payload = epc_qr_payload(
        bic="NDEAFIHH",
        name="Föreningen Heideken rf",
        iban=IBAN,
        amount=Decimal("150"),
        reference="RF341234561",
        due_date=date(2026, 3, 1),
    )
    assert payload.split("\n") == [
        "BCD",
        "002",
        "1",
        "SCT",
        "NDEAFIHH",
        "Föreningen Heideken rf",
        "FI3715903000000776",
        "EUR150.00",
        "",
        "RF341234561",
        "",
        "ReqdExctnDt/2026-03-01",
    ]
    assert len(payload.encode("utf-8")) <= 331


def test_epc_qr_payload_without_a_due_date_ends_with_the_reference():
    payload = epc_qr_payload(
        bic="NDEAFIHH", name="X", iban=IBAN, amount=Decimal("1.5"), reference="RF341234561"
    )
    assert payload.endswith("EUR1.50\n\nRF341234561")
