"""Unit names: reading a unit cell into roles, and one name per unit.

A plan writes its units as the drafting office did: "县电子政务中心牵头，县级各部门负责",
"县人社局\\n\\n县卫生局\\n\\n分别牵头", "市政府办公室牵头,市政府各部门、各镇区配合".
:func:`read_units` turns such a cell into the three roles.

The same unit is spelled in several ways (县人社局 = 县人力资源和社会保障局,
市府办公室 = 市政府办公室), and the same local name means different units in
different places (中山's 市财政局 is not 成都's).  The registry
(``rules/units.yaml``) gives every unit one canonical name, qualified by its
place, with the spellings plans use as aliases; collective units (各镇区,
市政府各部门, 县级各部门) are kept as named groups.  ``deadlines import``
extends it; rule files keep the names as written and are resolved on loading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Iterable

from .errors import DeadlineError, RulesFileError, UnknownName
from .model import Units

# --------------------------------------------------------------------------
# Reading a unit cell

# Role words at the end of a clause, longest first (分别牵头 before 牵头).
_ROLE_WORDS = {
    "分别牵头": "lead", "牵头负责": "lead", "牵头": "lead",
    "分别落实": "responsible", "分别负责": "responsible", "具体负责": "responsible",
    "负责": "responsible", "落实": "responsible", "实施": "responsible",
    "配合": "cooperating", "协助": "cooperating", "参与": "cooperating",
}
_ROLE_AT_END = re.compile("(" + "|".join(sorted(_ROLE_WORDS, key=len, reverse=True)) + ")$")
# "(牵头单位:…;责任单位:…)": a role named before its units.
_ROLE_LABELS = {"牵头单位": "lead", "牵头部门": "lead", "责任单位": "responsible",
                "责任部门": "responsible", "配合单位": "cooperating", "协办单位": "cooperating"}
_LABELLED = re.compile("(" + "|".join(_ROLE_LABELS) + r")\s*[:：]")
# The endings of a unit's name: a line ending in one ends a name.
NAME_END = re.compile(r"(局|办|委|室|中心|院|府|会|站|所|台|部|队|处|社|行|馆|团|门|位|区|镇|街道|公司)$")
# A name that begins a new unit (a line starting so is not a broken name).
_NAME_START = re.compile(r"^(市|县|区|镇|省|各|有关|相关|涉及)")
_GROUP = re.compile(r"(各|^有关|^相关|^涉及|有关单位$|相关单位$|有关部门$|相关部门$)")


def join_broken(text: str) -> str:
    """Join a cell broken across lines: "市住房城乡\\n\\n建设局" is one name,
    "县人社局\\n\\n县卫生局\\n\\n分别牵头" is two names and a role."""
    pieces = [p.strip() for p in re.split(r"\n+", text) if p.strip()]
    out = ""
    for piece in pieces:
        if out and (_ROLE_AT_END.fullmatch(piece) or (NAME_END.search(out) and _NAME_START.search(piece))):
            out += "、" if not _ROLE_AT_END.fullmatch(piece) else ""
        out += piece
    return out


def _split_names(clause: str) -> list[str]:
    """'县住建局和公积金管理中心' → two names; '县人力资源和社会保障局' stays one."""
    if re.search("(涉及|的有关单位|的相关单位)", clause):
        return [clause]  # a described group: "涉及…等三个重点领域的有关单位"
    names: list[str] = []
    for part in re.split(r"[、，,]", clause):
        part = part.strip(" 　")
        if not part:
            continue
        # 和/及 between two whole names only: the left side ends like a name.
        pieces = re.split(r"(?<=[局办委室心院府会站所台部队处])[和及与]", part)
        names.extend(p for p in pieces if p)
    out: list[str] = []
    for name in names:
        extra = re.match(r"^(?P<name>.+?)等(?P<group>有关单位|相关单位|有关部门|相关部门)$", name)
        if extra:
            out += [extra["name"], extra["group"]]
        else:
            out.append(name)
    return out


def _with_level(names: list[str]) -> list[str]:
    """'县卫生局、计生局': the second name borrows the first one's level (县计生局)."""
    out: list[str] = []
    for name in names:
        if out and not _NAME_START.search(name) and not _GROUP.search(name):
            level = re.match(r"^(市|县|区|镇)", out[-1])
            if level and not name.startswith(level[1]):
                name = level[1] + name
        out.append(name)
    return out


