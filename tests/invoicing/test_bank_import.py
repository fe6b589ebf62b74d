"""Bank payments in (SPEC §2.15): camt.054 and KTL files imported, credits matched by
reference, what did not match listed and resolved; refused files change nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from invoicing.bank.selectors import bank_entries_to_resolve
from invoicing.bank.services import (
    bank_entry_assign,
    bank_entry_ignore,
    bank_entry_refund,
    bank_statement_import,
)
from invoicing.models import (
    BankEntry,
    BankStatement,
    EntryKind,
    EntryState,
    Payment,
    PaymentMethod,
    Resolution,
)
from invoicing.selectors import BalanceState, invoice_balance, invoices_with_balance
from invoicing.services import invoice_credit
from tests.frontend.invoice_world import books_open, days_ago, issued_on
from tests.invoicing.bank_files import Entry, KtlPayment, camt054, ktl, rf

pytestmark = pytest.mark.django_db


@pytest.fixture
def books():
    return books_open()


@pytest.fixture
def invoice(books):
    """An issued invoice of 90.00 €."""
    return issued_on(books, days_ago(20))


def imported(content: bytes, actor=None, name: str = "statement.xml"):
    return bank_statement_import(content=content, file_name=name, actor=actor)


def state_of(invoice) -> BalanceState:
    row = invoices_with_balance().get(pk=invoice.pk)
    return invoice_balance(row, paid=row.paid, credited=row.credited)


def rows() -> tuple[int, int, int]:
    return BankStatement.objects.count(), BankEntry.objects.count(), Payment.objects.count()


@pytest.mark.parametrize("version", ["02", "08"])
def test_a_credit_with_the_invoice_reference_pays_the_invoice(invoice, accountant, version):
    content = camt054([Entry("90.00", days_ago(2), reference=invoice.reference)], version=version)

    result = imported(content, accountant)

    assert (result.entries, result.matched, result.unmatched, result.duplicates) == (1, 1, 0, 0)
    assert result.statement.format == f"camt.054.001.{version}"
    assert state_of(invoice).state == BalanceState.PAID
    payment = invoice.payments.get()
    assert (payment.amount, payment.paid_on, payment.method) == (
        Decimal("90.00"),
        days_ago(2),
        PaymentMethod.STATEMENT,
    )
    assert payment.recorded_by == accountant
    assert payment.bank_entry.state == EntryState.MATCHED
    assert payment.bank_entry.payer == "Maija Meikäläinen"


@pytest.mark.parametrize("version", ["02", "08"])
def test_rf_references_and_references_typed_into_the_message_match(books, version):
    by_rf, typed, typed_rf = (issued_on(books, days_ago(d)) for d in (20, 19, 18))
    content = camt054(
        [
            Entry("90.00", days_ago(1), reference=rf(by_rf.reference)),
            Entry("90.00", days_ago(1), message=f"Lasku viite {typed.reference_text} kiitos"),
            Entry("90.00", days_ago(1), message=f"maksu {rf(typed_rf.reference).lower()}"),
        ],
        version=version,
    )

    result = imported(content)

    assert (result.matched, result.unmatched) == (3, 0)
    assert all(state_of(i).state == BalanceState.PAID for i in (by_rf, typed, typed_rf))


def test_importing_the_same_file_again_is_refused_and_records_nothing(invoice):
    content = camt054([Entry("90.00", days_ago(2), reference=invoice.reference)])
    imported(content)
    before = rows()

    with pytest.raises(ValidationError) as refused:
        imported(content)

    assert "imported already" in str(refused.value.message_dict["file"])
    assert rows() == before


def test_an_entry_repeated_in_a_later_file_is_a_duplicate_and_pays_nothing_twice(invoice):
    entry = Entry("45.00", days_ago(3), reference=invoice.reference)
    imported(camt054([entry]))

    result = imported(camt054([entry, Entry("45.00", days_ago(2), reference=invoice.reference)]))

    assert (result.entries, result.matched, result.duplicates) == (1, 1, 1)
    assert invoice.payments.count() == 2
    assert state_of(invoice).state == BalanceState.PAID


def test_an_unknown_reference_is_listed_for_accounting(invoice):
    result = imported(
        camt054([Entry("90.00", days_ago(1), reference="1232"), Entry("5", days_ago(1))])
    )

    assert (result.matched, result.unmatched) == (0, 2)
    listed = list(bank_entries_to_resolve())
    assert [(e.state, e.reference, e.invoice) for e in listed] == [
        (EntryState.UNMATCHED, "1232", None),
        (EntryState.UNMATCHED, "", None),
    ]
    assert not Payment.objects.exists()


def test_a_partial_payment_is_recorded_and_listed(invoice):
    result = imported(camt054([Entry("40.00", days_ago(1), reference=invoice.reference)]))

    assert (result.matched, result.unmatched) == (0, 1)
    assert state_of(invoice).outstanding == Decimal("50.00")
    [entry] = bank_entries_to_resolve()
    assert (entry.state, entry.invoice, entry.allocated) == (
        EntryState.PARTIAL,
        invoice,
        Decimal("40.00"),
    )


def test_an_over_payment_pays_what_is_owed_and_lists_the_rest(invoice):
    # Two entries in one file: the second finds the invoice already paid by the first.
    result = imported(
        camt054(
            [
                Entry("100.00", days_ago(2), reference=invoice.reference),
                Entry("30.00", days_ago(1), reference=invoice.reference),
            ]
        )
    )

    assert (result.matched, result.unmatched) == (0, 2)
    assert [p.amount for p in invoice.payments.all()] == [Decimal("90.00")]
    assert state_of(invoice).state == BalanceState.PAID
    listed = [(e.state, e.amount - e.allocated) for e in bank_entries_to_resolve()]
    assert listed == [
        (EntryState.OVERPAID, Decimal("10.00")),
        (EntryState.OVERPAID, Decimal("30.00")),
    ]


@pytest.mark.parametrize("version", ["02", "08"])
def test_debits_reversals_and_pending_entries_are_never_payments(invoice, version):
    reference = invoice.reference
    content = camt054(
        [
            Entry("90.00", days_ago(1), reference=reference, debit=True),
            Entry("90.00", days_ago(1), reference=reference, reversal=True),
            Entry("90.00", days_ago(1), reference=reference, status="PDNG"),
        ],
        version=version,
    )

    result = imported(content)

    assert (result.entries, result.matched, result.unmatched) == (3, 0, 0)
    kinds = list(BankEntry.objects.values_list("kind", "state"))
    assert kinds == [
        (EntryKind.DEBIT, EntryState.NOT_PAYMENT),
        (EntryKind.REVERSAL, EntryState.NOT_PAYMENT),
        (EntryKind.NOT_BOOKED, EntryState.NOT_PAYMENT),
    ]
    assert not Payment.objects.exists()
    assert not bank_entries_to_resolve().exists()


@pytest.mark.parametrize("version", ["02", "08"])
def test_a_batch_booking_pays_each_of_its_transactions(books, version):
    first, second = issued_on(books, days_ago(20)), issued_on(books, days_ago(19))
    batch = Entry(
        "180.00",
        days_ago(1),
        transactions=[
            Entry("90.00", days_ago(1), reference=first.reference, payer="Yksi ry"),
            Entry("90.00", days_ago(1), reference=second.reference, payer="Kaksi ry"),
        ],
    )

    result = imported(camt054([batch], version=version))

    assert (result.entries, result.matched) == (2, 2)
    assert [e.payer for e in BankEntry.objects.all()] == ["Yksi ry", "Kaksi ry"]
    assert state_of(first).state == state_of(second).state == BalanceState.PAID


def test_a_credited_invoice_takes_no_payment(invoice):
    invoice_credit(invoice=invoice, actor=None, reason="Väärä asiakas")

    result = imported(camt054([Entry("90.00", days_ago(1), reference=invoice.reference)]))

    assert (result.matched, result.unmatched) == (0, 1)
    assert not Payment.objects.exists()
    assert BankEntry.objects.get().invoice == invoice


# --- KTL --------------------------------------------------------------------------------


def test_a_reference_transfer_file_pays_by_reference_and_skips_corrections(books):
    paid, other = issued_on(books, days_ago(20)), issued_on(books, days_ago(19))
    content = ktl(
        [
            KtlPayment("90.00", days_ago(2), paid.reference),
            KtlPayment("90.00", days_ago(2), other.reference, correction=True),
        ]
    )

    result = imported(content, name="viitteet.txt")

    assert result.statement.format == "ktl"
    assert (result.entries, result.matched, result.unmatched) == (2, 1, 0)
    assert state_of(paid).state == BalanceState.PAID
    assert state_of(other).state != BalanceState.PAID
    correction = BankEntry.objects.get(kind=EntryKind.REVERSAL)
    assert correction.state == EntryState.NOT_PAYMENT
    assert not correction.payments.exists()


def test_a_reference_transfer_file_whose_totals_disagree_is_refused_whole(invoice):
    payments = [KtlPayment("90.00", days_ago(2), invoice.reference)]
    for lie in ({"total_count": 2}, {"total_cents": 8999}):
        with pytest.raises(ValidationError) as refused:
            imported(ktl(payments, **lie))
        assert "totals" in str(refused.value.message_dict["file"])
    assert rows() == (0, 0, 0)


def test_a_ktl_entry_already_imported_is_a_duplicate(invoice):
    payment = KtlPayment("90.00", days_ago(2), invoice.reference)
    imported(ktl([payment]))

    again = imported(ktl([payment, KtlPayment("1.00", days_ago(1), "1232")]))

    assert (again.entries, again.duplicates) == (1, 1)
    assert invoice.payments.count() == 1


# --- Refused files ------------------------------------------------------------------------

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02">&secret;</Document>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02">&lol9;</Document>"""


