"""The one door for a bank file: its size checked, its format told by its first byte,
and read whole by its reader or refused with `StatementFileError`."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from invoicing.bank.camt054 import camt054_parse
from invoicing.bank.files import ParsedStatement, StatementFileError
from invoicing.bank.ktl import ktl_parse


def max_bytes() -> int:
    return settings.BANK_STATEMENT_MAX_BYTES


def statement_size_check(size: int) -> None:
    """Refuse a file over the limit (an upload is asked before it is read)."""
    if size > max_bytes():
        raise StatementFileError(
            _("The file is too large: a bank statement may have at most %(size)s MB.")
            % {"size": f"{max_bytes() / (1024 * 1024):g}"}
        )


def statement_parse(content: bytes) -> ParsedStatement:
    """Read a camt.054 (XML) or a KTL (fixed-width) file, told apart by their first byte."""
    statement_size_check(len(content))
    start = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start == b"<":
        return camt054_parse(content)
    if start == b"0":
        return ktl_parse(content)
    raise StatementFileError(
        _("This is not a bank statement: upload a camt.054 XML file or a reference transfer file.")
    )
