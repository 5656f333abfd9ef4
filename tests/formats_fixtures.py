"""Builders of small OFD and DOCX files (good and bad) for the format tests, written at test time.

Every builder writes one file into a directory and returns its path; nothing binary is committed except
the real dev samples under ``tests/data/`` (see their README). The OFD builder writes the parts a
GB/T 33190 reader needs (OFD.xml, Document.xml, PublicRes.xml with fonts, pages, an optional template and a
CompositeGraphicUnit); the DOCX builder writes a minimal WordprocessingML package by hand, so numbering
definitions, merged table cells and headers can be set exactly.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
# the shared corpus sits beside the clone (CI: <clone>/../shared); a git worktree may sit one level deeper
SHARED_DEV = next(
    (
        p / "shared" / "corpus" / "dev"
        for p in (HERE.parent.parent, HERE.parent.parent.parent)
        if (p / "shared").is_dir()
    ),
    HERE.parent.parent / "shared" / "corpus" / "dev",
)

OFD_NS = "http://www.ofdspec.org/2016"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def dev_file(kind: str, name: str) -> Path:
    """A dev sample: the committed copy under ``tests/data/<kind>/`` or the shared corpus beside the clone."""
    local = DATA / kind / name
    return local if local.is_file() else SHARED_DEV / kind / name


def write_zip(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return path


# --------------------------------------------------------------------------- OFD


def text_object(oid: int, x: float, y: float, text: str, size: float = 5.6, font: int = 10, extra: str = "") -> str:
    """A TextObject whose Boundary starts at (x, y) mm, one glyph every ``size`` mm."""
    deltas = " ".join([f"{size}"] * (len(text) - 1))
    width = size * len(text)
    return (
        f'<ofd:TextObject ID="{oid}" Font="{font}" Size="{size}" Boundary="{x} {y} {width} {size * 1.2}"{extra}>'
        f'<ofd:FillColor Value="0 0 0"/>'
        f'<ofd:TextCode X="0" Y="{size}" DeltaX="{deltas}">{escape(text)}</ofd:TextCode></ofd:TextObject>'
    )


def ofd_members(
    pages: list[str],
    *,
    template: str | None = None,
    composites: str = "",
    signatures: bool = False,
) -> dict[str, bytes | str]:
    """The parts of an OFD package whose pages hold the given layer contents (TextObject … XML)."""
    ns = f'xmlns:ofd="{OFD_NS}"'
    sig = "<ofd:Signatures>/Doc_0/Signs/Signatures.xml</ofd:Signatures>" if signatures else ""
    members: dict[str, bytes | str] = {
        "OFD.xml": f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {ns} Version="1.0" DocType="OFD"><ofd:DocBody>'
        f"<ofd:DocInfo><ofd:DocID>test</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>"
        f"{sig}</ofd:DocBody></ofd:OFD>",
        "Doc_0/PublicRes.xml": f'<ofd:Res {ns} BaseLoc="Res"><ofd:Fonts><ofd:Font ID="10" FontName="仿宋"/>'
        f'<ofd:Font ID="11" FontName="小标宋体"/></ofd:Fonts></ofd:Res>',
    }
    tpl = '<ofd:TemplatePage ID="90" BaseLoc="Tpls/Tpl_0/Content.xml"/>' if template is not None else ""
    res = "<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes>" if composites else ""
    page_refs = "".join(f'<ofd:Page ID="{100 + i}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages)))
    members["Doc_0/Document.xml"] = (
        f"<ofd:Document {ns}><ofd:CommonData><ofd:MaxUnitID>999</ofd:MaxUnitID><ofd:PageArea>"
        f"<ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>"
        f"{res}{tpl}</ofd:CommonData><ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>"
    )
    if composites:
        members["Doc_0/DocumentRes.xml"] = (
            f'<ofd:Res {ns} BaseLoc="Res"><ofd:CompositeGraphicUnits>{composites}</ofd:CompositeGraphicUnits></ofd:Res>'
        )
    use_tpl = '<ofd:Template TemplateID="90" ZOrder="Background"/>' if template is not None else ""
    for i, layer in enumerate(pages):
        members[f"Doc_0/Pages/Page_{i}/Content.xml"] = (
            f'<ofd:Page {ns}>{use_tpl}<ofd:Content><ofd:Layer ID="{200 + i}">{layer}</ofd:Layer></ofd:Content></ofd:Page>'
        )
    if template is not None:
        members["Doc_0/Tpls/Tpl_0/Content.xml"] = (
            f'<ofd:Page {ns}><ofd:Content><ofd:Layer ID="300">{template}</ofd:Layer></ofd:Content></ofd:Page>'
        )
    if signatures:
        members["Doc_0/Signs/Signatures.xml"] = (
            f'<ofd:Signatures {ns}><ofd:Signature ID="1" BaseLoc="Sign_0/Signature.xml"/></ofd:Signatures>'
        )
        members["Doc_0/Signs/Sign_0/Signature.xml"] = (
            f'<ofd:Signature {ns}><ofd:SignedInfo><ofd:Provider ProviderName="test"/>'
            f"<ofd:SignatureMethod>1.2.156.10197.1.501</ofd:SignatureMethod>"
            f"<ofd:SignatureDateTime>2024-01-02 03:04:05</ofd:SignatureDateTime>"
            f'<ofd:StampAnnot ID="1" PageRef="{100 + len(pages) - 1}" Boundary="100 200 40 40"/>'
            f"<ofd:Seal><ofd:BaseLoc>Seal.esl</ofd:BaseLoc></ofd:Seal></ofd:SignedInfo>"
            f"<ofd:SignedValue>SignedValue.dat</ofd:SignedValue></ofd:Signature>"
        )
        members["Doc_0/Signs/Sign_0/Seal.esl"] = der_seal("某某市测试局电子印章")
        members["Doc_0/Signs/Sign_0/SignedValue.dat"] = b"\x30\x00"
    return members


def _der(tag: int, body: bytes) -> bytes:
    n = len(body)
    if n < 0x80:
        return bytes([tag, n]) + body
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(raw)]) + raw + body


def der_seal(name: str) -> bytes:
    """A minimal SES_Seal-like DER structure: header (IA5 strings), esID, property with the seal name."""
    header = _der(0x30, _der(0x16, b"ES") + _der(0x02, b"\x01") + _der(0x16, b"test"))
    prop = _der(0x30, _der(0x02, b"\x01") + _der(0x0C, name.encode("utf-8")) + _der(0x02, b"\x01"))
    return _der(0x30, _der(0x30, header + _der(0x16, b"esID") + prop))


def make_ofd(path: Path, pages: list[str], **kw: object) -> Path:
    return write_zip(path, ofd_members(pages, **kw))  # type: ignore[arg-type]


def set_declared_size(path: Path, member: str, size: int) -> Path:
    """Rewrite the uncompressed size a zip's central directory declares for ``member`` (a zip-bomb header)."""
    data = bytearray(path.read_bytes())
    name = member.encode("utf-8")
    pos = 0
    while True:
        pos = data.find(b"PK\x01\x02", pos)
        if pos < 0:
            raise ValueError(f"{member} not in the central directory")
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46 : pos + 46 + name_len]) == name:
            struct.pack_into("<I", data, pos + 24, size)
            path.write_bytes(bytes(data))
            return path
        pos += 46


