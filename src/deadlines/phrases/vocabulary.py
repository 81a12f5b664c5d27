"""The words of Chinese time limits, as tables: what each word means to the reader.

The grammar (:mod:`.grammar`) builds its patterns from these tables, so a new
word ("按季", "最迟不超过", "无需报送") is an entry here, not an edit of a
regular expression.  Each table keeps its words in the order they are tried:
a longer word before a word it begins with (季度 before 季, 经常性 before 经常).
Text reaches the grammar normalised (:mod:`.normalize`): simplified, half-width,
numerals as digits (一个 → 1个), 号 as 日.
"""

from __future__ import annotations

import re
from typing import Iterable

from ..records import MAX_OFFSET


def one_of(words: Iterable[str]) -> str:
    """A regular-expression alternation of ``words``, tried in order."""
    return "(?:" + "|".join(re.escape(w) for w in words) + ")"


# -- periods, units, weekdays ----------------------------------------------------

#: Period words of a series (每季度, 按月, 每两周), and the period each names.
PERIODS = {"季度": "quarter", "半年": "half", "星期": "week", "季": "quarter", "周": "week", "月": "month",
           "年": "year", "日": "day", "天": "day"}

#: Period words that end a period before a count (季度结束后10个工作日内, 月后3日前, 季后7日).
ENDING_PERIODS = {"季度": "quarter", "季": "quarter", "月度": "month", "月": "month", "年度": "year", "半年": "half"}

#: Unit words of an offset (2个工作日, 24小时, 1个月), and the unit each counts.
UNITS = {"工作日": "workday", "小时": "hour", "日": "day", "天": "day", "周": "week", "星期": "week",
         "月": "month", "年": "year"}
#: Units written with the measure word 个 (2个工作日, 3个月); 20日, 2周 take none.
COUNTED_WITH_GE = {"工作日", "小时", "星期", "月"}

#: The units an offset takes after a trigger ("审批后2个工作日内", "批准后1年内").
AFTER_TRIGGER_UNITS = ("工作日", "日", "天", "小时", "周", "星期", "月", "年")
#: ... with no trigger named ("应在24小时内"): "3年内" alone is a span of work, not a limit.
UNTRIGGERED_UNITS = ("工作日", "小时", "日", "天", "周", "星期", "月")
#: ... after each period of a series ends (每季度结束后20日内).
AFTER_PERIOD_UNITS = ("工作日", "日", "天", "月")
#: ... after a period named without 每 (月后3日前, 季度结束后10个工作日内).
AFTER_NAMED_PERIOD_UNITS = ("工作日", "日", "天")

#: Weekday words after 每周 (每周一, 每周五前), Monday 1 … Sunday 7.
WEEKDAYS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7,
            "1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 7}

#: The units of a count the reader bounds (offsets, intervals), in Chinese, for its messages.
UNIT_NAMES = {"day": "日", "workday": "个工作日", "hour": "小时", "week": "周", "month": "个月", "year": "年",
              "quarter": "个季度", "half": "个半年"}


def units(words: Iterable[str]) -> str:
    """The unit words as an alternation, each with its optional 个 (个?工作日|日|…)."""
    return "|".join(("个?" if w in COUNTED_WITH_GE else "") + re.escape(w) for w in words)


# -- bounds ------------------------------------------------------------------------

#: The years a plan can be in (a written year, the plan year).
PLAN_YEARS = (1900, 2200)
#: The longest count per unit: a century.  With PLAN_YEARS it keeps every date
#: the engine computes inside the calendar's years (deadlines.workdays.YEARS).
#: The same bounds as a rules file's (deadlines.model.MAX_OFFSET): a phrase and the rule it reads to agree.
LONGEST = {**MAX_OFFSET, "quarter": 400, "half": 200}

# -- words around a date -------------------------------------------------------------

#: "By" a date: 9月10日前, 7月以前, 年底之前.
BEFORE_WORDS = ("前", "以前", "之前")
#: "Within" a span: 20日内, 2个工作日以内.
WITHIN_WORDS = ("内", "以内", "之内")
#: The year after the plan year (or after the year last written).
NEXT_YEAR_WORDS = ("次年", "明年", "下一年", "下年")
#: The plan year itself.
THIS_YEAR_WORDS = ("今年", "本年", "当年")
#: The ends, start and middle of a year after 年 or a written year: 年底, 2016年内, 2017年度内, 年初, 年中.
YEAR_PART_WORDS = ("底", "末", "内", "初", "中")
#: Parts of a month (7月上旬 → the 10th, 中旬 → the 20th, 下旬/底/末/份 → its end).
MONTH_PARTS = {"上旬": 10, "中旬": 20, "下旬": -1, "底": -1, "末": -1, "份": -1, "初": 10}
#: The month of a period that anchors a series (每季度首月, 每季度最后一个月, 每季度末月).
ANCHOR_MONTHS = {"首月": 1, "末月": -1, "最后1个月": -1}
#: The last working day of a month.
LAST_WORKDAY_WORDS = ("最后1个工作日", "最后一个工作日")
#: Leads of a year that is a deadline of its own (争取2015年, 到2023年, 截至2016年底).
BY_YEAR_LEADS = ("争取", "力争", "确保", "务必", "截至", "截止到", "截止", "到", "至")
#: A start that a series after it begins at (从2022年3月起, 2015年6月开始, 2014年以来).
START_WORDS = ("开始", "起", "以来")

