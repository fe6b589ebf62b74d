"""Building blocks of the invoice PDF: fonts, number formats, the bank barcode, the EPC
QR code. Pure drawing on a reportlab canvas; nothing here touches the database."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import reportlab
from reportlab import rl_config
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from invoicing.money import money_text
from invoicing.qr import qr_matrix

FONT = "HeidekenSans"
BOLD = "HeidekenSans-Bold"

# Bitstream Vera ships inside the reportlab wheel, so every machine that installs the
# project has it; it covers ä, ö, å, €, § and the en dash. reportlab embeds a subset.
_FONT_FILES = {FONT: "Vera.ttf", BOLD: "VeraBd.ttf"}

# Bank Bar Code Guide 5.3 / FINNISH_INVOICING.md: Code 128 subset C, 10–15 mm tall, at
# most ~105 mm with its quiet zones. A module of 0.01 in (0.254 mm) is exactly two dots
# at 200 dpi, so a rendering at that resolution has no blurred bar edges; 332 modules
# make 84.3 mm of bars, plus two quiet zones of 6.4 mm = 97.1 mm in all.
BARCODE_MODULE = 0.254 * mm
BARCODE_HEIGHT = 13 * mm
BARCODE_QUIET = 6.4 * mm
QR_SIZE = 30 * mm
QR_QUIET_MODULES = 4  # ISO/IEC 18004 quiet zone
DARK_RUN = re.compile("1+")


@cache
def fonts_register() -> None:
    """Register the fonts, once per process. Also turns off reportlab's ASCII85 wrapping
    of compressed streams: PDF carries binary streams, and the pure-Python encoder made
    a quarter of the rendering time and a quarter of the file size."""
    rl_config.useA85 = 0
    folder = Path(reportlab.__file__).parent / "fonts"
    for name, filename in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / filename)))


def date_text(day: date | None) -> str:
    """Finnish (and Finland-Swedish) style `1.2.2026`, used in all three languages."""
    return f"{day.day}.{day.month}.{day.year}" if day else ""


def quantity_text(quantity: Decimal, language: str) -> str:
    text = f"{quantity.normalize():f}" if quantity != quantity.to_integral() else f"{quantity:.0f}"
    return text.replace(".", ",") if language in ("fi", "sv") else text


def amount_text(amount: Decimal, language: str) -> str:
    return money_text(amount, language)


def iban_text(iban: str) -> str:
    compact = "".join(iban.split())
    return " ".join(compact[index : index + 4] for index in range(0, len(compact), 4))


def text_right(canvas: Canvas, x: float, y: float, text: str, font: str = FONT, size: float = 8.5):
    canvas.setFont(font, size)
    canvas.drawRightString(x, y, text)


def text_left(canvas: Canvas, x: float, y: float, text: str, font: str = FONT, size: float = 8.5):
    canvas.setFont(font, size)
    canvas.drawString(x, y, text)


def fit(text: str, width: float, font: str = FONT, size: float = 8.5) -> str:
    """The text shortened with an ellipsis to fit the width."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def barcode_draw(canvas: Canvas, *, x: float, y: float, digits: str) -> float:
    """The virtual barcode as Code 128 (subset C for 54 digits), on a white quiet zone
    starting at x; returns the total width drawn, quiet zones included.

    reportlab encodes the symbol (start, subset C pairs, check character, stop); its bars
    are drawn here as integer rectangles in module units, a short content stream."""
    symbol = Code128(digits, quiet=0, humanReadable=0)
    symbol.validate()
    symbol.encode()
    # Upper-case letters are bars, lower-case spaces; A/a is one module wide.
    bars, modules = [], 0
    for element in symbol.decompose():
        width = ord(element.lower()) - ord("a") + 1
        if element.isupper():
            bars.append(f"{modules} 0 {width} 1 re")
        modules += width
    total = modules * BARCODE_MODULE + 2 * BARCODE_QUIET
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, total, BARCODE_HEIGHT, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.translate(x + BARCODE_QUIET, y)
    canvas.scale(BARCODE_MODULE, BARCODE_HEIGHT)
    canvas.addLiteral("\n".join(bars) + "\nf")
    canvas.restoreState()
    return total


def qr_draw(canvas: Canvas, *, x: float, y: float, payload: str) -> None:
    """The EPC QR code (EPC069-12: error correction M, UTF-8) with a quiet zone of four
    modules; (x, y) is its lower-left corner.

    Drawn as runs of dark modules in module units: the graphics widget would pull
    Helvetica into the PDF unembedded, and one rectangle per module is slow."""
    modules = qr_matrix(payload)
    count = len(modules)
    module = QR_SIZE / (count + 2 * QR_QUIET_MODULES)
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, QR_SIZE, QR_SIZE, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    # Origin at the top-left module, y growing down: small integer rectangles.
    canvas.translate(x + QR_QUIET_MODULES * module, y + QR_SIZE - QR_QUIET_MODULES * module)
    canvas.scale(module, -module)
    canvas.addLiteral("\n".join(_dark_runs(modules)) + "\nf")
    canvas.restoreState()


def _dark_runs(rows: list[str]) -> list[str]:
    return [
        f"{match.start()} {row} {match.end() - match.start()} 1 re"
        for row, text in enumerate(rows)
        for match in DARK_RUN.finditer(text)
    ]
