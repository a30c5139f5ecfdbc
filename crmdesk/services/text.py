"""Derived text for search and sorting: pinyin of names, phone digits, CJK tokens for full-text search."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# pypinyin reads these surnames with their common-word reading; as the first character of a
# person's name they are read as below (曾 zēng, 单 shàn, 解 xiè, ...); compound surnames by syllable.
SURNAME_PINYIN: dict[str, str] = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "区": "ou",
    "仇": "qiu",
    "朴": "piao",
    "查": "zha",
    "覃": "qin",
    "盖": "ge",
    "尉": "yu",
    "乐": "yue",
    "缪": "miao",
    "种": "chong",
    "翟": "zhai",
    "秘": "bi",
    "隗": "wei",
    "万俟": "mo qi",
    "尉迟": "yu chi",
    "长孙": "zhang sun",
    "令狐": "ling hu",
    "单于": "chan yu",
}
_COMPOUND_SURNAMES = sorted((key for key in SURNAME_PINYIN if len(key) > 1), key=len, reverse=True)

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_NON_DIGIT = re.compile(r"\D+")


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


@lru_cache(maxsize=65536)
def _syllables(text: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin

    # Characters pypinyin does not know are kept one by one (errors= may return a list).
    return tuple(lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: list(chars)))  # type: ignore[arg-type,return-value]


def name_pinyin(name: str, *, person: bool = True) -> tuple[str, str]:
    """(full pinyin, initials) of a name, lower case, no spaces: 张伟 -> ("zhangwei", "zw").

    For a person the surname override table applies to the first character(s). Latin letters and
    digits are kept as they are, so "Tom 李" -> ("tomli", "tl").
    """
    name = unicodedata.normalize("NFKC", name or "").strip()
    if not name:
        return "", ""
    syllables: list[str] = []
    rest = name
    if person:
        for surname in _COMPOUND_SURNAMES:
            if rest.startswith(surname):
                syllables.extend(SURNAME_PINYIN[surname].split())
                rest = rest[len(surname):]
                break
        else:
            if rest[0] in SURNAME_PINYIN:
                syllables.append(SURNAME_PINYIN[rest[0]])
                rest = rest[1:]
    # Runs of non-CJK characters become words of their own; CJK characters become syllables.
    for part in re.findall(r"[A-Za-z0-9]+|" + _CJK.pattern, rest):
        if _CJK.fullmatch(part):
            syllables.extend(_syllables(part))
        else:
            syllables.append(part)
    words = [s.lower() for s in syllables if s and s.strip()]
    full = "".join(words)
    initials = "".join(word[0] for word in words)
    return full[:200], initials[:50]


def phone_digits(phone: str | None) -> str | None:
    """The national number's digits (a leading +86 / 0086 dropped), or None."""
    if not phone:
        return None
    digits = _NON_DIGIT.sub("", phone)
    if phone.strip().startswith("+86") or digits.startswith("0086"):
        digits = digits[2:] if phone.strip().startswith("+86") else digits[4:]
    return digits or None


def reversed_digits(phone: str | None) -> str | None:
    """Digits reversed, so 'ends with 5678' is an indexed prefix lookup on '8765'."""
    digits = phone_digits(phone)
    return digits[::-1] if digits else None


def search_tokens(*texts: str | None) -> str:
    """The FTS body: every CJK character its own token, other words kept whole, lower case."""
    tokens: list[str] = []
    for text in texts:
        if not text:
            continue
        text = unicodedata.normalize("NFKC", text).lower()
        for part in re.findall(r"[^\W_]+", text):
            if has_cjk(part):
                for piece in re.findall(r"[a-z0-9]+|" + _CJK.pattern, part):
                    tokens.append(piece)
            else:
                tokens.append(part)
    return " ".join(tokens)
