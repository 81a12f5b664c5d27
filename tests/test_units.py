"""Unit cells read into roles; the registry gives one name per unit, per place."""

from __future__ import annotations

import pytest

from deadlines.errors import DeadlineError, RulesFileError, UnknownName
from deadlines.unitcells import place_of, read_units
from deadlines.units import UnitRegistry, name_key, qualified


@pytest.mark.parametrize(
    "cell, column_role, expected",
    [
        ("市政府办公室牵头,市政府各部门、各镇区配合", "responsible",
         {"lead": ["市政府办公室"], "cooperating": ["市政府各部门", "各镇区"]}),
        ("县电子政务中心牵头，县级各部门负责", "responsible",
         {"lead": ["县电子政务中心"], "responsible": ["县级各部门"]}),
        ("市发展改革局、市民政局等有关单位", "responsible", {"responsible": ["市发展改革局", "市民政局", "有关单位"]}),
        ("市财政局,涉及公共资源配置、公益事业建设等两个重点领域的有关单位", "responsible",
         {"responsible": ["市财政局", "涉及公共资源配置、公益事业建设等两个重点领域的有关单位"]}),
        ("牵头单位:市财政局、市审计局;责任单位:各区(市)县政府", "responsible",
         {"lead": ["市财政局", "市审计局"], "responsible": ["各区(市)县政府"]}),
        ("县人力资源和社会保障局", "lead", {"lead": ["县人力资源和社会保障局"]}),  # 和 inside a name
        ("县住建局和公积金管理中心分别牵头", "responsible", {"lead": ["县住建局", "县公积金管理中心"]}),
        ("", "lead", {}),
        # a group with 各 is split where the next name is no level of it
        ("各区直部门、各镇(办)、经开区", "responsible", {"responsible": ["各区直部门", "各镇(办)", "经开区"]}),
        ("各县、市、区政府", "responsible", {"responsible": ["各县、市、区政府"]}),
        ("各镇、街道", "responsible", {"responsible": ["各镇、街道"]}),
        # 等 before a described group of any kind
        ("区发改委等相关区直部门", "responsible", {"responsible": ["区发改委", "相关区直部门"]}),
        ("市教育局等市直单位", "responsible", {"responsible": ["市教育局", "市直单位"]}),
        # 〔〕 brackets inside a name, and a role word after them
        ("市府办〔市大数据局〕牵头,市政府各部门、各县〔市、区〕政府", "responsible",
         {"lead": ["市府办〔市大数据局〕"], "responsible": ["市政府各部门", "各县〔市、区〕政府"]}),
        # an office managed from above keeps its own place; an abbreviation borrows the level
        ("区教育局、莲都邮政管理局", "responsible", {"responsible": ["区教育局", "莲都邮政管理局"]}),
        ("县国税局、地税局", "responsible", {"responsible": ["县国税局", "县地税局"]}),
        # a kind of unit alone after 、 goes on naming the group before it
        ("各镇人民政府,区各委、办、局,区各直属单位", "responsible",
         {"responsible": ["各镇人民政府", "区各委办局", "区各直属单位"]}),
        ("省直各厅、局、委配合", "responsible", {"cooperating": ["省直各厅局委"]}),
        # a space before a bracket is no separator
        ("各县区人民政府 (管委会),市政府各部门", "responsible", {"responsible": ["各县区人民政府(管委会)", "市政府各部门"]}),
        # names of one level run together (a cell's line break lost); an office of the two stays one
        ("区发改局区统计局", "responsible", {"responsible": ["区发改局", "区统计局"]}),
        ("县委县政府、县纪委", "responsible", {"responsible": ["县委", "县政府", "县纪委"]}),
        ("市委市政府督查室", "responsible", {"responsible": ["市委市政府督查室"]}),
        ("国家税务总局县税务局", "responsible", {"responsible": ["国家税务总局县税务局"]}),
        ("区市场监管局", "responsible", {"responsible": ["区市场监管局"]}),
        # an enterprise or a named zone borrows no government's level
        ("市工商局、宁波电业局", "responsible", {"responsible": ["市工商局", "宁波电业局"]}),
        ("市发改委、广元国际铁路港管委会", "responsible", {"responsible": ["市发改委", "广元国际铁路港管委会"]}),
    ],
)
def test_read_units(cell, column_role, expected):
    units = read_units(cell, column_role)
    assert {role: list(names) for role, names in units.model_dump().items() if names} == expected


