"""Stage 1 (OFD): an OFD package (GB/T 33190-2016) → ``LoadedSource`` of positioned lines and figures.

Reads: a zip container checked by ``pipeline.load.zipsafe`` (bombs, traversal, unsafe XML), then
``OFD.xml`` → ``DocBody/DocRoot`` (Document.xml) → ``CommonData`` (page area, templates, ``PublicRes`` and
``DocumentRes`` with fonts, images and ``CompositeGraphicUnit`` resources) → each page's ``Content.xml``.
Every ``TextObject``/``TextCode`` is placed glyph by glyph: ``X``/``Y`` and ``DeltaX``/``DeltaY``
(``g N v`` repeats expanded) in the object's space, through the object's ``CTM``, offset by its
``Boundary`` origin, through each enclosing ``CompositeObject`` (its resource's content is read the same
way) up to the page. ``PageBlock`` groups are walked; ``ImageObject`` boxes become figures.
Writes: one ``Page`` per OFD page, in points (1 mm = 72/25.4 pt), top-left origin like the PDF loader:
  - ``lines``: glyphs on one baseline joined left to right, split at wide gaps (columns); font name from
    the resources, size in points, fill colour as RGB in 0..1, bold for ``Weight`` >= 700;
  - ``furniture``: text from the page's templates (``Template``/``TemplatePage``) and annotations;
  - ``figures``: image boxes of at least ``MIN_FIGURE_AREA``;
  - the document's electronic seals (``Signatures.xml``, ``Seal.esl``) as ``Seal`` records:
    signed, seal name where readable, stamped page — never verified.
Guaranteed after: lines are in reading order (an XY-cut: columns left to right, each top to bottom);
``Page.ordered`` is set so the reflow keeps that order. A page whose Content.xml is missing is
skipped with P111 (the document still loads when another page has text); a seal whose parts cannot be
read is recorded as unreadable with P110.
  - ``tables``: ruled grids found from the straight ``PathObject`` rules (``pipeline.load.ofd_tables``),
    their glyphs taken out of ``lines``.
"""

from __future__ import annotations

import itertools
import math
import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from pipeline.errors import Code, GazetteError, problem
from pipeline.i18n import pick
from pipeline.load.digest import file_to_sha256
from pipeline.load.ofd_tables import Rule, path_segments, rules_to_tables, segment_to_rule
from pipeline.load.pdf import MIN_FIGURE_AREA
from pipeline.load.zipsafe import SafeZip, open_zip
from pipeline.types import Line, LoadedSource, Page, RawFigure
from schemas.model import Problem, Seal

MM_TO_PT = 72.0 / 25.4
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
COLUMN_GAP = 1.6  # glyph gap (in font sizes) that splits one baseline into two lines
BASELINE_TOL = 0.35  # baselines closer than this (in font sizes) are one line
COLUMN_OVERLAP = 0.5  # side-by-side groups are columns when their heights overlap this much
BAND_GAP = 1.2  # a vertical gap of this many font sizes separates bands read one after the other
MAX_OBJECTS = 200_000  # objects drawn on one page: more is a composite-expansion bomb (E015)
MAX_DEPTH = 16  # CompositeObject nesting followed at most (a resource that contains itself stops here)

_G = re.compile(r"\s+")


