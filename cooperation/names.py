"""End-customer names as deal registration compares them (渠道冲突: the same customer written differently).

``customer_key(name)`` is a pure function: two spellings of one company share the key, so an
exact match is an indexed equality. It applies, in order:

- NFKC (full-width letters, digits and brackets become half-width) and lower case;
- bracketed parts: a place or a legal form in brackets (``（上海）``, ``(China)``, ``（集团）``) is
  dropped, any other bracketed text is kept without its brackets;
- punctuation, symbols and spacing are removed (English words are read as words first);
- English: legal forms (Co., Ltd., Limited, Inc., Corporation…) and generic words at the end,
  places (``Shanghai``, ``China``…) at the start or the end;
- Chinese: province / city prefixes with their 省 / 市 / 自治区 (repeatedly: ``广东省深圳市``),
  legal-form suffixes (有限公司, 股份有限公司, 集团, 分公司…), places at the end and generic
  industry words at the end (科技, 技术, 实业, 贸易…), until nothing more comes off.

Nothing is stripped when what would remain is shorter than two characters (Chinese) or three
(Latin), so ``上海科技有限公司`` keeps a key. ``similarity(a, b)`` scores two keys 0–100 for the
near matches a channel manager looks at; the database prefilters the candidates by the key's
first and last two characters (``key_prefix`` / ``key_suffix``), never scoring every row.
"""

from __future__ import annotations

import re
import unicodedata

PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建",
    "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海",
    "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)
CITIES = (
    "深圳", "广州", "杭州", "南京", "苏州", "无锡", "常州", "宁波", "温州", "嘉兴", "绍兴", "金华", "台州",
    "合肥", "芜湖", "福州", "厦门", "泉州", "南昌", "济南", "青岛", "烟台", "潍坊", "郑州", "洛阳", "武汉",
    "宜昌", "长沙", "株洲", "东莞", "佛山", "珠海", "惠州", "汕头", "南宁", "桂林", "海口", "三亚", "成都",
    "绵阳", "贵阳", "昆明", "西安", "兰州", "西宁", "银川", "乌鲁木齐", "拉萨", "呼和浩特", "包头", "沈阳",
    "大连", "长春", "哈尔滨", "石家庄", "唐山", "保定", "太原", "大同", "徐州", "南通", "扬州", "盐城",
    "镇江", "泰州", "连云港", "淮安", "湖州", "舟山", "丽水", "蚌埠", "漳州", "莆田", "赣州", "淄博",
    "临沂", "威海", "济宁", "开封", "襄阳", "岳阳", "湛江", "江门", "中山", "柳州", "遵义", "大理",
)
# Country-level words that prefix or bracket Chinese company names the same way.
COUNTRY = ("中国", "中华")
PLACE_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")
PLACES_ZH = tuple(sorted({*PROVINCES, *CITIES, *COUNTRY}, key=len, reverse=True))

LEGAL_FORMS_ZH = tuple(sorted((
    "股份有限公司", "有限责任公司", "有限公司", "股份公司", "集团公司", "控股集团", "集团", "分公司", "总公司",
    "公司", "有限合伙", "合伙企业", "责任公司",
), key=len, reverse=True))
GENERIC_ZH = tuple(sorted((
    "科技", "技术", "信息技术", "信息科技", "网络科技", "实业", "贸易", "商贸", "工贸", "发展", "控股", "国际",
    "企业", "信息",
), key=len, reverse=True))

PLACES_EN = frozenset({
    "china", "prc", "beijing", "tianjin", "shanghai", "chongqing", "hebei", "shanxi", "liaoning", "jilin",
    "heilongjiang", "jiangsu", "zhejiang", "anhui", "fujian", "jiangxi", "shandong", "henan", "hubei", "hunan",
    "guangdong", "hainan", "sichuan", "guizhou", "yunnan", "shaanxi", "gansu", "qinghai", "taiwan", "guangxi",
    "tibet", "ningxia", "xinjiang", "hongkong", "hk", "macau", "macao", "shenzhen", "guangzhou", "hangzhou",
    "nanjing", "suzhou", "wuxi", "ningbo", "xiamen", "qingdao", "wuhan", "chengdu", "xian", "dalian",
    "shenyang", "changsha", "zhengzhou", "jinan", "hefei", "fuzhou", "kunming", "dongguan", "foshan",
})
LEGAL_FORMS_EN = frozenset({
    "co", "company", "ltd", "limited", "inc", "incorporated", "corp", "corporation", "llc", "plc", "gmbh",
    "group", "holding", "holdings", "sa", "ag", "bv", "lp", "llp", "pte",
})
GENERIC_EN = frozenset({
    "technology", "technologies", "tech", "trading", "industrial", "industries", "international", "intl",
    "development", "enterprise", "enterprises", "information",
})

