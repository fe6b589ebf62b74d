"""The EPC QR code's module matrix, from reportlab's encoder with a faster mask choice.

ISO/IEC 18004 (7.8.2–7.8.3) asks the encoder to try all eight mask patterns and keep the
one with the lowest penalty (runs, 2×2 blocks, finder-like patterns, dark balance).
reportlab does so by building the symbol eight times and scoring each in pure Python,
most of an invoice's rendering time. Here the symbol is built once; each mask is applied
to the data modules as whole-row bit operations, and the penalty is scored on strings.
"""

from __future__ import annotations

import itertools
import re
from functools import cache

from reportlab.graphics.barcode.qrencoder import (
    EXP_TABLE,
    LOG_TABLE,
    QRECI,
    QR8bitByte,
    QRBitBuffer,
    QRCode,
    QRErrorCorrectLevel,
    QRRSBlock,
    QRUtil,
)

UTF8_ECI = 26
# 1:1:3:1:1 dark-light-dark-light-dark with four light modules on one side (N3); neither
# overlaps itself, so str.count finds them all.
FINDER_LIKE = ("00001011101", "10111010000")
LONG_RUN = re.compile(r"0{5,}|1{5,}")


def qr_matrix(payload: str) -> list[str]:
    """The symbol's rows as strings of "1" (dark) and "0": byte mode, error correction M.

    A payload with non-ASCII text starts with the ECI designator 26 (UTF-8): without
    it readers guess the byte encoding, and some guess wrong. Plain ASCII goes without.
    """
    code = QRCode(None, QRErrorCorrectLevel.M)
    if not payload.isascii():
        code.addData(QRECI(UTF8_ECI))
    code.addData(QR8bitByte(payload))
    code.version = code.calculate_version()
    while (data := codewords(code)) is None:
        # reportlab's version choice leaves out the ECI designator's 8 bits: a payload
        # within a byte of a version's capacity needs the next version.
        code.version += 1
    version, size = code.version, code.version * 4 + 17
    rows = _unmasked(version, data)
    columns = _transpose(rows, size)
    best = min(range(8), key=lambda mask: (_score(rows, columns, version, mask), mask))
    # The chosen mask on the data modules, then reportlab writes the format information
    # (and the version information from version 7) for it.
    code.moduleCount = size
    flips = _masks(version, best)[0]
    code.modules = [
        [bit == "1" for bit in f"{row ^ flip:0{size}b}"]
        for row, flip in zip(rows, flips, strict=True)
    ]
    code.setupTypeInfo(False, best)
    if version >= 7:
        code.setupTypeNumber(False)
    return [f"{_as_int(row):0{size}b}" for row in code.modules]


def _unmasked(version: int, data: list[int]) -> list[int]:
    """Function patterns plus the data bits in placement order, without a mask."""
    size = version * 4 + 17
    rows = list(_function_rows(version))
    bits = ((byte >> shift) & 1 for byte in data for shift in range(7, -1, -1))
    for (column, row), bit in zip(_positions(version), bits, strict=False):
        if bit:
            rows[row] |= 1 << (size - 1 - column)
    return rows


@cache
def _function_rows(version: int) -> tuple[int, ...]:
    """The finder, separator, timing and alignment patterns of a version, as row bits,
    with the format and version areas blank and every data module light."""
    probe = QRCode(version, QRErrorCorrectLevel.M)
    probe.dataCache = []  # no data: every data module is light before masking
    probe.makeImpl(True, 0)
    flips = _masks(version, 0)[0]
    return tuple(_as_int(row) ^ flip for row, flip in zip(probe.modules, flips, strict=True))


def _as_int(row: list[bool]) -> int:
    return int(bytes(row).translate(_DIGITS), 2)


_DIGITS = bytes.maketrans(b"\x00\x01", b"01")


def _transpose(rows: list[int] | tuple[int, ...], size: int) -> list[int]:
    texts = [f"{row:0{size}b}" for row in rows]
    return [int("".join(column), 2) for column in zip(*texts, strict=True)]


def _score(rows: list[int], columns: list[int], version: int, mask: int) -> int:
    size = version * 4 + 17
    row_flips, column_flips = _masks(version, mask)
    masked = [row ^ flip for row, flip in zip(rows, row_flips, strict=True)]
    row_texts = [f"{row:0{size}b}" for row in masked]
    column_texts = [
        f"{column ^ flip:0{size}b}" for column, flip in zip(columns, column_flips, strict=True)
    ]
    return qr_penalty(row_texts, column_texts, masked)