# --------------------------------------------------------------------------- DOCX

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/numbering.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
    '<Override PartName="/word/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/header1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
DOC_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" '
    'Target="numbering.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" '
    'Target="header1.xml"/></Relationships>'
)
# list 1: 一、 / （一） / 1. ; list 2 (a style's list): 第一章
NUMBERING = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering xmlns:w="{W_NS}">'
    '<w:abstractNum w:abstractNumId="0">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/>'
    '<w:suff w:val="nothing"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/>'
    '<w:suff w:val="nothing"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
    "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
    '<w:numFmt w:val="chineseCountingThousand"/><w:lvlText w:val="第%1章"/><w:suff w:val="space"/></w:lvl>'
    "</w:abstractNum>"
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
    '<w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/>'
    "</w:lvlOverride></w:num>"
    "</w:numbering>"
)
STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="{W_NS}">'
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
    '<w:rPr><w:rFonts w:eastAsia="仿宋"/><w:sz w:val="32"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>'
    '<w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:rFonts w:eastAsia="黑体"/><w:b/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Chapter"><w:name w:val="Chapter"/><w:basedOn w:val="Normal"/>'
    '<w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style>'
    "</w:styles>"
)


def para(text: str, *, num: tuple[int, int] | None = None, style: str | None = None, bold: bool = False) -> str:
    ppr = ""
    if style or num:
        inner = f'<w:pStyle w:val="{style}"/>' if style else ""
        if num:
            inner += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
        ppr = f"<w:pPr>{inner}</w:pPr>"
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:p>{ppr}<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def runs(*parts: tuple[str, bool], num: tuple[int, int] | None = None, font: str | None = None) -> str:
    """A paragraph of several runs, each (text, bold); ``font`` sets the first run's East Asian font."""
    ppr = f'<w:pPr><w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr></w:pPr>' if num else ""
    out = []
    for k, (text, bold) in enumerate(parts):
        props = "<w:b/>" if bold else ""
        if font and k == 0:
            props += f'<w:rFonts w:eastAsia="{font}"/>'
        out.append(f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>')
    return f"<w:p>{ppr}{''.join(out)}</w:p>"


def cell(text: str, *, span: int = 1, vmerge: str | None = None) -> str:
    props = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    if vmerge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        props += "<w:vMerge/>"
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{para(text)}</w:tc>"


def table(rows: list[list[str]], n_cols: int) -> str:
    grid = "".join('<w:gridCol w:w="1000"/>' for _ in range(n_cols))
    body = "".join(f"<w:tr>{''.join(r)}</w:tr>" for r in rows)
    return f"<w:tbl><w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>"


def make_docx(path: Path, body: str, header: str = "某某市人民政府办公室文件", *, doctype: str = "") -> Path:
    """A .docx whose body is the given paragraph/table XML, with the numbering and styles above."""
    hdr = f'<w:hdr xmlns:w="{W_NS}">{para(header)}</w:hdr>'
    sect = (
        '<w:sectPr><w:headerReference xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        'w:type="default" r:id="rId3"/></w:sectPr>'
    )
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{doctype}<w:document xmlns:w="{W_NS}">'
        f"<w:body>{body}{sect}</w:body></w:document>"
    )
    return write_zip(
        path,
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": ROOT_RELS,
            "word/_rels/document.xml.rels": DOC_RELS,
            "word/document.xml": document,
            "word/numbering.xml": NUMBERING,
            "word/styles.xml": STYLES,
            "word/header1.xml": hdr,
        },
    )
