"""Dates, years and periods as printed in gazettes: 2022年7月4日, 二〇二二年七月四日, 2021—2025年, “十四五”.

Pure patterns; the readers that turn them into values are ``pipeline.structure.elements.parse_date`` (dates)
and the claim and check stages (periods). Deadlines (到2025年底 …) are :mod:`pipeline.grammar.deadlines`.
"""

from __future__ import annotations

import re

from pipeline.grammar import numerals

_CN = numerals.DATE
DATE = re.compile(
    rf"(?P<y>(?:19|20)\d{{2}}|[二][{_CN}]{{3}})\s*年\s*(?P<m>\d{{1,2}}|[{_CN}]{{1,3}})\s*月\s*"
    rf"(?P<d>\d{{1,2}}|[{_CN}]{{1,3}})\s*日"
)
# A paragraph that is only a date, possibly in brackets (the 成文日期 line).
DATE_LINE = re.compile(rf"^(?:[（(]\s*)?{DATE.pattern}\s*[）)]?$")

# A five-year plan named by its number: “十四五” → group 1 is 十四.
FIVE_YEAR = re.compile(rf"([{numerals.SMALL}]{{2,3}})五")
# A year range in a title: 2021—2025年 / 2021至2025.
TITLE_YEAR_RANGE = re.compile(r"((?:19|20)\d\d)\s{0,2}年?\s{0,2}(?:[—–\-~～]{1,2}|至|到)\s{0,2}((?:19|20)\d\d)")

# Years in a sentence: a range (2016—2020年), a list (2019、2020年), one year (2020年, not 年代).
YEAR_RANGE = re.compile(r"((?:19|20)\d\d)\s{0,3}年?\s{0,3}(?:[—–\-~～]{1,2}|至|到)\s{0,3}((?:19|20)\d\d)\s{0,3}年?")
YEAR_LIST = re.compile(r"((?:19|20)\d\d)(?:\s{0,3}年)?(?:\s{0,3}[、和及与]\s{0,3}(?:19|20)\d\d(?:\s{0,3}年)?)+")
YEAR_ONE = re.compile(r"((?:19|20)\d\d)\s{0,3}年(?![代])")
# A span of years in words: 五年来 / 3年间 / 两年平均 → group 1 is the count.
SPAN_WORD = re.compile(
    rf"(?<![\d{numerals.SMALL_LIANG}])([{numerals.SMALL_LIANG}]|\d{{1,2}})\s{{0,2}}个?年(?=[的来间中内]|平均|均|累计|共)"
)

# A reporting period as a column header (read whole): 2016 / 2016年度 / 2022年第一季度 / Q1 / 上半年 / 3月 / 1-6月.
PERIOD = re.compile(
    r"(?:(?:19|20)\d{2}(?:年度?)?)"  # 2016 / 2016年 / 2016年度
    r"|(?:(?:19|20)\d{2}年)?(?:"  # optional year before a shorter period
    rf"第?[1-4{numerals.SMALL[:4]}]季度?|Q[1-4]|[上下]半年"
    rf"|(?:1[0-2]|0?[1-9]|[{numerals.SMALL}]|十[一二])月份?"
    r"|1[-~～—至](?:1[0-2]|0?[1-9])月"
    r")"
)
