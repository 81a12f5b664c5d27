"""Importing the files plans arrive in: Word (.docx, .doc), Excel (.xlsx,
.xls), OpenDocument (.odt), PDF and web pages.

The fixtures are made by LibreOffice from tests/fixtures/office/make.py
(`make fixtures`): each bundled plan laid out as its original table, with the
merged cells its text shows, and saved in each format.  Each must import to
the reviewed rules file of that plan: the same obligations in the same order
with the same title, requirement, units, time limit as written and rules
(ids aside), apart from the differences listed in JUSTIFIED with the reason.

.doc and .odt go through LibreOffice at import: `make test` installs it
(Debian's libreoffice-writer-nogui and libreoffice-calc-nogui) where missing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from deadlines.cli import main
from deadlines.importers import import_plan, read_document, sniff
from deadlines.importers.document import Table
from deadlines.rulesfile import load_plan
from deadlines.units import UnitRegistry

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rules"
FIXTURES = ROOT / "tests" / "fixtures" / "office"
PLANS = FIXTURES / "plans"
ODD = FIXTURES / "oddities"

# rules file, seed text, id prefix, --year
BUNDLED = [
    ("zhongshan-2015", "000_c8e718aacc69a023.txt", "zs2015", None),
    ("chengdu-2013", "001_5c3635aaa78d82c8.txt", "cd2013", 2014),
    ("zhongshan-2019", "002_fc73d67c6bebdb65.txt", "zs2019", None),
    ("jiaoling-2016", "003_8c36aaee05ee3aae.txt", "jl2016", None),
    ("zhashui-2015", "004_8d8257cba47008e5.txt", "zsx2015", None),
]
FORMATS = ["docx", "doc", "odt", "xlsx", "pdf", "html"]

# (plan, format or file) → {obligation id in the reviewed file: why it may differ}
JUSTIFIED: dict[tuple[str, str], dict[str, str]] = {
    ("zhongshan-2019", "county-page.html"): {
        # The site's editor put each unit of the cell on its own line (<br>).  A
        # line break in a unit cell is also how a long name wraps in a copied
        # text ("市住房城乡\n建设局"), and "市财政局" + "涉及…有关单位" reads as a
        # name and its continuation: the one reading of broken unit cells
        # (unitcells.join_broken) cannot tell them apart.
        "zs2019-34": "units: '市财政局<br>涉及…的有关单位' read as one name",
    },
    # A PDF's text layer keeps no space glyph between a digit or Latin letter and a
    # Chinese character where the plan had a half-width space ("2016 年", "AQI 等级",
    # "社会资 本"); pdfplumber reads the letters as adjacent.  The text is the same to a reader.
    ("jiaoling-2016", "pdf"): {
        "jl2016-8": "title: '社会资 本' → '社会资本'",
        "jl2016-15.2": "requirement: '开展 2016 年' → '开展2016 年'",
        "jl2016-15.3": "requirement: '开展 2016 年' → '开展2016 年'",
        "jl2016-16.1": "requirement: '城区 AQI' → '城区AQI'",
        "jl2016-22.1": "requirement: a half-width space lost",
        "jl2016-22.2": "requirement: '不少于 1 次' → '不少于 1次'",
        "jl2016-23.1": "requirement: a half-width space lost",
        # The time-limit cell's two lines ("2016年7月" / "2017年1月") each fill the
        # narrow column: in print a line break and a line wrapped at the cell's edge
        # look the same, so the two dates read as one line (and one unread limit).
        "jl2016-20.5": "due_text: '2016年7月2017年1月' (two printed lines joined)",
    },
}


@pytest.fixture(scope="session")
def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    assert found, "LibreOffice is missing: `make test` installs it (apt-get install libreoffice-writer-nogui " \
                  "libreoffice-calc-nogui)"
    return found


def _content(plan):
    return [(o.title, o.requirement, o.units, o.due_text, o.rules) for o in plan.obligations]


def _meta(plan):
    return {k: getattr(plan, k) for k in ("title", "issuer", "document_number", "issued", "year", "place")}


def _import_file(path: Path, name: str, prefix: str, year: int | None, tmp: Path):
    result = import_plan(path.read_bytes(), source=path.name, year=year, prefix=prefix, plan_id=name,
                         registry=UnitRegistry())
    out = tmp / f"{name}.yaml"
    out.write_text(result.yaml, encoding="utf-8")
    return load_plan(out), result


@pytest.fixture(scope="module")
def from_text(tmp_path_factory):
    """Each bundled plan imported from its text: the reading every format must give."""
    tmp = tmp_path_factory.mktemp("text")
    return {name: _import_file(RULES / "sources" / seed, name, prefix, year, tmp)[0]
            for name, seed, prefix, year in BUNDLED}


def _compare(name: str, key: str, mine, text_plan):
    """The imported plan against the reviewed file and the text's reading, apart from JUSTIFIED."""
    reviewed = load_plan(RULES / f"{name}.yaml")
    assert _meta(mine) == _meta(reviewed)
    assert len(mine.obligations) == len(reviewed.obligations)
    allowed = JUSTIFIED.get((name, key), {})
    differ = {}
    for got, want, text in zip(mine.obligations, reviewed.obligations, text_plan.obligations):
        # Title, text, units and limit as reviewed; the rules as the text reads them
        # (the reviewed file corrects some rules, each marked `# reviewed:`).
        mine_ = (got.title, got.requirement, got.units, got.due_text, got.rules)
        want_ = (want.title, want.requirement, want.units, want.due_text, text.rules)
        if mine_ != want_:
            differ[want.id] = [(a, b) for a, b in zip(mine_, want_) if a != b]
    assert set(differ) == set(allowed), differ


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name, seed, prefix, year", BUNDLED)
def test_each_format_of_each_bundled_plan_reads_as_its_reviewed_rules(tmp_path, from_text, soffice, fmt, name, seed,
                                                                       prefix, year):
    mine, result = _import_file(PLANS / f"{name}.{fmt}", name, prefix, year, tmp_path)
    _compare(name, fmt, mine, from_text[name])
    assert result.yaml.startswith(f"# Source: {name}.{fmt} ({fmt}).")



