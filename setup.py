"""The build compiles the message catalogs: locale/*/LC_MESSAGES/deadlines.po → .mo (Babel).

Everything else about the package is in pyproject.toml.  The .mo files are
not committed; a wheel gets them from this step, an editable install
(``make``) compiles them into the source tree.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

PACKAGE = Path(__file__).resolve().parent / "src" / "deadlines"


def compile_catalogs(into: Path) -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in sorted((PACKAGE / "locale").glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as f:
            catalog = read_po(f, locale=po.parent.parent.name)
        target = into / po.relative_to(PACKAGE).with_suffix(".mo")
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as f:
            write_mo(f, catalog, use_fuzzy=False)


class build_py_with_catalogs(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            compile_catalogs(PACKAGE)
        else:
            compile_catalogs(Path(self.build_lib) / "deadlines")


setup(cmdclass={"build_py": build_py_with_catalogs})