_BRACKETS = re.compile(r"[(\[【〔〖{]([^()\[\]【】〔〕〖〗{}]*)[)\]】〕〗}]")
_MIN_ZH = 2
_MIN_LATIN = 3


def _is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def _long_enough(text: str) -> bool:
    if not text:
        return False
    if any(_is_cjk(char) for char in text):
        return len(text) >= _MIN_ZH
    return len(text) >= _MIN_LATIN


def _words(text: str) -> list[str]:
    """Words: runs of letters and digits (punctuation, symbols and spacing separate them)."""
    words, word = [], ""
    for char in text:
        if unicodedata.category(char)[0] in "LN":
            word += char
        elif word:
            words.append(word)
            word = ""
    if word:
        words.append(word)
    return words


def _place_zh(text: str) -> str | None:
    """The place (with its 省 / 市 …) ``text`` starts with, if any."""
    for place in PLACES_ZH:
        if text.startswith(place):
            rest = text[len(place):]
            for suffix in PLACE_SUFFIXES:
                if rest.startswith(suffix):
                    return place + suffix
            return place
    return None


def _is_place(words: list[str]) -> bool:
    joined = "".join(words)
    if not joined:
        return False
    if all(word in PLACES_EN for word in words):
        return True
    place = _place_zh(joined)
    return place == joined or (place is not None and joined[len(place):] in PLACE_SUFFIXES)


def _is_legal_form(words: list[str]) -> bool:
    joined = "".join(words)
    return bool(joined) and (all(word in LEGAL_FORMS_EN for word in words) or joined in LEGAL_FORMS_ZH)


def _strip_english(words: list[str]) -> list[str]:
    changed = True
    while changed and len(words) > 1:
        changed = False
        if words[-1] in LEGAL_FORMS_EN or words[-1] in GENERIC_EN or words[-1] in PLACES_EN:
            candidate = words[:-1]
        elif words[0] in PLACES_EN:
            candidate = words[1:]
        else:
            break
        if _long_enough("".join(candidate)):
            words, changed = candidate, True
    return words


def _strip_chinese(text: str) -> str:
    changed = True
    while changed:
        changed = False
        place = _place_zh(text)
        if place and _long_enough(text[len(place):]):
            text, changed = text[len(place):], True
            continue
        for word in (*LEGAL_FORMS_ZH, *GENERIC_ZH):
            if text.endswith(word) and _long_enough(text[: -len(word)]):
                text, changed = text[: -len(word)], True
                break
        if changed:
            continue
        for place in PLACES_ZH:
            for suffix in ("", *PLACE_SUFFIXES):
                tail = place + suffix
                if text.endswith(tail) and _long_enough(text[: -len(tail)]):
                    text, changed = text[: -len(tail)], True
                    break
            if changed:
                break
    return text


def customer_key(name: str | None) -> str:
    """The key two spellings of one company share (see the module docstring)."""
    text = unicodedata.normalize("NFKC", name or "").casefold()
    text = unicodedata.normalize("NFKC", text)  # casefold may produce characters NFKC changes again

    def bracket(match: re.Match) -> str:
        inner = _words(match.group(1))
        return " " if _is_place(inner) or _is_legal_form(inner) else " " + " ".join(inner) + " "

    previous = None
    while previous != text:  # nested brackets: the innermost first
        previous, text = text, _BRACKETS.sub(bracket, text)
    words = _strip_english(_words(text))
    key = _strip_chinese("".join(words))
    return key[:200]


def key_ends(key: str) -> tuple[str, str]:
    """(prefix, suffix): the indexed columns near-match candidates are looked up by."""
    return key[:2], key[-2:]


def _grams(key: str) -> set[str]:
    if len(key) < 2:
        return {key} if key else set()
    return {key[i:i + 2] for i in range(len(key) - 1)}


def similarity(a: str, b: str) -> int:
    """0–100: how alike two keys are (bigram Dice coefficient; containment counts as close)."""
    if not a or not b:
        return 0
    if a == b:
        return 100
    grams_a, grams_b = _grams(a), _grams(b)
    dice = 2 * len(grams_a & grams_b) / (len(grams_a) + len(grams_b))
    score = round(dice * 100)
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) >= 2 and shorter in longer:
        score = max(score, round(70 + 29 * len(shorter) / len(longer)))
    return min(score, 99)