def mul(m: Matrix, n: Matrix) -> Matrix:
    """The transform that applies ``m`` first, then ``n`` (PDF/OFD ``a b c d e f`` convention)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def scale_of(m: Matrix) -> float:
    """The linear scale of a transform (square root of its determinant's magnitude)."""
    return math.sqrt(abs(m[0] * m[3] - m[1] * m[2])) or 1.0


def _finite(tok: str) -> float | None:
    try:
        v = float(tok)
    except ValueError:
        return None
    return v if math.isfinite(v) and abs(v) < 1e9 else None


def floats(text: str | None) -> list[float]:
    """The finite numbers of a space-separated attribute (anything else skipped)."""
    return [v for tok in _G.split((text or "").strip()) if (v := _finite(tok)) is not None]


def number(text: str | None, default: float) -> float:
    """The first finite number of an attribute, or ``default``."""
    vals = floats(text)
    return vals[0] if vals else default


def deltas(text: str | None, limit: int = 100_000) -> list[float]:
    """``DeltaX``/``DeltaY`` values with the ``g N v`` (v repeated N times) shorthand expanded; at most
    ``limit`` values (a glyph run never needs more than its length)."""
    toks = _G.split((text or "").strip())
    out: list[float] = []
    i = 0
    while i < len(toks) and len(out) < limit:
        tok = toks[i]
        if tok == "g" and i + 2 < len(toks):
            n, v = _finite(toks[i + 1]), _finite(toks[i + 2])
            if n is None or v is None:
                i += 1
                continue
            out.extend([v] * max(0, min(int(n), limit - len(out))))
            i += 3
            continue
        v = _finite(tok)
        if v is not None:
            out.append(v)
        i += 1
    return out


def matrix_of(text: str | None) -> Matrix:
    vals = floats(text)
    if len(vals) != 6:
        return IDENTITY
    return (vals[0], vals[1], vals[2], vals[3], vals[4], vals[5])


def colour_of(el: etree._Element | None) -> tuple[float, ...] | None:
    """A ``FillColor`` ``Value`` (``#ee #20 #25`` or ``35 31 32``) as RGB in 0..1; None when absent."""
    if el is None:
        return None
    raw = el.get("Value")
    if not raw:
        return None
    vals = []
    for tok in raw.split():
        try:
            v = float(int(tok[1:], 16)) if tok.startswith("#") else _finite(tok)
        except ValueError:
            return None
        if v is None:
            return None
        vals.append(min(max(v, 0.0), 255.0))
    if len(vals) == 1:
        vals = vals * 3
    if len(vals) == 4:  # CMYK
        c, m, y, k = (v / 255 for v in vals)
        return (round((1 - c) * (1 - k), 3), round((1 - m) * (1 - k), 3), round((1 - y) * (1 - k), 3))
    if len(vals) != 3:
        return None
    return tuple(round(v / 255, 3) for v in vals)


def local(el: etree._Element) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def child(el: etree._Element, name: str) -> etree._Element | None:
    return next((c for c in el if local(c) == name), None)


def children(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el if local(c) == name]


def text_of(el: etree._Element | None) -> str:
    return (el.text or "").strip() if el is not None else ""


def resolve(base_dir: str, loc: str) -> str:
    """A location in the package: ``/x`` from the root, ``x`` relative to the referring part's folder."""
    loc = loc.strip().replace("\\", "/")
    joined = loc.lstrip("/") if loc.startswith("/") else posixpath.join(base_dir, loc)
    return posixpath.normpath(joined)


class ObjectBudget(Exception):
    """A page draws more than ``MAX_OBJECTS`` objects (composite resources that multiply each other)."""


@dataclass(slots=True)
class Glyph:
    char: str
    x: float
    y: float  # baseline
    advance: float
    size: float
    font: str | None
    color: tuple[float, ...] | None
    bold: bool


@dataclass(slots=True)
class Resources:
    fonts: dict[str, str] = field(default_factory=dict)  # font ID → name
    media: dict[str, str] = field(default_factory=dict)  # multimedia ID → part name
    composites: dict[str, etree._Element] = field(default_factory=dict)  # unit ID → CompositeGraphicUnit


@dataclass(slots=True)
class Sink:
    """What reading one page's objects collects."""

    glyphs: list[Glyph] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)  # straight horizontal/vertical PathObject segments
    objects: int = 0  # objects drawn so far (composites drawn many times multiply them)
    figures: list[tuple[float, float, float, float]] = field(default_factory=list)


def _read_res(zf: SafeZip, part: str, res: Resources) -> None:
    root = zf.xml(part)
    base = resolve(posixpath.dirname(part), root.get("BaseLoc", ""))
    for el in root.iter():
        name = local(el)
        if name == "Font" and el.get("ID"):
            res.fonts[el.get("ID", "")] = el.get("FontName") or el.get("FamilyName") or ""
        elif name == "MultiMedia" and el.get("ID"):
            res.media[el.get("ID", "")] = resolve(base, text_of(child(el, "MediaFile")))
        elif name == "CompositeGraphicUnit" and el.get("ID"):
            res.composites[el.get("ID", "")] = el