def broken_files(invoice) -> dict[str, bytes]:
    good = camt054([Entry("90.00", days_ago(1), reference=invoice.reference)])
    return {
        "not a statement": b"%PDF-1.7 not a bank file",
        "not well-formed": good[:-20],
        "not camt.054": b'<?xml version="1.0"?><Document xmlns="urn:example"/>',
        "against the schema": good.replace(b"<CdtDbtInd>CRDT", b"<CdtDbtInd>GIFT"),
        "no archive id": good.replace(b"<AcctSvcrRef>", b"<AddtlNtryInf>").replace(
            b"</AcctSvcrRef><BkTxCd>", b"</AddtlNtryInf><BkTxCd>"
        ),
        "booked in the future": camt054([Entry("90.00", days_ago(-2))]),
        "external entity": XXE,
        "billion laughs": LAUGHS,
        "ktl without totals": ktl([KtlPayment("90.00", days_ago(1), invoice.reference)])[:-92],
        "ktl with a bad line": b"0" + b"x" * 95 + b"\r\n",
    }


@pytest.mark.parametrize(
    "case",
    [
        "not a statement",
        "not well-formed",
        "not camt.054",
        "against the schema",
        "no archive id",
        "booked in the future",
        "external entity",
        "billion laughs",
        "ktl without totals",
        "ktl with a bad line",
    ],
)
def test_a_malformed_or_hostile_file_is_refused_and_changes_nothing(invoice, case):
    content = broken_files(invoice)[case]
    before = rows()

    with pytest.raises(ValidationError) as refused:
        imported(content)

    assert refused.value.message_dict["file"]
    assert b"root:" not in str(refused.value).encode()
    assert rows() == before


