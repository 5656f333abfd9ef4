"""`gazette compare A B`: two renditions of different years side by side, the differences and the cross-year check;
from files and from ingested issue ids; CSV / XLSX / HTML in the template's layout."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from pipeline.archive.ingest import ingest_dir
from pipeline.archive.verify import verify_out
from pipeline.cli import app
from pipeline.publish.annual import catalog_report, previous_in_catalog
from schemas.model import Issue
from tests.annual import models as M
from tests.annual.render import model_to_pdf, model_to_text

runner = CliRunner()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("annual-compare")
    (d / "in").mkdir()
    out = {
        "2023": model_to_pdf(M.county_2023(), d / "in" / "county-2023.pdf"),
        "2024": d / "in" / "county-2024.txt",
        "2024-carry": d / "county-2024-carry.txt",
    }
    out["2024"].write_text(model_to_text(M.county_2024()), encoding="utf-8")
    out["2024-carry"].write_text(model_to_text(M.plant_carry_over(M.county_2024()), markdown=True), encoding="utf-8")
    return out


def test_annual_compare_cli_shows_differences_and_a_passing_cross_year_check(
    files: dict[str, Path], tmp_path: Path
) -> None:
    csv_path, xlsx_path, html_path = tmp_path / "c.csv", tmp_path / "c.xlsx", tmp_path / "c.html"
    args = ["compare", str(files["2023"]), str(files["2024"]), "--csv", str(csv_path), "--xlsx", str(xlsx_path)]
    res = runner.invoke(app, [*args, "--html", str(html_path)])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0] == "A: 某某省某某县人民政府2023年政府信息公开工作年度报告（2023）"
    assert "* 本年新收: A [72 6 0 1 1 2 82]  B [96 6 1 0 1 1 105]" in lines
    assert "  上年结转: A [2 1 0 0 0 0 3]  B [2 1 0 0 0 0 3]" in lines
    assert "跨年核对：本年“上年结转”与上年“结转下年度继续办理”一致。" in lines
    rows = list(csv.reader(csv_path.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][:5] == ["表", "行", "本年制发件数（2023）", "本年制发件数（2024）", "本年制发件数（增减）"]
    new = next(r for r in rows if r[1] == "本年新收")
    assert new[-3:] == ["82", "105", "23"]
    ws = load_workbook(xlsx_path).active
    assert ws is not None and ws.title == "对比"
    assert [c.value for c in ws[1]][:2] == ["表", "行"]
    html = html_path.read_text(encoding="utf-8")
    assert '<td class="d">23</td>' in html and "跨年核对" in html


def test_annual_compare_cli_reports_a_carry_over_mismatch(files: dict[str, Path]) -> None:
    res = runner.invoke(app, ["compare", str(files["2023"]), str(files["2024-carry"])])
    assert res.exit_code == 1, res.output
    assert "跨年核对：2 处不一致（V608）。" in res.output
    assert "[V608] 2024年报告的上年结转（自然人）为 3，2023年报告的结转下年度继续办理为 2" in res.output
    assert "B 自身核对：0 项发现" in res.output


def test_annual_compare_cli_reads_ingested_ids_from_the_catalog(files: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    ingest_dir(files["2023"].parent, out)
    this_year = catalog_report(out, "county-2024")
    assert this_year is not None and this_year.year == 2024
    last = previous_in_catalog(out, this_year)
    assert last is not None and last.year == 2023 and last.issuer == this_year.issuer
    res = runner.invoke(app, ["compare", "county-2023", "county-2024", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "跨年核对：本年“上年结转”与上年“结转下年度继续办理”一致。" in res.output


def test_annual_compare_cli_refuses_what_is_not_a_report(tmp_path: Path) -> None:
    other = tmp_path / "notice.txt"
    other.write_text("某某县人民政府关于开展安全检查的通知\n各乡镇：\n请认真开展检查。\n", encoding="utf-8")
    res = runner.invoke(app, ["compare", str(other), str(other)])
    assert res.exit_code == 2
    res = runner.invoke(app, ["compare", "no-such-id", "x", "--out", str(tmp_path / "none")])
    assert res.exit_code == 2


def test_annual_compare_ingest_checks_the_previous_year_in_the_catalog(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    model_to_pdf(M.county_2023(), src / "county-2023.pdf")
    (src / "county-2024.txt").write_text(model_to_text(M.plant_carry_over(M.county_2024())), encoding="utf-8")
    out = tmp_path / "out"
    ingest_dir(src, out)
    issue = Issue.model_validate_json((out / "issues" / "county-2024" / "issue.json").read_text(encoding="utf-8"))
    assert sorted((f.code, f.actual, f.expected) for f in issue.findings if f.code.startswith("V6")) == [
        ("V608", "3", "2"),
        ("V608", "4", "3"),
    ]
    last = Issue.model_validate_json((out / "issues" / "county-2023" / "issue.json").read_text(encoding="utf-8"))
    assert not [f for f in last.findings if f.code.startswith("V6")]
    rows = list(
        csv.reader((out / "issues" / "county-2024" / "annual.csv").read_text(encoding="utf-8-sig").splitlines())
    )
    assert rows[0] == ["表", "行", "本年制发件数", "本年废止件数", "现行有效件数"]
    assert (out / "issues" / "county-2023" / "annual.xlsx").is_file()
    site = out / "site" / "annual"
    index = (site / "index.html").read_text(encoding="utf-8")
    assert '<a href="compare-county-2023--county-2024.html">与上年对比</a>' in index
    page = (site / "compare-county-2023--county-2024.html").read_text(encoding="utf-8")
    assert "跨年核对：2 处不一致（V608）。" in page and '<link rel="stylesheet" href="../static/site.css">' in page
    assert (out / "site" / "static" / "site.css").is_file()
    assert verify_out(out).drift == []  # the rewritten issue.json keeps its checksum in the catalog
    before = (out / "issues" / "county-2024" / "issue.json").read_bytes()
    ingest_dir(src, out)  # nothing changed: the same findings, not appended twice
    assert (out / "issues" / "county-2024" / "issue.json").read_bytes() == before