def _object_matrix(el: etree._Element, parent: Matrix) -> Matrix:
    box = floats(el.get("Boundary"))
    bx, by = (box[0], box[1]) if len(box) >= 2 else (0.0, 0.0)
    return mul(mul(matrix_of(el.get("CTM")), (1.0, 0.0, 0.0, 1.0, bx, by)), parent)


def _text_object(el: etree._Element, parent: Matrix, res: Resources, sink: Sink) -> None:
    m = _object_matrix(el, parent)
    scale = scale_of(m)
    own_size = abs(number(el.get("Size"), 0.0))
    size = own_size * scale
    font = res.fonts.get(el.get("Font", ""))
    color = colour_of(child(el, "FillColor")) or (0.0, 0.0, 0.0)
    bold = number(el.get("Weight"), 400.0) >= 700
    x = y = 0.0
    fallback = own_size or 1.0
    for code in children(el, "TextCode"):
        text = code.text or ""
        x, y = number(code.get("X"), x), number(code.get("Y"), y)
        dx, dy = deltas(code.get("DeltaX"), len(text)), deltas(code.get("DeltaY"), len(text))
        for i, ch in enumerate(text):
            step = dx[i] if i < len(dx) else fallback
            px, py = apply(m, x, y)
            if not ch.isspace():
                adv = abs(step if 0 < step < fallback * 2 else fallback) * scale
                sink.glyphs.append(Glyph(ch, px, py, adv, size, font, color, bold))
            x += step
            y += dy[i] if i < len(dy) else 0.0


def _image_object(el: etree._Element, parent: Matrix, sink: Sink) -> None:
    m = _object_matrix(el, parent)
    pts = [apply(m, u, v) for u, v in ((0, 0), (1, 0), (0, 1), (1, 1))]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    sink.figures.append((min(xs), min(ys), max(xs), max(ys)))


def _path_object(el: etree._Element, parent: Matrix, sink: Sink) -> None:
    """The straight rules of a path (table borders, separators), in page points."""
    data = text_of(child(el, "AbbreviatedData"))
    if not data:
        return
    m = _object_matrix(el, parent)
    for a, b in path_segments(data):
        rule = segment_to_rule(apply(m, *a), apply(m, *b))
        if rule is not None:
            sink.rules.append(rule)


def _walk(el: etree._Element, parent: Matrix, res: Resources, sink: Sink, depth: int = 0) -> None:
    """Collect the glyphs and images of a layer, page block or composite content."""
    for obj in el:
        sink.objects += 1
        if sink.objects > MAX_OBJECTS:
            raise ObjectBudget
        name = local(obj)
        if name == "TextObject":
            _text_object(obj, parent, res, sink)
        elif name == "ImageObject":
            _image_object(obj, parent, sink)
        elif name == "PathObject":
            _path_object(obj, parent, sink)
        elif name == "PageBlock":
            _walk(obj, parent, res, sink, depth)
        elif name == "CompositeObject" and depth < MAX_DEPTH:
            unit = res.composites.get(obj.get("ResourceID", ""))
            content = child(unit, "Content") if unit is not None else None
            if content is not None:
                _walk(content, _object_matrix(obj, parent), res, sink, depth + 1)


def _page_content(root: etree._Element, page_matrix: Matrix, res: Resources) -> Sink:
    sink = Sink()
    content = child(root, "Content")
    if content is not None:
        for layer in children(content, "Layer"):
            _walk(layer, page_matrix, res, sink)
    return sink


# --------------------------------------------------------------------------- glyphs → lines


def _join(glyphs: list[Glyph]) -> str:
    out = ""
    prev: Glyph | None = None
    for g in glyphs:
        if (
            prev is not None
            and prev.char.isascii()
            and prev.char.isalnum()
            and g.char.isascii()
            and g.char.isalnum()
            and g.x - (prev.x + prev.advance) > 0.2 * max(g.size, 1.0)
        ):
            out += " "
        out += g.char
        prev = g
    return out


def _line(glyphs: list[Glyph], page_index: int) -> Line:
    fonts = Counter(g.font for g in glyphs)
    font = fonts.most_common(1)[0][0]
    sizes = Counter(round(g.size, 1) for g in glyphs)
    size = sizes.most_common(1)[0][0]
    first = glyphs[0]
    base = max(g.y for g in glyphs)
    top = min(g.y - g.size * 0.88 for g in glyphs)
    x1 = max(g.x + g.advance for g in glyphs)
    return Line(
        text=_join(glyphs),
        page_index=page_index,
        bbox=(round(first.x, 2), round(top, 2), round(x1, 2), round(base + size * 0.12, 2)),
        font=font,
        size=size,
        color=first.color,
        bold=sum(g.bold for g in glyphs) * 2 > len(glyphs),
    )


