"""Small builders of bank files for the tests: camt.054 (.001.02 and .001.08) and the
reference transfer file (KTL), made here from the tests' own data (no bank's sample
files, which carry real names)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

from invoicing.references import rf_reference

ACCOUNT = "FI3715903000000776"
_ids = itertools.count(1)


def archive_id() -> str:
    """A fresh bank archive id, unique within the test run."""
    return f"2611{next(_ids):012d}"


@dataclass
class Entry:
    """One bank entry as a test wants it; `transactions` makes a batch booking."""

    amount: Decimal | str
    booked_on: date
    reference: str = ""
    message: str = ""
    payer: str = "Maija Meikäläinen"
    archive: str = field(default_factory=archive_id)
    debit: bool = False
    reversal: bool = False
    status: str = "BOOK"
    currency: str = "EUR"
    transactions: list[Entry] = field(default_factory=list)


def rf(reference: str) -> str:
    return rf_reference(reference)


# --- camt.054 ---------------------------------------------------------------------------


def camt054(entries: list[Entry], *, version: str = "02", message_id: str = "") -> bytes:
    """A camt.054.001.<version> notification with one account and the entries given."""
    namespace = f"urn:iso:std:iso:20022:tech:xsd:camt.054.001.{version}"
    body = "".join(_entry(entry, version) for entry in entries)
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<Document xmlns="{namespace}"><BkToCstmrDbtCdtNtfctn>'
        f"<GrpHdr><MsgId>{message_id or archive_id()}</MsgId>"
        "<CreDtTm>2026-01-01T08:00:00+02:00</CreDtTm></GrpHdr>"
        "<Ntfctn><Id>NTF-1</Id><CreDtTm>2026-01-01T08:00:00+02:00</CreDtTm>"
        f"<Acct><Id><IBAN>{ACCOUNT}</IBAN></Id></Acct>{body}</Ntfctn>"
        "</BkToCstmrDbtCdtNtfctn></Document>"
    )
    return text.encode("utf-8")


def _amount(entry: Entry) -> str:
    return f'<Amt Ccy="{entry.currency}">{Decimal(entry.amount):.2f}</Amt>'


def _entry(entry: Entry, version: str) -> str:
    status = (
        f"<Sts><Cd>{entry.status}</Cd></Sts>" if version == "08" else f"<Sts>{entry.status}</Sts>"
    )
    details = entry.transactions or [entry]
    batch = bool(entry.transactions)
    return (
        f"<Ntry>{_amount(entry)}<CdtDbtInd>{'DBIT' if entry.debit else 'CRDT'}</CdtDbtInd>"
        + ("<RvslInd>true</RvslInd>" if entry.reversal else "")
        + status
        + f"<BookgDt><Dt>{entry.booked_on}</Dt></BookgDt><ValDt><Dt>{entry.booked_on}</Dt></ValDt>"
        + f"<AcctSvcrRef>{entry.archive}</AcctSvcrRef>"
        + "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>VCOM</SubFmlyCd></Fmly>"
        + "</Domn></BkTxCd><NtryDtls>"
        + "".join(_transaction(tx, version, batch=batch) for tx in details)
        + "</NtryDtls></Ntry>"
    )


def _transaction(tx: Entry, version: str, *, batch: bool) -> str:
    refs = f"<Refs><AcctSvcrRef>{tx.archive}</AcctSvcrRef></Refs>" if batch else ""
    if version == "08":
        amount = f"{_amount(tx)}<CdtDbtInd>{'DBIT' if tx.debit else 'CRDT'}</CdtDbtInd>"
        debtor = f"<Dbtr><Pty><Nm>{escape(tx.payer)}</Nm></Pty></Dbtr>"
    else:
        amount = f"<AmtDtls><TxAmt>{_amount(tx)}</TxAmt></AmtDtls>"
        debtor = f"<Dbtr><Nm>{escape(tx.payer)}</Nm></Dbtr>"
    remittance = f"<Ustrd>{escape(tx.message)}</Ustrd>" if tx.message else ""
    if tx.reference:
        remittance += (
            "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>"
            f"<Ref>{tx.reference}</Ref></CdtrRefInf></Strd>"
        )
    return (
        f"<TxDtls>{refs}{amount if batch else ''}<RltdPties>{debtor}</RltdPties>"
        + (f"<RmtInf>{remittance}</RmtInf>" if remittance else "")
        + "</TxDtls>"
    )


# --- KTL (viitesiirto) ------------------------------------------------------------------


@dataclass
class KtlPayment:
    amount: Decimal | str
    booked_on: date
    reference: str
    payer: str = "MEIKALAINEN"
    archive: str = field(default_factory=archive_id)
    correction: bool = False


def _cents(amount: Decimal | str) -> int:
    return int(Decimal(amount) * 100)


def ktl(
    payments: list[KtlPayment], *, total_count: int | None = None, total_cents: int | None = None
) -> bytes:
    """One batch: header, the payment records, and the totals (overridable, to lie)."""
    header = "0" + "260101" + "0800" + "15" + "123456789" + "1"
    lines = [header]
    for payment in payments:
        day = payment.booked_on.strftime("%y%m%d")
        lines.append(
            "3"
            + ACCOUNT[4:]
            + day
            + day
            + payment.archive.ljust(16)[:16]
            + payment.reference.rjust(20, "0")
            + payment.payer.ljust(12)[:12]
            + "1"
            + " "
            + f"{_cents(payment.amount):010d}"
            + ("1" if payment.correction else "0")
            + "A"
        )
    normal = [p for p in payments if not p.correction]
    corrections = [p for p in payments if p.correction]
    count = len(normal) if total_count is None else total_count
    cents = sum(_cents(p.amount) for p in normal) if total_cents is None else total_cents
    lines.append(
        "9"
        + f"{count:06d}"
        + f"{cents:011d}"
        + f"{len(corrections):06d}"
        + f"{sum(_cents(p.amount) for p in corrections):011d}"
    )
    return "".join(line.ljust(90) + "\r\n" for line in lines).encode("iso-8859-1")
