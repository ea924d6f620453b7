"""The customer-name normaliser (``cooperation.names``): examples and properties.

Property-based: any spelling of a company built from one core name (legal-form suffixes,
province / city prefixes, places in brackets, full-width forms, case, spacing, punctuation)
has the core's key; the key is stable under a second pass; the similarity score is symmetric,
bounded and 100 exactly for equal keys.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cooperation.names import CITIES, PROVINCES, customer_key, key_ends, similarity

# A core alphabet that spells no place, legal form or generic word, whatever the order.
CORE_ZH = "鼎盛电子宏远星辰恒瑞精密光学仪器医疗"
CORE_EN = ["acme", "dingsheng", "orion", "vertex", "lumen", "kestrel", "nimbus", "zephyr"]

zh_core = st.text(alphabet=CORE_ZH, min_size=2, max_size=8)
en_core = st.lists(st.sampled_from(CORE_EN), min_size=1, max_size=3)
legal_zh = st.sampled_from(["", "有限公司", "股份有限公司", "有限责任公司", "集团有限公司", "集团", "分公司",
                            "科技有限公司", "技术有限公司"])
place = st.sampled_from([*PROVINCES[:10], *CITIES[:10]])
place_suffix = st.sampled_from(["", "市", "省"])
legal_en = st.sampled_from(["", "Co., Ltd.", "Co. Ltd", "Limited", "Inc.", "Corporation", "Holdings Limited",
                            "Technology Co., Ltd."])
place_en = st.sampled_from(["", "Shanghai", "China", "Shenzhen", "Beijing"])


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in text)


@pytest.mark.parametrize(("a", "b"), [
    ("上海鼎盛电子科技有限公司", "鼎盛电子（上海）"),
    ("广东省深圳市华信通讯股份有限公司", "华信通讯（深圳）"),
    ("北京 宏远 集团", "宏远集团有限公司"),
    ("Dingsheng Electronics (Shanghai) Co., Ltd.", "DINGSHENG ELECTRONICS CO LTD"),
    ("ＡＢＣ　Ｔｒａｄｉｎｇ　Ｃｏ．，Ｌｔｄ．", "abc trading"),
    ("鼎盛电子上海分公司", "鼎盛电子"),
    ("【鼎盛】电子", "鼎盛·电子"),
])
def test_spellings_of_one_company_share_the_key(a, b):
    assert customer_key(a) == customer_key(b) != ""


@pytest.mark.parametrize(("a", "b"), [
    ("鼎盛电子", "鼎盛光学"),
    ("上海鼎盛电子", "上海宏远电子"),
    ("Coral Trading", "Oral Trading"),
])
def test_different_companies_keep_different_keys(a, b):
    assert customer_key(a) != customer_key(b)


def test_nothing_is_stripped_to_nothing():
    assert customer_key("上海科技有限公司") == "科技"
    assert customer_key("上海") == "上海"
    assert customer_key("Co Ltd") != ""
    assert customer_key("") == "" and customer_key(None) == ""


@settings(max_examples=200, deadline=None)
@given(core=zh_core, prefix=place, suffix=place_suffix, legal=legal_zh, where=st.integers(0, 2),
       spaces=st.booleans())
def test_chinese_variants_share_the_key(core, prefix, suffix, legal, where, spaces):
    plain = customer_key(core)
    if where == 0:
        variant = prefix + suffix + core + legal
    elif where == 1:
        variant = f"{core}（{prefix}）{legal}"
    else:
        variant = f"{core}({prefix}{suffix}){legal}"
    if spaces:
        variant = " ".join(variant)
    assert customer_key(variant) == plain
    assert customer_key(full_width(variant)) == plain


@settings(max_examples=200, deadline=None)
@given(core=en_core, legal=legal_en, where=place_en, upper=st.booleans(), bracket=st.booleans())
def test_english_variants_share_the_key(core, legal, where, upper, bracket):
    name = " ".join(core)
    plain = customer_key(name)
    variant = f"{name} ({where}) {legal}" if bracket and where else f"{where} {name} {legal}"
    if upper:
        variant = variant.upper()
    assert customer_key(variant) == plain
    assert customer_key(full_width(variant)) == plain
    assert customer_key(variant.replace(" ", "  ").replace(",", " , ")) == plain


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_the_key_is_stable_and_bounded(name):
    key = customer_key(name)
    assert customer_key(key) == key
    assert len(key) <= 200
    assert key == key.casefold()
    assert not any(c.isspace() for c in key)
    prefix, suffix = key_ends(key)
    assert key.startswith(prefix) and key.endswith(suffix)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20), st.text(max_size=20))
def test_similarity_is_symmetric_and_bounded(a, b):
    score = similarity(a, b)
    assert score == similarity(b, a)
    assert 0 <= score <= 100
    assert (score == 100) == (a == b and a != "")


@settings(max_examples=100, deadline=None)
@given(core=zh_core, extra=st.text(alphabet=CORE_ZH, min_size=1, max_size=2))
def test_a_longer_name_is_a_near_match(core, extra):
    assert similarity(customer_key(core), customer_key(core + extra)) >= 70
