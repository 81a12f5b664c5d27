"""Formats read through LibreOffice: Word 97–2003 .doc, WPS .wps and .et,
.xls files xlrd cannot read (some WPS saves), OpenDocument .odt/.ods, RTF.

``soffice --headless --convert-to docx|xlsx`` turns the file into the format
a reader here knows, in a temporary folder that is removed afterwards.  Each
conversion gets its own LibreOffice profile in that folder, so conversions
never wait on (or break) a LibreOffice the user has open.  Where LibreOffice
is not installed the user is told, in one line, how to install it or to save
the file as .docx/.xlsx.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .problems import FormatProblem

TIMEOUT = 180  # seconds: a long plan converts in a few; a hung conversion must not hang the import

# kind → (extension LibreOffice recognises the input by, target format, what to tell the user)
KINDS = {
    "doc": (".doc", "docx", ".doc"),
    "wps": (".wps", "docx", ".wps"),
    "rtf": (".rtf", "docx", ".rtf"),
    "odt": (".odt", "docx", ".odt"),
    "xls": (".xls", "xlsx", ".xls"),
    "et": (".et", "xlsx", ".et"),
    "ods": (".ods", "xlsx", ".ods"),
}


def soffice() -> str | None:
    """The LibreOffice command on PATH, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(data: bytes, name: str, kind: str) -> bytes:
    """The bytes of ``data`` (a file of ``kind``) converted to .docx or .xlsx."""
    suffix, target, label = KINDS[kind]
    command = soffice()
    if command is None:
        raise FormatProblem("no_soffice", name, kind=label, target="." + target)
    with tempfile.TemporaryDirectory(prefix="deadlines-office-") as tmp:
        folder = Path(tmp)
        source = folder / ("document" + suffix)
        source.write_bytes(data)
        out = folder / "out"
        env = {**os.environ, "HOME": tmp}  # LibreOffice writes under HOME even with its own profile
        try:
            done = subprocess.run(
                [command, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--norestore",
                 "--nologo", "--convert-to", target, "--outdir", str(out), str(source)],
                capture_output=True, text=True, timeout=TIMEOUT, env=env, stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            raise FormatProblem("soffice_failed", name, reason=f"超过 {TIMEOUT} 秒", target="." + target) from None
        except OSError as exc:
            raise FormatProblem("soffice_failed", name, reason=exc.strerror or str(exc), target="." + target) from None
        result = out / ("document." + target)
        if not result.exists():
            reason = (done.stderr or done.stdout).strip().splitlines()
            reason = next((line for line in reversed(reason) if "javaldx" not in line), f"exit {done.returncode}")
            raise FormatProblem("soffice_failed", name, reason=reason[:200], target="." + target)
        return result.read_bytes()