@override_settings(BANK_STATEMENT_MAX_BYTES=1024 * 1024)
def test_a_file_over_the_size_limit_is_refused(invoice):
    many = [Entry("1.00", days_ago(1), reference="1232") for _ in range(2500)]
    content = camt054(many)
    assert len(content) > 1024 * 1024

    with pytest.raises(ValidationError) as refused:
        imported(content)

    assert "at most 1 MB" in str(refused.value.message_dict["file"])
    assert rows() == (0, 0, 0)


# --- Resolutions --------------------------------------------------------------------------


def test_an_unknown_payment_assigned_to_an_invoice_pays_it(invoice, accountant):
    imported(camt054([Entry("90.00", days_ago(1), message="laskusta")]))
    entry = BankEntry.objects.get()

    payment = bank_entry_assign(entry=entry, invoice=invoice, actor=accountant, note="Soitti")

    assert (payment.amount, payment.bank_entry, payment.paid_on) == (
        Decimal("90.00"),
        entry,
        days_ago(1),
    )
    entry.refresh_from_db()
    assert (entry.resolution, entry.resolved_by) == (Resolution.ASSIGNED, accountant)
    assert state_of(invoice).state == BalanceState.PAID
    assert not bank_entries_to_resolve().exists()


def test_the_rest_of_an_over_payment_goes_to_another_invoice(books, invoice, accountant):
    other = issued_on(books, days_ago(10))
    imported(camt054([Entry("150.00", days_ago(1), reference=invoice.reference)]))
    entry = BankEntry.objects.get()

    bank_entry_assign(entry=entry, invoice=other, actor=accountant)

    assert state_of(other).outstanding == Decimal("30.00")
    entry.refresh_from_db()
    assert entry.resolution == Resolution.ASSIGNED
    assert [p.amount for p in entry.payments.all()] == [Decimal("90.00"), Decimal("60.00")]