def read_units(text: str, default_role: str = "responsible") -> Units:
    """Read a unit cell: lists split on 、，,；, roles from 牵头/负责/配合 words
    or from 牵头单位:/责任单位: labels, the column's role otherwise."""
    roles: dict[str, list[str]] = {"lead": [], "responsible": [], "cooperating": []}

    def add(role: str, names: Iterable[str]) -> None:
        roles[role] += [n for n in names if n and n not in roles[role]]

    text = join_broken(text).strip("，,；;。 　")
    if not text:
        return Units()
    labelled = list(_LABELLED.finditer(text))
    if labelled:
        for i, m in enumerate(labelled):
            end = labelled[i + 1].start() if i + 1 < len(labelled) else len(text)
            part = text[m.end() : end].strip("，,；;。 　")
            add(_ROLE_LABELS[m[1]], _with_level(_split_names(part)))
        return Units(**roles)
    # Clauses end at ，；; a clause ending in a role word gives its names that role.
    pending: list[str] = []
    for clause in re.split(r"[，,；;]", text):
        clause = clause.strip(" 　")
        if not clause:
            continue
        role_match = _ROLE_AT_END.search(clause)
        if role_match and role_match.start() > 0:
            role = _ROLE_WORDS[role_match[1]]
            names = _split_names(clause[: role_match.start()])
            if pending and role_match[1].startswith("分别"):
                names, pending = pending + names, []  # "县人社局，县卫生局分别牵头"
            add(default_role, _with_level(pending))
            pending = []
            add(role, _with_level(names))
        else:
            pending.extend(_split_names(clause))
    add(default_role, _with_level(pending))
    return Units(**roles)


# --------------------------------------------------------------------------
# One name per unit


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[re.Pattern[str], dict[str, str]]:
    from ruamel.yaml import YAML

    text = resources.files("deadlines").joinpath("data/unit_abbreviations.yaml").read_text("utf-8")
    table = {str(k): str(v) for k, v in (YAML(typ="safe").load(text) or {}).items()}
    pattern = re.compile("|".join(sorted(map(re.escape, table), key=len, reverse=True)))
    return pattern, table


def name_key(name: str) -> str:
    """What two spellings of one unit have in common: short forms expanded,
    连词 and 人民 dropped, brackets normalised."""
    pattern, table = _abbreviations()
    key = pattern.sub(lambda m: table[m[0]], name)
    key = key.replace("（", "(").replace("）", ")")
    return re.sub("[和及与]|人民", "", key)


def place_of(text: str) -> str:
    """The place a plan belongs to, from its title or issuer: 中山市, 蕉岭县."""
    m = re.search(r"([\u4e00-\u9fff]{2,3}?(?:自治州|自治县|市|县|区|州|盟|旗))(?:人民政府|贯彻|政府|\d|当前|关于)", text)
    return m[1] if m else ""


def qualified(place: str, name: str) -> str:
    """The canonical name of a local one: 市财政局 in 中山市 → 中山市财政局."""
    if not place or name.startswith(place):
        return name
    level = place[-1]
    if name.startswith(level + "级"):  # 县级各部门 → 柞水县各部门
        return place + name[2:]
    if name.startswith(level):
        return place + name[1:]
    return place + name


def is_group(name: str) -> bool:
    """各镇区, 市政府各部门, 县级各部门, 有关单位: a collective unit."""
    return bool(_GROUP.search(name))


@lru_cache(maxsize=1)
def _registry_file_model() -> Any:
    """The model of ``units.yaml`` (built on first use)::

        place:                      # a mapping of unit names
          canonical name:           # nothing, a list of aliases, or:
            aliases: [a, b]         # a name or a list of names
            group: true             # a collective unit (各镇区)
    """
    from pydantic import BaseModel, BeforeValidator, ConfigDict, RootModel, StrictBool, StrictStr

    def place(value: Any) -> Any:
        if not isinstance(value, dict):
            raise ValueError("a place maps unit names to their aliases")
        return value

    def unit(value: Any) -> Any:
        if value is None:
            return {}
        if isinstance(value, (list, str)):
            return {"aliases": value}
        if not isinstance(value, dict) or set(value) - {"aliases", "group"}:
            raise ValueError("a unit has 'aliases' (a list) and 'group' (true/false)")
        return value

    def names(value: Any) -> Any:
        if value is None:
            return []
        return [value] if isinstance(value, str) else value

    class UnitSpec(BaseModel):
        model_config = ConfigDict(extra="forbid")
        aliases: Annotated[list[StrictStr], BeforeValidator(names)] = []
        group: StrictBool = False

    class RegistryFile(RootModel[dict[StrictStr, Annotated[dict[StrictStr, Annotated[UnitSpec, BeforeValidator(unit)]],
                                                            BeforeValidator(place)]]]):
        pass

    return RegistryFile


@dataclass
class UnitEntry:
    canonical: str
    place: str
    group: bool = False
    aliases: list[str] = field(default_factory=list)


