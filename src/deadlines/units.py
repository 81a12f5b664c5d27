"""Unit names: one name per unit (reading a unit cell is :mod:`deadlines.unitcells`).

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
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Iterable

from .records import New, Record
from .errors import AmbiguousName, RulesFileError, UnknownName
from .roles import ROLES

# --------------------------------------------------------------------------
# One name per unit


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[re.Pattern[str], dict[str, str]]:
    from ruamel.yaml import YAML

    # The package's data file beside this module (importlib.resources costs every command its import).
    text = (Path(__file__).resolve().parent / "data" / "unit_abbreviations.yaml").read_text("utf-8")
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


def qualified(place: str, name: str) -> str:
    """The canonical name of a local one: 市财政局 in 中山市 → 中山市财政局.  A name that holds its
    place already, first or inside (人民银行潍坊市中心支行, 广元经济技术开发区), is its own."""
    if not place or place in name:
        return name
    top = re.match(rf"(.{{2,}}?){LEVEL}", place)
    if top and top[1] in name:
        return name  # 广元经济技术开发区 in 广元市: named with its place already (兴庆区… in 银川市兴庆区 is qualified below)
    # A place of several levels (银川市兴庆区): a name that starts with a lower part
    # of it (兴庆区政府办公室) or with the level of an upper one (市住建局) is
    # qualified from there.
    own = bool(_NO_LEVEL.match(name))  # 市场监管局, 市政公用局: 市 is part of the name's own word
    for k in range(2, len(place) - 1):
        if place[k] in "省市州盟":
            if name.startswith(place[k + 1:]):
                return place[:k + 1] + name
            if name.startswith(place[k]) and not name.startswith(place[-1]) and not own:
                return place[:k + 1] + name[1:]
    level = place[-1]
    if name.startswith(level + "级"):  # 县级各部门 → 柞水县各部门
        return place + name[2:]
    if name.startswith(level) and not own:
        return place + name[1:]
    return place + name


# The level a place name ends in: 银川市, 兴庆区, 黔东南苗族侗族自治州 (unitcells reads place names with it).
LEVEL = r"(?:特别行政区|自治区|自治州|自治县|自治旗|苏木|街道|省|市|州|盟|县|区|旗|镇|乡)"


# What after a level's character makes it a word of its own, not the level: 市场, 区域, 区划,
# 市容, 省际, 市政 (but 市政府 is the city's).  Place names are read with it too (unitcells).
NOT_A_LEVEL = r"(?:场|域|划|容|际|政(?!府))"
# Names that begin with such a word: 中山市 + 市场监管局 is 中山市市场监管局, not 中山市场监管局
# (but 市政府办公室 and 市民政局 are the city's).
_NO_LEVEL = re.compile(rf"[省市州县区]{NOT_A_LEVEL}")


_GROUP = re.compile(r"(各|^有关|^相关|^涉及|有关单位$|相关单位$|有关部门$|相关部门$)")


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
            from .messages import say

            raise ValueError(say("place_map"))
        return value

    def unit(value: Any) -> Any:
        if value is None:
            return {}
        if isinstance(value, (list, str)):
            return {"aliases": value}
        if not isinstance(value, dict):
            from .messages import say

            raise ValueError(say("unit_entry"))
        return value

    def names(value: Any) -> Any:
        if value is None:
            return []
        return [value] if isinstance(value, str) else value

    def member_spec(value: Any) -> Any:
        if value is None or isinstance(value, (list, str)):
            return {"names": names(value)}
        return value

    def name_list(value: Any) -> Any:
        return names(value)

    def some_names(value: Any) -> Any:
        return None if value is None else names(value)

    class Members(BaseModel):
        """A group's members: the units named, or every unit of the place except those named."""

        model_config = ConfigDict(extra="forbid")
        names: Annotated[list[StrictStr], BeforeValidator(name_list)] = []
        all_except: Annotated[list[StrictStr] | None, BeforeValidator(some_names)] = None

    class UnitSpec(BaseModel):
        model_config = ConfigDict(extra="forbid")
        aliases: Annotated[list[StrictStr], BeforeValidator(names)] = []
        group: StrictBool = False
        members: Annotated[Members | None, BeforeValidator(member_spec)] = None

    class RegistryFile(RootModel[dict[StrictStr, Annotated[dict[StrictStr, Annotated[UnitSpec, BeforeValidator(unit)]],
                                                            BeforeValidator(place)]]]):
        pass

    return RegistryFile


class UnitEntry(Record):
    canonical: str
    place: str
    group: bool = False
    aliases: list[str] = New(list)
    members: list[str] | None = None  # a group's members as written (names or aliases of its place)
    all_except: list[str] | None = None  # a group of every unit of its place except these


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
            UnitEntry(canonical, place, spec.group, list(spec.aliases),
                      list(spec.members.names) if spec.members and spec.members.all_except is None else None,
                      list(spec.members.all_except) if spec.members and spec.members.all_except is not None else None)
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
        registry = cls(entries, path=path)
        for entry in entries:
            for name in (entry.members or []) + (entry.all_except or []):
                if registry.resolve(entry.place, name) is None:
                    raise RulesFileError(path, lines.get((entry.place, entry.canonical), 1),
                                         f"member '{name}' is no unit of {entry.place}",
                                         f"{entry.place}.{entry.canonical}.members")
        return registry

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
                if entry.members is not None:
                    out.append(f"    members: [{', '.join(scalar(a) for a in entry.members)}]")
                if entry.all_except is not None:
                    out.append(f"    members: {{all_except: [{', '.join(scalar(a) for a in entry.all_except)}]}}")
        return "\n".join(out) + "\n"

    # -- looking up ---------------------------------------------------------

    def resolve(self, place: str, name: str) -> str | None:
        """The canonical name of ``name`` as written in a plan of ``place``."""
        return self._alias.get((place, name)) or (name if name in self.entries else None)

    def members(self, group: str) -> list[str]:
        """The canonical names of the members of ``group`` (a canonical name), sorted; none for a
        unit that is no group or a group that lists none."""
        entry = self.entries.get(group)
        if entry is None:
            return []
        if entry.all_except is not None:
            left_out = {self.resolve(entry.place, n) for n in entry.all_except}
            return sorted(e.canonical for e in self.entries.values()
                          if e.place == entry.place and not e.group and e.canonical not in left_out)
        return sorted({found for n in entry.members or [] if (found := self.resolve(entry.place, n))})

    def groups_with_members(self) -> dict[str, list[str]]:
        """Each group that has members → its members (canonical names)."""
        return {name: found for name, e in self.entries.items()
                if (e.members or e.all_except is not None) and (found := self.members(name))}

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
        for role in ROLES:
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
            raise AmbiguousName("unit", name, candidates)
        raise UnknownName("unit", name, known)
