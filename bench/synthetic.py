"""A generated province-scale plan set for benchmarks.

``write_plan_set(folder, units=2000, obligations=50000, year=2026)`` writes
rule files shaped like the real ones: one plan per city, obligations with
one to three units in the three roles, and time limits drawn from phrases
the seed plans really use (every rule kind, working-day counting, recurring
series).  The output depends only on the arguments (a seeded generator).
"""

from __future__ import annotations

import random
from pathlib import Path

# Time limits as written in real plans; ``{y}`` is the plan year.
PHRASES = (
    "{y}年12月底前",
    "{y}年6月30日前",
    "每季度首月25日前",
    "每月10号前",
    "每季度结束后20日内",
    "每年4月底、8月底、11月底前",
    "每半年",
    "每周一",
    "审批或核准后两个工作日内",
    "经市人大批准后20日内",
    "相关信息形成或变更之日起20个工作日内",
    "本方案公布后30个工作日内",
    "待省出台具体规定后",
    "按上级相关部门的部署完成",
    "全年工作",
    "持续推进",
    "{y}年7月、12月",
    "{y}年上半年",
)

CITIES = ("广州", "深圳", "珠海", "汕头", "佛山", "韶关", "河源", "梅州", "惠州", "汕尾",
          "东莞", "中山", "江门", "阳江", "湛江", "茂名", "肇庆", "清远", "潮州", "揭阳", "云浮")
OFFICES = ("政府办公室", "发展改革局", "教育局", "科技局", "工业和信息化局", "公安局", "民政局",
           "司法局", "财政局", "人力资源和社会保障局", "自然资源局", "生态环境局", "住房城乡建设局",
           "交通运输局", "水务局", "农业农村局", "商务局", "文化广电旅游体育局", "卫生健康局",
           "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局", "政务服务数据管理局")


def unit_names(count: int) -> list[str]:
    """``count`` distinct unit names: offices of cities, then of their districts."""
    names: list[str] = []
    district = 0
    while len(names) < count:
        for city in CITIES:
            place = f"{city}市" if district == 0 else f"{city}市第{district}区"
            names.extend(place + office for office in OFFICES)
        district += 1
    return names[:count]


def write_plan_set(folder: Path, *, units: int = 2000, obligations: int = 50000,
                   year: int = 2026, plans: int = 20, seed: int = 2026) -> list[Path]:
    """Write ``plans`` rule files holding ``obligations`` in all; return their paths."""
    rng = random.Random(seed)
    names = unit_names(units)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    per_plan = -(-obligations // plans)
    for p in range(plans):
        count = min(per_plan, obligations - p * per_plan)
        if count <= 0:
            break
        lines = [
            f"id: synthetic-{p + 1:02d}",
            f"title: {year}年政务公开工作要点分工方案（第{p + 1}号）",
            f"issuer: 第{p + 1}号人民政府办公室",
            f"year: {year}",
            f"issued: {year}-03-01",
            "obligations:",
        ]
        for i in range(count):
            picked = rng.sample(names, rng.choice((1, 1, 2, 3)))
            units_yaml = f"{{lead: [{picked[0]}]"
            if len(picked) > 1:
                units_yaml += f", responsible: [{picked[1]}]"
            if len(picked) > 2:
                units_yaml += f", cooperating: [{picked[2]}]"
            units_yaml += "}"
            phrase = rng.choice(PHRASES).format(y=year)
            lines += [
                f"  - id: s{p + 1:02d}-{i + 1}",
                f"    title: 第{i + 1}项公开任务",
                f"    units: {units_yaml}",
                f"    due: {phrase}",
            ]
        path = folder / f"synthetic-{p + 1:02d}.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/out/plans")
    written = write_plan_set(target)
    print(f"{len(written)} files in {target}")