@pytest.mark.parametrize(
    "text, place",
    [
        # a city with its district, a long transliterated name, an autonomous prefecture or banner
        ("乌海市海勃湾区人民政府办公室关于印发2023年重点工作的通知", "乌海市海勃湾区"),
        ("关于印发扬州市江都区2021年民生实事项目的通知", "扬州市江都区"),
        ("呼伦贝尔市2022年重点工作任务分解方案", "呼伦贝尔市"),
        ("阿拉山口市政府办", "阿拉山口市"),
        ("德宏傣族景颇族自治州人民政府", "德宏傣族景颇族自治州"),
        ("莫力达瓦达斡尔族自治旗人民政府办公室", "莫力达瓦达斡尔族自治旗"),
        ("和林格尔县人民政府", "和林格尔县"),
        # towns and one-character counties are places too
        ("石桥镇人民政府关于2024年重点工作的安排", "石桥镇"),
        ("城关街道办事处2023年工作要点", "城关街道"),
        ("萧县人民政府", "萧县"),
        # words that are no place: a year, the title's verb, a level alone
        ("2021年县政府重点工作任务", ""),
        ("关于分解落实2019年市政府工作报告主要目标任务的通知", ""),
        ("全县2024年重点工作", ""),
        ("国家卫生城市创建行动方案", ""),
        ("四川省发展和改革委员会", "四川省"),
        ("江西省住房和城乡建设厅", "江西省"),
        ("立山区政府2023年重点工作任务分解和责任分工方案", "立山区"),
        ("鹰潭市月湖区人民政府", "鹰潭市月湖区"),
        ("2024年3月18日乌海市海勃湾区人民政府", "乌海市海勃湾区"),
        ("老旧小区改造工作方案", ""),
        ("农贸市场改造提升方案", ""),
        ("团县委办公室", ""),
        ("共青团银川市委员会", "银川市"),
        # a count is no name: 第八次县政府常务会议 is the county government's eighth meeting
        ("2022年第八次县政府常务会议确定事项落实情况的通报", ""),
        ("第3次区政府常务会议纪要", ""),
    ],
)
def test_the_place_of_a_title_or_issuer(text, place):
    assert place_of(text) == place


def test_a_unit_of_a_district_is_qualified_once():
    """A place of two levels: a unit named with the district or with the city's level."""
    assert qualified("乌海市海勃湾区", "海勃湾区政府办公室") == "乌海市海勃湾区政府办公室"
    assert qualified("乌海市海勃湾区", "区教育局") == "乌海市海勃湾区教育局"
    assert qualified("乌海市海勃湾区", "市生态环境局") == "乌海市生态环境局"
    assert qualified("中山市", "市财政局") == "中山市财政局"


def test_a_unit_named_with_its_place_is_not_qualified_again():
    """广元经济技术开发区 in 广元市 is named with its place already (not 广元市广元经济技术开发区);
    the district's own name in a place of two levels is still qualified by the city."""
    assert qualified("广元市", "广元经济技术开发区") == "广元经济技术开发区"
    assert qualified("银川市兴庆区", "银川经济技术开发区") == "银川经济技术开发区"
    assert qualified("银川市兴庆区", "兴庆区政府办公室") == "银川市兴庆区政府办公室"


def test_no_unit_name_is_added_to_the_registry(tmp_path):
    """A figure, a single character or a sentence read into a unit cell (a table pasted after the
    units, a cell cut off) is named by check but never added to units.yaml."""
    from deadlines.importers import import_plan

    registry = UnitRegistry()
    text = ("某市2014年重点工作分解\n序号\t工作任务\t责任单位\n"
            "1\t新辟公交线路\t市交通局、20、区\n2\t推进垃圾分类\t4项目标的责任单位均为市城管局。\n")
    import_plan(text, source="p.txt", year=2014, prefix="p", registry=registry)
    names = {alias for entry in registry.entries.values() for alias in entry.aliases}
    assert "市交通局" in names and not names & {"20", "区", "4项目标的责任单位均为市城管局。"}


def test_spellings_of_one_unit_share_a_key():
    assert name_key("县人社局") == name_key("县人力资源和社会保障局")
    assert name_key("市府办公室") == name_key("市政府办公室")
    assert name_key("县计生局") != name_key("县卫生局")


def test_the_registry_merges_spellings_within_a_place_only():
    registry = UnitRegistry()
    assert registry.extend("柞水县", "县人社局") == ("柞水县人社局", True)
    # The fuller spelling becomes the name; the short one stays an alias.
    assert registry.extend("柞水县", "县人力资源和社会保障局") == ("柞水县人力资源和社会保障局", True)
    assert registry.resolve("柞水县", "县人社局") == "柞水县人力资源和社会保障局"
    assert registry.resolve("柞水县", "柞水县人社局") is None  # the old name is not left behind
    assert registry.extend("蕉岭县", "县人社局") == ("蕉岭县人社局", True)  # another place, another unit
    assert registry.lookup("县人社局") == ["柞水县人力资源和社会保障局", "蕉岭县人社局"]
    with pytest.raises(DeadlineError, match="有歧义"):
        registry.find("县人社局", registry.entries)
    with pytest.raises(UnknownName, match="是否指 蕉岭县人社局"):
        registry.find("蕉岭人社局", registry.entries)