def glyphs_to_lines(glyphs: list[Glyph], page_index: int) -> list[Line]:
    """Glyphs → lines: one baseline (within ``BASELINE_TOL`` sizes) left to right, split at column gaps."""
    rows: list[list[Glyph]] = []
    for g in sorted(glyphs, key=lambda g: (g.y, g.x)):
        if rows and abs(g.y - rows[-1][0].y) <= BASELINE_TOL * max(g.size, rows[-1][0].size, 1.0):
            rows[-1].append(g)
        else:
            rows.append([g])
    lines: list[Line] = []
    for row in rows:
        row.sort(key=lambda g: g.x)
        seg = [row[0]]
        for g in row[1:]:
            prev = seg[-1]
            if g.x - (prev.x + prev.advance) > COLUMN_GAP * max(g.size, prev.size, 1.0):
                lines.append(_line(seg, page_index))
                seg = [g]
            else:
                seg.append(g)
        lines.append(_line(seg, page_index))
    return lines


def _box(ln: Line) -> tuple[float, float, float, float]:
    return ln.bbox if ln.bbox is not None else (0.0, 0.0, 0.0, 0.0)


def _split(lines: list[Line], axis: int, min_gap: float) -> list[list[Line]]:
    """Split ``lines`` at gaps of at least ``min_gap`` in their projection on ``axis`` (0: x, 1: y)."""
    order = sorted(lines, key=lambda ln: _box(ln)[axis])
    groups: list[list[Line]] = [[order[0]]]
    reach = _box(order[0])[axis + 2]
    for ln in order[1:]:
        b = _box(ln)
        if b[axis] - reach >= min_gap:
            groups.append([ln])
        else:
            groups[-1].append(ln)
        reach = max(reach, b[axis + 2])
    return groups


def _y_overlap(a: list[Line], b: list[Line]) -> float:
    """How much the vertical extents of two groups overlap, as a share of the shorter one."""
    a0, a1 = min(_box(ln)[1] for ln in a), max(_box(ln)[3] for ln in a)
    b0, b1 = min(_box(ln)[1] for ln in b), max(_box(ln)[3] for ln in b)
    shorter = min(a1 - a0, b1 - b0)
    return max(0.0, min(a1, b1) - max(a0, b0)) / shorter if shorter > 0 else 0.0


def _columns_ok(groups: list[list[Line]]) -> bool:
    """Side-by-side groups are columns when each has two lines or more and they run beside each other."""
    if len(groups) < 2 or any(len(g) < 2 for g in groups):
        return False
    return all(_y_overlap(a, b) >= COLUMN_OVERLAP for a, b in itertools.pairwise(groups))


def _body_columns(lines: list[Line], size: float) -> list[list[Line]]:
    """Columns found from the body-size lines only (a caption or a heading may bridge the gutter); every
    other line joins the column its middle falls in (or the nearest)."""
    body = [ln for ln in lines if ln.size is not None and abs(ln.size - size) <= 0.6]
    if len(body) < 4:
        return []
    spans = [(min(_box(ln)[0] for ln in g), max(_box(ln)[2] for ln in g)) for g in _split(body, 0, size)]
    if len(spans) < 2:
        return []
    cols: list[list[Line]] = [[] for _ in spans]
    for ln in lines:
        mid = (_box(ln)[0] + _box(ln)[2]) / 2
        k = min(
            range(len(spans)),
            key=lambda i: (
                0.0 if spans[i][0] <= mid <= spans[i][1] else min(abs(mid - spans[i][0]), abs(mid - spans[i][1]))
            ),
        )
        cols[k].append(ln)
    return cols if _columns_ok([[ln for ln in c if ln in body] for c in cols]) else []


def _top_down(lines: list[Line]) -> list[Line]:
    return sorted(lines, key=lambda ln: (round(_box(ln)[1] / 3), _box(ln)[0]))


