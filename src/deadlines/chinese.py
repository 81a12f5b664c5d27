"""Chinese text as copies of plans and notices give it: inline pinyin, traditional characters.

Copies from mirror sites come in traditional characters, sometimes with the
pinyin of a character inline (``鎮(zhèn)``, ``發(fā)``).  One rule drops such
pinyin and one OpenCC converter (the ``t2s`` table) gives simplified
characters, for the importer (:mod:`deadlines.importers.charset`), the
phrase reader (:func:`deadlines.phrases.to_simplified`) and the holiday
notices (:mod:`deadlines.holidays.notice`) alike.
"""

from __future__ import annotations

import re
from functools import cache

# Inline pinyin after a character: 鎮(zhèn), 發(fā), 日(ri), 七(qi)(qi).  A bracket is
# pinyin when it holds a tone mark (at most 7 letters), or, untoned, one or two
# syllables of Mandarin (at least two letters: "(a)" is an item's mark, "(wifi)",
# "(ppp)", "(试行)" and "(PDF)" are no pinyin).  The syllables are those of
# pypinyin's dictionary, toneless, with ü also written v (as typed).
_SYLLABLES = (
    "a ai an ang ao ba bai ban bang bao bei ben beng bi bian biang biao bie bin bing bo bong bu ca "
    "cai can cang cao ce cei cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua "
    "chuai chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den "
    "deng di dia dian diao die din ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang "
    "fei fen feng fiao fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang "
    "gui gun guo ha hai han hang hao he hei hen heng hm hng hong hou hu hua huai huan huang hui hun "
    "huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken "
    "keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei len leng li lia lian "
    "liang liao lie lin ling liu lo long lou lu luan lun luo lv lve lü lüe m ma mai man mang mao me "
    "mei men meng mi mian miao mie min ming miu mo mou mu n na nai nan nang nao ne nei nen neng ng ni "
    "nia nian niang niao nie nin ning niu nong nou nu nuan nun nuo nv nve nü nüe o ou pa pai pan pang "
    "pao pei pen peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong "
    "qiu qu quan que qun ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo sa sai san sang "
    "sao se sen seng sha shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan "
    "shuang shui shun shuo si song sou su suan sui sun suo ta tai tan tang tao te tei teng ti tian "
    "tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wong wu xi xia xian "
    "xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu "
    "yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen zheng "
    "zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo "
).split()
_TONES = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_TONED = f"(?=[a-zü{_TONES}]{{1,7}}[)）])[a-zü]*[{_TONES}][a-zü{_TONES}]*"
_SYLLABLE = "|".join(sorted(_SYLLABLES, key=len, reverse=True))
_UNTONED = f"(?![aeo][)）])(?:{_SYLLABLE})(?:{_SYLLABLE})?"
# After a Chinese character: the unified ideographs, extension A, the compatibility
# ideographs and extensions B–F.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"


@cache
def _pinyin() -> re.Pattern[str]:
    """The inline-pinyin pattern, compiled on first use (its 430 syllables take 20 ms)."""
    return re.compile(f"(?<=[{_HAN}])(?:[(（](?:{_TONED}|{_UNTONED})[)）])+")


# A share of converted characters above this marks a traditional text.
_TRADITIONAL_SHARE = 0.03


def pinyin_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` has inline pinyin (see :func:`_pinyin`): 鎮(zhèn), 日(ri), 七(qi)(qi)."""
    if "(" not in text and "（" not in text:
        return []
    return [m.span() for m in _pinyin().finditer(text)]


def strip_pinyin(text: str) -> str:
    """'鎮(zhèn)人民政府' → '鎮人民政府' (see :func:`pinyin_spans`)."""
    if "(" not in text and "（" not in text:
        return text
    return _pinyin().sub("", text)


@cache
def t2s():
    """OpenCC's traditional → simplified converter (loaded on first use: most text never needs it)."""
    import opencc

    return opencc.OpenCC("t2s.json")


def is_traditional(text: str) -> bool:
    """Whether ``text`` is written in traditional characters (a share of its
    Chinese characters changes under t2s)."""
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not han:
        return False
    sample = "".join(han[:20000])
    converted = t2s().convert(sample)
    changed = sum(1 for a, b in zip(sample, converted) if a != b)
    return changed > len(sample) * _TRADITIONAL_SHARE