def test_the_county_page_reads_as_the_plan(tmp_path, from_text):
    page = ODD / "county-page.html"
    assert b'charset=gb2312' in page.read_bytes()[:400]
    mine, result = _import_file(page, "zhongshan-2019", "zs2019", None, tmp_path)
    _compare("zhongshan-2019", "county-page.html", mine, from_text["zhongshan-2019"])
    assert any("导航" in n for n in result.notes)


def test_the_county_page_leaves_the_site_out_and_keeps_line_breaks():
    doc = read_document((ODD / "county-page.html").read_bytes(), "county-page.html")
    text = "\n".join(getattr(b, "text", "") for b in doc.blocks)
    for furniture in ("首页", "政务服务", "网站标识码", "相关链接", "您现在的位置", "搜索"):
        assert furniture not in text
    table = next(doc.tables())
    # 工作任务 spans its measures' rows; a unit cell spans the rows it covers; <br> is a line break.
    rows = [[(c.text, c.spanned) for c in row] for row in table.rows]
    assert rows[1][0] == ("一、深入解读重要政策措施", False) and rows[2][0] == ("一、深入解读重要政策措施", True)
    assert rows[2][2] == ("市政府各部门\n各镇区", False) and rows[3][2] == ("市政府各部门\n各镇区", True)


# --------------------------------------------------------------------------
# Where each obligation came from


def test_source_names_the_table_row_sheet_and_page(tmp_path):
    name, seed, prefix, year = BUNDLED[0]
    docx, _ = _import_file(PLANS / f"{name}.docx", name, prefix, year, tmp_path)
    first = docx.obligations[0].source
    assert (first.item, first.table, first.row, first.line) == ("1", 1, 2, None)
    xlsx, _ = _import_file(PLANS / f"{name}.xlsx", name, prefix, year, tmp_path)
    first = xlsx.obligations[0].source
    assert (first.sheet, first.row) == ("Sheet1", 3)  # the title row, the header, then the first task
    pdf, _ = _import_file(PLANS / f"{name}.pdf", name, prefix, year, tmp_path)
    pages = {o.source.page for o in pdf.obligations}
    assert min(pages) == 1 and max(pages) > 1 and all(o.source.table == 1 for o in pdf.obligations)


def test_the_text_path_writes_item_and_line_only():
    name, seed, prefix, year = BUNDLED[4]
    result = import_plan((RULES / "sources" / seed).read_bytes(), source=seed, prefix=prefix, plan_id=name,
                         registry=UnitRegistry())
    assert "    source: {item: \"1\", line: 18}" in result.yaml or "source: {item:" in result.yaml
    assert "table:" not in result.yaml and "sheet:" not in result.yaml and "page:" not in result.yaml


# --------------------------------------------------------------------------
# Real-world oddities


def test_a_table_continued_on_the_next_page_with_its_header_repeated(tmp_path):
    doc = read_document((ODD / "across-pages.docx").read_bytes(), "across-pages.docx")
    tables = list(doc.tables())
    assert len(tables) == 2 and [c.text for c in tables[1].rows[0]] == [c.text for c in tables[0].rows[0]]
    for path in (ODD / "across-pages.docx", ODD / "across-pages.pdf"):
        plan, _ = _import_file(path, "across", "x", None, tmp_path)
        assert [o.title for o in plan.obligations] == [
            "推进权力清单公开", "推进财政资金信息公开", "推进保障性住房信息公开", "推进环境保护信息公开",
            "推进安全生产信息公开", "推进食品药品安全信息公开", "推进价格和收费信息公开", "推进征地拆迁信息公开"], path
        assert plan.obligations[5].units.lead == ("县食药监局",) and plan.obligations[5].due_text == "每月10日前"


