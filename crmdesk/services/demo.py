"""Demo data: fills an empty, migrated book with a realistic zh_CN lead-to-cash history, fast enough for
a million leads (raw executemany, indexes rebuilt after the load, pools instead of Faker per row).
"""

from __future__ import annotations

import itertools
import random
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from faker import Faker
from faker.providers.address.zh_CN import Provider as AddressProvider
from faker.providers.person.zh_CN import Provider as PersonProvider

from crmdesk.i18n import _
from crmdesk.models.database import Database
from crmdesk.services.errors import ConflictError
from crmdesk.services.lead_rules import DEFAULT_SCORING
from crmdesk.services.pipelines import DERIVED_DEAL_COLUMNS_SQL
from crmdesk.services.pool import DEFAULT_POOL_RULES
from crmdesk.services.text import name_pinyin, reversed_digits, search_tokens

ProgressCallback = Callable[[str, int, int], None]
Row = tuple[Any, ...]


@dataclass(frozen=True)
class DemoSummary:
    counts: dict[str, int]  # rows per table after the build
    seconds: float


# Leads (and everything that grows from them) are generated and written this many at a time: one
# transaction each, small enough to keep memory flat, large enough that commits cost nothing.
CHUNK_LEADS = 5000
HISTORY_DAYS = 730
DEVICE_CODE = "DEMO"  # has an O, which real device codes (Crockford base32) never contain

# Every table the per-lead loop writes; their secondary indexes are dropped for the load.
BULK_TABLES = (
    "customers", "contacts", "opportunities", "leads", "opportunity_stage_changes", "quotes",
    "quote_lines", "quote_events", "contracts", "orders", "order_lines", "payment_plans", "installments", "payments",
    "payment_allocations", "test_drives", "activities", "pool_events", "lost_requests",
)
SEARCHABLE_TABLES = ("leads", "customers", "contacts", "opportunities")  # each with an FTS5 index
COUNTED_TABLES = (
    "territories", "teams", "users", "pipelines", "stages", "products", "price_lists", "price_list_items",
    *BULK_TABLES, "targets",
)

US_PER_SECOND = 1_000_000
US_PER_MINUTE = 60 * US_PER_SECOND
US_PER_HOUR = 60 * US_PER_MINUTE
US_PER_DAY = 24 * US_PER_HOUR
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()

# --- Columns, in the order the row builders below emit them -------------------------------------------

_SYNCED = ("id", "created_at", "updated_at", "created_by", "updated_by")
COLUMNS: dict[str, tuple[str, ...]] = {
    "territories": (*_SYNCED, "name", "parent_id"),
    "teams": (*_SYNCED, "name", "territory_id", "manager_id"),
    "users": (*_SYNCED, "username", "display_name", "role", "team_id", "territory_id", "phone", "email",
              "active"),
    "pipelines": (*_SYNCED, "code", "name_zh", "name_en", "kind", "position"),
    "stages": (*_SYNCED, "pipeline_id", "code", "name_zh", "name_en", "position", "probability", "is_won",
               "is_lost"),
    "products": (*_SYNCED, "code", "name_zh", "name_en", "unit", "list_price", "tax_rate_bp", "category",
                 "is_vehicle", "model", "trim", "colour", "active", "name_pinyin", "name_initials"),
    "price_lists": (*_SYNCED, "name", "currency", "valid_from", "valid_to", "is_default"),
    "price_list_items": (*_SYNCED, "price_list_id", "product_id", "price"),
    "leads": (*_SYNCED, "name", "gender", "phone", "email", "company", "title", "source", "campaign",
              "ad_keyword", "status", "invalid_reason", "score", "owner_id", "team_id", "intended_product",
              "intended_purchase_date", "province", "city", "residential_area", "visitors_count", "notes",
              "converted_at", "customer_id", "opportunity_id", "name_pinyin", "name_initials", "phone_rev",
              "search_body", "qualification", "mql_at", "accepted_at"),
    "customers": (*_SYNCED, "kind", "name", "gender", "phone", "email", "id_number", "uscc", "birthday",
                  "industry", "province", "city", "address", "tier", "intent_grade", "status", "lost_reason",
                  "owner_id", "team_id", "territory_id", "pool_entered_at", "claimed_at", "last_followup_at",
                  "next_followup_at", "name_pinyin", "name_initials", "phone_rev", "source_type",
                  "source_id", "search_body", "pool_warned_at", "dormant_at"),
    "contacts": (*_SYNCED, "customer_id", "name", "gender", "phone", "email", "title", "is_primary",
                 "birthday", "name_pinyin", "name_initials", "phone_rev", "source_type", "source_id",
                 "search_body"),
    "opportunities": (*_SYNCED, "name", "customer_id", "customer_name", "contact_id", "pipeline_id",
                      "stage_id", "stage_position", "status", "kind", "amount", "probability",
                      "probability_overridden", "forecast_category", "expected_close_date", "owner_id",
                      "team_id", "product_interest", "won_at", "won_amount", "lost_at", "lost_reason",
                      "name_pinyin", "name_initials", "source_type", "source_id", "search_body"),
    "opportunity_stage_changes": (*_SYNCED, "opportunity_id", "from_stage_id", "to_stage_id", "changed_at",
                                  "changed_by"),
    "activities": (*_SYNCED, "kind", "status", "subject", "outcome", "due_at", "done_at", "plan_rule",
                   "owner_id", "lead_id", "customer_id", "contact_id", "opportunity_id"),
    "quotes": (*_SYNCED, "number", "version", "is_current", "opportunity_id", "customer_id", "contact_id",
               "status", "valid_until", "terms", "subtotal", "discount_total", "tax_total", "total",
               "max_discount_bp", "approval_status", "approved_by", "approved_at", "owner_id", "source_type",
               "source_id", "previous_version_id", "sent_at", "accepted_at"),
    "quote_lines": (*_SYNCED, "quote_id", "position", "product_id", "description", "quantity", "unit",
                    "unit_price", "discount_bp", "discount_amount", "tax_rate_bp", "line_total", "list_price",
                    "lineage_id"),
    "quote_events": (*_SYNCED, "quote_id", "action", "from_status", "to_status", "comment", "user_id", "at"),
    "contracts": (*_SYNCED, "number", "title", "quote_id", "opportunity_id", "customer_id", "status", "amount",
                  "signed_on", "starts_on", "ends_on", "terms", "owner_id", "source_type", "source_id"),
    "orders": (*_SYNCED, "number", "customer_id", "customer_name", "contract_id", "opportunity_id", "status",
               "order_date", "delivery_date", "delivered_at", "total", "owner_id", "team_id", "source_type",
               "source_id"),
    "order_lines": (*_SYNCED, "order_id", "position", "product_id", "description", "quantity", "unit_price",
                    "line_total", "vin"),
    "payment_plans": (*_SYNCED, "order_id", "contract_id", "customer_id", "total", "source_type", "source_id",
                      "owner_id", "basis"),
    "installments": (*_SYNCED, "plan_id", "sequence", "due_date", "amount", "paid_amount", "status",
                     "customer_id", "owner_id"),
    "payments": (*_SYNCED, "customer_id", "order_id", "received_on", "amount", "method", "reference",
                 "contract_id", "payer"),
    "payment_allocations": (*_SYNCED, "payment_id", "installment_id", "amount"),
    "test_drives": (*_SYNCED, "customer_id", "opportunity_id", "consultant_id", "product_id", "vehicle_vin",
                    "vehicle_plate", "driver_name", "driver_phone", "driver_id_number", "licence_number",
                    "status", "booked_for", "started_at", "ended_at", "start_odometer_km", "end_odometer_km"),
    "targets": (*_SYNCED, "owner_id", "team_id", "period_kind", "period_start", "amount", "deal_count"),
    "pool_events": (*_SYNCED, "customer_id", "action", "user_id", "from_owner_id", "at", "reason"),
    "lost_requests": (*_SYNCED, "opportunity_id", "customer_id", "reason", "detail", "status", "requested_by",
                      "requested_at", "reviewed_by", "reviewed_at", "review_comment"),
}

# --- Fixed vocabulary ------------------------------------------------------------------------------


@dataclass(frozen=True)
class City:
    province: str
    name: str
    area_code: str  # landline prefix
    plate_prefix: str  # licence plates registered here start with this


REGIONS: tuple[tuple[str, tuple[City, ...]], ...] = (
    ("华东区", (City("上海市", "上海市", "021", "沪A"), City("江苏省", "南京市", "025", "苏A"),
              City("江苏省", "苏州市", "0512", "苏E"), City("浙江省", "杭州市", "0571", "浙A"),
              City("浙江省", "宁波市", "0574", "浙B"))),
    ("华南区", (City("广东省", "广州市", "020", "粤A"), City("广东省", "深圳市", "0755", "粤B"),
              City("广东省", "佛山市", "0757", "粤E"), City("广东省", "东莞市", "0769", "粤S"))),
    ("华北区", (City("北京市", "北京市", "010", "京N"), City("天津市", "天津市", "022", "津A"),
              City("河北省", "石家庄市", "0311", "冀A"))),
    ("西南区", (City("四川省", "成都市", "028", "川A"), City("重庆市", "重庆市", "023", "渝A"))),
    ("华中区", (City("湖北省", "武汉市", "027", "鄂A"), City("湖南省", "长沙市", "0731", "湘A"))),
)

# Birthplace codes of resident ID numbers, each valid for every birth year the demo draws (stdnum checks
# that the county existed when the holder was born; many newer district codes would fail that).
ID_AREA_CODES = ("310104", "310105", "310106", "310107", "310109", "310110", "110102", "110105", "110106",
                 "110108", "120102", "120103", "120104", "330122", "510121", "430121")
# Company registration areas for credit codes (no birth-year check there).
USCC_AREA_CODES = ("310115", "310104", "320102", "320505", "330106", "330203", "440106", "440305", "440604",
                   "441900", "110105", "120116", "130102", "510107", "500103", "420106", "430104")

# Mainland mobile prefixes, the common ones repeated so they are drawn more often.
MOBILE_PREFIXES = ("138", "139", "137", "136", "135", "134", "150", "151", "152", "157", "158", "159",
                   "182", "183", "187", "188", "130", "131", "132", "155", "156", "185", "186", "133",
                   "153", "180", "181", "189", "177", "173", "199", "198", "166", "191", "138", "139",
                   "186", "159", "188", "150")

# (model, English name, category, price of trim 1, price of trim 2) - a fictional brand, 华驰.
VEHICLE_MODELS = (
    ("华驰 A3", "Huachi A3", "紧凑型轿车", 89_800, 99_800),
    ("华驰 S5", "Huachi S5", "紧凑型SUV", 149_800, 169_800),
    ("华驰 E7", "Huachi E7", "纯电轿车", 219_800, 249_800),
    ("华驰 M8", "Huachi M8", "MPV", 289_800, 329_800),
    ("华驰 L9", "Huachi L9", "旗舰SUV", 469_800, 539_800),
)
MODEL_WEIGHTS = (30, 32, 20, 10, 8)
TRIMS = (("舒适版", "Comfort", "CMF"), ("旗舰版", "Flagship", "FLG"))
COLOURS = (("珍珠白", "Pearl White", "WH"), ("曜石黑", "Obsidian Black", "BK"),
           ("星河蓝", "Galaxy Blue", "BL"), ("极光银", "Aurora Silver", "SV"))
