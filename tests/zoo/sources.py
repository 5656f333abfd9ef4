"""The zoo's source models, built from real texts (never invented prose).

* the two documents of the sample issue: the golden (``tests/golden/maonan-2022-03.pdf.gt.json``) is their
  truth (elements, heading tree, tables, task rows); bodies keep each heading's first paragraph, tables
  their first rows, so a rendition is a few pages;
* development documents, excerpted into ``tests/zoo/texts/`` by ``tests.zoo.excerpt``: three 2025 provincial
  work reports, the criminal law's first chapters, a county's annual information-disclosure report;
* two assembled issues: a cover with a 目录 (categories, 文号 lines) and several documents in a row, with a
  gazette reprint starting mid-page, prose tasks with unit notes, nested attachments and a signature with
  （…代章）. Their notices reuse sentences and task rows of the sample issue; only the issuer names, numbers
  and dates of the assembled notices are the zoo's own.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache
from pathlib import Path

from tests.zoo.models import (
    Block,
    ZAttachment,
    ZDocument,
    ZHeading,
    ZIssue,
    ZPara,
    ZTable,
    ZTask,
    ZTocEntry,
)

ROOT = Path(__file__).resolve().parents[2]
TEXTS = Path(__file__).parent / "texts"
GOLDEN = ROOT / "tests" / "golden" / "maonan-2022-03.pdf.gt.json"
SENTENCE_END = re.compile(r"(?<=[。！？；])")
TOP = re.compile(r"^\s*([一二三四五六七八九十]+、)\s*(.+)$")
SUB = re.compile(r"^\s*([（(][一二三四五六七八九十]+[）)])(.+?。)(.*)$")
LAW = re.compile(r"^(第[一二三四五六七八九十]+([编章节]))\s*(.+)$")
LAW_LEVEL = {"编": 1, "章": 2, "节": 3}


def cut(text: str, limit: int) -> str:
    out = ""
    for s in SENTENCE_END.split(text):
        if out and len(out) + len(s) > limit:
            break
        out += s
    return out


@cache
def golden() -> dict:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


def _flat(headings: list[dict], level: int = 1) -> list[tuple[int, dict]]:
    out: list[tuple[int, dict]] = []
    for h in headings:
        out.append((level, h))
        out.extend(_flat(h.get("children", []), level + 1))
    return out


def _plan_blocks(att: dict, rows: int) -> list[Block]:
    """An attachment of the golden: every heading, its first paragraph, its tables (first ``rows`` rows)."""
    first_para: dict[str | None, str] = {}
    for p in att["body"]:
        first_para.setdefault(p["heading_id"], p["text"])
    tables = sorted(att["tables"], key=lambda t: t["pages"][0])
    blocks: list[Block] = []
    if None in first_para:
        blocks.append(ZPara(cut(first_para[None], 120)))
    flat = _flat(att["outline"])
    for n, (level, h) in enumerate(flat):
        blocks.append(ZHeading(level, h["label"], h["title"]))
        if h["id"] in first_para:
            blocks.append(ZPara(cut(first_para[h["id"]], 120)))
        nxt = flat[n + 1][1]["page"] if n + 1 < len(flat) else 10**6
        while tables and tables[0]["pages"][0] < nxt:
            t = tables.pop(0)
            body = [[c or "" for c in r] for r in t["rows"][:rows]]
            blocks.append(ZTable(header=t["header"][0], rows=body, caption=t["caption"]))
    for t in tables:  # an attachment without headings: its tables in order
        body = [[c or "" for c in r] for r in t["rows"][:rows]]
        blocks.append(ZTable(header=t["header"][0], rows=body, caption=t["caption"]))
    return blocks


def _notice_body(d: dict) -> list[Block]:
    """A notice's own text: paragraphs, and run-in heads (``一、标题。正文``) where the golden reads them."""
    heads = {h["id"]: h for _, h in _flat(d.get("outline", []))}
    out: list[Block] = []
    for p in d["body"]:
        h = heads.get(p["heading_id"]) if p["heading_id"] else None
        lead = f"{h['label']}{h['title']}。" if h else ""
        if h and p["text"].startswith(lead):
            out.append(ZHeading(1, h["label"], h["title"], run_in=p["text"][len(lead) :]))
        else:
            out.append(ZPara(p["text"]))
    return out


