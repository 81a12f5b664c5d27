"""Every message of the holiday commands, in one table (Chinese first; a
translation replaces this table, never the code that uses it)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # reading a notice
    "no_year": "看不出这是哪一年的节假日安排：没有“国务院办公厅关于YYYY年部分节假日安排的通知”或“现将YYYY年元旦……”",
    "bad_date": "“{text}”不是有效日期（{reason}）",
    "damaged_date": "“{text}”缺了月份的数字，文本已损坏",
    "weekday_mismatch": "“{text}”：{day}是{actual}，不是{stated}",
    "unread_clause": "无法识别：“{text}”",
    "date_outside_items": "这一行的日期不属于任何一项节假日安排：“{text}”",
    "item_without_name": "这一项没有写节日名称：“{text}”",
    "item_without_days": "{name}：没有读到放假日期",
    "count_mismatch": "{name}：写明共{stated}天，但列出的是{first}至{last}，{actual}天",
    "not_consecutive": "{name}：放假日期不连续，{day}（{weekday}）不在其中",
    "working_not_weekend": "{name}：{day}（{weekday}）不是周末，不能是调休上班日",
    "working_in_rest": "{name}：{day}既在放假期间，又写着上班",
    "working_far": "{name}：调休上班日{day}离放假日期超过{limit}天",
    "outside_window": "{name}：{day}不在{name}可能的日期范围内（{first}至{last}），文本可能已损坏",
    "not_in_rest": "{name}：{day}写作“{what}”，却不在放假日期之内",
    "not_weekend": "{name}：{day}（{weekday}）写作公休日，却不是周末",
    "weekend_alone": "{name}：“与周末连休”，但{day}是{weekday}",
    "resume_mismatch": "{name}：{day}起正常上班，但假期到{end}结束",
    "duplicate_holiday": "{name}出现两次（第{first}行、第{second}行）",
    "missing_holidays": "缺少{names}的安排：通知应列出元旦、春节、清明节、劳动节、端午节、中秋节、国庆节",
    "cut_off": "文本在第{line}行中途截断：“{text}”",
    "clash": "{day}在{first}中放假，在{second}中上班",
    "no_subject": "看不出补充通知调整的是哪个节日",
    "extend_without_base": "{name}：延长假期需要先有{year}年的{name}放假日期（先导入当年的通知）",
    "and_more": "（另有{n}处问题）",
    # warnings (reported, not refused)
    "no_closing": "没有落款（国务院办公厅和日期）：所存文本可能在最后一项之后被截断，请与原文核对",
    "no_number": "文本中没有文号，请按原文补上",
    # writing the year's file
    "exists": "{path}已存在（{notice}），与{source}读出的不同：核对后用 --force 替换",
    "exists_other_year": "{path}写的是{other}年，不是{year}年",
    "supplement_needs_year": "{year}年既没有软件包数据，也没有{path}：先导入{year}年的通知，再导入补充通知",
    "already_merged": "{path}已包含{notice}",
    "already_in_data": "{year}年现有的数据已经是补充通知所写的日期",
    # status
    "no_official_data": "{year}年尚无官方节假日数据（{who}用到）：日期暂按周末计算并标为暂定；通知发布后保存原文并运行 deadlines holidays import",
    "provisional_check": "用到{year}年，尚无官方节假日数据：日期暂按周末计算；通知发布后运行 deadlines holidays import",
}


def message(key: str, **values: object) -> str:
    return MESSAGES[key].format(**values)
