"""The message catalogue: both languages have the same keys and placeholders; zh by default everywhere a
user looks (site, export headers, --help, error lines) has no ASCII-only words outside codes, file names
and URLs; ``--lang en`` gives English."""

from __future__ import annotations

import html
import re
import string
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.i18n import set_lang
from pipeline.publish.export import INDICATOR_COLUMNS, TASK_COLUMNS, headers
from pipeline.publish.messages import catalogue, msg
from pipeline.publish.site import render_site
from tests.fixtures_site import build_issue, corpus_site

__all__ = ["corpus_site"]

runner = CliRunner()

FORMAT_NAMES = {"PDF", "CSV", "JSON", "Excel", "SHA", "TXT", "XLSX", "ICS", "Issue"}
_SKIP = [
    re.compile(r"https?://\S+"),
    re.compile(r"\S*[/\\]\S*"),  # paths, ids with a slash, file names in folders
    re.compile(r"\S+\.(?:pdf|txt|json|csv|xlsx|ics|html|sqlite)\b"),  # file names
    re.compile(r"\b[EPV]\d{3}\b"),  # codes
    re.compile(r"\b[0-9a-f]{16,}\b"),  # hashes
    re.compile(r"--?[a-z][a-z-]*"),  # option names
    re.compile(r"<[a-z]+>|\b[A-Z]{2,}\b(?=[\]\s.]|$)"),  # metavars: <path>, OPTIONS, YYYY-MM-DD
    # the gazette's own text: a Latin run inside Chinese (the corpus PDF's text layer has 精神and习近平)
    re.compile(r"(?<=[\u4e00-\u9fff])[A-Za-z]+(?=[\u4e00-\u9fff])"),
    re.compile(r"\b\w+_\w+\b"),  # parameter names: in_dir
    re.compile(r"YYYY-MM-DD|\b[A-Z]+/?T?\s?\d+"),  # date format; standard numbers (GB 21734, GB/T 9704)
    # what a user types or reads as a name: commands, parameters, option values, type names, product names
    re.compile(
        r"\b(?:json|summary|zh|en|local|output|gazette|parse|validate|ingest|verify|compare|schema|schemas|search|units|tasks|"
        r"file|query|int|float|range|bool|str|path|x|progress|Dask|Schema|pdfium|pdfplumber|auto|off|OCR)\b"
    ),
]
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")


def ascii_words(text: str) -> list[str]:
    """The ASCII-only words of ``text`` once codes, file names, URLs, option names and format names are removed."""
    for pattern in _SKIP:
        text = pattern.sub(" ", text)
    return [w for w in _WORD.findall(text) if w not in FORMAT_NAMES and w.strip("-") not in FORMAT_NAMES]


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    attrs = re.findall(r'(?:title|placeholder|aria-label|alt|data-found|data-none)="([^"]*)"', page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + " ".join(attrs))


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_messages_both_languages_have_the_same_keys_and_placeholders() -> None:
    zh, en = catalogue("zh"), catalogue("en")
    assert zh.keys() == en.keys()
    assert {k for k in zh if _fields(zh[k]) != _fields(en[k])} == set()
    assert len(zh) > 100


def test_messages_follow_the_language_switch() -> None:
    assert msg("cli.no_hit", query="防汛") == "没有找到“防汛”。"
    set_lang("en")
    assert msg("cli.no_hit", query="防汛") == 'Nothing found for "防汛".'


def test_messages_ascii_words_ignores_codes_files_and_urls() -> None:
    assert ascii_words("[V104] 见 https://x.org/a 与 output/a.csv、tasks.xlsx，SHA-256，PDF 第3页") == []
    assert ascii_words("no findings 错误") == ["no", "findings"]


def test_messages_site_has_no_english_words(corpus_site: Path) -> None:
    leftovers: dict[str, list[str]] = {}
    for page in sorted(corpus_site.rglob("*.html")):
        words = ascii_words(visible_text(page.read_text(encoding="utf-8")))
        if words:
            leftovers[page.relative_to(corpus_site).as_posix()] = sorted(set(words))
    assert leftovers == {}


def test_messages_site_chrome_follows_the_language(tmp_path: Path) -> None:
    set_lang("en")
    render_site([build_issue()], tmp_path)
    page = (tmp_path / "sample-2022-03" / "doc-2.html").read_text(encoding="utf-8")
    assert '<a class="skip" href="#top">Skip to content</a>' in page and ">Downloads</h2>" in page
    assert '<html lang="en">' in page