def test_a_pdf_table_across_two_pages_is_one_table():
    doc = read_document((ODD / "across-pages.pdf").read_bytes(), "across-pages.pdf")
    pages = {c.where.page for t in doc.tables() for row in t.rows for c in row}
    assert pages == {1, 2}


def test_cells_with_several_paragraphs(tmp_path):
    doc = read_document((ODD / "cell-paragraphs.docx").read_bytes(), "cell-paragraphs.docx")
    row = next(doc.tables()).rows[1]
    assert row[2].text == "1.按时报送政府信息公开统计数据。\n2.按时发布政府信息公开年度报告。"
    assert row[4].text == "2016年7月\n2017年1月"
    plan, _ = _import_file(ODD / "cell-paragraphs.docx", "cells", "x", None, tmp_path)
    first = plan.obligations[0]
    assert first.due_text == "2016年7月；2017年1月" and len(first.rules) == 2
    assert list(first.units.all()) == ["县政府办", "各有关单位"]


@pytest.mark.parametrize("book", ["two-sheets.xlsx", "two-sheets.xls"])
def test_a_workbook_of_two_sheets_with_title_rows(tmp_path, book):
    doc = read_document((ODD / book).read_bytes(), book)
    assert [t.where.sheet for t in doc.tables()] == ["县直部门", "各乡镇"]
    plan, _ = _import_file(ODD / book, "sheets", "x", None, tmp_path)
    assert plan.title == "某县2016年政务公开工作要点分工方案" and plan.year == 2016  # "（县直部门）" is no part of it
    assert len(plan.obligations) == 8
    assert [o.source.sheet for o in plan.obligations] == ["县直部门"] * 4 + ["各乡镇"] * 4
    assert plan.obligations[4].source.row == 3 and plan.obligations[4].units.lead == ("县安监局",)


# --------------------------------------------------------------------------
# The reader is chosen by content


@pytest.mark.parametrize("fixture, kind", [
    (PLANS / "zhongshan-2015.docx", "docx"), (PLANS / "zhongshan-2015.doc", "ole"),
    (PLANS / "zhongshan-2015.odt", "odt"), (PLANS / "zhongshan-2015.xlsx", "xlsx"),
    (ODD / "two-sheets.xls", "xls"), (PLANS / "zhongshan-2015.pdf", "pdf"),
    (ODD / "county-page.html", "html"), (RULES / "sources" / "000_c8e718aacc69a023.txt", "text"),
])
def test_the_kind_of_file_from_its_content(fixture, kind):
    assert sniff(fixture.read_bytes()) == kind


def test_a_word_file_saved_as_txt_still_imports(capsys, tmp_path):
    renamed = tmp_path / "附件1.txt"
    renamed.write_bytes((PLANS / "zhashui-2015.docx").read_bytes())
    code = main(["import", str(renamed), "--id", "zsx2015"])
    out, err = capsys.readouterr()
    assert code == 0 and out.count("\n  - id: zsx2015-") == 31 and "(docx)" in out.split("\n")[1]


# --------------------------------------------------------------------------
# Clear one-line errors


def _cli(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_scanned_pdf_needs_ocr(capsys, tmp_path):
    code, out, err = _cli(capsys, "import", str(ODD / "scanned.pdf"), "-o", str(tmp_path / "x.yaml"))
    assert code == 2 and out == "" and err.count("\n") == 1 and "OCR" in err and "scanned.pdf" in err
    assert not (tmp_path / "x.yaml").exists()


def test_without_libreoffice_a_doc_says_how_to_install_it(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice on this PATH
    code, out, err = _cli(capsys, "import", str(PLANS / "zhashui-2015.doc"), "-o", str(tmp_path / "x.yaml"))
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "apt-get install libreoffice-writer-nogui libreoffice-calc-nogui" in err and ".docx" in err


def test_a_broken_office_file_is_one_line(capsys, tmp_path):
    broken = tmp_path / "plan.docx"
    broken.write_bytes((PLANS / "zhashui-2015.docx").read_bytes()[:3000])
    code, out, err = _cli(capsys, "import", str(broken))
    assert code == 2 and err.count("\n") == 1 and "plan.docx" in err


def test_every_merge_is_resolved_in_the_word_file():
    doc = read_document((PLANS / "zhongshan-2015.docx").read_bytes(), "zs.docx")
    table = next(doc.tables())
    assert isinstance(table, Table) and table.width == 5
    # Task 2's number, title and unit are merged down over its five measures.
    rows = [[(c.text, c.spanned) for c in row] for row in table.rows[2:7]]
    assert [r[0] for r in rows] == [("2", False)] + [("2", True)] * 4
    assert [r[2] for r in rows] == [("市财政局", False)] + [("市财政局", True)] * 4
    assert [r[3][1] for r in rows] == [False] * 5
