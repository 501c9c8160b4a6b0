"""What kind of number a format name is, and how many bits it has.

`qmac formats` is the authority (bits, kind, and the block formats' element);
the name is read only when that listing is not available, so the report
still works on a results directory without the binary.
"""

import re
import subprocess


class FormatInfo:
    """kind: "int", "float", "flint" or "block"; bits per element."""

    def __init__(self, name, kind, bits):
        self.name, self.kind, self.bits = name, kind, bits


def from_listing(text):
    """Parses `qmac formats`: the element table, then the block table."""
    info = {}
    block = False
    for line in text.splitlines():
        fields = line.split()
        if not fields:
            continue
        if fields[0] == "block":
            block = True
            continue
        if fields[0] == "Format":
            continue
        if block and len(fields) >= 5:
            # name element scale block bits/element: 4.25 -> 4 element bits
            info[fields[0]] = FormatInfo(fields[0], "block", int(float(fields[4])))
        elif not block and len(fields) >= 3 and fields[1].isdigit():
            info[fields[0]] = FormatInfo(fields[0], fields[2], int(fields[1]))
    return info


def guess(name):
    """A format's kind and width from its name alone (the fallback)."""
    if name.startswith(("mx", "nv")):
        digits = re.findall(r"\d+", name)
        return FormatInfo(name, "block", int(digits[0]) if digits else 0)
    m = re.match(r"u?(int|flint)(\d+)$", name)
    if m:
        return FormatInfo(name, m.group(1), int(m.group(2)))
    m = re.search(r"e(\d+)m(\d+)", name)
    if m:
        return FormatInfo(name, "float", 1 + int(m.group(1)) + int(m.group(2)))
    return FormatInfo(name, "unknown", 0)


class Formats:
    """Format facts, from the qmac binary when it answers."""

    def __init__(self, qmac=None):
        self.table = {}
        if qmac:
            try:
                out = subprocess.run([qmac, "formats"], capture_output=True, text=True,
                                     timeout=60, check=True).stdout
                self.table = from_listing(out)
            except (OSError, subprocess.SubprocessError):
                self.table = {}

    def info(self, name):
        return self.table.get(name) or guess(name)

    def kind(self, name):
        return self.info(name).kind

    def bits(self, name):
        return self.info(name).bits