# (code, name, English name, unit, price in yuan, VAT in basis points, category)
EXTRAS = (
    ("ACC-MAT", "全包围脚垫", "All-weather floor mats", "套", 800, 1300, "精品附件"),
    ("ACC-DVR", "行车记录仪", "Dash camera", "个", 1_200, 1300, "精品附件"),
    ("ACC-PPF", "隐形车衣", "Paint protection film", "套", 6_800, 1300, "精品附件"),
    ("ACC-CHG", "家用充电桩（含安装）", "Home charger with installation", "套", 3_999, 1300, "精品附件"),
    ("SVC-WTY", "三年延保服务", "3-year extended warranty", "项", 4_800, 600, "服务"),
    ("SVC-MNT", "保养套餐（5次）", "Maintenance plan (5 visits)", "项", 3_600, 600, "服务"),
    ("SVC-REG", "上牌代办服务", "Registration service", "项", 1_000, 600, "服务"),
)

# (code, zh, en, probability); the third stage differs by pipeline; won and lost close both.
PIPELINES = (
    ("vehicle", "整车销售", "Vehicle sales", "vehicle", ("test_drive", "试乘试驾", "Test drive")),
    ("project", "大客户项目", "Fleet projects", "project", ("proposal", "方案报价", "Proposal")),
)
STAGE_TEMPLATE = (
    ("qualify", "初步接洽", "Qualify", 10),
    ("needs_analysis", "需求分析", "Needs analysis", 20),
    (None, None, None, 40),
    ("negotiation", "商务谈判", "Negotiation", 60),
    ("contract", "签订合同", "Contract", 80),
    ("won", "赢单", "Won", 100),
    ("lost", "输单", "Lost", 0),
)

LEAD_SOURCES = ("walk_in", "phone", "web", "campaign", "referral", "ad_keyword")
LEAD_SOURCE_WEIGHTS = (35, 15, 20, 10, 10, 10)
CAMPAIGNS = ("2025春季车展", "五一购车节", "国庆团购会", "老客户答谢会", "周末试驾体验日", "双十一线上团购",
             "新能源下乡活动", "年终冲量特惠")
AD_KEYWORDS = ("新能源SUV推荐", "华驰S5价格", "家用轿车哪款好", "七座MPV", "纯电车续航", "华驰L9落地价",
               "二十万左右SUV", "以旧换新补贴")
# As the lead form stores them: a code of the team's default list, or "other:" with the words typed.
INVALID_REASONS = ("wrong_number", "not_interested", "duplicate", "competitor", "other:多次联系不上",
                   "other:预算严重不足", "other:已在别处购车", "other:外地客户，不在服务范围")
LOST_REASONS = ("价格原因，选择了竞品", "暂缓购车", "贷款审批未通过", "对配置不满意", "交车周期太长",
                "家人意见不统一", "转向二手车", "长期联系不上")
DORMANT_REASONS = ("长期未跟进", "暂无购车计划", "客户要求暂停联系")
# The lost-reason codes (crmdesk.services.lost's default list) a lost request names, per demo reason.
LOST_REASON_CODES = {"价格原因，选择了竞品": "competitor", "暂缓购车": "postponed", "贷款审批未通过": "no_budget",
                     "对配置不满意": "other", "交车周期太长": "other", "家人意见不统一": "postponed",
                     "转向二手车": "other", "长期联系不上": "no_contact"}
REVISIT_OUTCOMES = ("客户确认已收到报价，周末再来店", "客户在比较竞品，约了下次试驾", "已加微信，发送了车型资料",
                    "客户对价格有顾虑，需要再商量", "客户家人想一起到店看车")
# Follow-up plan rules, as crmdesk.services.followups names them.
RULE_FIRST_REVISIT, RULE_CADENCE, RULE_DELIVERY_48H = "first_revisit", "cadence", "delivery_48h"
RULE_FIRST_CONTACT, RULE_REVISIT = "first_contact", "revisit"  # a lead's first call and its next revisit
# The pool's default rules: a prospect nobody followed up for its tier's days is back in the pool, its
# owner warned the days before; the demo book is as the pool's maintenance would have left it.
RECLAIM_DAYS: dict[str, int] = DEFAULT_POOL_RULES["reclaim_days"]
WARNING_DAYS: int = DEFAULT_POOL_RULES["warning_days"]
FIRST_REVISIT_SHARE = 0.88  # opportunities revisited within 5 days; the rest show in the rules report
TEST_DRIVE_SHARE = 0.85  # won car buyers with a test drive on record (the rule wants all of them)
LEAD_NOTES = ("关注续航和充电便利性", "二胎家庭，想换大空间车型", "置换老车，想了解以旧换新补贴",
              "首次购车，预算有限", "看过竞品，比较在意价格", "公司用车，需要开专票", "想要近期提车",
              "对智能驾驶功能很感兴趣", "家人一起到店看车", "希望分期付款")
TITLES = ("总经理", "行政经理", "采购主管", "车队主管", "财务总监", "办公室主任", "副总经理", "后勤部长")
INDUSTRIES = ("制造业", "信息技术", "批发零售", "建筑工程", "物流运输", "教育培训", "医疗健康", "金融服务",
              "餐饮酒店", "房地产")
ESTATE_PREFIXES = ("阳光", "锦绣", "翠湖", "御景", "金色", "碧水", "星河", "滨江", "紫荆", "书香", "春晓",
                   "龙湖", "万科", "保利", "绿城", "华润", "中海", "世纪", "东方", "香樟")
ESTATE_SUFFIXES = ("花园", "华庭", "家园", "公馆", "名苑", "新城", "雅苑", "府", "湾", "一品", "天地", "小区")
EMAIL_DOMAINS = ("163.com", "126.com", "sina.com", "foxmail.com", "outlook.com", "gmail.com")
PAYMENT_METHODS = ("银行转账", "POS刷卡", "微信支付", "支付宝", "汽车金融放款", "现金")
TARGET_ROLES = ("consultant", "field_rep")
DEMO_MQL_THRESHOLD = int(DEFAULT_SCORING["mql_threshold"])
LEAD_SCORES = {"new": (0, 30), "contacted": (20, 60), "qualified": (50, 85), "converted": (60, 98),
               "invalid": (0, 10)}
LEAD_OUTCOMES = {"contacted": "已联系，客户考虑中", "qualified": "需求明确，预算匹配",
                 "invalid": "确认为无效线索", "converted": "客户有明确购车意向，已转为商机"}

# Opportunity outcomes once the expected close has passed; some deals stall and stay open.
CLOSED_WON_SHARE = 0.55
STALLED_SHARE = 0.35
OPEN_STAGE_WEIGHTS = (30, 25, 20, 15, 10)

_VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"  # no I, O, Q
_VIN_VALUES = {**{str(d): d for d in range(10)}, **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
               **dict(zip("JKLMN", range(1, 6), strict=True)), "P": 7, "R": 9,
               **dict(zip("STUVWXYZ", range(2, 10), strict=True))}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_VIN_YEARS = "ABCDEFGHJKLMNPRSTVWXY"  # model-year letters from 2010
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_PLATE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"


# --- Small pure helpers ---------------------------------------------------------------------------


def resident_id_number(area: str, born: date, sequence: int, male: bool) -> str:
    """A GB 11643 resident ID number; the sequence's last digit is odd for men, even for women."""
    sequence = sequence - sequence % 2 + (1 if male else 0)
    body = f"{area}{born:%Y%m%d}{sequence % 1000:03d}"
    total = sum(int(digit) * (2 ** (17 - position) % 11) for position, digit in enumerate(body))
    return body + "10X98765432"[total % 11]


def credit_code(area: str, serial: str) -> str:
    """A GB 32100 unified social credit code: 91 (enterprise), area, organisation code, check character."""
    organisation_total = sum(_USCC_CHARS.index(char) * weight
                             for char, weight in zip(serial, _ORG_CODE_WEIGHTS, strict=True))
    check = 11 - organisation_total % 11
    organisation = serial + ("X" if check == 10 else "0" if check == 11 else str(check))
    body = f"91{area}{organisation}"
    total = sum(_USCC_CHARS.index(char) * weight for char, weight in zip(body, _USCC_WEIGHTS, strict=True))
    return body + _USCC_CHARS[(31 - total % 31) % 31]


def vin_with_check_digit(vin16: str) -> str:
    """Insert the ISO 3779 / GB 16735 check digit as the 9th character of a 16-character VIN body."""
    vin = vin16[:8] + "0" + vin16[8:]
    remainder = sum(_VIN_VALUES[char] * weight for char, weight in zip(vin, _VIN_WEIGHTS, strict=True)) % 11
    return vin[:8] + ("X" if remainder == 10 else str(remainder)) + vin[9:]


class Clock:
    """Times as integer microseconds since the epoch (UTC): cheap to draw and add, formatted the way
    SQLAlchemy's DateTime / Date store them on SQLite."""

    def __init__(self, now_us: int) -> None:
        self.now = now_us
        self._days: dict[int, str] = {}

    def day(self, us: int) -> str:
        index = us // US_PER_DAY
        text = self._days.get(index)
        if text is None:
            text = self._days[index] = date.fromordinal(_EPOCH_ORDINAL + index).isoformat()
        return text

    def stamp(self, us: int) -> str:
        # The hottest function of the build (a dozen calls per lead), hence the inlined day lookup.
        index, rest = divmod(us, US_PER_DAY)
        text = self._days.get(index) or self.day(us)
        seconds, micro = divmod(rest, US_PER_SECOND)
        return f"{text} {seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}.{micro:06d}"

    def compact_day(self, us: int) -> str:
        return self.day(us).replace("-", "")