def test_registry_round_trips(tmp_path):
    registry = UnitRegistry()
    for name in ("各镇区", "市府办公室", "市政府办公室", "市财政局"):
        registry.extend("中山市", name)
    path = tmp_path / "units.yaml"
    path.write_text(registry.dump(), encoding="utf-8")
    loaded = UnitRegistry.load(path)
    assert loaded.dump() == registry.dump()
    assert loaded.entries["中山市各镇区"].group and not loaded.entries["中山市财政局"].group
    assert loaded.resolve("中山市", "市府办公室") == "中山市政府办公室"


@pytest.mark.parametrize(
    "text, message",
    [
        ("中山市: [a, b]\n", "units.yaml:1: 中山市: 一个地区下应写单位名称及其别名"),
        ("中山市:\n  中山市财政局:\n    alias: [市财政局]\n", "units.yaml:3: 中山市.中山市财政局.alias: 未知字段"),
        ("中山市:\n  中山市财政局: [市财政局]\n  中山市财政一局: [市财政局]\n",
         "units.yaml:3: 中山市.中山市财政一局: '市财政局' names both 中山市财政局 and 中山市财政一局"),
    ],
)
def test_registry_errors_name_the_line(tmp_path, text, message):
    path = tmp_path / "units.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulesFileError) as err:
        UnitRegistry.load(path)
    assert str(err.value) == f"{tmp_path}/{message}"


@pytest.mark.parametrize("place, name, canonical", [
    ("中山市", "市场监管局", "中山市市场监管局"),  # 市场 is the name's own word, not the level
    ("中山市", "市政公用局", "中山市市政公用局"),
    ("中山市", "市政府办公室", "中山市政府办公室"),  # 市政府, 市民政局: the city's
    ("中山市", "市民政局", "中山市民政局"),
    ("银川市兴庆区", "市场监管局", "银川市兴庆区市场监管局"),
])
def test_a_name_that_begins_like_a_level_is_qualified_whole(place, name, canonical):
    from deadlines.units import qualified

    assert qualified(place, name) == canonical


@pytest.mark.parametrize("cell, units", [
    ("市住建局牵头推进，市财政局配合", {"lead": ["市住建局"], "cooperating": ["市财政局"]}),
    ("市商务局负责组织实施", {"responsible": ["市商务局"]}),
    ("市财政局负责资金保障", {"responsible": ["市财政局负责资金保障"]}),  # a duty, not a verb of doing: left whole
])
def test_a_verb_after_a_role_word_is_no_part_of_the_unit(cell, units):
    """In a table cell as in a bracket: '市住建局牵头推进' is 市住建局, lead."""
    got = read_units(cell)
    assert {role: list(getattr(got, role)) for role in ("lead", "responsible", "cooperating") if getattr(got, role)} == units


@pytest.mark.parametrize("text, names", [
    ("市科协，各有关区、县级市", ["市科协", "各有关区、县级市"]), ("各相关县、区", ["各相关县、区"]),
    ("市财政局、区财政局", ["市财政局", "区财政局"])])
def test_a_collective_of_levels_with_a_qualifier_is_one_name(text, names):
    """各有关区、县级市 names the districts and county-level cities concerned: one collective, as
    各县、市、区 is (it was 各有关区 and a bare 县级市, added to the unit list)."""
    assert list(read_units(text, "cooperating").all()) == names


@pytest.mark.parametrize("text, names", [
    ("各县区(开发区) 安委会", ["各县区(开发区)安委会"]), ("各县(市、区) 人民政府", ["各县(市、区)人民政府"]),
    ("各县(市、区)、市教育局", ["各县(市、区)", "市教育局"]), ("各县、市、区政府", ["各县、市、区政府"]),
    ("经开区 高新园(邹区镇) 各街道", ["经开区", "高新园(邹区镇)", "各街道"])])
def test_a_collective_of_places_and_the_body_of_each(text, names):
    """'各县区(开发区) 安委会' (a space the copy left) is the 安委会 of each: one name (it was two, a
    bare 安委会 added to the unit list); a unit of a level after a collective (市教育局) is a
    unit of its own (it was glued to the collective)."""
    assert list(read_units(text, "responsible").all()) == names


@pytest.mark.parametrize("place, name", [("潍坊市", "人民银行潍坊市中心支行"), ("中山市", "中国人民银行中山市中心支行"),
                                         ("潍坊市", "国家税务总局潍坊高新区税务局")])
def test_a_name_that_holds_its_place_inside_is_its_own(place, name):
    """人民银行潍坊市中心支行 names its place already, inside the name (it became
    潍坊市人民银行潍坊市中心支行 in units.yaml)."""
    assert qualified(place, name) == name
