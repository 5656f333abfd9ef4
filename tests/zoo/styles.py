"""House styles of the zoo: how different offices and printers typeset the same gazette.

Each style varies several axes at once (page size, fonts, sizes, margins, columns, running header, folio,
版头, 目录 form, document starts, 附件 labels, heading fonts, table rules). Fonts are those Debian ships:
STSong-Light (a PDF CID font, not embedded), AR PL UMing (明体), AR PL UKai (楷体), WenQuanYi Zen Hei (黑体);
仿宋 has no free Debian font, so 仿宋 styles use 楷体 or 明体 in its place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
B5 = (176 * MM, 250 * MM)
K16 = (185 * MM, 260 * MM)  # 16开
LETTER = (612.0, 792.0)


@dataclass(frozen=True)
class Style:
    name: str
    page: tuple[float, float] = A4
    margins: tuple[float, float, float, float] = (28 * MM, 26 * MM, 37 * MM, 35 * MM)  # left, right, top, bottom
    columns: int = 1
    body_font: str = "Song"
    body_size: float = 16.0
    leading: float = 1.75  # line pitch / size
    title_font: str = "Hei"
    title_size: float = 22.0
    heading_fonts: tuple[str, ...] = ("Hei", "Kai", "body", "body")  # by level; "body" = the body font
    header: str = "red"  # red 版头 with 发文字号 | reprint: title first, 文号 under it
    number_form: str = "bracket"  # reprint: （某府〔2025〕1号） | centre: 某府〔2025〕1号 centred
    running: str = "none"  # none | gazette | doc
    folio: str = "— {n} —"
    folio_align: str = "centre"  # centre | outer
    toc_form: str = "number-line"  # number-line: 文号 and page on a line under the title | leaders | plain
    categories: bool = True
    doc_start: str = "page"  # page | mid
    att_label: str = "附件"  # 附件 | 附件1
    table: str = "ruled"  # ruled | three-line | borderless
    repeat_header: bool = True
    date_form: str = "cn"  # cn: 2025年3月18日 | hanzi: 二〇二五年三月十八日
    extra: dict[str, str] = field(default_factory=dict)


STYLES: list[Style] = [
    Style("gbt9704-a4"),  # the national standard: A4, 仿宋-like 16 pt, red 版头, — 7 —
    Style(
        "gazette-b5-song",
        page=B5,
        margins=(20 * MM, 18 * MM, 25 * MM, 22 * MM),
        body_font="Song",
        body_size=10.5,
        leading=1.6,
        title_size=16,
        header="reprint",
        running="gazette",
        folio="- {n} -",
        folio_align="outer",
        toc_form="leaders",
        doc_start="mid",
        table="three-line",
    ),
    Style(
        "gazette-16k-kai",
        page=K16,
        margins=(22 * MM, 20 * MM, 28 * MM, 24 * MM),
        body_font="Kai",
        body_size=12,
        title_size=18,
        header="reprint",
        number_form="centre",
        running="doc",
        folio="·{n}·",
        toc_form="leaders",
        categories=False,
        doc_start="mid",
        att_label="附件1",
    ),
    Style(
        "letter-ming",
        page=LETTER,
        margins=(72, 72, 72, 72),
        body_font="Ming",
        body_size=12,
        leading=1.5,
        title_font="Ming",
        title_size=20,
        heading_fonts=("body", "body", "body", "body"),
        folio="第{n}页",
        table="borderless",
        repeat_header=False,
    ),
    Style(
        "two-column-b5",
        page=B5,
        margins=(16 * MM, 16 * MM, 22 * MM, 20 * MM),
        columns=2,
        body_size=9,
        leading=1.55,
        title_size=14,
        header="reprint",
        running="gazette",
        folio="— {n} —",
        folio_align="outer",
        doc_start="mid",
    ),
    Style(
        "a4-kai-14",
        body_font="Kai",
        body_size=14,
        margins=(25 * MM, 25 * MM, 30 * MM, 28 * MM),
        heading_fonts=("Hei", "Hei", "Kai", "Kai"),
        folio="- {n} -",
        table="three-line",
        repeat_header=False,
        date_form="hanzi",
    ),
    Style(
        "a4-song-10.5-dense",
        body_size=10.5,
        leading=1.45,
        margins=(18 * MM, 18 * MM, 20 * MM, 20 * MM),
        title_size=16,
        running="gazette",
        folio="·{n}·",
        toc_form="plain",
        doc_start="mid",
    ),
    Style(
        "16k-hei-headings-15",
        page=K16,
        body_font="Ming",
        body_size=15,
        margins=(24 * MM, 22 * MM, 30 * MM, 26 * MM),
        heading_fonts=("Hei", "Hei", "Hei", "body"),
        folio="— {n} —",
        folio_align="outer",
        att_label="附件1",
        table="borderless",
    ),
    Style(
        "b5-reprint-kai-headings",
        page=B5,
        body_font="Song",
        body_size=12,
        margins=(20 * MM, 20 * MM, 24 * MM, 22 * MM),
        heading_fonts=("Kai", "Kai", "body", "body"),
        header="reprint",
        running="doc",
        folio="第{n}页",
        toc_form="number-line",
        doc_start="mid",
        table="three-line",
    ),
    Style(
        "letter-wide-margins-13",
        page=LETTER,
        margins=(90, 90, 80, 80),
        body_font="Kai",
        body_size=13,
        title_font="Song",
        title_size=18,
        header="reprint",
        number_form="centre",
        folio="- {n} -",
        toc_form="leaders",
        categories=False,
    ),
    Style(
        "a4-ming-16-narrow",
        body_font="Ming",
        margins=(35 * MM, 35 * MM, 37 * MM, 35 * MM),
        running="gazette",
        folio="·{n}·",
        att_label="附件1",
        table="borderless",
        repeat_header=False,
        date_form="hanzi",
    ),
    Style(
        "two-column-a4-song-10.5",
        columns=2,
        body_size=10.5,
        leading=1.5,
        margins=(18 * MM, 18 * MM, 25 * MM, 22 * MM),
        title_size=15,
        running="gazette",
        folio="— {n} —",
        doc_start="mid",
        toc_form="leaders",
    ),
    Style(
        "b5-hei-title-kai-11",
        page=B5,
        body_font="Kai",
        body_size=11,
        margins=(19 * MM, 19 * MM, 22 * MM, 20 * MM),
        title_font="Hei",
        title_size=17,
        heading_fonts=("Hei", "body", "body", "body"),
        folio="- {n} -",
        folio_align="outer",
        toc_form="number-line",
        categories=True,
        doc_start="mid",
        table="ruled",
        repeat_header=False,
    ),
]