class IdMaker:
    """UUIDv7 strings in bulk: 48-bit ms timestamp (the row's creation time, so ids sort like
    created_at and insert in B-tree order), version 7, RFC 4122 variant, 74 random bits.

    The random bits come from the system's entropy, not the demo seed: two demo books never share ids.
    """

    def __init__(self) -> None:
        self._random = random.Random()

    def at(self, us: int) -> str:
        bits = self._random.getrandbits(74)
        value = ((us // 1000) << 80) | (0x7 << 76) | ((bits >> 62) << 64) | (0b10 << 62) | (bits & (2**62 - 1))
        h = f"{value:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class Derived:
    """The app's derived search columns and FTS bodies, cached per distinct text (names repeat a lot).

    Each cache is emptied when it grows past CACHE_LIMIT: a million leads carry a few hundred thousand
    distinct names, and holding all of them costs more memory than recomputing the rare ones costs time.
    """

    CACHE_LIMIT = 100_000

    def __init__(self) -> None:
        self._person: dict[str, tuple[str, str]] = {}
        self._company: dict[str, tuple[str, str]] = {}
        self._tokens: dict[str, str] = {}

    def pinyin(self, name: str, *, person: bool = True) -> tuple[str, str]:
        cache = self._person if person else self._company
        value = cache.get(name)
        if value is None:
            if len(cache) > self.CACHE_LIMIT:
                cache.clear()
            value = cache[name] = name_pinyin(name, person=person)
        return value

    def tokens(self, *texts: str | None) -> str:
        """search_tokens(*texts), built from per-text parts: the token lists just concatenate."""
        parts = []
        for text in texts:
            if not text:
                continue
            part = self._tokens.get(text)
            if part is None:
                if len(self._tokens) > self.CACHE_LIMIT:
                    self._tokens.clear()
                part = self._tokens[text] = search_tokens(text)
            if part:
                parts.append(part)
        return " ".join(parts)


# --- Pools built once from Faker -------------------------------------------------------------------


@dataclass
class Pools:
    surnames: list[str]
    surname_weights: list[float]  # cumulative
    male_given: list[str]  # one-character names first
    female_given: list[str]
    single_given: dict[bool, int]  # male? -> how many one-character names lead the list
    companies: list[str]
    streets: list[str]
    estates: list[str]


def build_pools(seed: int) -> Pools:
    """Names and places from Faker's zh_CN provider lists, drawn once; rows combine them cheaply."""
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    rng = random.Random(seed * 7919 + 17)
    last_names: dict[str, float] = dict(PersonProvider.last_names)
    surnames = list(last_names)
    weights = list(itertools.accumulate(last_names[name] for name in surnames))

    def given(names: Sequence[str]) -> list[str]:
        # The provider's list mixes one-character names (伟) and two-character ones (秀英); pairs of
        # the single characters make the common two-character given names (建伟) it lacks.
        singles = [name for name in names if len(name) == 1]
        pairs = {rng.choice(singles) + rng.choice(singles) for _ in range(3000)}
        return singles + [name for name in names if len(name) > 1] + sorted(pairs)

    companies = sorted({fake.company() for _ in range(3000)})
    districts = list(AddressProvider.districts)
    streets = sorted({f"{rng.choice(districts)}区{fake.street_name()}{rng.randint(1, 999)}号"
                      for _ in range(3000)})
    estates = [prefix + suffix for prefix in ESTATE_PREFIXES for suffix in ESTATE_SUFFIXES]
    male, female = given(PersonProvider.first_names_male), given(PersonProvider.first_names_female)
    single = {True: sum(len(name) == 1 for name in male), False: sum(len(name) == 1 for name in female)}
    return Pools(surnames, weights, male, female, single, companies, streets, estates)


# --- Reference data: who sells, what, through which stages -----------------------------------------


@dataclass(frozen=True)
class Seller:
    id: str
    team_id: str
    territory_id: str
    region: int
    manager_id: str


@dataclass(frozen=True)
class StageRef:
    id: str
    position: int
    probability: int


@dataclass(frozen=True)
class PipelineRef:
    id: str
    kind: str
    open: tuple[StageRef, ...]
    won: StageRef
    lost: StageRef


@dataclass(frozen=True)
class Product:
    id: str
    name: str
    unit: str
    price: int  # fen
    tax_bp: int
    model: int  # index into VEHICLE_MODELS, -1 for extras
    vds: str  # the VIN's vehicle descriptor section (5 characters)


@dataclass
class Reference:
    admin_id: str
    sellers: list[Seller]
    territory_ids: list[str]  # per region
    vehicles: list[Product]
    extras: list[Product]
    vehicle_pipeline: PipelineRef
    project_pipeline: PipelineRef
    vehicles_by_model: list[list[Product]] = field(default_factory=list)


# --- The builder -----------------------------------------------------------------------------------


@dataclass
class Person:
    name: str
    surname: str
    gender: str
    phone: str


class DemoBuilder:
    """Generates rows table by table into per-chunk buffers; `write` sends a chunk to SQLite."""

    def __init__(self, connection: sqlite3.Connection, seed: int, now_us: int) -> None:
        self.connection = connection
        self.rng = random.Random(seed)
        self.clock = Clock(now_us)
        self.ids = IdMaker()
        self.derived = Derived()
        self.pools = build_pools(seed)
        self.rows: dict[str, list[Row]] = {table: [] for table in COLUMNS}
        self.sql = {table: f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
                    for table, columns in COLUMNS.items()}
        self.number_counters: dict[str, int] = {}
        self.vin_serial = 0
        self.recent_people: list[Person] = []  # earlier leads, for realistic duplicates
        self.test_cars: dict[tuple[str, int], tuple[str, str, str]] = {}  # (city, model) -> car
        self.ref: Reference | None = None

    # -- plumbing

    def write(self) -> None:
        """One transaction for everything buffered; parents before children (FK checks are off anyway)."""
        cursor = self.connection.cursor()
        cursor.execute("BEGIN")
        try:
            for table, rows in self.rows.items():
                if rows:
                    cursor.executemany(self.sql[table], rows)
                    rows.clear()
        except BaseException:
            # Roll back now: left open, the transaction would also swallow the indexes put back after it.
            cursor.execute("ROLLBACK")
            raise
        cursor.execute("COMMIT")

    def stamp(self, us: int | None) -> str | None:
        return None if us is None else self.clock.stamp(us)

    def day(self, us: int | None) -> str | None:
        return None if us is None else self.clock.day(us)

    def number(self, prefix: str, us: int) -> str:
        day = self.clock.compact_day(us)
        key = f"{prefix}{day}"
        count = self.number_counters[key] = self.number_counters.get(key, 0) + 1
        return f"{prefix}-{DEVICE_CODE}-{day}-{count:04d}"

    def synced(self, us: int, updated_us: int, by: str | None) -> tuple[str, str, str, str | None, str | None]:
        """(id, created_at, updated_at, created_by, updated_by): the five columns every row starts with."""
        by = by or self.reference.admin_id
        return self.ids.at(us), self.clock.stamp(us), self.clock.stamp(max(us, updated_us)), by, by

    @property
    def reference(self) -> Reference:
        assert self.ref is not None, "build_reference() first"
        return self.ref

    def mobile(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(100_000_000):08d}"

    def person(self) -> Person:
        rng = self.rng
        surname = rng.choices(self.pools.surnames, cum_weights=self.pools.surname_weights)[0]
        male = rng.random() < 0.55
        names = self.pools.male_given if male else self.pools.female_given
        # About one name in six has a one-character given name (张伟); the pool's first entries are those.
        given = names[rng.randrange(self.pools.single_given[male])] if rng.random() < 0.17 else rng.choice(names)
        return Person(surname + given, surname, "M" if male else "F", self.mobile())

    def business_time(self, day_us: int) -> int:
        """A moment in showroom hours (09:00-21:00 Beijing = 01:00-13:00 UTC) on the day containing day_us."""
        start = day_us - day_us % US_PER_DAY + US_PER_HOUR
        return start + self.rng.randrange(12 * US_PER_HOUR)

    def birthday(self) -> date:
        return date(self.rng.randint(1962, 2003), self.rng.randint(1, 12), self.rng.randint(1, 28))

    def id_number(self, born: date, male: bool) -> str:
        return resident_id_number(self.rng.choice(ID_AREA_CODES), born, self.rng.randrange(1000), male)

    def vin(self, product: Product, us: int) -> str:
        self.vin_serial += 1
        year = datetime.fromtimestamp(us / US_PER_SECOND, UTC).year
        year_code = _VIN_YEARS[min(max(year - 2010, 0), len(_VIN_YEARS) - 1)]
        return vin_with_check_digit(f"LHC{product.vds}{year_code}C{self.vin_serial % 1_000_000:06d}")

    # -- reference data

    def build_reference(self, users: int) -> None:
        """Territories, teams, users, the catalog with its price list, and the two pipelines."""
        rng, clock, ids = self.rng, self.clock, self.ids
        start = clock.now - HISTORY_DAYS * US_PER_DAY - 30 * US_PER_DAY
        admin_id = ids.at(start)
        self.ref = Reference(admin_id, [], [], [], [], *self.pipelines(start, admin_id))
        root_id = ids.at(start + 1000)
        self.rows["territories"].append((root_id, clock.stamp(start), clock.stamp(start), admin_id, admin_id,
                                         "全国", None))
        team_count = max(1, (users - 1) // 8)
        regions = min(len(REGIONS), team_count)
        for region in range(regions):
            territory_id = ids.at(start + 2000 + region)
            self.reference.territory_ids.append(territory_id)
            self.rows["territories"].append((territory_id, clock.stamp(start), clock.stamp(start), admin_id,
                                             admin_id, REGIONS[region][0], root_id))
        finance = 1 if users >= 10 else 0
        seller_count = users - 1 - team_count - finance
        user_rows: list[Row] = []
        used_usernames: set[str] = set()

        def add_user(role: str, team_id: str | None, territory_id: str | None, us: int) -> str:
            person = self.person()
            base = "admin" if role == "admin" else self.derived.pinyin(person.name)[0]
            username = base
            for suffix in itertools.count(2):
                if username not in used_usernames:
                    break
                username = f"{base}{suffix}"
            used_usernames.add(username)
            display = "系统管理员" if role == "admin" else person.name
            user_id = admin_id if role == "admin" else ids.at(us)
            user_rows.append((user_id, clock.stamp(us), clock.stamp(us), admin_id, admin_id, username, display,
                              role, team_id, territory_id, person.phone, f"{username}@demo.crmdesk.cn", 1))
            return user_id

        add_user("admin", None, None, start)
        teams: list[tuple[str, str, int, str]] = []  # (team id, territory id, region, manager id)
        for index in range(team_count):
            region = index % regions
            territory_id = self.reference.territory_ids[region]
            team_us = start + US_PER_HOUR + index * US_PER_MINUTE
            team_id = ids.at(team_us)
            manager_id = add_user("manager", team_id, territory_id, team_us + US_PER_SECOND)
            city = REGIONS[region][1][(index // regions) % len(REGIONS[region][1])]
            name = f"{city.name.removesuffix('市')}{'大客户部' if index % 4 == 3 else '展厅销售'}{index // regions + 1}组"
            self.rows["teams"].append((team_id, clock.stamp(team_us), clock.stamp(team_us), admin_id, admin_id,
                                       name, territory_id, manager_id))
            teams.append((team_id, territory_id, region, manager_id))
        if finance:
            add_user("finance", None, None, start + 2 * US_PER_HOUR)
        for index in range(seller_count):
            team_id, territory_id, region, manager_id = teams[index % team_count]
            role = "field_rep" if rng.random() < 0.3 else "consultant"
            seller_id = add_user(role, team_id, territory_id, start + 3 * US_PER_HOUR + index * US_PER_MINUTE)
            self.reference.sellers.append(Seller(seller_id, team_id, territory_id, region, manager_id))
        # The FK users.team_id needs the teams first; the chunk writer keeps dict order, teams come first.
        self.rows["users"].extend(user_rows)
        self.catalog(start + 4 * US_PER_HOUR)
        self.targets([row for row in user_rows if row[7] in TARGET_ROLES])

    def pipelines(self, us: int, admin_id: str) -> tuple[PipelineRef, PipelineRef]:
        """The seeded pipelines if the book has them, else the demo's own vehicle and project pipelines."""
        cursor = self.connection.cursor()
        found = cursor.execute(
            "SELECT id, code, kind FROM pipelines WHERE deleted_at IS NULL ORDER BY position").fetchall()
        if not found:
            for position, (code, zh, en, kind, third) in enumerate(PIPELINES, start=1):
                pipeline_id = self.ids.at(us + position)
                self.rows["pipelines"].append((pipeline_id, self.clock.stamp(us), self.clock.stamp(us), admin_id,
                                               admin_id, code, zh, en, kind, position))
                for stage_position, (stage_code, stage_zh, stage_en, probability) in enumerate(STAGE_TEMPLATE, 1):
                    if stage_code is None:
                        stage_code, stage_zh, stage_en = third
                    self.rows["stages"].append((
                        self.ids.at(us + position * 100 + stage_position), self.clock.stamp(us),
                        self.clock.stamp(us), admin_id, admin_id, pipeline_id, stage_code, stage_zh, stage_en,
                        stage_position, probability, int(stage_code == "won"), int(stage_code == "lost")))
            self.write()
            found = cursor.execute(
                "SELECT id, code, kind FROM pipelines WHERE deleted_at IS NULL ORDER BY position").fetchall()
        loaded = []
        for pipeline_id, code, kind in found:
            stages = cursor.execute(
                "SELECT id, position, probability, is_won, is_lost FROM stages"
                " WHERE pipeline_id = ? AND deleted_at IS NULL ORDER BY position", (pipeline_id,)).fetchall()
            open_stages = tuple(StageRef(s[0], s[1], s[2]) for s in stages if not s[3] and not s[4])
            won = [StageRef(s[0], s[1], s[2]) for s in stages if s[3]]
            lost = [StageRef(s[0], s[1], s[2]) for s in stages if s[4]]
            if open_stages and won and lost:
                loaded.append((code, PipelineRef(pipeline_id, kind, open_stages, won[0], lost[0])))
        if not loaded:
            raise ValueError("no pipeline has open, won and lost stages")
        vehicle = next((ref for code, ref in loaded if ref.kind == "vehicle" or code == "vehicle"), loaded[0][1])
        project = next((ref for code, ref in loaded if ref.kind == "project" or code == "project"), vehicle)
        return vehicle, project

    def catalog(self, us: int) -> None:
        """40 vehicles (model x trim x colour), extras and services, and one default price list."""
        clock, ref, admin = self.clock, self.reference, self.reference.admin_id
        stamp = clock.stamp(us)
        products: list[tuple[Product, Row]] = []
        for model_index, (model, model_en, category, *prices) in enumerate(VEHICLE_MODELS):
            ref.vehicles_by_model.append([])
            for trim_index, (trim, trim_en, trim_code) in enumerate(TRIMS):
                for colour, colour_en, colour_code in COLOURS:
                    name = f"{model} {trim} {colour}"
                    vds = f"{'ABCDE'[model_index]}{model_index + 1}{'CF'[trim_index]}{colour_code[0]}{trim_index}"
                    product = Product(self.ids.at(us + len(products)), name, "台", prices[trim_index] * 100, 1300,
                                      model_index, vds)
                    code = f"HC-{model.split()[1]}-{trim_code}-{colour_code}"
                    products.append((product, (code, name, f"{model_en} {trim_en} {colour_en}", "台", product.price,
                                               1300, category, 1, model, trim, colour, 1)))
                    ref.vehicles.append(product)
                    ref.vehicles_by_model[model_index].append(product)
        for code, name, name_en, unit, price, tax_bp, category in EXTRAS:
            product = Product(self.ids.at(us + len(products)), name, unit, price * 100, tax_bp, -1, "")
            products.append((product, (code, name, name_en, unit, product.price, tax_bp, category, 0, None, None,
                                       None, 1)))
            ref.extras.append(product)
        price_list_id = self.ids.at(us + 100)
        valid_from = clock.day(us)
        self.rows["price_lists"].append((price_list_id, stamp, stamp, admin, admin, "2025 标准价目表", "CNY",
                                         valid_from, None, 1))
        for index, (product, values) in enumerate(products):
            self.rows["products"].append((product.id, stamp, stamp, admin, admin, *values,
                                          *name_pinyin(product.name, person=False)))
            self.rows["price_list_items"].append((self.ids.at(us + 200 + index), stamp, stamp, admin, admin,
                                                  price_list_id, product.id, product.price))

    def targets(self, seller_rows: list[Row]) -> None:
        """A monthly target per sales rep for the last 12 months, this one included."""
        today = date.fromordinal(_EPOCH_ORDINAL + self.clock.now // US_PER_DAY)
        for back in range(11, -1, -1):
            month = today.year * 12 + today.month - 1 - back
            first = date(month // 12, month % 12 + 1, 1)
            us = (first.toordinal() - _EPOCH_ORDINAL) * US_PER_DAY
            us = us - 3 * US_PER_DAY if back else us  # set a few days before the month begins
            for row in seller_rows:
                deals = self.rng.randint(8, 20)
                amount = deals * self.rng.randint(14, 22) * 1_000_000  # 14-22万 yuan a deal, in fen
                self.rows["targets"].append((*self.synced(us, us, self.reference.admin_id), row[0], row[8],
                                             "month", first.isoformat(), amount, deals))

    def fit_targets(self) -> None:
        """Targets a manager would set, once the deals are made: each rep's month at 85-125 % of what the
        rep won in it (so achievement reads like a real team's, some above, some below), the running month
        from the rep's last three full months. Months a rep won nothing keep the first guess."""
        won: dict[tuple[str, str], tuple[int, int]] = {
            (owner, month): (fen, count) for owner, month, fen, count in self.connection.execute(
                "SELECT owner_id, substr(won_at, 1, 7), sum(coalesce(won_amount, amount)), count(*)"
                " FROM opportunities WHERE status = 'won' AND owner_id IS NOT NULL GROUP BY 1, 2")}
        this_month = date.fromordinal(_EPOCH_ORDINAL + self.clock.now // US_PER_DAY).strftime("%Y-%m")
        updates = []
        for target_id, owner, start in self.connection.execute(
                "SELECT id, owner_id, period_start FROM targets ORDER BY period_start, owner_id").fetchall():
            month = start[:7]
            if month == this_month:
                year, number = int(month[:4]), int(month[5:])
                earlier = [f"{(year * 12 + number - 1 - back) // 12:04d}-{(year * 12 + number - 1 - back) % 12 + 1:02d}"
                           for back in (1, 2, 3)]
                seen = [won[(owner, m)] for m in earlier if (owner, m) in won]
                basis = (sum(f for f, _c in seen) // len(seen), sum(c for _f, c in seen) // len(seen)) if seen else None
            else:
                basis = won.get((owner, month))
            if not basis or not basis[0]:
                continue
            factor = self.rng.uniform(0.85, 1.25)
            amount = round(basis[0] * factor / 1_000_000) * 1_000_000  # whole 万 yuan, in fen
            updates.append((max(amount, 1_000_000), max(1, round(basis[1] * factor)), target_id))
        self.connection.execute("BEGIN")
        self.connection.executemany("UPDATE targets SET amount = ?, deal_count = ? WHERE id = ?", updates)
        self.connection.execute("COMMIT")

    # -- the chain, one lead at a time

    def lead_times(self, first: int, count: int, total: int) -> list[int]:
        """Creation times of leads first..first+count, ascending across chunks: chunk k owns a slice of
        the two years, so ids (which embed the time) arrive in index order."""
        span = HISTORY_DAYS * US_PER_DAY
        begin = self.clock.now - span
        low = begin + span * first // total
        high = begin + span * (first + count) // total
        raw = sorted(self.rng.randrange(low, max(high, low + 1)) for _ in range(count))
        # Squeeze each day's share into showroom hours (09:00-21:00 Beijing), keeping the order.
        return [us - us % US_PER_DAY + US_PER_HOUR + (us % US_PER_DAY) // 2 for us in raw]

    def lead(self, created: int) -> None:
        rng, ref, clock = self.rng, self.reference, self.clock
        person = self.person()
        if self.recent_people and rng.random() < 0.02:
            earlier = rng.choice(self.recent_people)
            # Half are the same person entered again, half someone else on a shared (family, old) number.
            person = earlier if rng.random() < 0.5 else Person(person.name, person.surname, person.gender,
                                                               earlier.phone)
        self.recent_people.append(person)
        if len(self.recent_people) > 20_000:
            del self.recent_people[:10_000]
        source = rng.choices(LEAD_SOURCES, LEAD_SOURCE_WEIGHTS)[0]
        age = clock.now - created
        # Web and ad leads arriving at night wait in the unassigned queue until someone distributes them.
        unassigned = not ref.sellers or (source in ("web", "ad_keyword") and rng.random() < 0.03)
        seller = None if unassigned else rng.choice(ref.sellers)
        region = seller.region if seller else rng.randrange(len(ref.territory_ids))
        city = rng.choice(REGIONS[region][1])
        company = f"{city.name.removesuffix('市')}{rng.choice(self.pools.companies)}" if rng.random() < 0.18 else None
        model_index = rng.choices(range(len(VEHICLE_MODELS)), MODEL_WEIGHTS)[0]
        if seller is None:
            status = "new"
        elif age < 3 * US_PER_DAY:
            status = rng.choices(("new", "contacted", "qualified", "invalid"), (60, 30, 5, 5))[0]
        elif rng.random() < 0.3:
            status = "converted"
        else:
            # Nobody leaves a lead untouched for a month; only recent ones may still be new.
            status = rng.choices(("new", "contacted", "qualified", "invalid"),
                                 (4 if age < 30 * US_PER_DAY else 0, 52, 30, 14))[0]
        pinyin, initials = self.derived.pinyin(person.name)
        email = None
        if rng.random() < 0.15:
            email = (f"{rng.randint(10_000_000, 3_999_999_999)}@qq.com" if rng.random() < 0.5
                     else f"{pinyin}{rng.randint(1, 999)}@{rng.choice(EMAIL_DOMAINS)}")
        title = rng.choice(TITLES) if company else None
        purchase = created + rng.randint(7, 180) * US_PER_DAY if rng.random() < 0.8 else None

        lead_id = self.ids.at(created)
        conversion = None
        if status == "converted" and seller is not None:
            conversion = self.convert(created, lead_id, person, email, title, seller, city, company, model_index)
        last_touch = self.lead_activities(created, lead_id, status, seller, conversion)
        by = seller.id if seller else ref.admin_id
        score = rng.randint(*LEAD_SCORES[status])
        # As the default scoring rules leave them: accepted by sales once qualified or converted, marketing
        # qualified while still open at the default threshold.
        qualification = ("sql" if status in ("qualified", "converted")
                         else "mql" if status in ("new", "contacted") and score >= DEMO_MQL_THRESHOLD else None)
        self.rows["leads"].append((
            lead_id, clock.stamp(created), clock.stamp(conversion.at if conversion else last_touch), by, by,
            person.name, person.gender, person.phone, email, company, title, source,
            rng.choice(CAMPAIGNS) if source == "campaign" else None,
            rng.choice(AD_KEYWORDS) if source == "ad_keyword" else None,
            status, rng.choice(INVALID_REASONS) if status == "invalid" else None, score,
            seller.id if seller else None, seller.team_id if seller else None, VEHICLE_MODELS[model_index][0],
            self.day(purchase), city.province, city.name, rng.choice(self.pools.estates),
            rng.randint(1, 4) if source == "walk_in" else None,
            rng.choice(LEAD_NOTES) if rng.random() < 0.3 else None,
            self.stamp(conversion.at) if conversion else None, conversion.customer_id if conversion else None,
            conversion.opportunity_id if conversion else None, pinyin, initials, reversed_digits(person.phone),
            self.derived.tokens(person.name, company),
            qualification, clock.stamp(created) if qualification else None,
            clock.stamp(last_touch) if qualification == "sql" else None,
        ))

    def lead_activities(self, created: int, lead_id: str, status: str, seller: Seller | None,
                        conversion: Conversion | None) -> int:
        """The first contact with the lead, and a planned next step while it is still being worked.
        Returns the time of the last thing done, for the lead's updated_at."""
        if seller is None:
            return created
        rng = self.rng
        if status == "new":
            due = created + rng.randint(2, 30) * US_PER_HOUR
            self.activity(created, seller.id, "call", "planned", "首次电话联系", None, due, None, RULE_FIRST_CONTACT,
                          lead_id)
            return created
        done = min(created + rng.randint(10, 240) * US_PER_MINUTE, self.clock.now - US_PER_MINUTE)
        kind = "visit" if status in ("qualified", "converted") and rng.random() < 0.7 else "call"
        subject = "到店看车接待" if kind == "visit" else "首次电话联系"
        if conversion:
            self.activity(done, seller.id, kind, "done", subject, LEAD_OUTCOMES[status], done, done, None,
                          lead_id, conversion.customer_id, conversion.contact_id, conversion.opportunity_id)
        else:
            self.activity(done, seller.id, kind, "done", subject, LEAD_OUTCOMES[status], done, done, None,
                          lead_id)
        if status in ("contacted", "qualified") and self.clock.now - done < 30 * US_PER_DAY:
            due = done + rng.randint(1, 7) * US_PER_DAY
            if due < self.clock.now and rng.random() < 0.75:  # most revisits happen on time
                self.activity(done, seller.id, "call", "done", "再次回访", "客户仍在比较，保持跟进", due, due,
                              RULE_REVISIT, lead_id)
                return due
            self.activity(done, seller.id, "call", "planned", "再次回访", None, due, None, RULE_REVISIT, lead_id)
        return done

    def activity(self, us: int, owner_id: str, kind: str, status: str, subject: str, outcome: str | None,
                 due: int | None, done: int | None, rule: str | None, lead_id: str | None,
                 customer_id: str | None = None, contact_id: str | None = None,
                 opportunity_id: str | None = None) -> None:
        self.rows["activities"].append((*self.synced(us, done or us, owner_id), kind, status, subject, outcome,
                                        self.stamp(due), self.stamp(done), rule, owner_id, lead_id, customer_id,
                                        contact_id, opportunity_id))

    def convert(self, created: int, lead_id: str, person: Person, email: str | None, title: str | None,
                seller: Seller, city: City, company: str | None, model_index: int) -> Conversion:
        """Customer, contacts and opportunity made from the lead, with the opportunity's whole history."""
        rng, now = self.rng, self.clock.now
        converted = min(created + US_PER_HOUR + int(rng.expovariate(1 / (2 * US_PER_DAY))), now - US_PER_HOUR)
        deal = self.plan_deal(converted, company is not None, model_index)
        conversion = Conversion(converted, self.ids.at(converted), self.ids.at(converted + 5 * US_PER_SECOND),
                                "", company or person.name)
        born = self.birthday()
        # A buyer's ID number is taken at signing (the car is registered to it); a few give it earlier.
        id_number = None
        if company is None and (deal.status == "won" or rng.random() < 0.1):
            id_number = self.id_number(born, person.gender == "M")
        conversion.contact_id = self.contacts(conversion, person, email, title, company, seller, lead_id)
        deal.last_followup = self.stage_changes(conversion.opportunity_id, seller.id, deal,
                                                converted + 5 * US_PER_SECOND)
        if deal.status == "won":
            if rng.random() < 0.4:
                self.sale(deal, conversion, seller, company)
            if deal.pipeline.kind != "project" and rng.random() < TEST_DRIVE_SHARE:
                self.test_drive(deal, conversion, seller, person, city, id_number)
        elif deal.status == "open" and deal.pipeline.kind != "project" and rng.random() < 0.08:
            self.test_drive(deal, conversion, seller, person, city, id_number, booked_today=True)
        if deal.status == "open" and deal.path[-1].position >= 2 and rng.random() < 0.15:
            self.pending_quote(deal, conversion, seller)
        deal.tier = rng.choices("ABC", (15, 35, 50))[0]
        self.deal_activities(deal, conversion, seller)
        self.lost_request(deal, conversion, seller)
        self.opportunity(deal, conversion, lead_id, person, seller, company)
        self.customer(deal, conversion, lead_id, person, email, seller, city, company, born, id_number)
        return conversion

    def plan_deal(self, converted: int, is_company: bool, model_index: int) -> Deal:
        """Decide the opportunity's fate first: everything downstream (quote, customer status) follows it."""
        rng, ref, now = self.rng, self.reference, self.clock.now
        pipeline = ref.project_pipeline if is_company and rng.random() < 0.5 else ref.vehicle_pipeline
        product = rng.choice(ref.vehicles_by_model[model_index])
        quantity = rng.randint(8, 30) if pipeline.kind == "project" else 1  # fleet deals
        discount_bp = rng.randrange(0, 900 if pipeline.kind == "project" else 700, 50)
        gross = product.price * quantity
        amount = (gross - gross * discount_bp // 10_000) // 10_000 * 10_000  # whole hundreds of yuan
        close = converted + int(rng.triangular(5, 75, 20) * US_PER_DAY)
        status = "open"
        # Some deals stall past their expected close; after three months they are settled one way or the other.
        stalled = now - close < 180 * US_PER_DAY and rng.random() < STALLED_SHARE
        if close < now - US_PER_HOUR and not stalled:
            status = "won" if rng.random() < CLOSED_WON_SHARE else "lost"
        stages = pipeline.open
        if status == "won":
            path = (*stages, pipeline.won)
        elif status == "lost":
            path = (*stages[: rng.randint(1, len(stages))], pipeline.lost)
        else:
            weights = OPEN_STAGE_WEIGHTS[: len(stages)] if len(stages) <= len(OPEN_STAGE_WEIGHTS) else None
            path = stages[: rng.choices(range(len(stages)), weights)[0] + 1]
        if status == "open":
            # Somewhere between conversion and now (or the expected close, if that is still ahead).
            end = converted + int(rng.uniform(0.1, 1.0) * max(min(close, now) - converted, US_PER_HOUR))
            end = min(end, now - US_PER_HOUR)
        else:
            end = close
        lost_reason = rng.choice(LOST_REASONS) if status == "lost" else None
        return Deal(pipeline, product, quantity, discount_bp, amount, status, path, close,
                    max(end, converted + US_PER_MINUTE), lost_reason)

    def contacts(self, conversion: Conversion, person: Person, email: str | None, title: str | None,
                 company: str | None, seller: Seller, lead_id: str) -> str:
        """The lead's person first (primary); companies often add a buyer or a finance contact or two.
        Returns the primary contact's id."""
        rng = self.rng
        people = [person]
        if company:
            people += [self.person() for _ in range(rng.choices((0, 1, 2), (50, 35, 15))[0])]
        primary = ""
        for index, contact in enumerate(people):
            us = conversion.at + (index + 1) * US_PER_SECOND
            row = self.synced(us, us, seller.id)
            primary = primary or row[0]
            pinyin, initials = self.derived.pinyin(contact.name)
            birthday = self.birthday().isoformat() if rng.random() < 0.3 else None
            self.rows["contacts"].append((
                *row, conversion.customer_id, contact.name, contact.gender, contact.phone,
                email if index == 0 else None, title if index == 0 else rng.choice(TITLES) if company else None,
                int(index == 0), birthday, pinyin, initials, reversed_digits(contact.phone), "lead", lead_id,
                self.derived.tokens(contact.name)))
        return primary

    def customer(self, deal: Deal, conversion: Conversion, lead_id: str, person: Person, email: str | None,
                 seller: Seller, city: City, company: str | None, born: date, id_number: str | None) -> None:
        rng, clock, ref = self.rng, self.clock, self.reference
        name = conversion.customer_name
        pinyin, initials = self.derived.pinyin(name, person=company is None)
        phone = uscc = birthday = industry = gender = None
        if company:
            if rng.random() < 0.4:
                # Written the way the app's normalize_phone stores a landline: 021-6888-1234.
                number = f"{rng.randint(2, 8)}{rng.randrange(10_000_000):07d}"
                phone = f"{city.area_code}-{number[:4]}-{number[4:]}"
            if rng.random() < 0.7:
                uscc = credit_code(rng.choice(USCC_AREA_CODES), f"{rng.randrange(10**8):08d}")
            industry = rng.choice(INDUSTRIES)
            email = None
        else:
            gender, phone = person.gender, person.phone
            if id_number or rng.random() < 0.4:
                birthday = born.isoformat()
        address: str | None = rng.choice(self.pools.streets)
        if deal.delivered is not None and company is None and rng.random() < 0.08:
            # A few delivered buyers' records were never completed (the rules report lists them).
            if rng.random() < 0.6:
                address = None
            else:
                id_number = None
        status, reason = "active", None
        dormant = None
        if deal.status == "lost":
            status, reason = ("lost" if rng.random() < 0.7 else "dormant"), deal.lost_reason
            dormant = deal.end if status == "dormant" else None
        elif deal.status == "open" and deal.close < clock.now and rng.random() < 0.3:
            status, reason = "dormant", rng.choice(DORMANT_REASONS)
            dormant = min(deal.last_followup + rng.randint(20, 60) * US_PER_DAY, clock.now - US_PER_HOUR)
        owner_id: str | None = seller.id
        pool_entered = claimed = warned = None
        next_followup = deal.next_followup
        customer_id = conversion.customer_id
        tier = deal.tier
        reclaim_after = RECLAIM_DAYS[tier] * US_PER_DAY
        if deal.status != "won" and deal.lost_requested is None and rng.random() < 0.1:
            # The rep let it go (释放到公海): no intent for now.
            owner_id = None
            if deal.planned_cadence_row is not None:  # a first revisit still planned stays the next one
                next_followup = None
            pool_entered = min(deal.last_followup + rng.randint(3, 30) * US_PER_DAY, clock.now - US_PER_HOUR)
            self.pool_event(customer_id, "release", seller.id, seller.id, pool_entered, "客户暂无意向，释放到公海")
            self.cancel_planned_cadence(deal)
        elif rng.random() < 0.05:
            claimed = min(conversion.at + rng.randint(1, 20) * US_PER_DAY, clock.now - US_PER_HOUR)
            # It came from the pool: someone (often another rep) lost it there first.
            former = rng.choice(ref.sellers)
            left = max(claimed - rng.randint(1, 10) * US_PER_DAY, conversion.at + US_PER_MINUTE)
            self.pool_event(customer_id, "reclaim", former.id, former.id, left, "超期未跟进，自动回收")
            self.pool_event(customer_id, "claim", seller.id, None, claimed, None)
        if owner_id is not None and status == "active" and deal.status == "open":
            # As the pool's maintenance leaves it: past the tier's days without a follow-up, back in the
            # pool (the owner warned the days before); within the warning days, warned. Buyers stay.
            worked = max(deal.last_followup, claimed or 0)
            due = worked + reclaim_after
            warn = due - WARNING_DAYS * US_PER_DAY
            if due <= clock.now - US_PER_HOUR:
                if warn > worked:
                    self.pool_event(customer_id, "warn", seller.id, None, warn, "即将回收：长期未跟进")
                self.pool_event(customer_id, "reclaim", seller.id, seller.id, due, "超期未跟进，自动回收")
                owner_id, pool_entered, claimed = None, due, None
                if deal.planned_cadence_row is not None:
                    next_followup = None
                self.cancel_planned_cadence(deal)
            elif warn <= clock.now:
                warned = max(warn, worked)
                self.pool_event(customer_id, "warn", seller.id, None, warned, "即将回收：长期未跟进")
        updated = max(deal.last_followup, pool_entered or 0, claimed or 0, warned or 0, dormant or 0)
        self.rows["customers"].append((
            conversion.customer_id, clock.stamp(conversion.at), clock.stamp(updated), seller.id, seller.id,
            "company" if company else "person", name, gender, phone, email, id_number, uscc, birthday, industry,
            city.province, city.name, address, tier,
            rng.choices("HABCO", (10, 20, 30, 25, 15))[0], status, reason, owner_id, seller.team_id,
            ref.territory_ids[seller.region], self.stamp(pool_entered), self.stamp(claimed),
            clock.stamp(deal.last_followup), self.stamp(next_followup), pinyin, initials, reversed_digits(phone),
            "lead", lead_id, self.derived.tokens(name), self.stamp(warned), self.stamp(dormant),
        ))

    def opportunity(self, deal: Deal, conversion: Conversion, lead_id: str, person: Person, seller: Seller,
                    company: str | None) -> None:
        clock = self.clock
        us = conversion.at + 5 * US_PER_SECOND
        model = VEHICLE_MODELS[deal.product.model][0]
        if company is None:
            name = f"{person.surname}{'先生' if person.gender == 'M' else '女士'} {model}"
        elif deal.pipeline.kind == "project":
            name = f"{company} 公务用车采购项目"
        else:
            name = f"{company} {model}"
        # A deal title is not a person's name: no surname readings (as the unit of work derives it).
        pinyin, initials = self.derived.pinyin(name, person=False)
        stage = deal.path[-1]
        if deal.status == "open":
            forecast = "commit" if stage.probability >= 60 else "best_case" if stage.probability >= 40 else "pipeline"
        else:
            forecast = None
        won = deal.status == "won"
        self.rows["opportunities"].append((
            conversion.opportunity_id, clock.stamp(us), clock.stamp(deal.end), seller.id, seller.id, name,
            conversion.customer_id, conversion.customer_name, conversion.contact_id, deal.pipeline.id, stage.id,
            stage.position, deal.status, "project" if deal.pipeline.kind == "project" else "standard",
            deal.amount, stage.probability, 0, forecast, clock.day(deal.close if deal.status == "open" else deal.end),
            seller.id, seller.team_id, model, clock.day(deal.end) if won else None, deal.amount if won else None,
            clock.day(deal.end) if deal.status == "lost" else None, deal.lost_reason, pinyin, initials,
            "lead", lead_id, self.derived.tokens(name, conversion.customer_name),
        ))

    def stage_changes(self, opportunity_id: str, user_id: str, deal: Deal, created: int) -> int:
        """1-4 moves along the path (stages may be skipped), at increasing times; a closed deal's last move
        is its close. Returns the time of the last move."""
        rng, path = self.rng, deal.path
        keep = 1 if len(path) == 1 else rng.randint(2, min(4, len(path)))
        middle = sorted(rng.sample(range(1, len(path) - 1), keep - 2)) if keep > 2 else []
        steps = [0, *middle, len(path) - 1][:keep]
        times = [created, *sorted(created + rng.randrange(max(deal.end - created, 1)) for _ in range(keep - 2))]
        if keep > 1:
            times.append(deal.end)
        for index in range(1, len(times)):  # strictly increasing, even when two draws coincide
            times[index] = max(times[index], times[index - 1] + US_PER_SECOND)
        deal.end = max(deal.end, times[-1])
        previous = None
        for step, us in zip(steps, times, strict=True):
            stage_id = path[step].id
            self.rows["opportunity_stage_changes"].append((*self.synced(us, us, user_id), opportunity_id,
                                                           previous, stage_id, self.clock.stamp(us), user_id))
            previous = stage_id
        return times[-1]

    def deal_activities(self, deal: Deal, conversion: Conversion, seller: Seller) -> None:
        """A planned revisit while the deal is open (the first within 5 days), the 48-hour call after delivery."""
        rng = self.rng
        links = (conversion.customer_id, conversion.contact_id, conversion.opportunity_id)
        created = conversion.at + 5 * US_PER_SECOND
        revisited = False
        if rng.random() < FIRST_REVISIT_SHARE:
            # The first revisit within 5 days of the opportunity (seed 003); a few come late.
            revisit_at = created + rng.randint(2, 118 if rng.random() < 0.95 else 200) * US_PER_HOUR
            if revisit_at < self.clock.now:
                self.activity(created, seller.id, rng.choice(("call", "message")), "done", "首次回访",
                              rng.choice(REVISIT_OUTCOMES), revisit_at, revisit_at, RULE_FIRST_REVISIT, None, *links)
                deal.last_followup = max(deal.last_followup, revisit_at)
                revisited = True
        if deal.status == "open":
            due = deal.last_followup + rng.randint(1, 5) * US_PER_DAY
            first = not revisited
            if rng.random() < 0.8:
                # Most open deals are being worked: followed up in the last days, the next step due around
                # now, a few just overdue.
                recent = self.clock.now - rng.randint(1, 10 * 24) * US_PER_HOUR
                if rng.random() < 0.05:  # let slip: back to the pool within the warning days
                    recent = self.clock.now - (RECLAIM_DAYS[deal.tier] * 24 - rng.randint(1, WARNING_DAYS * 24)) \
                        * US_PER_HOUR
                if not first and recent > deal.last_followup + US_PER_DAY:
                    self.activity(recent, seller.id, rng.choice(("call", "message", "visit")), "done",
                                  "跟进购车意向", rng.choice(REVISIT_OUTCOMES), recent, recent, RULE_CADENCE, None,
                                  *links)
                    deal.last_followup = recent
                due = max(due, self.clock.now + rng.randint(-2 * 24, 10 * 24) * US_PER_HOUR)
            self.activity(deal.last_followup, seller.id, rng.choice(("call", "message", "visit")), "planned",
                          "首次回访" if first else "跟进购车意向", None, due, None,
                          RULE_FIRST_REVISIT if first else RULE_CADENCE, None, *links)
            deal.next_followup = due
            if not first:
                deal.planned_cadence_row = len(self.rows["activities"]) - 1
        elif deal.delivered is not None:
            due = deal.delivered + 48 * US_PER_HOUR
            done = due if due < self.clock.now else None
            self.activity(deal.delivered, seller.id, "call", "done" if done else "planned", "交车后48小时回访",
                          "客户对新车满意" if done else None, due, done, RULE_DELIVERY_48H, None, *links)
            if done:
                deal.last_followup = max(deal.last_followup, done)
            else:
                deal.next_followup = due

    def sale(self, deal: Deal, conversion: Conversion, seller: Seller, company: str | None) -> None:
        """Quote -> contract -> order -> payment plan -> payments, the amount the same along the chain.
        Prices include VAT (13 %, 6 % on services) as Chinese retail prices do; tax_total is the VAT inside."""
        rng, clock, now = self.rng, self.clock, self.clock.now
        lines: list[tuple[Product, int, int]] = [(deal.product, deal.quantity, deal.discount_bp)]
        extras = self.reference.extras
        if deal.pipeline.kind == "project":
            lines.append((extras[4], deal.quantity, 0))  # an extended warranty for each fleet car
        else:
            lines += [(extra, 1, 0) for extra in rng.sample(extras, rng.choices((0, 1, 2), (40, 40, 20))[0])]
        quoted = self.business_time(deal.end - rng.randint(1, 5) * US_PER_DAY)
        quoted = min(max(quoted, deal.end - 10 * US_PER_DAY), deal.end - US_PER_MINUTE)
        number = self.number("QT", quoted)
        previous: tuple[str, list[str]] | None = None
        if rng.random() < 0.3:  # the customer had a first version, then bargained: V1 sent, V2 accepted
            first = quoted - rng.randint(2, 6) * US_PER_DAY
            first_lines = [(product, quantity, max(0, discount - 200)) for product, quantity, discount in lines]
            first_id, first_line_ids, _totals, _total = self.quote(first, number, 1, None, "sent", first_lines, deal,
                                                                   conversion, seller, accepted=False)
            previous = (first_id, first_line_ids)
            if deal.discount_bp <= 500:
                deal.discount_bp = min(deal.discount_bp + 200, 800)  # the second round's extra discount
                lines[0] = (lines[0][0], lines[0][1], deal.discount_bp)
        quote_id, _line_ids, line_totals, total = self.quote(quoted, number, 2 if previous else 1, previous,
                                                             "accepted", lines, deal, conversion, seller,
                                                             accepted=True)
        deal.amount = total

        signed = deal.end
        contract_id = self.ids.at(signed)
        delivery = signed + rng.randint(3, 30) * US_PER_DAY
        delivered = self.business_time(delivery) if delivery < now else None
        title = f"{conversion.customer_name} {VEHICLE_MODELS[deal.product.model][0]} {'采购合同' if company else '购车合同'}"
        self.rows["contracts"].append((
            contract_id, clock.stamp(signed), clock.stamp(signed), seller.id, seller.id, self.number("CT", signed),
            title, quote_id, conversion.opportunity_id, conversion.customer_id, "signed", total, clock.day(signed),
            clock.day(signed), clock.day(delivery + 365 * US_PER_DAY),
            "按报价单约定的车型、配置和价格交付；尾款于交车前付清。", seller.id, "quote", quote_id))

        order_us = signed + US_PER_MINUTE
        order_id = self.ids.at(order_us)
        installments = self.installment_amounts(total, deal.pipeline.kind == "project")
        dues = [order_us]
        for _later in installments[1:]:
            dues.append(dues[-1] + rng.randint(5, 15) * US_PER_DAY)
        dues[-1] = max(dues[-1], delivery - US_PER_DAY) if len(dues) > 1 else dues[-1]
        profile = rng.choices(("full", "partial", "none"), (80, 10, 10))[0]
        paid = [self.paid_amount(amount, due, profile, index == len(installments) - 1)
                for index, (amount, due) in enumerate(zip(installments, dues, strict=True))]
        if delivered is None:
            status = "confirmed"
        else:
            status = "closed" if sum(paid) == total and now - delivered > 30 * US_PER_DAY else "delivered"
        self.rows["orders"].append((
            order_id, clock.stamp(order_us), clock.stamp(delivered or order_us), seller.id, seller.id,
            self.number("SO", order_us), conversion.customer_id, conversion.customer_name, contract_id,
            conversion.opportunity_id, status, clock.day(order_us), clock.day(delivery), self.stamp(delivered),
            total, seller.id, seller.team_id, "contract", contract_id))
        self.order_lines(order_id, order_us, seller.id, lines, line_totals)
        deal.delivered = delivered
        self.payments(conversion.customer_id, order_id, contract_id, order_us, seller.id, total,
                      list(zip(installments, dues, paid, strict=True)))

    def quote(self, quoted: int, number: str, version: int, previous: tuple[str, list[str]] | None, status: str,
              lines: list[tuple[Product, int, int]], deal: Deal, conversion: Conversion, seller: Seller, *,
              accepted: bool) -> tuple[str, list[str], list[int], int]:
        """One quote version, its lines (each line's lineage the first version's line) and its history; a
        discount above 5 % went through the team manager's approval. Returns (id, line ids, line totals,
        total)."""
        rng, clock = self.rng, self.clock
        quote_id = self.ids.at(quoted)
        subtotal = discount_total = tax_total = 0
        line_totals: list[int] = []
        line_ids: list[str] = []
        for position, (product, quantity, discount_bp) in enumerate(lines, start=1):
            gross = product.price * quantity
            discount = gross * discount_bp // 10_000 // 100 * 100  # whole yuan
            line_total = gross - discount
            subtotal += gross
            discount_total += discount
            tax_total += line_total - line_total * 10_000 // (10_000 + product.tax_bp)
            line_totals.append(line_total)
            row = self.synced(quoted + position, quoted, seller.id)
            line_ids.append(row[0])
            lineage = previous[1][position - 1] if previous and position <= len(previous[1]) else row[0]
            self.rows["quote_lines"].append((
                *row, quote_id, position, product.id, product.name, quantity * 1000, product.unit, product.price,
                discount_bp, discount, product.tax_bp, line_total, product.price, lineage))
        total = subtotal - discount_total
        largest = max(line[2] for line in lines)
        approval = approved_by = approved_at_us = None
        events: list[tuple[int, str, str | None, str | None, str | None, str]] = [
            (quoted, "revise" if previous else "create", None, "draft",
             f"由 V{version - 1} 修订" if previous else None, seller.id)]
        submitted = quoted + rng.randint(5, 60) * US_PER_MINUTE
        if largest > 500:  # above a consultant's limit: the team manager approved it
            approval, approved_by = "approved", seller.manager_id or self.reference.admin_id
            approved_at_us = submitted + rng.randint(10, 240) * US_PER_MINUTE
            events += [(submitted, "submit", "draft", "pending_approval", f"折扣 {largest / 100:g}% 超出权限，提交审批",
                        seller.id),
                       (approved_at_us, "approve", "pending_approval", "approved", "同意，尽快成交", approved_by)]
        else:
            events.append((submitted, "submit", "draft", "approved", "折扣在权限内", seller.id))
        sent = (approved_at_us or submitted) + rng.randint(5, 120) * US_PER_MINUTE
        events.append((sent, "send", "approved", "sent", None, seller.id))
        accepted_us = None
        if accepted:
            accepted_us = max(sent + US_PER_MINUTE, min(deal.end - 1000, sent + rng.randint(1, 48) * US_PER_HOUR))
            events.append((accepted_us, "accept", "sent", "accepted", None, seller.id))
        for at, action, before, after, comment, user in events:
            self.rows["quote_events"].append((*self.synced(at, at, user), quote_id, action, before, after, comment,
                                              user, clock.stamp(at)))
        last = accepted_us or sent
        self.rows["quotes"].append((
            quote_id, clock.stamp(quoted), clock.stamp(last), seller.id, seller.id, number, version,
            int(status == "accepted" or status == "pending_approval"), conversion.opportunity_id,
            conversion.customer_id, conversion.contact_id, status, clock.day(quoted + 15 * US_PER_DAY),
            "报价含增值税，有效期15天。", subtotal, discount_total, tax_total, total, largest, approval, approved_by,
            self.stamp(approved_at_us), seller.id, "opportunity", conversion.opportunity_id,
            previous[0] if previous else None, clock.stamp(sent) if status != "pending_approval" else None,
            self.stamp(accepted_us)))
        return quote_id, line_ids, line_totals, total

    def pending_quote(self, deal: Deal, conversion: Conversion, seller: Seller) -> None:
        """An open deal's quote waiting for the manager: a discount above the consultant's limit, submitted."""
        rng, clock = self.rng, self.clock
        quoted = self.business_time(min(clock.now - US_PER_HOUR, deal.end + rng.randint(1, 3) * US_PER_DAY))
        if quoted <= deal.end:
            return
        discount_bp = rng.choice((600, 700, 800, 1000))
        product, quantity = deal.product, deal.quantity
        gross = product.price * quantity
        discount = gross * discount_bp // 10_000 // 100 * 100
        line_total = gross - discount
        quote_id = self.ids.at(quoted)
        row = self.synced(quoted + 1, quoted, seller.id)
        self.rows["quote_lines"].append((
            *row, quote_id, 1, product.id, product.name, quantity * 1000, product.unit, product.price, discount_bp,
            discount, product.tax_bp, line_total, product.price, row[0]))
        submitted = min(quoted + rng.randint(5, 60) * US_PER_MINUTE, clock.now - US_PER_MINUTE)
        for at, action, before, after, comment in (
                (quoted, "create", None, "draft", None),
                (submitted, "submit", "draft", "pending_approval", f"折扣 {discount_bp / 100:g}% 超出权限，请经理审批")):
            self.rows["quote_events"].append((*self.synced(at, at, seller.id), quote_id, action, before, after,
                                              comment, seller.id, clock.stamp(at)))
        tax = line_total - line_total * 10_000 // (10_000 + product.tax_bp)
        self.rows["quotes"].append((
            quote_id, clock.stamp(quoted), clock.stamp(submitted), seller.id, seller.id, self.number("QT", quoted),
            1, 1, conversion.opportunity_id, conversion.customer_id, conversion.contact_id, "pending_approval",
            clock.day(quoted + 15 * US_PER_DAY), "报价含增值税，有效期15天。", gross, discount, tax, line_total,
            discount_bp, "pending", None, None, seller.id, "opportunity", conversion.opportunity_id, None, None,
            None))

    def order_lines(self, order_id: str, us: int, user_id: str, lines: list[tuple[Product, int, int]],
                    line_totals: list[int]) -> None:
        """Each car its own line (it has its own VIN); extras as quoted. Net prices, discounts applied."""
        position = 0
        for (product, quantity, _discount), total in zip(lines, line_totals, strict=True):
            cars = quantity if product.model >= 0 else 1
            for car in range(cars):
                position += 1
                share = total // cars + (1 if car < total % cars else 0)
                quantity_each = 1 if product.model >= 0 else quantity
                self.rows["order_lines"].append((
                    *self.synced(us + position, us, user_id), order_id, position, product.id, product.name,
                    quantity_each * 1000, share // quantity_each, share,
                    self.vin(product, us) if product.model >= 0 else None))

    def payments(self, customer_id: str, order_id: str, contract_id: str, us: int, user_id: str, total: int,
                 installments: list[tuple[int, int, int]]) -> None:
        """The plan's installments (amount, due, paid) and one payment allocated to each paid one."""
        rng, clock, now = self.rng, self.clock, self.clock.now
        plan = self.synced(us + US_PER_SECOND, us, user_id)
        plan_id = plan[0]
        self.rows["payment_plans"].append((*plan, order_id, contract_id, customer_id, total, "order", order_id,
                                           user_id, "amount"))
        for sequence, (amount, due, paid) in enumerate(installments, start=1):
            installment = self.synced(us + 2 * US_PER_SECOND + sequence, us, user_id)
            state = "paid" if paid == amount else "partial" if paid else "open"
            self.rows["installments"].append((*installment, plan_id, sequence, clock.day(due), amount, paid, state,
                                              customer_id, user_id))
            if not paid:
                continue
            received = self.business_time(min(due + rng.randint(0, 3) * US_PER_DAY, now - US_PER_HOUR))
            payment = self.synced(received, received, user_id)
            self.rows["payments"].append((*payment, customer_id, order_id, clock.day(received), paid,
                                          rng.choice(PAYMENT_METHODS),
                                          f"DEMO{clock.compact_day(received)}{rng.randrange(10**8):08d}",
                                          contract_id, None))
            self.rows["payment_allocations"].append((*self.synced(received + 1000, received, user_id), payment[0],
                                                     installment[0], paid))

    def installment_amounts(self, total: int, project: bool) -> list[int]:
        """Full payment, deposit + balance, or deposit + down payment + loan; whole yuan, summing to total."""
        shares = (30, 60, 10) if project else self.rng.choices(((100,), (20, 80), (10, 30, 60)), (50, 40, 10))[0]
        amounts = [total * share // 100 // 100 * 100 for share in shares[:-1]]
        return [*amounts, total - sum(amounts)]

    def paid_amount(self, amount: int, due: int, profile: str, last: bool) -> int:
        if due >= self.clock.now or profile == "none":
            return 0
        if profile == "partial" and last:
            return amount // 2 // 100 * 100
        return amount

    def test_drive(self, deal: Deal, conversion: Conversion, seller: Seller, person: Person, city: City,
                   id_number: str | None, booked_today: bool = False) -> None:
        """A returned test drive before the deal was won, in the showroom's demo car of that model; or, for
        an open deal, one booked for today. A few returned ones are too short (5 km or less) to count."""
        rng = self.rng
        car = self.test_cars.get((city.name, deal.product.model))
        if car is None:
            product = self.reference.vehicles_by_model[deal.product.model][0]
            plate = city.plate_prefix + "".join(rng.choice(_PLATE_CHARS) for _ in range(5))
            car = self.test_cars[(city.name, deal.product.model)] = (product.id, self.vin(product, conversion.at),
                                                                     plate)
        # In China the driving licence number is the holder's resident ID number.
        id_number = id_number or self.id_number(self.birthday(), person.gender == "M")
        if booked_today:
            booked = self.business_time(self.clock.now)
            made = min(conversion.at + 10 * US_PER_MINUTE, self.clock.now - US_PER_HOUR)
            self.rows["test_drives"].append((
                *self.synced(made, made, seller.id), conversion.customer_id, conversion.opportunity_id, seller.id,
                car[0], car[1], car[2], person.name, person.phone, id_number, id_number, "booked",
                self.clock.stamp(booked), None, None, None, None))
            return
        booked = self.business_time(conversion.at + rng.randint(2, 72) * US_PER_HOUR)
        booked = min(max(booked, conversion.at + 30 * US_PER_MINUTE), deal.end - 2 * US_PER_HOUR)
        started = booked + rng.randint(0, 30) * US_PER_MINUTE
        ended = started + rng.randint(20, 60) * US_PER_MINUTE
        start_km = rng.randint(300, 30_000)
        driven = rng.randint(2, 5) if rng.random() < 0.04 else rng.randint(6, 35)
        self.rows["test_drives"].append((
            *self.synced(conversion.at + 10 * US_PER_MINUTE, ended, seller.id), conversion.customer_id,
            conversion.opportunity_id, seller.id, car[0], car[1], car[2], person.name, person.phone, id_number,
            id_number, "returned", self.clock.stamp(booked), self.clock.stamp(started), self.clock.stamp(ended),
            start_km, start_km + driven))

    def lost_request(self, deal: Deal, conversion: Conversion, seller: Seller) -> None:
        """The rep's request to abandon the deal (战败申请): approved by the manager for a lost deal, still
        pending for a few open ones."""
        rng, now = self.rng, self.clock.now
        if deal.status == "lost":
            reason = deal.lost_reason or LOST_REASONS[0]
            requested = max(deal.end - rng.randint(2, 72) * US_PER_HOUR, conversion.at + US_PER_MINUTE)
            self.rows["lost_requests"].append((
                *self.synced(requested, deal.end, seller.id), conversion.opportunity_id, conversion.customer_id,
                LOST_REASON_CODES.get(reason, "other"), reason, "approved", seller.id, self.clock.stamp(requested),
                seller.manager_id, self.clock.stamp(deal.end), "同意战败，客户转休眠"))
        elif deal.status == "open" and rng.random() < 0.04:
            requested = max(now - rng.randint(1, 96) * US_PER_HOUR, conversion.at + US_PER_MINUTE)
            reason = rng.choice(LOST_REASONS)
            deal.lost_requested = requested
            self.rows["lost_requests"].append((
                *self.synced(requested, requested, seller.id), conversion.opportunity_id, conversion.customer_id,
                LOST_REASON_CODES.get(reason, "other"), reason, "pending", seller.id, self.clock.stamp(requested),
                None, None, None))

    def cancel_planned_cadence(self, deal: Deal) -> None:
        """The customer left its owner: its planned cadence call is cancelled, as the pool does it."""
        row = deal.planned_cadence_row
        if row is not None:
            activity = self.rows["activities"][row]
            self.rows["activities"][row] = (*activity[:6], "cancelled", *activity[7:])
            deal.planned_cadence_row = None

    def pool_event(self, customer_id: str, action: str, user_id: str | None, from_owner_id: str | None, us: int,
                   reason: str | None) -> None:
        self.rows["pool_events"].append((*self.synced(us, us, user_id), customer_id, action, user_id, from_owner_id,
                                         self.clock.stamp(us), reason))


@dataclass
class Conversion:
    """What converting a lead made; the lead row points at it."""

    at: int
    customer_id: str
    opportunity_id: str
    contact_id: str
    customer_name: str


@dataclass
class Deal:
    """An opportunity's fate, decided before its rows are written."""

    pipeline: PipelineRef
    product: Product
    quantity: int
    discount_bp: int
    amount: int  # fen; replaced by the quote's total when there is one
    status: str  # open / won / lost
    path: tuple[StageRef, ...]  # stages passed through, the current one last
    close: int  # expected close
    end: int  # time of the last stage change (when it was won or lost, for a closed deal)
    lost_reason: str | None
    last_followup: int = 0
    next_followup: int | None = None
    delivered: int | None = None
    lost_requested: int | None = None  # a pending lost request's time
    planned_cadence_row: int | None = None  # index in the activities rows of its planned cadence call
    tier: str = "C"  # the customer's A/B/C


# --- Schema handling during the load ---------------------------------------------------------------


def droppable_schema(connection: sqlite3.Connection, tables: Sequence[str]) -> list[tuple[str, str, str]]:
    """(type, name, CREATE statement) of the secondary indexes and the full-text triggers on these tables,
    as the migration made them (auto-indexes of primary keys and unique constraints have no SQL and stay)."""
    marks = ", ".join("?" * len(tables))
    return connection.execute(
        f"SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL"
        f" AND tbl_name IN ({marks}) ORDER BY type, tbl_name, name", tuple(tables)).fetchall()


@contextmanager
def bulk_load_settings(connection: sqlite3.Connection) -> Iterator[None]:
    """Settings for a one-off load, restored afterwards: no fsync (a crash just means rerunning the demo)
    and no per-row foreign key lookups (the tests run foreign_key_check instead). A bigger page cache and
    sorter threads were measured too: no faster at a million leads, 200 MB more memory."""
    saved = {name: connection.execute(f"PRAGMA {name}").fetchone()[0] for name in ("synchronous", "foreign_keys")}
    isolation = connection.isolation_level
    connection.isolation_level = None  # explicit BEGIN / COMMIT below
    connection.execute("PRAGMA synchronous=OFF")
    connection.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        for name, value in saved.items():
            connection.execute(f"PRAGMA {name}={value}")
        connection.isolation_level = isolation


def _report(progress: ProgressCallback | None, stage: str, done: int, total: int) -> None:
    if progress is not None:
        progress(stage, done, total)


def today_midnight_us() -> int:
    """The demo's 'now': the start of today (UTC). Every time is relative to it, so one seed gives the
    same book all day long, and nothing lies in the future."""
    return int(time.time()) // 86_400 * US_PER_DAY


def build_demo(db: Database, leads: int, *, seed: int = 1,
               progress: ProgressCallback | None = None) -> DemoSummary:
    """Fill an empty, migrated book with `leads` leads and the chain that grows from them.

    About 30 % of leads convert (customer, contacts, opportunity); about half of those are won, and
    40 % of the won ones carry a quote, contract, order, payment plan and payments. Same seed, same
    names and amounts; ids (UUIDv7) are new each time.
    """
    if leads < 0:
        raise ValueError("leads must be >= 0")
    started = time.perf_counter()
    raw = db.engine.raw_connection()
    try:
        connection = raw.driver_connection
        assert isinstance(connection, sqlite3.Connection)
        if connection.execute("SELECT EXISTS (SELECT 1 FROM leads)").fetchone()[0]:
            raise ConflictError(_("Demo data goes into an empty database; this one already has leads."))
        with bulk_load_settings(connection):
            builder = DemoBuilder(connection, seed, today_midnight_us())
            users = max(5, leads // 20_000)
            _report(progress, "reference", 0, 1)
            builder.build_reference(users)
            builder.write()
            _report(progress, "reference", 1, 1)
            # Indexes are built once after the load, and the full-text indexes rebuilt in one pass,
            # instead of both being updated row by row.
            schema = droppable_schema(connection, BULK_TABLES)
            for kind, name, _sql in schema:
                connection.execute(f'DROP {kind.upper()} "{name}"')
            try:
                _report(progress, "leads", 0, leads)
                for first in range(0, leads, CHUNK_LEADS):
                    count = min(CHUNK_LEADS, leads - first)
                    for created in builder.lead_times(first, count, leads):
                        builder.lead(created)
                    builder.write()
                    _report(progress, "leads", first + count, leads)
            finally:
                # Put indexes and triggers back even if the load failed: the schema must stay the migrated one.
                for done, (_kind, _name, sql) in enumerate(schema, start=1):
                    connection.execute(sql)
                    _report(progress, "indexes", done, len(schema))
            for sql in DERIVED_DEAL_COLUMNS_SQL:  # what the dropped triggers would have kept row by row
                connection.execute(sql)
            builder.fit_targets()
            for done, table in enumerate(SEARCHABLE_TABLES, start=1):
                connection.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES('rebuild')")
                _report(progress, "search", done, len(SEARCHABLE_TABLES))
        counts = {table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                  for table in COUNTED_TABLES}
        most = connection.execute("SELECT max(n) FROM (SELECT count(*) AS n FROM customers WHERE owner_id IS NOT NULL"
                                  " AND deleted_at IS NULL GROUP BY owner_id)").fetchone()[0] or 0
    finally:
        raw.close()
    _fit_pool_caps(db, most)
    _fill_company_and_contracts(db)
    return DemoSummary(counts, time.perf_counter() - started)


# The demo dealership's letterhead (a made-up company; the credit code carries a valid check digit).
DEMO_COMPANY = {
    "name": "杭州华驰汽车销售服务有限公司", "address": "浙江省杭州市西湖区文三路 478 号华驰汽车城",
    "phone": "0571-8765 4321", "tax_id": "__USCC__", "bank_name": "中国工商银行杭州文三路支行",
    "bank_account": "1202 0212 0990 0123 456",
}


def _fill_company_and_contracts(db: Database) -> None:
    """The company profile the PDFs print, and each contract's parties, template and text as the contracts
    service would have made them (in chunks, not audited: demo rows are stamped by the loader)."""
    from sqlalchemy import select
    from stdnum.cn import uscc

    from crmdesk.models import Contract, User
    from crmdesk.services import contracts, documents
    from crmdesk.services.uow import read_session
    from crmdesk.services.users import actor_for

    with read_session(db) as session:
        admin = session.scalars(select(User).where(User.role == "admin").order_by(User.created_at)).first()
        assert admin is not None, "the demo book has an administrator"
        actor = actor_for(admin)
    code = "91330106MA2H8K7D3"
    profile = {**DEMO_COMPANY, "tax_id": code + uscc.calc_check_digit(code)}
    company = documents.save_company_profile(db, actor, profile)
    with read_session(db) as session:
        ids = list(session.scalars(select(Contract.id).order_by(Contract.id)))
    for first in range(0, len(ids), 1000):
        with read_session(db) as session, session.begin():
            for contract in session.scalars(select(Contract).where(Contract.id.in_(ids[first:first + 1000]))):
                contracts.fill_contract_text(session, contract, company)


def _fit_pool_caps(db: Database, most_owned: int) -> None:
    """A demo rep holds more customers than the default cap lets one claim: the demo team's caps are set
    to its book (the most any rep owns, plus a fifth, in hundreds), so claiming from the pool works."""
    from sqlalchemy import select

    from crmdesk.models import User
    from crmdesk.services import pool
    from crmdesk.services.uow import read_session
    from crmdesk.services.users import actor_for

    with read_session(db) as session:
        admin = session.scalars(select(User).where(User.role == "admin").order_by(User.created_at)).first()
        assert admin is not None, "the demo book has an administrator"
        actor = actor_for(admin)
    rules = pool.load_pool_rules(db, actor)
    cap = max(int(rules["caps"]["consultant"] or 0), -(-int(most_owned * 1.2) // 100) * 100)
    rules["caps"] = {role: cap if limit else limit for role, limit in rules["caps"].items()}
    pool.save_pool_rules(db, actor, rules)