def test_messages_export_headers_are_chinese_by_default() -> None:
    for keys in (TASK_COLUMNS, INDICATOR_COLUMNS):
        assert ascii_words(" ".join(str(h) for h in headers(keys))) == []
    set_lang("en")
    assert headers(["lead_units", "deadline_dates"]) == ["lead units", "due date"]


@pytest.mark.parametrize(
    "command", [[], ["parse"], ["validate"], ["ingest"], ["schema"], ["search"], ["units"], ["tasks"]]
)
def test_messages_help_is_chinese(command: list[str]) -> None:
    out = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    # typer's vendored click prints "Usage:" and the --help option's text as fixed English strings
    lines = [ln for ln in out.stdout.splitlines() if "Usage:" not in ln and "--help" not in ln]
    assert ascii_words("\n".join(lines)) == []


def test_messages_error_line_is_coded_and_chinese(tmp_path: Path) -> None:
    out = runner.invoke(app, ["tasks", "--out", str(tmp_path)])
    assert out.exit_code == 2
    line = out.stderr.strip()
    assert line == f"error[E001]: {tmp_path / 'catalog.sqlite'}: 此处没有目录库：请先运行 `gazette ingest`"
    assert ascii_words(line.replace("error[E001]", "")) == []
    en = runner.invoke(app, ["--lang", "en", "tasks", "--out", str(tmp_path)])
    assert en.stderr.strip().endswith("no catalog here: run `gazette ingest` first")


# the words of the page chrome that the templates take from the catalogue: every ``site.*`` text with Chinese
_UI_ATTRS = re.compile(r'(?:title|placeholder|aria-label|alt|data-label|data-found|data-none)="([^"]*)"')
# where the gazette's own words are printed as they stand (its tables, quoted evidence): not chrome
_CONTENT = re.compile(r'<details class="table-block".*?</details>|<q>.*?</q>', re.S)
_CHROME_PAGES = ("index.html", "maonan-2022-03/index.html", "maonan-2022-03/doc-2.html", "maonan-2022-03/findings.html")


def chinese_labels(page: str) -> set[str]:
    """The keys of the ``site.*`` catalogue texts whose Chinese words stand in ``page`` as a whole text or attribute
    (placeholders of a text match any value), once the gazette's own tables and quotations are removed."""
    page = _CONTENT.sub(" ", re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S))
    pieces = [html.unescape(p).strip() for p in re.split(r"<[^>]+>", page) + _UI_ATTRS.findall(page)]
    found = set()
    for key, text in catalogue("zh").items():
        if not key.startswith("site.") or not re.search(r"[\u4e00-\u9fff]", text):
            continue
        words = [re.escape(w.strip()) for w in re.split(r"\{[^}]*\}", text)]
        pattern = re.compile(r"(?:^|.*\s)" + r".+".join(w for w in words if w) + r"(?:\s.*|$)", re.S)
        if any(pattern.fullmatch(p) for p in pieces if p):
            found.add(key.removeprefix("site."))
    return found


def test_messages_site_chrome_is_english_with_lang_en(tmp_path: Path) -> None:
    from tests.fixtures_site import corpus_issue

    issue = corpus_issue()
    render_site([issue], tmp_path / "zh")
    set_lang("en")
    render_site([issue], tmp_path / "en")
    unit = sorted((tmp_path / "en" / "maonan-2022-03" / "units").glob("*.html"))[0].relative_to(tmp_path / "en")
    pages = [*_CHROME_PAGES, unit.as_posix()]
    zh = {p: chinese_labels((tmp_path / "zh" / p).read_text(encoding="utf-8")) for p in pages}
    en = {p: chinese_labels((tmp_path / "en" / p).read_text(encoding="utf-8")) for p in pages}
    # the check sees the Chinese chrome: the same pages in zh carry the labels of every template
    assert {"site_title", "brand", "footer", "issue_info", "findings_report", "col_subtask"} <= set().union(
        *zh.values()
    )
    assert {"unit_lead", "col_content", "public_info", "sort_deadline"} <= set().union(*zh.values())
    assert {p: keys for p, keys in en.items() if keys} == {}
    findings = (tmp_path / "en" / "maonan-2022-03" / "findings.html").read_text(encoding="utf-8")
    assert "<h1>Check report <small>" in findings and "Government Gazette · Open Government" in findings
