"""What a reader says when a file cannot be read: one line each, kept here so
they can be translated together.  Each is a :class:`FormatProblem` (a
:class:`~deadlines.errors.DeadlineError`), so the CLI prints it and exits 2."""

from __future__ import annotations

from ..errors import DeadlineError

MESSAGES = {
    "needs_ocr": "{source}: PDF 没有文字层（扫描件），需先做文字识别（OCR），或改用原始的 .docx / .doc 文件",
    "no_soffice": ("{source}: 读取 {kind} 文件需要 LibreOffice，本机未安装：请运行 "
                   "apt-get install libreoffice-writer-nogui libreoffice-calc-nogui，或在 WPS/Word 中另存为 {target}"),
    "soffice_failed": "{source}: LibreOffice 未能转换此文件（{reason}）；请在 WPS/Word 中另存为 {target} 后再导入",
    "broken": "{source}: 不是完整的 {kind} 文件（{reason}）；请重新下载或另存后再导入",
    "encrypted": "{source}: 文件已加密（设有打开密码），请去掉密码另存后再导入",
    "empty": "{source}: 文件里没有文字",
}


class FormatProblem(DeadlineError):
    """A file in an office format, a web page or a PDF that cannot be read."""

    def __init__(self, key: str, source: str, **data: str):
        self.key, self.source, self.data = key, source, data
        super().__init__(MESSAGES[key].format(source=source, **data))
