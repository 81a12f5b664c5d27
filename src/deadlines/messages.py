"""The words the library says to a user about bad input and failing storage, in one place.

Each message is a template with named fields; :func:`say` fills one in.  A
translation is another table with the same keys (``MESSAGES`` is the
Chinese one, the default): nothing else in the package needs to change.
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # -- the disk and the file system
    "disk_full": "磁盘已满：{path}：{action}未完成，原有内容未改动（腾出空间后重试）",
    "cannot_write": "无法写入 {path}：{reason}（{action}未完成，原有内容未改动）",
    "action_write": "写入文件",
    # -- reading a rules file (or units.yaml, or a calendar file)
    "too_big": "文件过大（{size} 字节，上限 {limit} 字节）：规则文件不会这么大，请检查是否选错了文件",
    "encoding_guess": (
        "不是 UTF-8 文本，看起来是 {encoding} 编码：请转换为 UTF-8，例如 "
        "iconv -f {iconv} -t UTF-8 {name} > {name}.utf8 && mv {name}.utf8 {name}"
    ),
    "encoding_unknown": "不是 UTF-8 文本（第 {byte} 字节起无法解码），也不像常见的文本编码：可能是二进制文件；请用 UTF-8 保存",
    "control_char": "第 {column} 列有控制字符 {code}（{name}）：YAML 文件中不允许出现，请删除",
    "too_deep": "嵌套超过 {limit} 层：规则文件不需要这么深，请检查括号是否配对",
    "alias_too_big": "别名 *{anchor} 展开后超过 {limit} 个值：规则文件不需要这样的展开，请直接写出内容",
    "alias_recursive": "别名 *{anchor} 引用了包含它自身的内容（递归引用）",
    "alias_undefined": "别名 *{anchor} 没有对应的锚点 &{anchor}",
    "two_documents": "一个文件只能有一个 YAML 文档（此处开始了第二个）",
    "key_not_text": "键必须是普通文本",
    "key_twice": "在同一映射中出现了两次",
    "not_int": "应为整数，不是 {value}",
    "int_range": "应在 {low}–{high} 之间，不是 {value}",
    "date_range": "日期应在 {low}–{high} 之间，不是 {value}",
    "plan_id_twice": "计划编号 '{plan}' 与 {other} 重复",
    # -- the event store
    "action_open": "打开事件库",
    "action_trigger": "记录触发事件",
    "action_remove": "撤销触发事件",
    "action_done": "标记完成",
    "action_undo": "撤销完成",
    "already_done": "{occurrence} 已于 {on} 标记完成（#{change}），未重复记录；如需更正，先撤销",
    "event_out_of_range": "事件日期 {on} 超出可计算的范围（{low}–{high} 年）：请检查日期是否录错",
    "event_undatable": "{obligation}：事件 {on} 无法计算到期日（{reason}）：请检查日期是否录错",
    "stored_event_skipped": (
        "已略过触发事件 #{change}（{on}）：{reason}；其余照常计算。"
        "用 deadlines trigger remove {change} 撤销它"
    ),
    # -- the site and serve
    "action_build": "生成站点",
    "not_a_site": "{path} 已有其他内容，不是站点目录：请另选 --out，或先清空它",
    "rebuild_failed": "重新生成失败，继续提供上次的站点：{reason}",
    "first_build_failed": "生成失败，先提供上次的站点 {site}：{reason}",
    # -- reminders: contacts.yaml, the lead time, sending
    "lead_unreadable": (
        "提醒提前量应写成“提前5个工作日提醒”“提前一周”“3天”、一个整数（工作日）或 {{workdays: 5}}，不是 {value!r}"
    ),
    "lead_unit": "提醒提前量以工作日、日或周计，不是 {unit}",
    "secret_in_rules": "密钥和 webhook 地址不能写在规则文件中：请放进环境变量，这里写 {field}_env: 变量名",
    "env_name": "应为环境变量名（字母、数字、下划线，不以数字开头），不是 {value!r}",
    "env_missing": "环境变量 {name} 未设置（{what}）",
    "bad_address": "不是电子邮件地址：{value!r}",
    "no_smtp": "单位“{unit}”配置了 email，但文件中没有 smtp 设置",
    "no_channel": "单位“{unit}”没有配置任何接收方式（email、wecom、dingtalk、feishu）",
    "contacts_unknown_unit": "单位“{unit}”不在任何计划中，不会收到提醒：请检查名称，或在 units.yaml 中为它加别名",
    "contacts_ambiguous_unit": "单位“{unit}”可能指 {names}：请写全称",
    "action_remind": "记录提醒",
    "remind_interrupted": "发送中断（{at} 认领后未记录结果），重新发送",
    "remind_no_contacts": "{unit}：未配置接收方式，{count} 项提醒未发送（在 contacts.yaml 中为它配置）",
    "remind_busy": "{unit} {channel}：{count} 项正由另一个 deadlines remind 发送，本次跳过",
    "remind_taken_over": "{unit} {channel}：接手了 {count} 项中断的发送",
    "remind_settle_lost": "{unit} {channel}：发送期间已被另一进程接手（超过 {minutes} 分钟未记录结果），本次结果未记录",
    # -- time limits and dates (the phrase reader, the engine, the working-day calendar)
    "year_out_of_range": "年份超出范围：{year}（应在 {low}–{high} 之间）",
    "plan_year_out_of_range": "计划年度超出范围：{year}（应在 {low}–{high} 之间）",
    "offset_too_long": "期限超出范围：{count}{unit}（最长 100 年）",
    "issued_not_a_date": "印发日期不是日期：{value}",
    "not_a_numeral": "不是中文数字",
    "number_too_big": "数字过大",
    "date_out_of_range": "日期超出范围：{what}（可计算的年份为 {low}–{high}）",
    "in_obligation": "{obligation}：{message}",
    "of_time_limit": "{message}（时限：{rule}）",
    "window_inverted": "时间窗口的开始 {start} 晚于结束 {end}",
    # -- the rules folder: deadlines init, finding it like git finds its repository
    "no_rules_folder": (
        "找不到规则目录：{where} 及其上级目录中都没有 units.yaml 或 rules/ 文件夹。"
        "用 deadlines init 新建一个，或用 --rules 目录 / 环境变量 DEADLINES_RULES 指定"
    ),
    "init_created": "已新建规则目录 {path}：{made}",
    "init_exists": "{path} 已是规则目录（已有 units.yaml），未改动任何文件",
    "init_not_folder": "{path} 已存在且不是文件夹",
    "init_next": "下一步：deadlines import 方案.docx --id 编号 -o {plans}",
    "no_plans": "规则目录 {folder} 中还没有计划：用 deadlines import 方案.docx --id 编号 -o {folder}/编号.yaml 导入",
    "no_plan_covers": "没有计划涵盖 {start} 至 {end}：现有计划涵盖 {years}",
    "not_icalendar": "不是 iCalendar 文件（开头不是 BEGIN:VCALENDAR）",
    # -- dates typed on the command line
    "typed_not_a_date": "不是日期：{value!r}；{forms}",
    "typed_date_forms": "可写 2015-07-08、2015/07/08、2015.7.8、2015年7月8日 或 7月8日（今年）",
    "typed_bad_date": "不是日期：{value!r}（{why}）",
    "typed_no_month": "没有{month}月",
    "typed_no_day": "{year}年{month}月没有{day}日",
    "typed_bad_time": "不是时间：{value!r}（时在 0–23，分在 0–59）",
    # -- done: which occurrence, for whom
    "nearest_tie": "{obligation} 有 {count} 期与完成日期 {on} 同样接近：{listed}；请用 --period 指定其中一期",
    "not_a_member": "{unit} 不是 {obligation} 的责任单位所含集体单位（{groups}）的成员；集体单位的成员在 units.yaml 中列出",
    "no_group_task": "{obligation} 不是集体单位的任务：完成记录不分单位，去掉 --unit 即可",
}


def say(key: str, **fields: object) -> str:
    """The message ``key`` with ``fields`` filled in."""
    return MESSAGES[key].format(**fields)
