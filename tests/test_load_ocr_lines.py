"""Font sizes of scanned lines estimated from their boxes (issue 17): the last character of a wrapped
heading, alone under it at the left margin, is of the heading's size though its box stands taller."""

from __future__ import annotations

from pipeline.load.ocr import line_sizes


def test_load_ocr_lines_wrapped_heading_end_takes_the_heading_size() -> None:
    heading = (110.9, 578.1, 521.3, 595.0)  # indented two characters, full to the right margin
    end = (78.3, 606.1, 96.9, 625.6)  # 制, alone at the left margin, a taller box
    sizes = line_sizes([heading, end])
    assert sizes[0] == sizes[1] == round((16.9 + 19.5) / 2 * 1.05, 1)


def test_load_ocr_lines_short_line_not_under_the_margin_keeps_its_size() -> None:
    heading = (110.9, 578.1, 521.3, 595.0)
    indented = (130.0, 606.1, 160.0, 625.6)  # right of the line above's start: not its wrapped end
    far = (78.3, 640.0, 96.9, 659.5)  # a line's height below: another paragraph
    assert line_sizes([heading, indented]) == [round(16.9 * 1.05, 1), round(19.5 * 1.05, 1)]
    assert line_sizes([heading, far]) == [round(16.9 * 1.05, 1), round(19.5 * 1.05, 1)]