class UnitRegistry:
    """``rules/units.yaml``: per place, each unit's canonical name and aliases.

    ::

        中山市:
          中山市政府办公室:
            aliases: [市府办公室, 市政府办公室]
          中山市各镇区:
            group: true
            aliases: [各镇区]
    """

    def __init__(self, entries: Iterable[UnitEntry] = (), path: Path | None = None):
        self.path = path
        self.entries: dict[str, UnitEntry] = {}
        self._alias: dict[tuple[str, str], str] = {}
        for entry in entries:
            self._add(entry)

    def _add(self, entry: UnitEntry) -> None:
        self.entries[entry.canonical] = entry
        for alias in (entry.canonical, *entry.aliases):
            self._alias[(entry.place, alias)] = entry.canonical

    # -- reading and writing ------------------------------------------------

    @classmethod
    def load(cls, path: str | Path) -> UnitRegistry:
        """Read a registry; a missing file is an empty registry.

        The file is read and checked like a rules file (:func:`deadlines.yamlio.load_yaml`
        and :func:`~deadlines.yamlio.validate`): every problem is ``file:line: field: what``.
        """
        from .yamlio import load_yaml, validate

        path = Path(path)
        if not path.exists():
            return cls(path=path)
        data, lines = load_yaml(path)
        if data is None:
            return cls(path=path)
        places = validate(_registry_file_model(), data, path, lines).root
        entries = [
            UnitEntry(canonical, place, spec.group, list(spec.aliases))
            for place, units in places.items()
            for canonical, spec in units.items()
        ]
        seen: dict[tuple[str, str], str] = {}
        for entry in entries:
            for alias in (entry.canonical, *entry.aliases):
                other = seen.get((entry.place, alias))
                if other is not None and other != entry.canonical:
                    raise RulesFileError(path, lines.get((entry.place, entry.canonical), 1),
                                         f"'{alias}' names both {other} and {entry.canonical}",
                                         f"{entry.place}.{entry.canonical}")
                seen[(entry.place, alias)] = entry.canonical
        return cls(entries, path=path)

    def dump(self) -> str:
        """The registry as YAML: places and units sorted, aliases sorted (deterministic)."""
        from .yamlout import scalar

        out = [
            "# 单位名录: each unit's canonical name (qualified by its place), the",
            "# spellings plans use for it (aliases), and collective units (group: true).",
            "# `deadlines import` adds the units it meets; edit by hand to merge spellings.",
        ]
        places: dict[str, list[UnitEntry]] = {}
        for entry in self.entries.values():
            places.setdefault(entry.place, []).append(entry)
        for place in sorted(places):
            out.append(f"{scalar(place)}:")
            for entry in sorted(places[place], key=lambda e: e.canonical):
                out.append(f"  {scalar(entry.canonical)}:")
                if entry.group:
                    out.append("    group: true")
                aliases = sorted(set(entry.aliases) - {entry.canonical})
                if aliases:
                    out.append(f"    aliases: [{', '.join(scalar(a) for a in aliases)}]")
        return "\n".join(out) + "\n"

    # -- looking up ---------------------------------------------------------

    def resolve(self, place: str, name: str) -> str | None:
        """The canonical name of ``name`` as written in a plan of ``place``."""
        return self._alias.get((place, name)) or (name if name in self.entries else None)

    def lookup(self, name: str) -> list[str]:
        """Every canonical name ``name`` may mean (a canonical name, or an alias in any place)."""
        if name in self.entries:
            return [name]
        return sorted({c for (_, alias), c in self._alias.items() if alias == name})

    def extend(self, place: str, name: str) -> tuple[str, bool]:
        """Resolve ``name``, adding it when new: as an alias of a unit of the same
        place whose name has the same key, else as a new unit.  Returns the
        canonical name and whether the registry changed."""
        found = self.resolve(place, name)
        if found is not None:
            return found, False
        key = name_key(qualified(place, name))
        for entry in list(self.entries.values()):
            if entry.place == place and name_key(entry.canonical) == key:
                entry.aliases.append(name)
                if len(qualified(place, name)) > len(entry.canonical):
                    # The fuller spelling names the unit: 市政府办公室 over 市府办公室.
                    del self.entries[entry.canonical]
                    del self._alias[(place, entry.canonical)]
                    entry.canonical = qualified(place, name)
                    for alias in entry.aliases:
                        self._alias[(place, alias)] = entry.canonical
                    self.entries[entry.canonical] = entry
                self._alias[(place, name)] = entry.canonical
                return entry.canonical, True
        entry = UnitEntry(qualified(place, name), place, is_group(name), [name])
        self._add(entry)
        return entry.canonical, True

    def canonical_units(self, place: str, units: Any) -> tuple[Any, list[str]]:
        """A plan's :class:`~deadlines.model.Units` with canonical names, and the names not known."""
        unknown: list[str] = []
        roles: dict[str, list[str]] = {}
        for role in ("lead", "responsible", "cooperating"):
            names = []
            for name in getattr(units, role):
                found = self.resolve(place, name)
                if found is None:
                    unknown.append(name)
                    found = name
                if found not in names:
                    names.append(found)
            roles[role] = names
        return units.model_copy(update={k: tuple(v) for k, v in roles.items()}), unknown

    def find(self, name: str, known: Iterable[str]) -> str:
        """The one canonical unit ``name`` means among ``known``; a clear error otherwise."""
        known = sorted(set(known))
        if name in known:
            return name
        candidates = [c for c in self.lookup(name) if c in known]
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            raise DeadlineError(f"unit '{name}' is ambiguous: it may mean {', '.join(candidates)}")
        raise UnknownName("unit", name, known)