def reading_order(lines: list[Line], depth: int = 0) -> list[Line]:
    """Lines in reading order by a recursive XY-cut: a vertical gutter between groups that run beside each
    other splits columns (left first); else a horizontal gap of more than ``BAND_GAP`` sizes splits bands
    (top first); else columns found from the body-size lines; a group with none of these is read top to
    bottom, left to right."""
    if len(lines) <= 1 or depth > 40:
        return _top_down(lines)
    size = sorted(ln.size or 10.0 for ln in lines)[len(lines) // 2]
    cols = _split(lines, 0, size)
    if _columns_ok(cols):
        return [ln for g in cols for ln in reading_order(g, depth + 1)]
    bands = _split(lines, 1, size * BAND_GAP)
    if len(bands) > 1:
        return [ln for g in bands for ln in reading_order(g, depth + 1)]
    cols = _body_columns(lines, size)
    if cols:
        return [ln for g in cols for ln in reading_order(g, depth + 1)]
    return _top_down(lines)


# --------------------------------------------------------------------------- seals


def _der_strings(data: bytes, limit: int = 64) -> list[str]:
    """The UTF8String/BMPString values of a DER blob, in order (enough to read a seal's name)."""
    out: list[str] = []
    i, n = 0, len(data)
    while i + 2 <= n and len(out) < limit:
        tag = data[i]
        length = data[i + 1]
        j = i + 2
        if length & 0x80:
            k = length & 0x7F
            if k == 0 or k > 4 or j + k > n:
                i += 1
                continue
            length = int.from_bytes(data[j : j + k], "big")
            j += k
        if tag & 0x20:  # constructed: descend
            i = j
            continue
        if tag in (0x0C, 0x1E) and 0 < length <= 512 and j + length <= n:
            raw = data[j : j + length]
            try:
                text = raw.decode("utf-16-be" if tag == 0x1E else "utf-8")
            except UnicodeDecodeError:
                text = ""
            if text.isprintable():
                out.append(text)
        i = j + length if j + length <= n else n
    return out


def seal_name(esl: bytes) -> str | None:
    """The seal's name from a ``Seal.esl`` (GB/T 38540 SES_Seal: the first text field is ``property.name``)."""
    for s in _der_strings(esl):
        if any("\u4e00" <= c <= "\u9fff" for c in s):
            return s
    return None


def certificate_owner(blob: bytes) -> str | None:
    """The owner of the first X.509 certificate inside a DER blob (a ``Seal.esl`` carries its owner's
    certificate, GB/T 38540 ``property.certList``; a ``SignedValue.dat`` the signer's): the subject's
    common name (CN), else its organisation (O). Parsed with ``cryptography``; nothing is verified."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    i = blob.find(b"\x30\x82")
    while 0 <= i <= len(blob) - 4:
        end = i + 4 + int.from_bytes(blob[i + 2 : i + 4], "big")
        if end <= len(blob):
            try:
                cert = x509.load_der_x509_certificate(blob[i:end])
            except ValueError:
                cert = None
            if cert is not None:
                for oid in (NameOID.COMMON_NAME, NameOID.ORGANIZATION_NAME):
                    names = cert.subject.get_attributes_for_oid(oid)
                    if names and str(names[0].value).strip():
                        return str(names[0].value).strip()
                return None
        i = blob.find(b"\x30\x82", i + 1)
    return None


def _seal_part(zf: SafeZip, loc: str, problems: list[Problem]) -> bytes | None:
    """A seal's binary part (``Seal.esl``, ``SignedValue.dat``); None (and P110) when it cannot be read."""
    try:
        return zf.read(loc)
    except GazetteError as exc:
        problems.append(problem(Code.P110, pick(f"印章 {loc} 无法读取：{exc.reason}", f"seal {loc}: {exc.reason}")))
        return None


def _seal(zf: SafeZip, part: str, page_of: dict[str, int], problems: list[Problem]) -> Seal:
    try:
        root = zf.xml(part)
    except GazetteError as exc:
        problems.append(
            problem(Code.P110, pick(f"电子签章 {part} 无法读取：{exc.reason}", f"seal {part}: {exc.reason}"))
        )
        return Seal(signed=True)
    info = child(root, "SignedInfo")
    if info is None:
        return Seal(signed=True)
    provider_el = child(info, "Provider")
    provider = None
    if provider_el is not None:
        provider = provider_el.get("ProviderName") or text_of(child(provider_el, "ProviderName")) or None
    stamp = child(info, "StampAnnot")
    page = page_of.get(stamp.get("PageRef", "")) if stamp is not None else None
    name = owner = None
    seal_el = child(info, "Seal")
    here = posixpath.dirname(part)
    if seal_el is not None:
        esl = _seal_part(zf, resolve(here, text_of(child(seal_el, "BaseLoc"))), problems)
        if esl is not None:
            name, owner = seal_name(esl), certificate_owner(esl)
    value = text_of(child(root, "SignedValue"))
    if owner is None and value:
        signed_value = _seal_part(zf, resolve(here, value), problems)
        owner = certificate_owner(signed_value) if signed_value is not None else None
    return Seal(
        signed=True,
        verified=False,
        name=name,
        owner=owner,
        page=page + 1 if page is not None else None,
        signed_at=text_of(child(info, "SignatureDateTime")) or None,
        method=text_of(child(info, "SignatureMethod")) or None,
        provider=provider,
    )


def _seals(zf: SafeZip, body: etree._Element, page_of: dict[str, int], problems: list[Problem]) -> list[Seal]:
    loc = text_of(child(body, "Signatures"))
    if not loc:
        return []
    part = resolve("", loc)
    try:
        root = zf.xml(part)
    except GazetteError as exc:
        problems.append(problem(Code.P110, pick(f"签名列表 {part} 无法读取：{exc.reason}", f"{part}: {exc.reason}")))
        return []
    base = posixpath.dirname(part)
    return [_seal(zf, resolve(base, sig.get("BaseLoc", "")), page_of, problems) for sig in children(root, "Signature")]


# --------------------------------------------------------------------------- document


@dataclass(slots=True)
class _Doc:
    zf: SafeZip
    base: str
    res: Resources
    templates: dict[str, str]  # template ID → part
    default_box: list[float]
    problems: list[Problem]


def _open_document(zf: SafeZip) -> tuple[etree._Element, etree._Element, _Doc]:
    ofd = zf.xml("OFD.xml")
    body = next((el for el in ofd.iter() if local(el) == "DocBody"), None)
    root_loc = text_of(child(body, "DocRoot")) if body is not None else ""
    if body is None or not root_loc:
        raise GazetteError(Code.E014, zf.shown, pick("OFD.xml 没有 DocRoot", "OFD.xml has no DocRoot"))
    doc_part = resolve("", root_loc)
    document = zf.xml(doc_part)
    base = posixpath.dirname(doc_part)
    common = child(document, "CommonData")
    res = Resources()
    templates: dict[str, str] = {}
    box = [0.0, 0.0, 210.0, 297.0]
    problems: list[Problem] = []
    if common is not None:
        for el in common:
            name = local(el)
            if name in ("PublicRes", "DocumentRes") and text_of(el):
                part = resolve(base, text_of(el))
                if zf.has(part):
                    _read_res(zf, part, res)
                else:
                    problems.append(problem(Code.P111, pick(f"资源文件 {part} 缺失", f"resource part {part} missing")))
            elif name == "TemplatePage" and el.get("ID"):
                templates[el.get("ID", "")] = resolve(base, el.get("BaseLoc", ""))
            elif name == "PageArea":
                box = floats(text_of(child(el, "PhysicalBox"))) or box
    return body, document, _Doc(zf, base, res, templates, box, problems)


def _annotation_sinks(doc: _Doc, document: etree._Element, page_of: dict[str, int]) -> dict[int, Sink]:
    """Annotations (watermarks, stamps, notes) per page index: furniture, never body text."""
    out: dict[int, Sink] = {}
    loc = text_of(child(document, "Annotations"))
    if not loc:
        return out
    part = resolve(doc.base, loc)
    if not doc.zf.has(part):
        return out
    root = doc.zf.xml(part)
    for page_el in children(root, "Page"):
        idx = page_of.get(page_el.get("PageID", ""))
        file_loc = text_of(child(page_el, "FileLoc"))
        if idx is None or not file_loc:
            continue
        ann_part = resolve(posixpath.dirname(part), file_loc)
        if not doc.zf.has(ann_part):
            continue
        sink = out.setdefault(idx, Sink())
        for ap in doc.zf.xml(ann_part).iter():
            if local(ap) == "Appearance":
                _walk(ap, _object_matrix(ap, _PT), doc.res, sink)
    return out


_PT: Matrix = (MM_TO_PT, 0.0, 0.0, MM_TO_PT, 0.0, 0.0)


def _load_page(doc: _Doc, idx: int, part: str, annots: Sink | None) -> Page | None:
    if not doc.zf.has(part):
        doc.problems.append(
            problem(
                Code.P111, pick(f"第 {idx + 1} 页内容 {part} 缺失", f"page {idx + 1}: {part} missing"), page=idx + 1
            )
        )
        return None
    root = doc.zf.xml(part)
    area = child(root, "Area")
    box = floats(text_of(child(area, "PhysicalBox"))) if area is not None else []
    box = box if len(box) == 4 else doc.default_box
    try:
        body = _page_content(root, _PT, doc.res)
        furniture = Sink()
        for tpl in children(root, "Template"):
            tpl_part = doc.templates.get(tpl.get("TemplateID", ""))
            if tpl_part and doc.zf.has(tpl_part):
                extra = _page_content(doc.zf.xml(tpl_part), _PT, doc.res)
                furniture.glyphs.extend(extra.glyphs)
    except ObjectBudget:
        raise GazetteError(
            Code.E015,
            doc.zf.shown,
            pick(
                f"第 {idx + 1} 页绘制对象超过 {MAX_OBJECTS} 个（复合对象层层展开）",
                f"page {idx + 1} draws more than {MAX_OBJECTS} objects (composite expansion)",
            ),
        ) from None
    if annots is not None:
        furniture.glyphs.extend(annots.glyphs)
    tables, running = rules_to_tables(body.rules, body.glyphs, idx, glyphs_to_lines)
    lines = reading_order(glyphs_to_lines(running, idx))
    figures = [
        RawFigure(page_index=idx, bbox=tuple(round(v, 2) for v in f))  # type: ignore[arg-type]
        for f in body.figures
        if (f[2] - f[0]) * (f[3] - f[1]) >= MIN_FIGURE_AREA
    ]
    return Page(
        index=idx,
        width=round(box[2] * MM_TO_PT, 2),
        height=round(box[3] * MM_TO_PT, 2),
        lines=lines,
        tables=tables,
        figures=figures,
        furniture=glyphs_to_lines(furniture.glyphs, idx),
        ordered=True,
    )


def ofd_to_source(path: Path) -> LoadedSource:
    """Load an OFD file into pages. Raises ``GazetteError``: E012/E013/E017 (container), E014 (a required
    part missing: OFD.xml, the document, every page's Content.xml), E015 (unsafe XML), E006 (no text)."""
    shown = str(path)
    with open_zip(path) as zf:
        body, document, doc = _open_document(zf)
        pages_el = child(document, "Pages")
        page_els = children(pages_el, "Page") if pages_el is not None else []
        if not page_els:
            raise GazetteError(Code.E014, shown, pick("OFD 文档没有页面", "the OFD document lists no page"))
        page_of = {el.get("ID", ""): i for i, el in enumerate(page_els)}
        try:
            annots = _annotation_sinks(doc, document, page_of)
        except ObjectBudget:
            raise GazetteError(
                Code.E015, shown, pick("注释绘制对象过多（复合对象层层展开）", "annotations draw too many objects")
            ) from None
        pages = []
        for i, el in enumerate(page_els):
            page = _load_page(doc, i, resolve(doc.base, el.get("BaseLoc", "")), annots.get(i))
            if page is not None:
                pages.append(page)
        if not pages:
            raise GazetteError(Code.E014, shown, pick("OFD 页面内容 Content.xml 全部缺失", "no page Content.xml found"))
        seals = _seals(zf, body, page_of, doc.problems)
    if not any(ln.text.strip() for p in pages for ln in p.lines):
        raise GazetteError(Code.E006, shown, pick("OFD 没有文字层（图像页）：需要 OCR", "OFD without text: needs OCR"))
    return LoadedSource(
        path=shown,
        sha256=file_to_sha256(path),
        kind="ofd",
        pages=pages,
        n_pages=len(page_els),
        seals=seals,
        problems=doc.problems,
    )
