"""Chinese numerals: the digit classes every numbering and date pattern is built from, and their values.

Reads strings; pure. ``cn_to_int`` reads any Chinese numeral (三, 十二, 一百零五, 二〇二二); ``small_cn_to_int``
reads the short ones used as list numbers (一 … 九十九), as the numbering checks expect.
"""

from __future__ import annotations

from pipeline.grammar.width import fold_digits

# Character classes (the inside of ``[...]``), each named for where it is used.
DIGITS_1_9 = "一二三四五六七八九"
SMALL = DIGITS_1_9 + "十"  # 一 … 十: list numbers (一、 / （一） / 一是)
SMALL_LIANG = "一二两三四五六七八九十"  # counts in prose (两年 / 三个)
HUNDREDS = SMALL + "百"  # 一 … 百: long item lists (一百、)
LABEL = SMALL + "百零〇两"  # heading labels (第一百零二章)
ORDINAL = SMALL + "百零〇"  # 第…章/节/条
DATE = "〇零○Ｏ" + SMALL  # dates (二〇二二年七月四日)
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "Ｏ": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_SMALL_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_COUNT = {ch: n for ch, n in _SMALL_DIGITS.items() if n} | {"十": 10}


def cn_to_int(text: str) -> int | None:
    """Chinese numeral to int: 三 → 3, 十二 → 12, 二十一 → 21, 一百零五 → 105, 二〇二二 → 2022 (digit-by-digit).

    Returns None when the text is not a Chinese numeral.
    """
    t = fold_digits(text.strip())
    if not t or len(t) > 30:
        return None
    if t.isdecimal() and t.isascii():
        return int(t)
    if all(ch in _CN_DIGITS for ch in t):  # digit by digit: 二〇二二
        value = 0
        for ch in t:
            value = value * 10 + _CN_DIGITS[ch]
        return value
    total, section, number = 0, 0, 0
    units = {"十": 10, "百": 100, "千": 1000}
    for ch in t:
        if ch in _CN_DIGITS:
            number = _CN_DIGITS[ch]
        elif ch in units:
            section += (number or 1) * units[ch]
            number = 0
        elif ch == "万":
            total += (section + number) * 10000
            section, number = 0, 0
        else:
            return None
    return total + section + number


def small_cn_to_int(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十三 → 23, 12 → 12 (at most three characters, or nine digits); None otherwise."""
    if text.isdecimal():
        return int(text) if len(text) <= 9 else None
    if not text or any(ch not in _SMALL_DIGITS and ch != "十" for ch in text) or len(text) > 3:
        return None
    if "十" not in text:
        return _SMALL_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (_SMALL_DIGITS[tens] if tens else 1) * 10 + (_SMALL_DIGITS[ones] if ones else 0)


def count_word(word: str) -> int | None:
    """A single-character count in prose: 一 … 十 (两 = 2) → its value; None otherwise."""
    return _COUNT.get(word)


DIGITS_ZERO = "〇" + DIGITS_1_9  # 〇 一 … 九 by value (ideographDigital, 二〇二五)
LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"  # 大写 numerals by value (chineseLegalSimplified)


def int_to_cn(n: int, digits: str = DIGITS_ZERO, ten: str = "十", hundred: str = "百", bare_ten: bool = True) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (how Word's ``chineseCounting`` writes them);
    legal numerals keep the one before ten (壹拾贰: ``bare_ten=False``)."""
    if n <= 0:
        return "零"
    if n >= 1000:
        return str(n)
    h, rest = divmod(n, 100)
    t, u = divmod(rest, 10)
    out = digits[h] + hundred if h else ""
    if t:
        out += ("" if t == 1 and not h and bare_ten else digits[t]) + ten
    elif h and u:
        out += "零"
    if u:
        out += digits[u]
    return out