# -- standing duties ---------------------------------------------------------------------

#: Words of a standing duty over the plan period (全年工作, 实时, 持续推进, 长期).
ONGOING_WORDS = ("全年工作", "全年", "实时", "持续推进", "持续开展", "持续进行", "持续工作", "持续更新", "持续", "长期")
#: Words that say how a duty is kept rather than name one: beside a dated limit
#: they add nothing ("每月定期发布", "20个工作日内及时公开"); alone, a standing duty.
MANNER_WORDS = ("常态化", "常态", "定期", "经常性", "经常", "日常", "随时", "及时", "即时", "立行立改", "即知即改", "立即",
                "立刻", "马上")

# -- triggers -----------------------------------------------------------------------------

#: Words before an event that belong to the sentence, not to the event (经市人大批准后 → 市人大批准).
TRIGGER_LEAD_WORDS = ("并且", "并", "且", "要", "应当", "应", "须", "需", "必须", "均", "一般", "原则上", "在", "于",
                      "自", "从", "经", "由", "待", "相关")
#: Words after an event that are not part of it (形成之日起 → 形成).
TRIGGER_TAIL_WORDS = ("之日", "当日", "之时", "以后", "之后")
#: A modal and a preposition end the subject of a sentence: 各单位要于…, 县政府应在….
SUBJECT_MODALS = ("要", "应当", "应", "须", "需", "必须", "务必", "均", "请")
SUBJECT_PREPOSITIONS = ("在", "于")
#: The plan naming itself (本方案, 本通知): the subject of its own issue, the start of the event.
PLAN_SELF_WORDS = ("方案", "通知", "意见", "办法", "计划", "要点", "细则")
#: 每 before these is "each time", not a period (每次审批后2个工作日内 is a trigger).
EACH_TIME_WORDS = ("次", "一次", "件", "项", "批")
#: Waiting on what is required (按上级部署完成): the words that end what is waited on ...
AS_REQUIRED_WORDS = ("要求", "部署", "安排", "规定", "通知")
#: ... the verbs after it ...
AS_REQUIRED_VERBS = ("完成", "落实", "执行", "办理", "开展")
#: ... and, inside requirement text, the words that make it a wait rather than a manner.
AS_REQUIRED_WAITS = ("部署", "安排", "时间", "时限")

# -- in step with a document, at most, exempt --------------------------------------------------

#: "At the same time as" a document (与政策文件同步发布).
IN_STEP_WORDS = ("同步", "同时")
#: Publishing verbs: only these make 同步 a time (同步组织、同步审签 is how the work is done).
PUBLISH_VERBS = ("发布", "公开", "解读", "出台", "印发", "上网", "推送")
#: "Not more than" a span (时间跨度不超过5个工作日, 最迟不超过3个工作日).
SPAN_WORDS = ("时间跨度", "时限", "时间")
AT_LATEST_WORDS = ("最迟", "最长", "一般")
NOT_MORE_WORDS = ("不得", "不能", "不应", "不")
#: Periods taken out of a series (1月免报, 四季度不报).
EXEMPT_WORDS = ("免报", "不报", "无需报送", "不需报送", "不用报送")

#: Festivals a limit is named by (春节前, 国庆节前): the festival's day, on the
#: solar calendar (month, day) or the lunar one ("lunar", month, day), or a solar term.
FESTIVALS = {"元旦": (1, 1), "国庆节": (10, 1), "国庆": (10, 1), "十一": (10, 1), "劳动节": (5, 1), "五一": (5, 1),
             "春节": ("lunar", 1, 1), "元宵节": ("lunar", 1, 15), "端午节": ("lunar", 5, 5), "端午": ("lunar", 5, 5),
             "中秋节": ("lunar", 8, 15), "中秋": ("lunar", 8, 15), "清明节": ("term", "清明"), "清明": ("term", "清明")}
