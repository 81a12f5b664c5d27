"""Importing a 100-row plan from .docx beside the same plan as text.

Targets (issue 11): the .docx path within 3× of the text path (peer / ours ≥
0.33), and the whole `deadlines import plan.docx` process under 2 s (the
second row: the limit is the peer figure, so peer / ours ≥ 1 meets it).

The plan: a title, a header and 100 task rows in 20 tasks of 5 measures,
the number, task and unit cells merged down over each task's measures — the
layout of the bundled plans.  The .docx is written with python-docx (the
merges are real w:vMerge cells); the text is the tab-separated copy Word puts
on the clipboard, merged cells left empty.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from _timing import cold_ms

HEADER = ["序号", "工作任务", "牵头单位", "具体工作措施", "完成时限"]
LIMITS = ["2016年12月底前", "每季度首月25日前", "审批或核准后两个工作日内", "全年工作", "每月10日前"]
UNITS = ["县财政局", "县住建局", "县环保局", "县国土局", "县教育局"]


def _rows() -> list[list[str]]:
    rows = []
    for task in range(1, 21):
        for measure in range(1, 6):
            rows.append([str(task), f"推进第{task}项重点领域信息公开", UNITS[task % 5],
                         f"{measure}．做好第{task}项第{measure}条信息公开工作，并在政府网站公开。", LIMITS[measure - 1]])
    return rows


def _docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("某县2016年政务公开工作要点分工方案")
    rows = _rows()
    table = document.add_table(rows=len(rows) + 1, cols=5)
    for c, h in enumerate(HEADER):
        table.cell(0, c).text = h
    for r, row in enumerate(rows, 1):
        table.cell(r, 3).text, table.cell(r, 4).text = row[3], row[4]
        if (r - 1) % 5 == 0:
            for c in range(3):
                table.cell(r, c).text = row[c]
                table.cell(r, c).merge(table.cell(r + 4, c))
    document.save(str(path))


def _text(path: Path) -> None:
    lines = ["某县2016年政务公开工作要点分工方案", "\t".join(HEADER)]
    for k, row in enumerate(_rows()):
        lines.append("\t".join(row if k % 5 == 0 else ["", "", "", row[3], row[4]]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _best_ms(fn, repeat: int = 7) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best * 1e3


def run() -> list[dict]:
    from deadlines.importers import import_plan

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        docx_file, text_file = folder / "plan.docx", folder / "plan.txt"
        _docx(docx_file)
        _text(text_file)
        docx_bytes, text_bytes = docx_file.read_bytes(), text_file.read_bytes()
        a = import_plan(docx_bytes, source="plan.docx", prefix="x")
        b = import_plan(text_bytes, source="plan.txt", prefix="x")
        assert a.obligations == b.obligations == 100, (a.obligations, b.obligations)
        ours = _best_ms(lambda: import_plan(docx_bytes, source="plan.docx", prefix="x"))
        peer = _best_ms(lambda: import_plan(text_bytes, source="plan.txt", prefix="x"))
        cold = cold_ms([sys.executable, "-m", "deadlines", "import", str(docx_file), "--id", "x"], repeat=5)
    return [
        {"what": "import a 100-row plan in-process: .docx (target: within 3×)", "ours": ours,
         "peer": "the same plan as text", "peer_value": peer, "unit": "ms"},
        {"what": "cold `deadlines import plan.docx`, 100 rows (target: < 2 s)", "ours": cold,
         "peer": "the 2 s limit", "peer_value": 2000.0, "unit": "ms"},
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