def test_a_refund_needs_a_note_and_takes_the_entry_off_the_list(invoice, accountant):
    imported(camt054([Entry("25.00", days_ago(1), reference="1232")]))
    entry = BankEntry.objects.get()

    with pytest.raises(ValidationError) as refused:
        bank_entry_refund(entry=entry, actor=accountant, note="  ")
    assert "note" in refused.value.message_dict
    assert bank_entries_to_resolve().count() == 1

    bank_entry_refund(entry=entry, actor=accountant, note="Palautettu maksajalle 3.3.")
    entry.refresh_from_db()
    assert (entry.resolution, entry.resolution_note) == (
        Resolution.REFUNDED,
        "Palautettu maksajalle 3.3.",
    )
    assert not bank_entries_to_resolve().exists()


def test_a_partial_payment_is_reviewed_with_a_note_not_refunded(invoice, accountant):
    imported(camt054([Entry("40.00", days_ago(1), reference=invoice.reference)]))
    entry = BankEntry.objects.get()

    with pytest.raises(ValidationError):
        bank_entry_refund(entry=entry, actor=accountant, note="Palautus")
    with pytest.raises(ValidationError):
        bank_entry_assign(entry=entry, invoice=invoice, actor=accountant)
    bank_entry_ignore(entry=entry, actor=accountant, note="Loput tulevat maaliskuussa")

    entry.refresh_from_db()
    assert entry.resolution == Resolution.IGNORED
    assert state_of(invoice).outstanding == Decimal("50.00")


def test_a_resolved_or_matched_entry_cannot_be_resolved_again(invoice, accountant):
    imported(
        camt054(
            [
                Entry("90.00", days_ago(2), reference=invoice.reference),
                Entry("5.00", days_ago(1)),
            ]
        )
    )
    matched, unknown = BankEntry.objects.order_by("position")
    bank_entry_ignore(entry=unknown, actor=accountant, note="Testimaksu")

    for entry in (matched, unknown):
        with pytest.raises(ValidationError):
            bank_entry_ignore(entry=entry, actor=accountant, note="Uudestaan")
    assert Payment.objects.count() == 1


def test_assigning_to_an_invoice_that_owes_nothing_is_refused(invoice, accountant):
    imported(
        camt054([Entry("90.00", days_ago(2), reference=invoice.reference), Entry("5", days_ago(1))])
    )
    unknown = BankEntry.objects.get(state=EntryState.UNMATCHED)

    with pytest.raises(ValidationError) as refused:
        bank_entry_assign(entry=unknown, invoice=invoice, actor=accountant)

    assert "owes nothing" in str(refused.value.message_dict["invoice"])
    assert Payment.objects.count() == 1
