"""How a price is qualified wherever a renter sees one (the finder, the form's summary,
the sent and status pages): an exempt line by its legal ground, never as 0 % (SPEC
§2.6), a taxed one as including VAT, nothing when the seller is not VAT-registered."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from invoicing.quotes import Quote
from invoicing.vat import VatCode

VAT_EXEMPT_WORDS = _("VAT exempt (VAT Act 27 §)")
INCLUDING_VAT_WORDS = _("including VAT")


def price_words(quote: Quote) -> str:
    if any(line.vat_code == VatCode.EXEMPT for line in quote.lines):
        return str(VAT_EXEMPT_WORDS)
    return str(INCLUDING_VAT_WORDS) if quote.vat_registered else ""