@cache
def _masks(version: int, mask: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The data modules this mask inverts, as bits per row and per column (first column
    or row highest). Data modules depend on the version only: worked out once each."""
    size = version * 4 + 17
    inverts = QRUtil.getMask(mask)
    rows = [0] * size
    for column, row in _positions(version):
        if inverts(row, column):
            rows[row] |= 1 << (size - 1 - column)
    return tuple(rows), tuple(_transpose(rows, size))


def codewords(code: QRCode) -> list[int] | None:
    """The symbol's final codewords, as reportlab's `createData` makes them (segments,
    terminator, padding, Reed–Solomon error correction per block, interleaving), with
    the error correction worked out from log tables instead of polynomial objects.
    None when the data does not fit the code's version."""
    blocks = QRRSBlock.getRSBlocks(code.version, code.errorCorrectLevel)
    buffer = QRBitBuffer()
    for segment in code.dataList:
        segment.write(buffer, code.version)
    capacity = 8 * sum(block.dataCount for block in blocks)
    if buffer.getLengthInBits() > capacity:
        return None
    if buffer.getLengthInBits() + 4 <= capacity:
        buffer.put(0, 4)  # terminator
    while buffer.getLengthInBits() % 8:
        buffer.putBit(False)
    pads = itertools.cycle((0xEC, 0x11))
    while buffer.getLengthInBits() < capacity:
        buffer.put(next(pads), 8)
    data, corrections, offset = [], [], 0
    for block in blocks:
        chunk = buffer.buffer[offset : offset + block.dataCount]
        offset += block.dataCount
        data.append(chunk)
        corrections.append(_remainder(chunk, block.totalCount - block.dataCount))
    interleaved = itertools.chain(itertools.zip_longest(*data), itertools.zip_longest(*corrections))
    return [byte for column in interleaved for byte in column if byte is not None]


def _remainder(data: list[int], count: int) -> list[int]:
    """Reed–Solomon: the data polynomial times x^count, modulo the generator, in GF(256)."""
    generator = _generator_logs(count)
    remainder = [*data, *[0] * count]
    for index in range(len(data)):
        coefficient = remainder[index]
        if coefficient:
            shift = LOG_TABLE[coefficient]
            for offset, log in enumerate(generator, start=index + 1):
                if log is not None:
                    remainder[offset] ^= EXP_TABLE[(log + shift) % 255]
    return remainder[-count:]


@cache
def _generator_logs(count: int) -> tuple[int | None, ...]:
    """Logs of the generator polynomial's coefficients after the leading 1."""
    coefficients = QRUtil.getErrorCorrectPolynomial(count).num[1:]
    return tuple(LOG_TABLE[value] if value else None for value in coefficients)


@cache
def _positions(version: int) -> list[tuple[int, int]]:
    """(column, row) of every data module, in placement order, for a version."""
    probe = QRCode(version, QRErrorCorrectLevel.M)
    probe.moduleCount = version * 4 + 17
    return list(probe.dataPosIterator())


def qr_penalty(rows: list[str], columns: list[str], values: list[int]) -> int:
    """ISO/IEC 18004 7.8.3 penalty of a masked symbol, from its rows and columns."""
    long_runs = LONG_RUN.findall("|".join(rows + columns))
    runs = sum(map(len, long_runs)) - 2 * len(long_runs)  # N1: 3 + (length − 5) each
    padded = "0000" + "0000|0000".join(rows + columns) + "0000"  # outside is light
    finders = 40 * sum(padded.count(pattern) for pattern in FINDER_LIKE)  # N3
    return runs + finders + _blocks(values) + _balance(rows)


def _blocks(values: list[int]) -> int:
    """N2: 3 points for each 2×2 block of one colour."""
    inside = (1 << (len(values) - 1)) - 1
    count = 0
    for upper, lower in itertools.pairwise(values):
        dark = upper & (upper >> 1) & lower & (lower >> 1) & inside
        light = ~(upper | (upper >> 1) | lower | (lower >> 1)) & inside
        count += dark.bit_count() + light.bit_count()
    return 3 * count


def _balance(rows: list[str]) -> int:
    """N4: 10 points for each full 5 % the dark share is away from half."""
    dark = sum(row.count("1") for row in rows)
    percent = dark * 100 / (len(rows) ** 2)
    return 10 * int(abs(percent - 50) // 5)
