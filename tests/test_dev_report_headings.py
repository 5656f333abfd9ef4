"""The 29 provincial 政府工作报告 (dev Word files): every 一、 and （一） heading of the report is found, the （一）
heads whether they stand alone (``（一）标题。`` / ``（一）标题``) or run into their paragraph (``（一）标题。正文…``).

The counts are the report's own: its paragraphs that open with 一、 or （一） in the text of the report (the
名词解释 and other appendices are attachments, not counted here), read off the files by eye and by a plain scan.
"""

from __future__ import annotations

import pytest

from pipeline.run import parse_file
from schemas.model import Heading
from tests.formats_fixtures import dev_file

# report → (一、 headings, （一） headings)
HEADINGS: dict[str, tuple[int, int]] = {
    "anhui": (3, 19),
    "beijing": (2, 11),
    "chongqing": (3, 23),
    "fujian": (3, 22),
    "gansu": (3, 0),
    "guangxi": (2, 19),
    "guizhou": (2, 16),
    "hainan": (3, 17),
    "hebei": (2, 14),
    "heilongjiang": (4, 10),
    "henan": (3, 18),
    "hubei": (3, 16),
    "hunan": (3, 10),
    "jiangsu": (3, 16),
    "jiangxi": (2, 10),
    "jilin": (3, 8),
    "liaoning": (3, 17),
    "neimenggu": (2, 11),
    "ningxia": (2, 11),
    "qinghai": (3, 7),
    "shaanxi": (2, 16),
    "shandong": (3, 16),
    "shanghai": (3, 19),
    "shanxi": (3, 12),
    "tianjin": (3, 12),
    "xinjiang": (3, 23),
    "xizang": (0, 9),
    "yunnan": (3, 22),
    "zhejiang": (2, 22),
}


def _flat(hs: list[Heading]) -> list[Heading]:
    return [x for h in hs for x in (h, *_flat(h.children))]


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(HEADINGS))
def test_dev_report_headings_all_found(name: str) -> None:
    path = dev_file("docx", f"gov-work-report-2025-{name}.docx")
    if not path.is_file():
        pytest.skip("the shared dev corpus is not beside this clone")
    result = parse_file(path)
    assert result.issue is not None
    [doc] = result.issue.documents
    flat = _flat(doc.outline)
    counts = (sum(h.kind == "cn-enum" for h in flat), sum(h.kind == "cn-paren" for h in flat))
    assert counts == HEADINGS[name]
    # under each parent the （一） heads are numbered 1, 2, 3 … without a gap
    for parent in [*flat, None]:
        children = parent.children if parent is not None else doc.outline
        numbers = [h.number for h in children if h.kind == "cn-paren"]
        assert numbers == list(range(1, len(numbers) + 1))