def corpus_documents() -> list[ZDocument]:
    """The sample issue's two documents, with the golden as their truth."""
    out = []
    for n, d in enumerate(golden()["documents"], start=1):
        atts = []
        for a in d["attachments"]:
            blocks = _plan_blocks(a, 4 if n == 1 else 8)
            atts.append(ZAttachment(label="附件", title=a["title"], blocks=blocks))
        out.append(
            ZDocument(
                key=f"corpus-doc-{n}",
                header=d["header"],
                doc_number=d["doc_number"]["raw"],
                title_lines=[d["title"]],
                recipients=d["recipients"],
                body=_notice_body(d),
                signature=[d["signature"]],
                date=dt.date.fromisoformat(d["date"]),
                disclosure=d["disclosure"],
                attachments=atts,
            )
        )
    return out


def corpus_task_rows() -> list[list[str]]:
    """The sample issue's task rows (要求, 任务, 具体要求, 牵头单位) as the golden reads them."""
    return [list(r) for r in golden()["documents"][1]["attachments"][0]["tables"][0]["rows"]]


def work_report(name: str) -> ZDocument:
    lines = (TEXTS / f"gov-work-report-2025-{name}.txt").read_text(encoding="utf-8").splitlines()
    address = next(i for i, x in enumerate(lines) if x.endswith("各位代表："))
    body: list[Block] = []
    for x in lines[address + 1 :]:
        if m := TOP.match(x):
            body.append(ZHeading(1, m.group(1), m.group(2).strip()))
        elif m := SUB.match(x):
            body.append(ZHeading(2, m.group(1), m.group(2).rstrip("。"), run_in=m.group(3)))
        else:
            body.append(ZPara(x))
    return ZDocument(
        key=f"report-{name}",
        title_lines=[lines[0]],
        preamble=lines[1:address],
        recipients=["各位代表"],
        body=body,
        kind="report",
    )


def annual_report() -> ZDocument:
    lines = (TEXTS / "huaian-hongze-xxgk-annual-report-2024.txt").read_text(encoding="utf-8").splitlines()
    cut_at = lines.index("#table")
    body: list[Block] = []
    for x in lines[2:cut_at]:
        if m := TOP.match(x):
            body.append(ZHeading(1, m.group(1), m.group(2).strip()))
        elif m := SUB.match(x):
            body.append(ZHeading(2, m.group(1), m.group(2).rstrip("。"), run_in=m.group(3)))
        else:
            body.append(ZPara(x))
    rows = [r.split("\t") for r in lines[cut_at + 1 :]]
    caption = rows[0][0]
    header = rows[1]
    data = []
    for r in rows[2:]:
        if len(r) < 2 or not r[1]:
            break
        data.append(r)
    body.append(ZHeading(1, "二、", "主动公开政府信息情况"))
    body.append(ZTable(header=header, rows=data, caption=caption))
    return ZDocument(key="annual-report", title_lines=lines[:2], body=body, kind="report")


def criminal_law() -> ZDocument:
    lines = (TEXTS / "npc-criminal-law-2020.txt").read_text(encoding="utf-8").splitlines()
    body: list[Block] = []
    for x in lines:
        m = LAW.match(x)
        if m:
            body.append(ZHeading(LAW_LEVEL[m.group(2)], m.group(1), m.group(3).strip()))
        else:
            body.append(ZPara(x))
    return ZDocument(key="criminal-law", title_lines=["中华人民共和国刑法"], body=body, kind="law")


CN = "一二三四五六七八九十"


def _prose_task_plan(rows: list[list[str]], word: str) -> list[Block]:
    """Task rows of the sample issue written as prose: 一、 / （一） headings, numbered items with a unit note.
    The rows are a slice of a longer plan, so their numbers are printed from 一、/（一）/1. again (a plan
    of its own, with no planted gap); the texts are as the sample issue prints them."""
    blocks: list[Block] = []
    seen_req: list[str] = []
    seen_task: list[str] = []
    for req, task, text, units in rows:
        if req not in seen_req:
            seen_req.append(req)
            seen_task = []
            m = TOP.match(req)
            assert m
            blocks.append(ZHeading(1, f"{CN[len(seen_req) - 1]}、", m.group(2)))
        if task not in seen_task:
            seen_task.append(task)
            m2 = re.match(r"^([（(][一二三四五六七八九十]+[）)])(.+?)。?$", task)
            assert m2
            blocks.append(ZHeading(2, f"（{CN[len(seen_task) - 1]}）", m2.group(2)))
        m3 = re.match(r"^(\d+\.)(.+)$", text)
        assert m3
        names = [u for u in re.split(r"[；;、]", units) if u]
        n = sum(isinstance(b, ZTask) for b in blocks) + 1
        blocks.append(ZTask(number=f"{n}.", text=cut(m3.group(2).strip(), 110), units=names, role_word=word))
    return blocks


