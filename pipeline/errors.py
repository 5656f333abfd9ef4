"""The code registry: every E/P/V code with its severity, rule name and text (zh by default, en via the switch).

``E0xx`` — an input that cannot be processed at all (the run fails for that file, the batch goes on).
``P1xx`` — something inside an otherwise processed file that could not be extracted (a ``Problem`` in
``Issue.errors``; the run is a partial success).
``V1xx`` … — findings about the gazette's content (``pipeline.check`` emits them; their rules are here).

Tests assert these codes, never the wording. The README's code tables are rendered from this module:
``python -m pipeline.errors --readme README.md`` rewrites them, ``--check README.md`` says whether they agree.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from enum import Enum

from pipeline.i18n import pick
from schemas.model import Problem, Severity


class Code(str, Enum):
    # --- the file cannot be processed (exit status 2 for `gazette parse`)
    E001 = "E001"  # file not found (or vanished while the batch ran)
    E002 = "E002"  # file is empty
    E003 = "E003"  # unsupported file type / not a PDF (binary garbage)
    E004 = "E004"  # corrupt or truncated PDF: cannot be opened or read
    E005 = "E005"  # encrypted PDF (password needed)
    E006 = "E006"  # no text layer: scanned/image-only, needs OCR
    E007 = "E007"  # text is garbled: fonts without a ToUnicode map ((cid:NN))
    E008 = "E008"  # text file in an encoding that cannot be decoded
    E009 = "E009"  # per-file time budget exceeded
    E010 = "E010"  # per-file page budget exceeded
    E011 = "E011"  # output directory not writable
    E099 = "E099"  # internal error in a stage (a bug: reported, never a traceback)
    # --- problems inside a processed file (run is partial_success)
    P101 = "P101"  # an issue TOC entry has no matching document
    P102 = "P102"  # a document has no matching issue TOC entry
    P103 = "P103"  # no official document found: the file may not be a gazette
    P104 = "P104"  # a GB/T 9704 element could not be parsed (date, 发文字号 …)
    P105 = "P105"  # some pages carry garbled text ((cid:NN)) and were partly skipped
    P201 = "P201"  # an indicator target could not be parsed
    P202 = "P202"  # a table could not be resolved into rows
    P301 = "P301"  # a task row has no unit
    P999 = "P999"  # a stage failed on part of the input (a bug, contained)
    # --- formats (OFD, DOCX, zip containers): issue 16
    E012 = "E012"  # zip container refused: zip bomb (declared size, ratio or member count over the limits)
    E013 = "E013"  # zip container refused: a member path escapes the package (../../x, absolute)
    E014 = "E014"  # OFD/DOCX: a required part is missing (OFD.xml, Document.xml, Content.xml, word/document.xml)
    E015 = "E015"  # OFD/DOCX: an XML part is malformed, too large or declares entities (expansion refused)
    E016 = "E016"  # old binary Word/WPS document (OLE2 .doc/.wps): convert it to .docx, .ofd or .pdf first
    E017 = "E017"  # OFD/DOCX: corrupt or truncated zip container
    P110 = "P110"  # OFD: an electronic seal/signature could not be read (recorded as unreadable)
    P111 = "P111"  # OFD: a page or resource referenced by the document is missing (page skipped)
    # --- reliability (issue 18): ingest under faults, concurrency and hostile input
    E018 = "E018"  # no official document found: quarantined, not published (unless --accept-any)
    E019 = "E019"  # the output folder is locked by another ingest
    E020 = "E020"  # an output of the file (export, catalog rows) could not be written: retried next run
    E021 = "E021"  # an output changed or vanished since it was written (drift found by verify)
    E022 = "E022"  # per-file memory budget exceeded
    E023 = "E023"  # the file changed (truncated, rewritten) while it was parsed: retried next run
    P120 = "P120"  # content lost while reading a PDF page (corrupt stream, unreadable object)
    # --- 政府信息公开工作年度报告 (issue 15, annual reports)
    P160 = "P160"  # a template row of an annual report's table could not be read
    P161 = "P161"  # an annual report's template table was not found
    # layout zoo / document structure (issue 12): P150–P159
    P150 = "P150"  # an outline numbering gap the reading cannot vouch for (to check, not a V303 of the gazette)
    # --- scanned pages and the PDF backends (issue 17)
    P130 = "P130"  # pages without a text layer were read with OCR (their values carry a confidence)


# English text of each code (the README's "meaning" column). Chinese text and rule names: below.
DESCRIPTIONS: dict[Code, str] = {
    Code.E001: "file not found (or deleted while the batch ran)",
    Code.E002: "file is empty",
    Code.E003: "not a PDF or a text file (binary garbage)",
    Code.E004: "corrupt or truncated PDF",
    Code.E005: "encrypted PDF (a password is needed)",
    Code.E006: "no text layer (a scan): needs OCR first",
    Code.E007: "garbled text: fonts without a ToUnicode map (`(cid:123)`)",
    Code.E008: "text encoding cannot be decoded (UTF-8, GB18030/GBK and others are detected)",
    Code.E009: "per-file time budget exceeded",
    Code.E010: "per-file page budget exceeded",
    Code.E011: "output directory not writable",
    Code.E099: "internal error in a stage (a bug; reported, never a traceback)",
    Code.P101: "an issue TOC entry has no matching document",
    Code.P102: "a document has no issue TOC entry",
    Code.P103: "no official document structure found: the file may not be a gazette",
    Code.P104: "a document element (date, 发文字号) could not be parsed",
    Code.P105: "garbled text on some pages",
    Code.P201: "an indicator target could not be parsed (its raw text is kept)",
    Code.P202: "a table could not be resolved into rows",
    Code.P301: "a task row without a unit",
    Code.P999: "a stage failed on part of the input (contained)",
    # formats (OFD, DOCX, zip containers): issue 16
    Code.E012: "OFD/DOCX zip refused as a zip bomb (a member declares > 256 MiB, all > 512 MiB, ratio > 200:1, "
    "> 20,000 members)",
    Code.E013: "OFD/DOCX zip member path escapes the package (`../../x`, absolute, drive letter)",
    Code.E014: "OFD/DOCX required part missing (`OFD.xml`, `Document.xml`, every page's `Content.xml`; "
    "`word/document.xml`)",
    Code.E015: "OFD/DOCX XML part malformed, larger than 64 MiB, declaring entities (never expanded) or drawing too "
    "many objects",
    Code.E016: "old binary Word/WPS document (OLE2 `.doc`/`.wps`): save it as `.docx`, `.ofd` or `.pdf` first",
    Code.E017: "OFD/DOCX corrupt or truncated zip container",
    Code.P110: "OFD: an electronic seal or signature part could not be read (recorded as signed, unnamed)",
    Code.P111: "OFD: a page's `Content.xml` or a resource file is missing (that page is skipped)",
    # --- reliability (issue 18)
    Code.E018: "no official document found (no 发文机关/文号/title block/date, no gazette cover): quarantined in the catalog and listed on `site/admin/index.html`, never published (`ingest --accept-any` publishes it)",
    Code.E019: "the output folder is locked by another running ingest (`OUT/.lock` names its pid; a stale lock is taken over)",
    Code.E020: "an output of the file (an export, its catalog rows) could not be written: the file failed and is retried next run (E011 when the disk is full or read-only)",
    Code.E021: "an output changed or vanished since it was written (found by `gazette verify`, repaired with `--repair`)",
    Code.E022: "per-file memory budget exceeded (`RunOptions.max_memory_mb`, 4 GiB of address space by default)",
    Code.E023: "the file changed (truncated, rewritten) while the batch parsed it: nothing of it is published, retried next run",
    Code.P120: "content lost while reading a PDF page (a stream that fails to decompress, an unreadable object): the page is named",
    # 政府信息公开工作年度报告 (issue 15, annual reports)
    Code.P160: "annual report: a template row could not be read",
    Code.P161: "annual report: a template table was not found",
    # layout zoo / document structure (issue 12)
    Code.P150: "an outline numbering gap the reading cannot vouch for: to check (待核), not a V303 of the gazette",
    # scanned pages and the PDF backends (issue 17)
    Code.P130: "pages without a text layer were read with OCR (values carry a confidence; low ones are 待核)",
}


class GazetteError(Exception):
    """An input that cannot be processed. Carries a stable code and the file it concerns."""

    def __init__(self, code: Code, path: str, reason: str) -> None:
        self.code = code
        self.path = path
        self.reason = reason
        super().__init__(f"error[{code.value}]: {path}: {reason}")

    def to_problem(self) -> Problem:
        return Problem(code=self.code.value, message=self.reason, file=self.path, severity=Severity.ERROR)


def problem(code: Code, message: str, page: int | None = None, severity: Severity = Severity.WARNING) -> Problem:
    """Build a ``Problem`` for something inside a processed file."""
    return Problem(code=code.value, message=message, page=page, severity=severity)


# --------------------------------------------------------------------------- the registry


@dataclass(frozen=True, slots=True)
class Rule:
    """One code: its stable rule name (a slug), severity and text in both languages."""

    code: str
    name: str
    severity: Severity
    zh: str
    en: str

    @property
    def text(self) -> str:
        """The text in the language in force (zh unless en was chosen)."""
        return pick(self.zh, self.en)


# Chinese text and rule name of each E/P code (the English text is DESCRIPTIONS).
_EP: dict[Code, tuple[str, str]] = {
    Code.E001: ("file-not-found", "文件不存在（或在批处理过程中被删除）"),
    Code.E002: ("file-empty", "文件为空"),
    Code.E003: ("unsupported-type", "既不是 PDF 也不是文本文件（二进制数据）"),
    Code.E004: ("corrupt-pdf", "PDF 已损坏或不完整"),
    Code.E005: ("encrypted-pdf", "PDF 已加密（需要密码）"),
    Code.E006: ("no-text-layer", "没有文字层（扫描件）：需先做 OCR"),
    Code.E007: ("garbled-text", "文字乱码：字体缺少 ToUnicode 映射（`(cid:123)`）"),
    Code.E008: ("undecodable-text", "文本编码无法解码（可识别 UTF-8、GB18030/GBK 等）"),
    Code.E009: ("time-budget", "超出单个文件的时间预算"),
    Code.E010: ("page-budget", "超出单个文件的页数预算"),
    Code.E011: ("output-not-writable", "输出目录不可写"),
    Code.E099: ("internal-error", "某一处理阶段的内部错误（程序缺陷；只报告，不抛出堆栈）"),
    Code.P101: ("toc-entry-unmatched", "期刊目录条目没有对应的文件"),
    Code.P102: ("document-not-in-toc", "文件在期刊目录中没有条目"),
    Code.P103: ("no-document", "未找到公文结构：该文件可能不是政府公报"),
    Code.P104: ("element-unparsed", "公文要素（日期、发文字号）无法解析"),
    Code.P105: ("garbled-pages", "部分页面文字乱码"),
    Code.P201: ("target-unparsed", "指标目标值无法解析（保留原文）"),
    Code.P202: ("table-unresolved", "表格无法还原为行"),
    Code.P301: ("task-without-unit", "任务行没有责任单位"),
    Code.P999: ("stage-failed", "某一处理阶段在部分输入上失败（已隔离）"),
    # formats (OFD, DOCX, zip containers): issue 16
    Code.E012: (
        "zip-bomb",
        "OFD/DOCX 压缩包疑似压缩炸弹（单个成员声明超过 256 MiB、合计超过 512 MiB、压缩比超过 200:1 或成员超过 2 万个）",
    ),
    Code.E013: ("zip-path-traversal", "OFD/DOCX 压缩包成员路径越出包外（`../../x`、绝对路径、盘符）"),
    Code.E014: (
        "missing-part",
        "OFD/DOCX 缺少必需部件（`OFD.xml`、`Document.xml`、各页 `Content.xml`；`word/document.xml`）",
    ),
    Code.E015: ("unsafe-xml", "OFD/DOCX 的 XML 部件格式错误、超过 64 MiB、声明实体（从不展开）或绘制对象过多"),
    Code.E016: (
        "old-binary-office",
        "旧版二进制 Word/WPS 文档（OLE2 `.doc`/`.wps`）：请先另存为 `.docx`、`.ofd` 或 `.pdf`",
    ),
    Code.E017: ("corrupt-zip", "OFD/DOCX 压缩包损坏或被截断"),
    Code.P110: ("seal-unreadable", "OFD：电子签章或签名部件无法读取（记为已签章、名称未知）"),
    Code.P111: ("ofd-part-missing", "OFD：某页的 `Content.xml` 或资源文件缺失（该页跳过）"),
    # --- reliability (issue 18)
    Code.E018: (
        "not-a-document",
        "未发现公文结构（无发文机关标志、文号、标题、成文日期，也无公报封面）：在目录库中隔离，列于 `site/admin/index.html`，"
        "不予发布（`ingest --accept-any` 可发布）",
    ),
    Code.E019: ("output-locked", "输出目录正被另一个导入进程使用（`OUT/.lock` 记有其 pid；失效的锁会被接管）"),
    Code.E020: (
        "output-not-written",
        "该文件的某个输出（导出文件、目录库记录）未能写入：该文件记为失败，下次运行时重试（磁盘已满或只读时为 E011）",
    ),
    Code.E021: ("output-drift", "某个输出在写入后被改动或删除（由 `gazette verify` 发现，`--repair` 修复）"),
    Code.E022: ("memory-budget", "超出单个文件的内存预算（`RunOptions.max_memory_mb`，默认 4 GiB 地址空间）"),
    Code.E023: ("changed-while-parsed", "文件在解析期间被改动（截断、重写）：不发布任何内容，下次运行时重试"),
    Code.P120: ("content-lost", "读取 PDF 页面时内容丢失（数据流无法解压、对象无法读取）：注明页码"),
    # 政府信息公开工作年度报告 (issue 15, annual reports)
    Code.P160: ("annual-row-unread", "年度报告：模板表的某一行无法读取"),
    Code.P161: ("annual-table-missing", "年度报告：未找到模板表"),
    # layout zoo / document structure (issue 12)
    Code.P150: (
        "numbering-gap-uncertain",
        "大纲编号缺号可能是本工具漏读（跨页、折行或未识别的行）：待核，不是公报的 V303 错误",
    ),
    # scanned pages and the PDF backends (issue 17)
    Code.P130: ("ocr-pages", "无文字层的页面已用 OCR 识别（数值带置信度，低置信度的待核）"),
}

_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

# Finding codes: name, severity, zh, en.
FINDINGS: dict[str, Rule] = {
    r.code: r
    for r in (
        Rule(
            "V101",
            "value-mismatch",
            _E,
            "正文中某一期的数值与表格单元格不一致",
            "a per-period value in the prose differs from the table cell",
        ),
        Rule(
            "V102",
            "value-mismatch-weak",
            _W,
            "正文数值与一个仅大致对应的单元格不一致（计数单位不同，如 家（次） 与 家）",
            "a prose value differs from a cell that only loosely matches (different counting unit, e.g. 家（次） vs 家)",
        ),
        Rule(
            "V103",
            "average-mismatch",
            _E,
            "所述平均值既不等于各期数值（或各年比率）的均值，也不等于合并比率（按印刷精度）",
            "a stated average matches neither the mean of the period values (or of the yearly rates) nor the pooled "
            "rate, within the printed precision",
        ),
        Rule(
            "V104",
            "average-definition",
            _I,
            "所述比率平均值是各年比率的均值，而不是合并比率 Σ整改/Σ发现",
            "a stated average of rates is the mean of the yearly rates, not the pooled rate Σfixed/Σfound",
        ),
        Rule(
            "V105",
            "universal-mismatch",
            _E,
            "对多个时期的概括（均为 100%）在某一期不成立",
            "a claim over several periods (均为 100%) is false for a period",
        ),
        Rule(
            "V106",
            "universal-unverifiable",
            _W,
            "对多个时期的概括涉及表格中无数据的时期",
            "a claim over several periods covers a period where the table has no data",
        ),
        Rule(
            "V107",
            "superlative-mismatch",
            _E,
            "最高/较高/较低/最低 的表述与数值矛盾",
            "a 最高/较高/较低/最低 statement contradicts the values",
        ),
        Rule(
            "V108",
            "difference-mismatch",
            _E,
            "所述差值（剩余 = 总数 − 已完成）有误",
            "a stated difference (remaining = total − done) is wrong",
        ),
        Rule(
            "V109",
            "total-mismatch",
            _E,
            "所述多个时期的合计与表格之和不一致",
            "a stated total over several periods differs from the table's sum",
        ),
        Rule(
            "V201",
            "total-row-mismatch",
            _E,
            "合计/总计/小计 行或列不等于各部分之和",
            "a 合计/总计/小计 row or column is not the sum of its parts",
        ),
        Rule(
            "V202",
            "reconciliation-mismatch",
            _E,
            "表注所述的勾稽关系不成立",
            "a 勾稽关系 stated in a table note does not hold",
        ),
        Rule(
            "V203",
            "rate-above-100",
            _E,
            "占整体比例的比率（整改率、覆盖率、占比 …）超过 100%",
            "a share-of-a-whole rate (整改率, 覆盖率, 占比 …) above 100 %",
        ),
        Rule(
            "V204",
            "fixed-exceeds-found",
            _E,
            "某一期已完成的数量多于应完成的总数",
            "more items done than there were to do in a period",
        ),
        Rule("V301", "sequence-column-gap", _E, "表格序号列有缺号或重号", "a gap or repeat in a table's 序号 column"),
        Rule(
            "V302",
            "numbered-items-gap",
            _W,
            "编号段落或表格内编号条目有缺号或重号（1. 2. / 一是 二是）",
            "a gap or repeat in numbered paragraphs or in the numbered items of a table (1. 2. / 一是 二是)",
        ),
        Rule(
            "V303",
            "outline-numbering-gap",
            _E,
            "大纲标题编号有缺号或重号（第一章…、第一节…）",
            "a gap or repeat in outline headings (第一章…, 第一节…)",
        ),
        Rule(
            "V304",
            "issue-toc-page",
            _E,
            "期刊目录页码与文件首页不一致",
            "an issue TOC page differs from the document's first page",
        ),
        Rule(
            "V305",
            "issue-toc-title",
            _W,
            "期刊目录标题与文件标题不一致",
            "an issue TOC title differs from the document's title",
        ),
        Rule(
            "V306",
            "attachment-toc-page",
            _W,
            "附件目录页码与对应标题所在页不一致",
            "an attachment TOC page differs from its heading's page",
        ),
        Rule(
            "V307",
            "attachment-toc-title",
            _W,
            "附件目录标题与对应标题不一致",
            "an attachment TOC title differs from its heading",
        ),
        Rule(
            "V308",
            "attachment-toc-unlinked",
            _W,
            "附件目录条目在正文中没有对应标题",
            "an attachment TOC entry has no heading in the body",
        ),
        Rule(
            "V309",
            "attachment-toc-offset",
            _I,
            "附件目录页码与公报印刷页码相差一个固定偏移",
            "the attachment TOC counts pages with a constant offset from the gazette's printed pages",
        ),
        Rule("V401", "date-after-printed", _E, "成文日期晚于印发日期", "成文日期 is after 印发日期"),
        Rule(
            "V402",
            "doc-number-year",
            _W,
            "发文字号年份与成文日期年份不一致",
            "the 发文字号 year differs from the year of the 成文日期",
        ),
        Rule(
            "V403",
            "deadline-outside-period",
            _W,
            "时限超出规划所述期限",
            "a deadline falls outside the plan's stated period",
        ),
        Rule(
            "V501",
            "footnote-missing",
            _I,
            "目标值带有注释标记，但未印出注释内容",
            "a target carries a footnote marker but no footnote text is printed",
        ),
        Rule(
            "V502",
            "reference-missing",
            _W,
            "正文引用了不存在的表号或图号",
            "the prose refers to a table or figure number that does not exist",
        ),
        Rule(
            "V503",
            "figure-only-unverifiable",
            _I,
            "数据只在图中给出的正文数值：无法核对",
            "prose values whose data is only in a figure: not verifiable",
        ),
        # --- 政府信息公开工作年度报告 (issue 15, annual reports: pipeline.check.annual)
        Rule(
            "V601",
            "annual-total-column",
            _E,
            "年度报告：申请表的总计列不等于各列之和",
            "annual report: a 总计 column of the 申请 table is not the sum of its parts",
        ),
        Rule(
            "V602",
            "annual-reconciliation",
            _E,
            "年度报告：表中注明的勾稽关系不成立",
            "annual report: a 勾稽关系 note printed in the table does not hold",
        ),
        Rule(
            "V603",
            "annual-results-total",
            _E,
            "年度报告：本年度办理结果各行之和不等于总计行",
            "annual report: the 本年度办理结果 rows do not sum to their 总计 row",
        ),
        Rule(
            "V604",
            "annual-review-total",
            _E,
            "年度报告：行政复议/行政诉讼的总计不等于各结果之和",
            "annual report: a 行政复议/行政诉讼 总计 is not the sum of its 结果 columns",
        ),
        Rule(
            "V605",
            "annual-prose-mismatch",
            _W,
            "年度报告：正文数字（受理申请 N 件 …）与表格不一致",
            "annual report: a figure in the prose (受理申请 N 件 …) differs from its table cell",
        ),
        Rule("V606", "annual-negative", _E, "年度报告：表中出现负数", "annual report: a negative number"),
        Rule(
            "V607", "annual-part-above-total", _E, "年度报告：分项大于其总计", "annual report: a part above its total"
        ),
        Rule(
            "V608",
            "annual-carry-over",
            _E,
            "年度报告：本年“上年结转”不等于同一机关上年报告的“结转下年度继续办理”",
            "annual report: this year's 上年结转 differs from last year's 结转下年度继续办理 (same issuer)",
        ),
        Rule(
            "V609",
            "annual-not-a-number",
            _W,
            "年度报告：模板表的单元格不是数字",
            "annual report: a template cell that is not a number",
        ),
        # --- claims from the vocabulary: changes, average growth, shares (issue 11, pipeline.check.validate)
        Rule(
            "V190",
            "change-mismatch",
            _E,
            "所述较上年的变化（增长/减少的数量或百分比）与表格中前后两期的数值不一致",
            "a stated change from the period before (较上年 up/down, by a number or a percentage) differs from the "
            "table's two periods",
        ),
        Rule(
            "V191",
            "average-growth-mismatch",
            _E,
            "所述年均增长率与表格首末两期的复合增长率、各年增长率的均值都不一致",
            "a stated average yearly growth matches neither the compound growth between the table's first and last "
            "periods nor the mean of its yearly growth rates",
        ),
        Rule(
            "V192",
            "share-mismatch",
            _E,
            "所述占比与表格中该项占合计的比例不一致",
            "a stated share (占比) differs from the row's part of the table's total in that period",
        ),
    )
}


def rule(code: Code | str) -> Rule:
    """The registry entry of any E/P/V code (``KeyError`` for an unknown code)."""
    key = code.value if isinstance(code, Code) else code
    if key in FINDINGS:
        return FINDINGS[key]
    c = Code(key)
    name, zh = _EP.get(c, (c.value.lower(), DESCRIPTIONS[c]))
    return Rule(c.value, name, Severity.ERROR if c.value.startswith("E") else Severity.WARNING, zh, DESCRIPTIONS[c])


def describe(code: Code | str) -> str:
    """The text of a code in the language in force."""
    return rule(code).text


# --------------------------------------------------------------------------- README tables

_MARK = "<!-- codes:{} -->"
_END = "<!-- /codes:{} -->"


def readme_table(kind: str) -> str:
    """The README table of the ``E``, ``P`` or ``V`` codes (both languages, registry order)."""
    if kind == "V":
        rows = ["| code | severity | rule | meaning | 说明 |", "| --- | --- | --- | --- | --- |"]
        rows += [f"| {r.code} | {r.severity.value} | {r.name} | {r.en} | {r.zh} |" for r in FINDINGS.values()]
    else:
        rows = ["| code | rule | meaning | 说明 |", "| --- | --- | --- | --- |"]
        rows += [f"| {r.code} | {r.name} | {r.en} | {r.zh} |" for r in (rule(c) for c in Code) if r.code[0] == kind]
    return "\n".join(rows)


def render_readme(text: str) -> str:
    """``text`` with every ``<!-- codes:X -->`` … ``<!-- /codes:X -->`` block replaced by the current table."""
    for kind in ("E", "P", "V"):
        start, end = _MARK.format(kind), _END.format(kind)
        head, found, rest = text.partition(start)
        if not found or end not in rest:
            raise ValueError(f"README has no {start} … {end} block")
        text = f"{head}{start}\n{readme_table(kind)}\n{end}{rest.partition(end)[2]}"
    return text


def main(argv: list[str]) -> int:
    """``--readme PATH`` rewrites the README's code tables; ``--check PATH`` exits 1 when they differ."""
    if len(argv) != 2 or argv[0] not in ("--readme", "--check"):
        print("usage: python -m pipeline.errors --readme|--check README.md", file=sys.stderr)
        return 2
    from pathlib import Path

    path = Path(argv[1])
    old = path.read_text(encoding="utf-8")
    new = render_readme(old)
    if argv[0] == "--check":
        return 0 if new == old else 1
    path.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
