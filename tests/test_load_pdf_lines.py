"""pdf loader lines: the run-in lead is a change of font family, not of font subset."""

from __future__ import annotations

from typing import Any

from pipeline.load.pdf import _line_from


def _chars(runs: list[tuple[str, str]]) -> list[dict[str, Any]]:
    out = []
    x = 80.0
    for font, text in runs:
        for ch in text:
            out.append({"text": ch, "fontname": font, "size": 12.0, "x0": x, "x1": x + 12, "top": 100, "bottom": 112})
            x += 12
    return out


def _raw(runs: list[tuple[str, str]]) -> dict[str, Any]:
    chars = _chars(runs)
    text = "".join(c["text"] for c in chars)
    return {"text": text, "chars": chars, "x0": 80.0, "top": 100.0, "x1": chars[-1]["x1"], "bottom": 112.0}


def test_load_pdf_lead_ignores_font_subsets() -> None:
    # one font embedded as two subsets: no change of font, no run-in lead
    line = _line_from(
        _raw([("AAAAAB+UKaiCN-0", "（"), ("AAAAAA+UKaiCN-0", "一）科学调度"), ("AAAAAB+UKaiCN-0", "。落实")]), 0
    )
    assert line.lead == ""


def test_load_pdf_lead_is_the_head_in_another_family() -> None:
    line = _line_from(
        _raw([("AAAAAA+FandolHei-Regular", "（一）主动公开情况。"), ("AAAAAB+FandolFang-Regular", "主要通过网站公开")]),
        0,
    )
    assert line.lead == "（一）主动公开情况。"