def _forwarding_notice(key: str, issuer: str, number: str, plan: str, rows: list[list[str]], word: str) -> ZDocument:
    """A notice forwarding a plan of prose tasks, whose own annex is a table (an annex of an annex)."""
    body = golden()["documents"][1]["body"]
    table_rows = [[str(n), r[2].split("。")[0] + "。", r[3]] for n, r in enumerate(rows[:3], start=1)]
    annex = ZAttachment(
        label="附件",
        title=f"{plan}重点任务台账",
        blocks=[ZTable(header=["序号", "工作事项", "责任单位"], rows=table_rows)],
    )
    return ZDocument(
        key=key,
        doc_number=number,
        title_lines=[f"{issuer}关于印发{plan}的通知"],
        recipients=["各镇人民政府", "各街道办事处", "区直有关单位"],
        body=[ZPara(body[2]["text"]), ZPara(body[3]["text"])],
        attachment_list=[plan],
        signature=[issuer, "（区政务服务数据管理局代章）"],
        date=dt.date(2025, 3, 18),
        disclosure="主动公开",
        attachments=[ZAttachment(label="附件", title=plan, blocks=_prose_task_plan(rows, word), attachments=[annex])],
    )


def assembled_issues() -> list[ZIssue]:
    rows = corpus_task_rows()
    notice_a = corpus_documents()[1]
    notice_a.key = "issue-a/corpus-doc-2"
    fwd_a = _forwarding_notice(
        "issue-a/forwarded-plan",
        "滨江区人民政府办公室",
        "滨府办函〔2025〕12号",
        "滨江区政务公开重点任务清单",
        rows[9:13],
        "牵头单位",
    )
    annual = annual_report()
    annual.key = "issue-a/annual-report"
    a = ZIssue(
        key="issue-a",
        gazette="滨江区人民政府公报",
        year=2025,
        number=4,
        documents=[notice_a, fwd_a, annual],
        toc=[
            ZTocEntry(notice_a.title, notice_a.doc_number, "区政府文件", notice_a.key),
            ZTocEntry(fwd_a.title, fwd_a.doc_number, "区政府办公室文件", fwd_a.key),
            ZTocEntry(annual.title, None, "其他", annual.key),
        ],
    )
    report = work_report("hebei")
    report.key = "issue-b/report-hebei"
    fwd_b = _forwarding_notice(
        "issue-b/forwarded-plan",
        "临江县人民政府办公室",
        "临政办发〔2025〕3号",
        "临江县政务公开工作分工方案",
        rows[0:4],
        "责任单位",
    )
    fwd_b.signature = ["临江县人民政府办公室", "临江县数据资源局", "（临江县人民政府办公室代章）"]
    law = criminal_law()
    law.key = "issue-b/criminal-law"
    law.body = law.body[:16]
    b = ZIssue(
        key="issue-b",
        gazette="临江县人民政府公报",
        year=2025,
        number=2,
        documents=[report, fwd_b, law],
        toc=[
            ZTocEntry(report.title, None, "政府工作报告", report.key),
            ZTocEntry(fwd_b.title, fwd_b.doc_number, "县政府办公室文件", fwd_b.key),
            ZTocEntry(law.title, None, "法律法规", law.key),
        ],
    )
    return [a, b]


def all_models() -> list[ZIssue]:
    """Every source model: single documents (as their issuer printed them) and the assembled issues."""
    singles = [
        *corpus_documents(),
        work_report("anhui"),
        work_report("jilin"),
        annual_report(),
        criminal_law(),
    ]
    issues = [ZIssue(key=d.key, documents=[d]) for d in singles]
    return [*issues, *assembled_issues()]
