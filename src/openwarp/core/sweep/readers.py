"""Turn paths into streams of whole-line blocks, whatever state the file is in.

Members' logs are rotated, compressed, half-written and sometimes corrupt. A
reader never raises on bad content: it reports a warning naming the file and
line, sweeps what it could read, and lets the sweep go on with the next file.
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import io
import os
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import zstandard

from openwarp.core.sweep.native import count_lines

BLOCK_SIZE = 4 << 20
COMPRESSED_STEP = 256 << 10
LONG_LINE = 1 << 20
MAX_LINE = 64 << 20
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_MAGIC = {b"\x1f\x8b": "gzip", b"BZ": "bz2", b"\x28\xb5": "zstd"}
_DECOMPRESSION_ERRORS = (EOFError, OSError, zlib.error, zstandard.ZstdError, ValueError)


@dataclass(frozen=True, slots=True)
class SweepWarning:
    """Something the user should know about one place in one file."""

    file: str
    line: int | None
    message: str
    error: bool = False  # True when an input could not be read at all

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.message}"


type Warn = Callable[[int | None, str], None]


def discover(paths: list[str]) -> Iterator[tuple[str, Path | None]]:
    """Expand directories recursively (sorted, so runs are repeatable).

    Yields (name as the user will see it, path) and ("-", None) for stdin.
    """
    for given in paths:
        if given == "-":
            yield "-", None
            continue
        path = Path(given)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    found = Path(root) / name
                    if found.is_file():
                        yield str(found), found
        else:
            yield given, path


def compression_of(head: bytes) -> str | None:
    kind = _MAGIC.get(head[:2])
    if kind == "bz2" and head[2:3] != b"h":
        return None
    if kind == "zstd" and head[:4] != b"\x28\xb5\x2f\xfd":
        return None
    return kind


class _Utf16Reader(io.RawIOBase):
    """Re-encode a UTF-16 export (PowerShell's default) as UTF-8 on the fly."""

    def __init__(self, raw: BinaryIO) -> None:
        self._text = codecs.getreader("utf-16")(raw, "replace")
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._pending:
            text = self._text.read(max(len(buffer) // 3, 1))
            if not text:
                return 0
            self._pending = text.encode("utf-8")
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def open_stream(raw: BinaryIO) -> tuple[BinaryIO, str | None]:
    """Wrap a binary stream in the decompressor its first bytes call for.

    Compressed streams are read in small steps: when one turns out to be
    truncated, only the last step is lost, not a whole block.
    """
    buffered: Any = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(raw)
    kind = compression_of(buffered.peek(4)[:4])
    stream: Any = buffered
    if kind == "gzip":
        stream = gzip.GzipFile(fileobj=buffered)
    elif kind == "bz2":
        stream = bz2.BZ2File(buffered)
    elif kind == "zstd":
        stream = zstandard.ZstdDecompressor().stream_reader(buffered, read_across_frames=True)
    if kind is not None:
        stream = io.BufferedReader(stream, COMPRESSED_STEP)
    try:
        bom = stream.peek(2)[:2]
    except _DECOMPRESSION_ERRORS:
        return stream, kind  # the read that follows will report it with a line number
    if bom in UTF16_BOMS:
        stream = io.BufferedReader(_Utf16Reader(stream), BLOCK_SIZE)
    return stream, kind


def iter_blocks(
    stream: BinaryIO, warn: Warn, *, limit: int | None = None, block_size: int = BLOCK_SIZE
) -> Iterator[bytes]:
    """Yield blocks that end on a line end (the last may not), never raising.

    ``limit`` stops after that many bytes, so a file that grows while it is
    read is swept up to the size it had when the sweep began.
    """
    carry = b""
    lines = 0
    binary = False
    remaining = limit
    while remaining is None or remaining > 0:
        want = block_size if remaining is None else min(block_size, remaining)
        try:
            chunk = _read(stream, want)
        except _DECOMPRESSION_ERRORS as exc:
            lost = exc.args[-1] if exc.args and isinstance(exc.args[-1], bytes) else b""
            if carry + lost:
                carry += lost
                block = carry[: carry.rfind(b"\n") + 1]
                if block:
                    yield block
                    lines += block.count(b"\n")
            warn(lines + 1, f"cannot read further ({_describe(exc)}); rest of file skipped")
            return
        if not chunk:
            break
        if remaining is not None:
            remaining -= len(chunk)
        data = carry + chunk if carry else chunk
        cut = data.rfind(b"\n") + 1
        if cut == 0 and len(data) < MAX_LINE:
            carry = data
            continue
        if cut == 0:
            warn(lines + 1, f"line longer than {MAX_LINE >> 20} MB; swept in pieces")
            # Cut between tokens, so no name is split into two shorter ones.
            cut = max(data.rfind(separator) for separator in (b" ", b"\t", b",", b'"')) + 1
            cut = cut or len(data)
        block, carry = data[:cut], data[cut:]
        binary = _check_block(block, lines, warn, binary)
        lines += count_lines(block)
        yield block
    if carry:
        _check_block(carry, lines, warn, binary)
        yield carry


def _read(stream: BinaryIO, size: int) -> bytes:
    """Read up to ``size`` bytes in small steps, keeping what came before an error."""
    parts: list[bytes] = []
    got = 0
    while got < size:
        try:
            part = stream.read(min(COMPRESSED_STEP, size - got))
        except _DECOMPRESSION_ERRORS as exc:
            exc.args = (*exc.args, b"".join(parts))
            raise
        if not part:
            break
        parts.append(part)
        got += len(part)
    return b"".join(parts)


def _check_block(block: bytes, lines: int, warn: Warn, binary_known: bool) -> bool:
    """Warn about binary data (once per file) and very long lines; True if binary."""
    nul = -1 if binary_known else block.find(b"\x00")
    if nul >= 0:
        warn(lines + block.count(b"\n", 0, nul) + 1, "binary data (NUL bytes) in the log")
    if len(block) > LONG_LINE:
        longest_at = _long_line(block)
        if longest_at is not None:
            number, size = longest_at
            warn(lines + number, f"line of {size / (1 << 20):.1f} MB")
    return binary_known or nul >= 0


def _long_line(block: bytes) -> tuple[int, int] | None:
    """(line number within block, length) of a line over LONG_LINE, if any.

    Probes windows of half that size for a newline, so a normal block costs a
    handful of short searches instead of a walk over every line.
    """
    window = LONG_LINE // 2
    for probe in range(0, len(block), window):
        if block.find(b"\n", probe, probe + window) >= 0:
            continue
        start = block.rfind(b"\n", 0, probe) + 1
        end = block.find(b"\n", probe)
        end = len(block) if end < 0 else end
        if end - start > LONG_LINE:
            return block.count(b"\n", 0, start) + 1, end - start
    return None


def _describe(exc: BaseException) -> str:
    if isinstance(exc, EOFError):
        return "compressed stream ends early: truncated file?"
    return f"{type(exc).__name__}: {exc}"
