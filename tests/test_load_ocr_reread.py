"""Low-confidence OCR lines read again from finer renderings (issue 17): the better reading is kept only
when it changes ideographs and drops none (synthetic page and recogniser answers)."""

from __future__ import annotations

from typing import Any

import pytest
from PIL import Image

from pipeline.load import ocr
from pipeline.load.ocr import _better_ideographs, reread_unsure


class _Page:
    """A page of 600 × 800 points that renders white, counting its renderings."""

    def __init__(self) -> None:
        self.renders: list[tuple[float, tuple[float, float, float, float]]] = []

    def get_size(self) -> tuple[float, float]:
        return 600.0, 800.0

    def render(self, scale: float, crop: tuple[float, float, float, float]) -> Any:
        self.renders.append((scale, crop))
        size = (max(int((600 - crop[0] - crop[2]) * scale), 1), max(int((800 - crop[1] - crop[3]) * scale), 1))

        class _Bitmap:
            def to_pil(self) -> Image.Image:
                return Image.new("RGB", size, "white")

        return _Bitmap()


def _engine(answers: list[tuple[str, float]]) -> Any:
    calls = iter(answers)

    def read(img: Any, **kwargs: Any) -> tuple[Any, None]:
        assert kwargs == {"use_det": False, "use_cls": False}
        text, score = next(calls)
        return [[text, score]], None

    return read


BOX = (220.0, 527.0, 434.0, 539.0)


def test_load_ocr_reread_keeps_the_surer_reading_of_ideographs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        ocr, "_ENGINE", _engine([("行业纾困帮扶政策", 0.962), ("行业纾困帮扶政策", 0.971), ("行业困帮扶政策", 0.9997)])
    )
    page = _Page()
    assert reread_unsure(page, [(BOX, 0.9576, "行业经困帮扶政策")]) == [(BOX, 0.971, "行业纾困帮扶政策")]
    assert [scale for scale, _ in page.renders] == [300 / 72, 400 / 72, 300 / 72]
    assert page.renders[0][1] == (218.0, 800.0 - 539.0 - 2.0, 600.0 - 434.0 - 2.0, 525.0)


def test_load_ocr_reread_sure_and_short_lines_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "_ENGINE", _engine([]))
    page = _Page()
    lines = [(BOX, 0.99, "行业经困帮扶政策"), (BOX, 0.84, "≤ 1%"), (BOX, 0.75, "—13—")]
    assert reread_unsure(page, lines) == lines
    assert page.renders == []


def test_load_ocr_reread_signs_and_dropped_characters_not_taken() -> None:
    assert _better_ideographs("行业经困帮扶政策", "行业纾困帮扶政策")
    assert not _better_ideographs("行业经困帮扶政策", "行业困帮扶政策")  # one dropped
    assert not _better_ideographs("（一）提升政务", "(一)提升政务")  # brackets are the page's to decide
    assert not _better_ideographs("≤ 1%", "<1%")
    assert not _better_ideographs("行业经困", "行业 经困")  # no change but a space
