"""The EPC QR encoder: the same codewords as reportlab's own, the ISO/IEC 18004 mask
penalty against a plain reading of its rules, and payloads that reportlab alone
cannot encode (it leaves the ECI designator out of its version choice)."""

from __future__ import annotations

import io
import itertools
import random
import subprocess
import tempfile
from pathlib import Path

import pytest
from reportlab.graphics.barcode.qrencoder import QRECI, QR8bitByte, QRCode, QRErrorCorrectLevel
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from invoicing.pdf_parts import qr_draw
from invoicing.qr import UTF8_ECI, codewords, qr_matrix, qr_penalty
from tests.invoicing.builders import tool


def reportlab_code(payload: str, level: int = QRErrorCorrectLevel.M) -> QRCode:
    code = QRCode(None, level)
    if not payload.isascii():
        code.addData(QRECI(UTF8_ECI))
    code.addData(QR8bitByte(payload))
    code.version = code.calculate_version()
    return code


def test_codewords_are_reportlabs_own():
    rng = random.Random(7)
    checked = 0
    for length in range(1, 330, 7):
        for level in (QRErrorCorrectLevel.L, QRErrorCorrectLevel.M, QRErrorCorrectLevel.H):
            payload = "".join(rng.choice("abcÄö\n0123 EUR") for _ in range(length))
            code = reportlab_code(payload, level)
            try:
                theirs = QRCode.createData(code.version, code.errorCorrectLevel, code.dataList)
            except Exception as error:  # reportlab's version overflow; see the test below
                assert codewords(code) is None, error
                continue
            assert codewords(code) == theirs, (length, level)
            checked += 1
    assert checked > 100


def plain_penalty(rows: list[str]) -> int:
    """ISO/IEC 18004 7.8.3 read literally, one module at a time."""
    size = len(rows)
    lines = rows + ["".join(row[column] for row in rows) for column in range(size)]
    score = 0
    for line in lines:
        run = 1
        for left, right in itertools.pairwise(line):
            if left == right:
                run += 1
                continue
            score += run - 2 if run >= 5 else 0
            run = 1
        score += run - 2 if run >= 5 else 0
        padded = "0000" + line + "0000"
        for start in range(len(padded) - 10):
            if padded[start : start + 11] in ("00001011101", "10111010000"):
                score += 40
    for row in range(size - 1):
        for column in range(size - 1):
            block = {rows[row][column], rows[row][column + 1]}
            block |= {rows[row + 1][column], rows[row + 1][column + 1]}
            score += 3 if len(block) == 1 else 0
    dark = sum(row.count("1") for row in rows)
    return score + 10 * int(abs(dark * 100 / size**2 - 50) // 5)


@pytest.mark.parametrize("mask", range(8))
def test_mask_penalty_follows_the_standard(mask):
    code = reportlab_code("BCD\n002\n1\nSCT\nNDEAFIHH\nFöreningen Heideken rf\nFI37\nEUR1.00")
    code.makeImpl(True, mask)
    rows = ["".join("1" if dark else "0" for dark in row) for row in code.modules]
    columns = ["".join(column) for column in zip(*rows, strict=True)]

    assert qr_penalty(rows, columns, [int(row, 2) for row in rows]) == plain_penalty(rows)


def scan_qr(payload: str) -> list[str]:
    canvas_buffer = io.BytesIO()
    canvas = Canvas(canvas_buffer)
    qr_draw(canvas, x=50 * mm, y=150 * mm, payload=payload)
    canvas.save()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "qr.pdf"
        path.write_bytes(canvas_buffer.getvalue())
        subprocess.run(  # noqa: S603
            [tool("pdftoppm"), "-r", "200", "-png", str(path), str(Path(folder) / "qr")],
            check=True,
        )
        (image,) = Path(folder).glob("qr*.png")
        result = subprocess.run(  # noqa: S603
            [tool("zbarimg"), "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(image)],
            capture_output=True,
            check=False,
        )
    return result.stdout.decode("utf-8").split("\n")[:-1]


def test_payload_at_a_version_boundary_is_encoded_and_reads_back():
    payload = "Ä" + "a" * 150  # reportlab alone overflows version 9 by the ECI's 8 bits
    code = reportlab_code(payload)
    with pytest.raises(Exception, match="overflow"):
        QRCode.createData(code.version, code.errorCorrectLevel, code.dataList)

    rows = qr_matrix(payload)

    assert len(rows) == (code.version + 1) * 4 + 17
    assert scan_qr(payload) == [payload]


def test_symbol_is_reportlabs_own_for_the_mask_chosen():
    rng = random.Random(11)
    for length in range(1, 330, 11):
        payload = "".join(rng.choice("abcÄö\n0123 EUR") for _ in range(length))
        rows = qr_matrix(payload)
        code = reportlab_code(payload)
        code.version = (len(rows) - 17) // 4
        built = []
        for mask in range(8):
            code.dataCache = None
            code.makeImpl(False, mask)
            built.append(["".join("1" if dark else "0" for dark in row) for row in code.modules])
        assert rows in built, length
