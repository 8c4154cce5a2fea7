"""The text of a PDF made by fpdf2, read back the way a viewer draws it: each page's content
stream run through its text operators (q Q BT ET Tf Tj TJ), every string decoded with the
ToUnicode map of the font in force at that moment. A string drawn with no font in force (a
viewer's "No font in show") fails, so a font lost inside q…Q shows up here. Enough for the
PDFs the bot writes (Type0 fonts, 2-byte codes), not a general PDF reader."""

from __future__ import annotations

import re
import zlib

_OBJECT = re.compile(rb"(\d+) 0 obj\n(.*?)\nendobj", re.S)
_TOKEN = re.compile(
    rb"\((?:\\.|[^\\)])*\)|<<|>>|<[0-9A-Fa-f\s]*>|\[|\]|/[^\s/\[\]()<>]+|[^\s/\[\]()<>]+", re.S
)
_ESCAPES = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}


def _objects(pdf: bytes) -> dict[int, bytes]:
    return {int(m[1]): m[2] for m in _OBJECT.finditer(pdf)}


def _stream(body: bytes) -> bytes:
    head, _, rest = body.partition(b"stream\n")
    data = rest.rsplit(b"\nendstream", 1)[0]
    return zlib.decompress(data) if b"/FlateDecode" in head else data


def _string(token: bytes) -> bytes:
    if token.startswith(b"<"):
        return bytes.fromhex(token[1:-1].decode())
    out, body, n = bytearray(), token[1:-1], 0
    while n < len(body):
        if body[n] == 0x5C:  # a backslash escape
            out.append(_ESCAPES.get(body[n + 1], body[n + 1]))
            n += 2
        else:
            out.append(body[n])
            n += 1
    return bytes(out)


def _unicode_maps(objects: dict[int, bytes]) -> dict[bytes, dict[int, str]]:
    """Font resource name (b"F2") → {code: character}."""
    maps: dict[bytes, dict[int, str]] = {}
    names = {
        m[1]: int(m[2])
        for body in objects.values()
        for m in re.finditer(rb"/(F\d+) (\d+) 0 R", body)
    }
    for name, number in names.items():
        found = re.search(rb"/ToUnicode (\d+) 0 R", objects[number])
        if found is None:
            continue
        cmap = _stream(objects[int(found[1])])
        maps[name] = {
            int(code, 16): chr(int(char, 16))
            for code, char in re.findall(rb"<([0-9A-F]{4})> <([0-9A-F]{4})>", cmap)
        }
    return maps


def pages(pdf: bytes) -> list[list[str]]:
    """Each page's text objects (BT … ET: one line of a cell) as strings, in drawing order."""
    objects = _objects(pdf)
    maps = _unicode_maps(objects)
    kids = re.search(rb"/Kids \[([^\]]*)\]", pdf)
    assert kids is not None
    result = []
    for page in (int(n) for n in re.findall(rb"(\d+) 0 R", kids[1])):
        contents = re.search(rb"/Contents (\d+) 0 R", objects[page])
        assert contents is not None
        result.append(_run(_stream(objects[int(contents[1])]), maps))
    return result


def _run(content: bytes, maps: dict[bytes, dict[int, str]]) -> list[str]:
    font: bytes | None = None
    saved: list[bytes | None] = []
    operands: list[bytes] = []
    texts: list[str] = []
    line: list[str] = []
    for token in _TOKEN.findall(content):
        if token[:1] in (b"(", b"<", b"[", b"]", b"/") or re.fullmatch(rb"[-+.\d]+", token):
            operands.append(token)
            continue
        if token == b"q":
            saved.append(font)
        elif token == b"Q":
            font = saved.pop()
        elif token == b"Tf":
            font = operands[-2][1:]
        elif token in (b"Tj", b"TJ", b"'", b'"'):
            strings = [_string(o) for o in operands if o[:1] in (b"(", b"<")]
            if any(strings):
                assert font is not None, "text drawn with no font in force"
                codes = [
                    int.from_bytes(s[n : n + 2], "big")
                    for s in strings
                    for n in range(0, len(s), 2)
                ]
                line.append("".join(maps[font].get(code, "\ufffd") for code in codes))
        elif token == b"BT":
            line = []
        elif token == b"ET" and line:
            texts.append("".join(line))
        operands = []
    return texts
