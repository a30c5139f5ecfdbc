"""Pinyin with surname overrides, phone digits, and the FTS body."""

import pytest

from crmdesk.services.text import has_cjk, name_pinyin, phone_digits, reversed_digits, search_tokens


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("张伟", "zhangwei", "zw"),
        ("曾小贤", "zengxiaoxian", "zxx"),  # pypinyin alone says ceng
        ("单田芳", "shantianfang", "stf"),  # dan
        ("解晓东", "xiexiaodong", "xxd"),  # jie
        ("区志强", "ouzhiqiang", "ozq"),
        ("仇英", "qiuying", "qy"),
        ("朴树", "piaoshu", "ps"),
        ("查良镛", "zhaliangyong", "zly"),
        ("覃海洋", "qinhaiyang", "qhy"),
        ("令狐冲", "linghuchong", "lhc"),
        ("Tom 李", "tomli", "tl"),
        ("", "", ""),
    ],
)
def test_person_names_read_with_surname_overrides(name: str, full: str, initials: str) -> None:
    assert name_pinyin(name) == (full, initials)


def test_surname_override_applies_only_to_people_and_the_first_character() -> None:
    # A company called 曾经 is read as the word ceng, not as the surname zeng.
    assert name_pinyin("曾经科技", person=False)[0].startswith("ceng")
    assert name_pinyin("李曾")[0] == "liceng"


def test_phone_digits_drop_the_country_code_and_reverse_for_suffix_lookups() -> None:
    assert phone_digits("+86 138-1234-5678") == "13812345678"
    assert phone_digits("0086 13812345678") == "13812345678"
    assert phone_digits("") is None
    assert reversed_digits("13812345678") == "87654321831"


def test_search_body_splits_chinese_into_single_character_tokens() -> None:
    assert search_tokens("张伟", "北京Huawei公司") == "张 伟 北 京 huawei 公 司"
    assert has_cjk("abc张") and not has_cjk("abc")
