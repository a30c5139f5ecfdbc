"""Imports of leads, customers, contacts and opportunities from CSV or Excel files.

Every row goes through the same field checks and cross checks as the forms (the service's `fields`,
`_check_references` and `_check`); bad rows are reported and written to an errors file the user can fix
and import again. Rows are written in batches with executemany inside one transaction, so a cancelled or
failed import leaves nothing behind, and the derived columns, stamps and audit rows are exactly the ones
the unit of work makes for a record created in a form.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import Boolean, Date
from sqlalchemy.orm import Session

from crmdesk import labels
from crmdesk.i18n import LANGUAGES, _
from crmdesk.labels import code_label, field_title
from crmdesk.models import Contact, Customer, Lead, Opportunity, OpportunityStageChange
from crmdesk.models.activity import AuditEntry
from crmdesk.models.base import Money, UTCDateTime, from_fen, to_fen, utcnow
from crmdesk.models.database import Database
from crmdesk.services import lead_rules, search_index
from crmdesk.services.customers import ContactService, CustomerService
from crmdesk.services.entities import EntityService
from crmdesk.services.errors import UserError
from crmdesk.services.fields import (
    EARLIEST_DATE,
    LATEST_DATE,
    FieldSpec,
    collect_clean_values,
    parse_date,
    parse_money,
)
from crmdesk.services.leads import LeadService
from crmdesk.services.opportunities import OpportunityService
from crmdesk.services.text import name_pinyin, reversed_digits
from crmdesk.services.uow import Actor

ENTITIES = ("leads", "customers", "contacts", "opportunities")
DUPLICATE_MODES = ("skip", "merge", "new")
DATE_ORDERS = ("dmy", "mdy", "ymd")
# Rows validated and written together: large enough that executemany's per-call cost vanishes, small
# enough that memory stays at a few MB whatever the file's size.
BATCH_ROWS = 2000
# The result keeps this many problems and flagged rows in memory; the errors file always has every row.
MAX_KEPT = 10_000
# SQLite's bound-parameter limit is 32766 since 3.32; lookups stay well under it.
_LOOKUP_CHUNK = 500

ProgressCallback = Callable[[int, float | None], None]  # (rows read so far, fraction of the file or None)
CancelCheck = Callable[[], bool] | threading.Event

_IGNORE = ""  # a mapping target that drops a column (and keeps it out of the unrecognised list)


# --- Results -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    """One bad cell (or rule) of a rejected row: row as the file shows it (header = row 1)."""

    row: int
    column: str  # the file's header, or the field's title when no column holds it
    field: str
    message: str  # translated


@dataclass(frozen=True)
class FlaggedDuplicate:
    """A row imported as a new record although it looks like `duplicate_of` (duplicates="new")."""

    row: int
    record_id: str
    duplicate_of: str
    rule: str  # external_id / uscc / id_number / phone / name_company / name_email / company_name / name_customer


@dataclass(frozen=True)
class ImportCounts:
    """What `crmdesk import --json` prints: read = imported + updated + skipped_duplicates + rejected."""

    read: int
    imported: int
    updated: int
    skipped_duplicates: int
    rejected: int
    flagged: int
    customers_created: int


@dataclass(frozen=True)
class ImportResult:
    entity: str
    path: Path
    counts: ImportCounts
    errors_file: Path | None
    flagged: tuple[FlaggedDuplicate, ...]
    problems: tuple[RowProblem, ...]
    unrecognised_columns: tuple[str, ...]
    truncated: bool  # more problems or flagged rows than MAX_KEPT: the errors file has them all
    seconds: float

    @property
    def read(self) -> int:
        return self.counts.read

    @property
    def imported(self) -> int:
        return self.counts.imported

    @property
    def updated(self) -> int:
        return self.counts.updated

    @property
    def skipped_duplicates(self) -> int:
        return self.counts.skipped_duplicates

    @property
    def rejected(self) -> int:
        return self.counts.rejected

    def to_json(self) -> dict[str, Any]:
        """Plain data for `--json`: the counts, the errors file, and every kept problem and flag."""
        return {
            **asdict(self.counts),
            "errors_file": str(self.errors_file) if self.errors_file else None,
            "unrecognised_columns": list(self.unrecognised_columns),
            "flagged_rows": [asdict(flag) for flag in self.flagged],
            "problems": [asdict(problem) for problem in self.problems],
            "truncated": self.truncated,
            "seconds": round(self.seconds, 3),
        }


class ImportCancelled(UserError):
    """The user cancelled: the transaction was rolled back, nothing of the import remains."""

    def __init__(self) -> None:
        super().__init__(_("The import was cancelled; nothing was imported."))


# --- Mappings ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportMapping:
    """How a file's columns and values become fields: saved by name and reused for the next file.

    columns: header -> field (or "" to ignore the column); values: field -> {value in the file: code}.
    """

    columns: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    date_order: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"columns": dict(self.columns), "values": {k: dict(v) for k, v in self.values.items()},
                "date_order": self.date_order}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ImportMapping:
        columns = {str(k): str(v) for k, v in dict(data.get("columns") or {}).items()}
        values = {str(k): {str(a): str(b) for a, b in dict(v).items()} for k, v in dict(data.get("values") or {}).items()}
        order = data.get("date_order")
        return cls(columns, values, str(order) if order else None)


@dataclass(frozen=True)
class ImportOptions:
    mapping: ImportMapping = field(default_factory=ImportMapping)
    duplicates: str = "skip"  # skip / merge (fill empty fields) / new (import and flag)
    date_order: str | None = None  # for 3/5/2024; overrides the mapping's; None: only unambiguous dates
    create_missing_customers: bool = False  # opportunities and contacts: make customers the file names
    pipeline: str = "vehicle"  # opportunities without a pipeline column
    errors_path: Path | None = None  # default: <file stem>.errors<suffix> beside the file
    batch_rows: int = BATCH_ROWS


MAPPINGS_FILE_NAME = "import-mappings.json"  # the import wizard keeps its mappings in the same file


def default_mappings_path() -> Path:
    """Where named mappings are kept: a JSON file beside the settings file, in the per-user config folder
    (CRMDESK_SETTINGS, which moves the settings for tests and portable installs, moves it too)."""
    from crmdesk.settings import default_settings_path

    return default_settings_path().parent / MAPPINGS_FILE_NAME


def _read_mapping_file(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {"version": 1, "mappings": {}}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("mappings"), dict):
            raise ValueError(path)
    except (OSError, ValueError) as error:
        raise UserError(_("The saved mappings in {path} cannot be read.", path=path)) from error
    return data


def save_mapping(name: str, mapping: ImportMapping, path: Path | None = None) -> None:
    """Keep `mapping` under `name` in the JSON file at `path` (default: default_mappings_path()), replacing
    one of the same name. The file is replaced atomically, so a crash never leaves half of it."""
    name = name.strip()
    if not name:
        raise UserError(_("Give the mapping a name."))
    path = Path(path) if path is not None else default_mappings_path()
    data = _read_mapping_file(path)
    data["mappings"][name] = mapping.to_json()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8")
    partial.replace(path)


def load_mapping(name: str, path: Path | None = None) -> ImportMapping:
    mappings = _read_mapping_file(Path(path) if path is not None else default_mappings_path())["mappings"]
    if name not in mappings:
        raise UserError(_("No saved mapping named {name}.", name=name))
    return ImportMapping.from_json(mappings[name])


def list_mappings(path: Path | None = None) -> list[str]:
    return sorted(_read_mapping_file(Path(path) if path is not None else default_mappings_path())["mappings"])


def parse_column_mappings(texts: Iterable[str]) -> dict[str, str]:
    """`Header=field` texts (the CLI's --map) as a columns mapping; `Header=` ignores the column."""
    columns: dict[str, str] = {}
    for text in texts:
        header, sep, target = text.partition("=")
        if not sep or not header.strip():
            raise UserError(_("Write a column mapping as Header=field: {text}", text=text))
        columns[header.strip()] = target.strip()
    return columns


def parse_value_mappings(texts: Iterable[str]) -> dict[str, dict[str, str]]:
    """`field:From=to` texts (the CLI's --value-map) as a values mapping."""
    values: dict[str, dict[str, str]] = {}
    for text in texts:
        target, sep, rest = text.partition(":")
        source, sep2, code = rest.partition("=")
        if not sep or not sep2 or not target.strip() or not source.strip():
            raise UserError(_("Write a value mapping as field:From=to: {text}", text=text))
        values.setdefault(target.strip(), {})[source.strip()] = code.strip()
    return values


# --- What each kind of record accepts -----------------------------------------------------------------


def _key(text: str) -> str:
    """A header or value as compared: NFKC, lower case, no spaces, separators, required-marks or units."""
    text = unicodedata.normalize("NFKC", text).strip().lower()
    text = re.sub(r"\([^)]*\)$", "", text)  # 金额(元) -> 金额 ((（ is ( after NFKC)
    return re.sub(r"[\s_\-*:.]+", "", text)


_COMMON_HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("name", "fullname", "姓名", "名称"),
    "gender": ("gender", "sex", "性别"),
    "phone": ("phone", "mobile", "mobilephone", "cellphone", "tel", "telephone", "phonenumber", "手机", "手机号",
              "手机号码", "电话", "电话号码", "联系电话", "联系方式", "移动电话"),
    "email": ("email", "mail", "emailaddress", "邮箱", "电子邮箱", "电子邮件", "邮件", "邮箱地址"),
    "title": ("title", "jobtitle", "position", "职位", "职务", "头衔"),
    "notes": ("notes", "note", "remark", "remarks", "comment", "comments", "description", "备注", "说明", "描述"),
    "external_id": ("externalid", "externalref", "id", "外部编号", "外部id", "原系统编号", "编号"),
    "province": ("province", "state", "省份", "省", "所在省份"),
    "city": ("city", "城市", "市", "所在城市"),
    "birthday": ("birthday", "birthdate", "dateofbirth", "生日", "出生日期"),
    "owner": ("owner", "salesrep", "assignedto", "负责人", "销售顾问", "顾问", "所属销售", "跟进人", "归属人"),
    "industry": ("industry", "sector", "行业", "所属行业"),
    "territory": ("territory", "region", "salesregion", "销售区域", "所属区域", "片区", "大区"),
    "created_at": ("created", "createdat", "createddate", "createdon", "创建日期", "创建时间", "录入日期",
                   "录入时间", "登记日期", "登记时间"),
}
_ENTITY_HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "leads": {
        "name": ("lead", "leadname", "客户姓名"),
        "external_id": ("leadid", "线索编号"),
        "company": ("company", "companyname", "organization", "organisation", "account", "公司", "公司名称",
                    "单位", "工作单位", "企业", "企业名称"),
        "source": ("source", "leadsource", "channel", "来源", "线索来源", "渠道", "来源渠道", "获客渠道"),
        "campaign": ("campaign", "活动", "市场活动", "活动名称"),
        "ad_keyword": ("adkeyword", "keyword", "广告关键词", "关键词", "搜索关键词"),
        "status": ("status", "leadstatus", "状态", "线索状态"),
        "invalid_reason": ("invalidreason", "whyinvalid", "无效原因"),
        "score": ("score", "leadscore", "评分", "分数", "线索评分"),
        "intended_product": ("intendedproduct", "product", "model", "意向车型", "意向产品", "车型", "意向"),
        "intended_purchase_date": ("intendedpurchasedate", "purchasedate", "意向购买日期", "预计购买日期",
                                   "购买日期", "计划购车日期", "预计购车日期", "预计购车时间", "意向购车日期"),
        "residential_area": ("residentialarea", "area", "district", "居住区域", "居住地", "区域", "小区"),
        "visitors_count": ("visitors", "visitorscount", "到店人数", "来访人数", "人数"),
        "company_size": ("companysize", "employees", "numberofemployees", "headcount", "公司规模", "企业规模",
                         "员工人数", "员工数", "规模"),
        "budget": ("budget", "预算", "购车预算", "预算金额"),
        "created_at": ("到店日期", "到店时间", "来访日期"),
    },
    "customers": {
        "name": ("customer", "customername", "accountname", "客户", "客户名称", "客户姓名"),
        "external_id": ("customerid", "accountid", "客户编号"),
        "kind": ("kind", "type", "customertype", "类型", "客户类型"),
        "id_number": ("idnumber", "idcard", "residentid", "身份证", "身份证号", "身份证号码", "证件号码"),
        "uscc": ("uscc", "creditcode", "unifiedsocialcreditcode", "统一社会信用代码", "信用代码", "社会信用代码"),
        "industry": ("industry", "行业", "所属行业"),
        "address": ("address", "地址", "详细地址", "联系地址", "住址"),
        "tier": ("tier", "customertier", "level", "客户分级", "分级", "客户等级", "客户级别", "等级"),
        "intent_grade": ("intentgrade", "intent", "意向级别", "意向等级"),
        "status": ("status", "customerstatus", "状态", "客户状态"),
        "lost_reason": ("lostreason", "whylost", "战败原因", "流失原因", "休眠原因"),
    },
    "contacts": {
        "customer": ("customer", "customername", "company", "account", "客户", "客户名称", "所属客户", "公司",
                     "公司名称", "单位"),
        "customer_external_id": ("customerexternalid", "customerid", "accountid", "客户编号", "客户外部编号"),
        "name": ("contact", "contactname", "联系人", "联系人姓名"),
        "is_primary": ("primary", "isprimary", "primarycontact", "主联系人", "首要联系人", "是否主联系人"),
    },
    "opportunities": {
        "name": ("opportunity", "opportunityname", "deal", "dealname", "商机", "商机名称", "机会名称", "销售机会",
                 "项目名称"),
        "customer": ("customer", "customername", "account", "accountname", "客户", "客户名称", "客户姓名"),
        "customer_external_id": ("customerexternalid", "customerid", "accountid", "客户编号", "客户外部编号"),
        "external_id": ("opportunityid", "dealid", "商机编号"),
        "stage": ("stage", "salesstage", "阶段", "销售阶段", "商机阶段"),
        "pipeline": ("pipeline", "销售流程", "管道", "销售管道"),
        "amount": ("amount", "value", "dealvalue", "金额", "商机金额", "预计金额", "预算"),
        "probability": ("probability", "赢率", "成交概率", "概率", "赢单率"),
        "expected_close_date": ("expectedclosedate", "closedate", "预计成交日期", "预计签约日期", "成交日期",
                                "预计成交时间"),
        "product_interest": ("productinterest", "products", "product", "意向产品", "意向车型", "产品"),
        "won_at": ("wonat", "wondate", "wonon", "赢单日期"),
        "won_amount": ("wonamount", "成交金额", "赢单金额"),
        "won_reason": ("wonreason", "赢单原因"),
        "lost_reason": ("lostreason", "lossreason", "reasonlost", "输单原因", "战败原因"),
        "stage_changed_at": ("stagechangedat", "stagechangedate", "stagedate", "阶段变更日期", "阶段变更时间",
                             "阶段日期", "进入阶段日期"),
        "forecast_category": ("forecastcategory", "forecast", "预测类别"),
        "kind": ("kind", "type", "商机类型", "类型"),
    },
}
# The reason column of an errors file: dropped when the fixed file is imported again.
_IGNORED_HEADERS = ("importerrors", "导入错误")

# Default value maps: what people type in Chinese (and English) for coded fields.
_DEFAULT_VALUES: dict[str, dict[str, tuple[str, ...]]] = {
    "gender": {"M": ("男", "男性", "先生", "male", "man"), "F": ("女", "女性", "女士", "female", "woman"),
               "": ("未知", "保密", "unknown")},
    "source": {
        "walk_in": ("展厅", "展厅到店", "到店", "自然到店", "进店", "门店", "展厅来访", "walkin"),
        "phone": ("来电", "电话", "电话咨询", "400电话", "热线", "phonecall", "call"),
        "web": ("网络", "网站", "线上", "官网", "网络咨询", "在线", "汽车之家", "懂车帝", "易车", "online",
                "website", "internet"),
        "campaign": ("市场活动", "活动", "event"),
        "referral": ("转介绍", "介绍", "老客户介绍", "推荐", "朋友介绍"),
        "ad_keyword": ("广告关键词", "关键词", "搜索广告", "百度推广", "广告", "ad", "ads"),
        "trade_show": ("展会", "车展", "tradeshow"),
        "other": ("其他", "其它"),
    },
    "leads.status": {
        "new": ("新", "新建", "新线索", "新增", "未跟进", "待跟进", "未联系"),
        "contacted": ("已联系", "跟进中", "已跟进", "联系中"),
        "qualified": ("合格", "已确认", "有效", "已验证", "已合格", "意向明确"),
        "converted": ("已转化", "转化", "已转商机"),
        "invalid": ("无效", "无效线索", "已作废", "作废"),
    },
    "customers.status": {"active": ("活跃", "正常", "有效", "跟进中"), "dormant": ("休眠", "沉睡"),
                         "lost": ("流失", "战败", "丢失")},
    "kind": {"person": ("个人", "个人客户", "自然人", "私人", "individual"),
             "company": ("公司", "企业", "单位", "企业客户", "公司客户", "机构", "business", "organization"),
             "standard": ("标准", "常规", "普通"), "project": ("项目", "大客户项目", "大客户")},
    "tier": {code: (f"{code}类", f"{code}级", f"{code}类客户", f"{code}级客户") for code in "ABC"},
    "intent_grade": {code: (f"{code}级", f"{code}类") for code in "HABCO"},
    "forecast_category": {"commit": ("承诺", "确定"), "best_case": ("最佳情况", "乐观"), "pipeline": ("管道",),
                          "omitted": ("忽略", "排除")},
}

_COMPANY_MARKERS = ("公司", "集团", "有限", "厂", "中心", "研究院", "研究所", "医院", "学校", "大学", "学院", "银行",
                    "协会", "事务所", "工作室", "商行", "酒店", "co.", "ltd", "inc", "llc", "gmbh", "corp")


def _looks_like_company(name: str) -> bool:
    lowered = name.lower()
    return any(marker in lowered for marker in _COMPANY_MARKERS)


@dataclass(frozen=True)
class _Kind:
    """One kind of record the importer writes: its service, table and the rules that differ."""

    name: str  # leads / customers / contacts / opportunities
    entity: str  # lead / customer / contact / opportunity: labels, search bodies
    service: type[EntityService]
    model: Any
    defaults: Mapping[str, Any]  # what the service's create() adds before validating
    pseudo: tuple[str, ...]  # mappable names that are not fields but resolve to one

    PSEUDO_FIELDS: ClassVar[dict[str, str]] = {
        "owner": "owner_id", "customer": "customer_id", "customer_external_id": "customer_id",
        "stage": "stage_id", "pipeline": "stage_id", "stage_changed_at": "stage_id", "created_at": "",
        "territory": "territory_id",
    }

    @property
    def specs(self) -> tuple[FieldSpec, ...]:
        return self.service.fields

    def targets(self) -> tuple[str, ...]:
        """The fields are read from the service each time, so a field the form gains becomes importable."""
        names = tuple(spec.name for spec in self.specs)
        real = set(names)
        # A pseudo field that fills a field the form does not have (territory) is offered only with it.
        pseudo = tuple(name for name in self.pseudo
                       if name not in ("territory",) or self.PSEUDO_FIELDS[name] in real)
        return (*names, *pseudo)


_KINDS: dict[str, _Kind] = {
    "leads": _Kind("leads", "lead", LeadService, Lead, {"source": "walk_in", "status": "new"},
                   ("owner", "territory", "created_at")),
    "customers": _Kind("customers", "customer", CustomerService, Customer, {"kind": "person", "status": "active"},
                       ("owner", "territory", "created_at")),
    "contacts": _Kind("contacts", "contact", ContactService, Contact, {},
                      ("customer", "customer_external_id", "created_at")),
    "opportunities": _Kind("opportunities", "opportunity", OpportunityService, Opportunity, {},
                           ("owner", "customer", "customer_external_id", "stage", "pipeline", "stage_changed_at",
                            "created_at")),
}


def _kind(entity: str) -> _Kind:
    kind = _KINDS.get(entity)
    if kind is None:
        raise UserError(_("Unknown kind of record {entity}; use leads, customers, contacts or opportunities.",
                          entity=entity))
    return kind


def mappable_fields(entity: str) -> tuple[str, ...]:
    """The names a column can be mapped to for `entity`: the form's fields plus owner, customer, stage,
    pipeline, stage_changed_at and created_at where they apply."""
    return _kind(entity).targets()


def _title(kind: _Kind, target: str) -> str:
    field_name = {"owner": "owner_id", "customer": "customer_id", "stage": "stage_id"}.get(target, target)
    return field_title(kind.entity, field_name)


def _known_headers(kind: _Kind) -> dict[str, str]:
    """Normalised header -> target: built-in synonyms, then the titles the app shows (exports re-import)."""
    known: dict[str, str] = {}
    targets = set(kind.targets())
    for table in (_ENTITY_HEADERS[kind.name], _COMMON_HEADERS):
        for target, synonyms in table.items():
            if target in targets:
                for synonym in synonyms:
                    known.setdefault(_key(synonym), target)
    for target in kind.targets():
        known.setdefault(_key(target), target)
        known.setdefault(_key(_title(kind, target)), target)
    if kind.name in ("contacts", "opportunities"):
        known.setdefault(_key(field_title(kind.entity, "customer_name")), "customer")
    for ignored in (*_IGNORED_HEADERS, _("Import errors")):
        known[_key(ignored)] = _IGNORE
    return known


@dataclass(frozen=True)
class ColumnPlan:
    headers: tuple[str, ...]
    targets: tuple[str | None, ...]  # per column: the field it fills, None if not imported
    unrecognised: tuple[str, ...]  # headers neither recognised nor mapped: reported, not imported
    missing_required: tuple[str, ...]  # required fields no column fills


def _check_targets(kind: _Kind, names: Iterable[str]) -> None:
    valid = set(kind.targets())
    for name in names:
        if name != _IGNORE and name not in valid:
            raise UserError(_("Unknown field {field}; this kind of record has: {fields}", field=name,
                              fields=", ".join(kind.targets())))


def plan_columns(entity: str, headers: Sequence[str], mapping: ImportMapping | None = None) -> ColumnPlan:
    """Which field each column fills: explicit mappings first, then recognised Chinese/English headers."""
    kind = _kind(entity)
    mapping = mapping or ImportMapping()
    _check_targets(kind, mapping.columns.values())
    explicit = {header.strip(): target for header, target in mapping.columns.items()}
    explicit_keys = {_key(header): target for header, target in explicit.items()}
    known = _known_headers(kind)
    targets: list[str | None] = []
    unrecognised: list[str] = []
    for header in headers:
        text = str(header or "").strip()
        target = explicit.get(text, explicit_keys.get(_key(text))) if text else None
        if target is None and text:
            target = known.get(_key(text))
        if target is None and text:
            unrecognised.append(text)
        targets.append(target or None)
    present = {target for target in targets if target}
    required = {spec.name for spec in kind.specs if spec.required} - set(kind.defaults)
    missing = []
    for name in sorted(required):
        fillers = {name} | {pseudo for pseudo, real in _Kind.PSEUDO_FIELDS.items() if real == name}
        fillers.discard("pipeline")
        fillers.discard("stage_changed_at")
        if not present & fillers:
            missing.append(name)
    return ColumnPlan(tuple(str(h or "").strip() for h in headers), tuple(targets), tuple(unrecognised),
                      tuple(missing))


# --- Cells, dates and amounts -------------------------------------------------------------------------


_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01; Lotus's 1900-02-29 shifts the rest by one
_SERIAL = re.compile(r"^\d{5}(\.\d+)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
# A time after the date (exports write 2024-03-05 10:30:00) is allowed and dropped for date fields.
_TIME_TAIL = r"(?:\s*[ T]\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*$"
_CJK_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?" + _TIME_TAIL)
_NUMERIC_DATE = re.compile(r"^(\d{1,4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,4})" + _TIME_TAIL)
_WAN = re.compile(r"^(.*?)\s*万\s*元?$")


def _code_labels_in_every_language(entity: str, field_name: str, code: str) -> set[str]:
    """A coded value's label in each language (an export in English or Chinese re-imports), not only in
    the language the import runs in."""
    return {labels.code_label(entity, field_name, code, language) for language in LANGUAGES}


def _number_patterns() -> tuple[re.Pattern[str], tuple[re.Pattern[str], ...]]:
    import phonenumbers

    metadata = phonenumbers.PhoneMetadata.metadata_for_region("CN")
    assert metadata is not None and metadata.mobile is not None
    others = []
    for name in ("fixed_line", "premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager",
                 "uan", "voicemail", "no_international_dialling"):
        description = getattr(metadata, name, None)
        if description is not None and description.national_number_pattern:
            others.append(re.compile(description.national_number_pattern))
    return re.compile(str(metadata.mobile.national_number_pattern)), tuple(others)


_MOBILE_PATTERN, _OTHER_NUMBER_PATTERNS = _number_patterns()


def fast_mobile(value: Any) -> str | None:
    """A mainland mobile typed as its 11 digits, checked against phonenumbers' own CN patterns without the
    full parse (90 µs a number, most of an import's time): the digits when `normalize_phone` would return
    exactly them, None when the full check must decide. tests/services/test_importer.py compares the
    two on random numbers."""
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    elif isinstance(value, str):
        text = value.strip()
    else:
        return None
    if len(text) != 11 or text[0] != "1" or not text.isascii() or not text.isdigit():
        return None
    if _MOBILE_PATTERN.fullmatch(text) is None:
        return None
    if any(pattern.fullmatch(text) for pattern in _OTHER_NUMBER_PATTERNS):
        return None  # also some other type: phonenumbers may classify it differently
    return text


def _cell_value(raw: Any) -> Any:
    """A cell as validation expects it: text stripped, whole floats as ints (Excel keeps numbers as float)."""
    if isinstance(raw, str):
        text = raw.strip()
        # An export writes text a spreadsheet would run as a formula with a leading ' (exporter._csv_text).
        return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@") else text
    if isinstance(raw, float) and raw.is_integer() and abs(raw) < 1e15:
        return int(raw)
    return raw


def _excel_serial(number: float) -> date | str:
    if 1 <= number < 2_958_466:
        return _EXCEL_EPOCH + timedelta(days=int(number))
    return str(number)


def normalise_date(raw: Any, order: str | None = None) -> Any:
    """What people type as a date, turned into something `parse_date` reads (a date or Y-M-D text).

    2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日, 20240305, Excel serials (45356, as a number or text),
    and 3/5/2024 read by `order` (dmy or mdy; without one only when the day is over 12). Anything else
    is returned as it is, for `parse_date` to reject with its message.
    """
    if raw is None or isinstance(raw, date):  # datetime is a date too
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return _excel_serial(raw)
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    if _SERIAL.match(text):
        return _excel_serial(float(text))
    match = _COMPACT.match(text) or _CJK_DATE.match(text)
    if match:
        return "-".join(match.groups()[:3])
    match = _NUMERIC_DATE.match(text)
    if match is None:
        return text
    first, second, third = match.groups()[:3]
    if len(first) == 4:
        return f"{first}-{second}-{third}"
    if len(third) != 4:
        return text
    a, b = int(first), int(second)
    if order == "dmy" or (order not in ("dmy", "mdy") and a > 12 >= b):
        day, month = a, b
    elif order == "mdy" or (order not in ("dmy", "mdy") and b > 12 >= a):
        month, day = a, b
    elif a == b:
        day = month = a
    else:
        raise ValueError(_("The order of day and month is ambiguous; write the date as 2024-03-05 or state "
                           "the date order."))
    return f"{third}-{month}-{day}"


def normalise_amount(raw: Any) -> Any:
    """Amounts as typed: `parse_money` handles 1,234.50 ¥ ￥ 元; this adds 万 (26.39万 = 263900)."""
    if isinstance(raw, str):
        match = _WAN.match(unicodedata.normalize("NFKC", raw).strip())
        if match:
            return parse_money(match.group(1)) * 10_000
    return raw


def _parse_when(raw: Any, order: str | None) -> datetime:
    """A created or stage-change time: a date (midnight) or a date and time, in local time; UTC-aware."""
    if isinstance(raw, datetime):
        moment = raw
    elif isinstance(raw, date):
        moment = datetime(raw.year, raw.month, raw.day)
    else:
        text = unicodedata.normalize("NFKC", str(raw)).strip()
        day = parse_date(normalise_date(text, order))
        match = _CJK_DATE.match(text) or _NUMERIC_DATE.match(text)
        hour, minute, second = (int(part or 0) for part in match.groups()[3:]) if match else (0, 0, 0)
        try:
            moment = datetime(day.year, day.month, day.day, hour, minute, second)
        except ValueError as error:
            raise ValueError(_("Not a date; write it as 2024-03-05.")) from error
    if not EARLIEST_DATE <= moment.date() <= LATEST_DATE:
        raise ValueError(_("The date is out of range (1900-2100)."))
    return moment.astimezone(UTC)  # a naive time is the user's local time


# --- Files: reading and the errors file ---------------------------------------------------------------


class _Source:
    """A file being read row by row: headers, then (row number as the user sees it, cells)."""

    format: str = "csv"
    encoding: str | None = None
    delimiter: str = ","
    headers: list[str]

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        raise NotImplementedError

    def fraction(self) -> float | None:
        return None

    def close(self) -> None:
        pass


def _detect_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "gb18030"  # what Chinese Excel writes (GBK is its subset)
    return "utf-8"


def _detect_delimiter(first_line: str) -> str:
    counts = {candidate: 0 for candidate in (",", ";", "\t", "|")}
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda candidate: counts[candidate])
    return best if counts[best] else ","


class _CsvSource(_Source):
    def __init__(self, path: Path) -> None:
        self.format = "csv"
        self.size = max(path.stat().st_size, 1)
        self.raw = path.open("rb")
        try:
            sample = self.raw.read(65536)
            self.raw.seek(0)
            self.encoding = _detect_encoding(sample)
            head = sample.decode(self.encoding, errors="ignore").lstrip("\ufeff")
            self.delimiter = _detect_delimiter(head.splitlines()[0] if head else "")
            self.text = io.TextIOWrapper(self.raw, encoding=self.encoding, newline="")
            self.reader = csv.reader(self.text, delimiter=self.delimiter)
            self.row = 1
            self.headers = [cell.strip() for cell in self._next_cells()]
        except StopIteration:
            self.headers = []
        except BaseException:
            self.raw.close()  # a refused file is not left open
            raise

    def _next_cells(self) -> list[str]:
        """The next record's cells; an undecodable or unreadable record is the file's fault, said so."""
        try:
            return next(self.reader)
        except UnicodeDecodeError as error:
            raise UserError(_("The file is not in one text encoding (near row {row}); save it again as UTF-8 "
                              "or GB18030.", row=self.row)) from error
        except csv.Error as error:  # a field over CSV_FIELD_LIMIT, a NUL byte in old Pythons, a broken quote
            raise UserError(_("Row {row} of the file cannot be read as CSV ({detail}); nothing was imported.",
                              row=self.row, detail=error)) from error

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        while True:
            self.row += 1
            try:
                cells = self._next_cells()
            except StopIteration:
                return
            yield self.row, cells

    def fraction(self) -> float | None:
        return min(self.raw.tell() / self.size, 1.0)

    def close(self) -> None:
        if hasattr(self, "text"):
            self.text.close()
        self.raw.close()


class _XlsxSource(_Source):
    def __init__(self, path: Path) -> None:
        from openpyxl import load_workbook

        self.format = "xlsx"
        self.name = path.name
        # Opened here, so a workbook openpyxl refuses half-way is closed again, not left to the collector.
        self.handle = path.open("rb")
        try:
            # read_only streams the sheet's XML: memory stays flat whatever the size.
            self.workbook = load_workbook(self.handle, read_only=True, data_only=True)
            sheet: Any = self.workbook.active or self.workbook.worksheets[0]
            self.total = sheet.max_row if isinstance(sheet.max_row, int) and sheet.max_row > 1 else None
            self.iterator = sheet.iter_rows(values_only=True)
            self.row = 1
            first = self._next_cells()
        except UserError:
            self.close()
            raise
        except Exception as error:  # a damaged zip, missing or broken XML parts, what openpyxl cannot parse
            self.close()
            raise UserError(_("Not an Excel workbook (.xlsx): {name}", name=path.name)) from error
        self.headers = [str(cell).strip() if cell is not None else "" for cell in first or ()]

    def _next_cells(self) -> tuple[Any, ...] | None:
        try:
            return next(self.iterator, None)
        except Exception as error:  # the sheet's XML breaks off further down
            raise UserError(_("Row {row} of the workbook {name} cannot be read; nothing was imported.",
                              row=self.row, name=self.name)) from error

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        while True:
            self.row += 1
            cells = self._next_cells()
            if cells is None:
                return
            yield self.row, list(cells)

    def fraction(self) -> float | None:
        return min(self.row / self.total, 1.0) if self.total else None

    def close(self) -> None:
        workbook = getattr(self, "workbook", None)
        if workbook is not None:
            workbook.close()
        self.handle.close()


def _open_source(path: Path) -> _Source:
    if not path.is_file():
        raise UserError(_("The file {path} does not exist.", path=path))
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise UserError(_("Old .xls workbooks cannot be read; save the file as .xlsx or CSV."))
    with path.open("rb") as handle:
        magic = handle.read(4)
    if suffix in (".xlsx", ".xlsm") or (suffix not in (".csv", ".txt", ".tsv") and magic == b"PK\x03\x04"):
        return _XlsxSource(path)
    return _CsvSource(path)


class _ErrorsFile:
    """Rejected rows as the file had them plus a reason column, in the input's format and encoding.

    Opened on the first rejected row, written as `<name>.part` and renamed when the import commits, so a
    cancelled import leaves no errors file behind."""

    def __init__(self, source: _Source, path: Path) -> None:
        self.source = source
        self.path = path
        self.partial = path.with_name(path.name + ".part")
        self.handle: Any = None
        self.writer: Any = None
        self.workbook: Any = None
        self.sheet: Any = None

    def add(self, cells: list[Any], reason: str) -> None:
        header = [*self.source.headers, _("Import errors")]
        width = len(self.source.headers)
        cells = list(cells) + [None] * (width - len(cells))
        if self.source.format == "xlsx":
            if self.workbook is None:
                from openpyxl import Workbook

                self.workbook = Workbook(write_only=True)
                self.sheet = self.workbook.create_sheet()
                self.sheet.append(header)
            self.sheet.append([*cells, reason])
            return
        if self.writer is None:
            encoding = self.source.encoding or "utf-8"
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.handle = self.partial.open("w", encoding=encoding, errors="replace", newline="")
            except OSError as error:  # the import rolls back: the report of its rejected rows cannot be kept
                raise UserError(_("Cannot write the errors file {path}: {detail}", path=self.path,
                                  detail=error.strerror or error)) from error
            self.writer = csv.writer(self.handle, delimiter=self.source.delimiter)
            self.writer.writerow(header)
        self.writer.writerow(["" if cell is None else cell for cell in cells] + [reason])

    @property
    def started(self) -> bool:
        return self.writer is not None or self.workbook is not None

    def finish(self) -> Path | None:
        if not self.started:
            return None
        if self.workbook is not None:
            self.workbook.save(self.partial)
        else:
            self.handle.close()
        self.partial.replace(self.path)
        return self.path

    def discard(self) -> None:
        if self.handle is not None:
            self.handle.close()
        if self.started:  # nothing was opened when the file could not be made
            self.partial.unlink(missing_ok=True)


@dataclass(frozen=True)
class FilePreview:
    """What an import dialog shows before importing: the plan for the columns and the first rows."""

    format: str
    encoding: str | None
    delimiter: str | None
    plan: ColumnPlan
    sample: tuple[tuple[Any, ...], ...]


def inspect_file(path: Path, entity: str, mapping: ImportMapping | None = None, sample_rows: int = 5) -> FilePreview:
    source = _open_source(Path(path))
    try:
        sample: list[tuple[Any, ...]] = []
        for _row, cells in source.rows():
            if len(sample) >= sample_rows:
                break
            sample.append(tuple(cells))
        plan = plan_columns(entity, source.headers, mapping)
        return FilePreview(source.format, source.encoding, source.delimiter if source.format == "csv" else None,
                           plan, tuple(sample))
    finally:
        source.close()


# --- Writing rows as the unit of work would -----------------------------------------------------------


def _stamp(moment: datetime) -> str:
    """A UTC datetime as SQLAlchemy stores it on SQLite (what UTCDateTime reads back)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _audit_text(value: Any) -> str | None:
    """As the unit of work writes old and new values into the audit log."""
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _converter(column_type: Any) -> Callable[[Any], Any] | None:
    if isinstance(column_type, Money):
        return lambda value: None if value is None else to_fen(value)
    if isinstance(column_type, UTCDateTime):
        return lambda value: None if value is None else _stamp(value)
    if isinstance(column_type, Boolean):
        return lambda value: None if value is None else int(bool(value))
    if isinstance(column_type, Date):
        return lambda value: None if value is None else value.isoformat()
    return None


class _TableWriter:
    """A table's INSERT with every column, Python defaults filled and values in SQLite's storage form."""

    def __init__(self, model: Any) -> None:
        table = model.__table__
        self.table: str = table.name
        self.columns = tuple(column.name for column in table.columns)
        self.defaults = {column.name: column.default.arg for column in table.columns
                         if column.default is not None and column.default.is_scalar}
        self.converters = {column.name: _converter(column.type) for column in table.columns}
        self.money = frozenset(column.name for column in table.columns if isinstance(column.type, Money))
        marks = ", ".join("?" * len(self.columns))
        self.insert_sql = f"INSERT INTO {self.table} ({', '.join(self.columns)}) VALUES ({marks})"
        # The same INSERT for a whole batch given as one JSON array of rows (see insert_batch).
        picks = ", ".join(f"json_extract(value, '$[{index}]')" for index in range(len(self.columns)))
        self.batch_insert_sql = (f"INSERT INTO {self.table} ({', '.join(self.columns)}) "
                                 f"SELECT {picks} FROM json_each(?) ORDER BY key")
        self._plan = tuple((name, self.converters[name], self.defaults.get(name)) for name in self.columns)

    def row(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        # As the ORM does: a column with a default gets it when the value is missing or None.
        get = values.get
        out = []
        for name, convert, default in self._plan:
            value = get(name)
            if value is None:
                value = default
            out.append(convert(value) if convert is not None and value is not None else value)
        return tuple(out)

    def insert_batch(self, cursor: sqlite3.Cursor, rows: Sequence[tuple[Any, ...]]) -> None:
        """INSERT `rows` (from row()) with one statement, the rows passed as one JSON array.

        executemany binds each row in Python, taking the GIL back for every row, so on the writer thread it
        fights the thread reading the next batch for the GIL and both slow down; one statement runs wholly
        inside SQLite with the GIL released (and, measured on 30,000 leads, is faster on its own too:
        2.8 s against executemany's 5.0 s). Rows hold only str, int, float and None in storage form, which
        JSON carries exactly (and each column's affinity stores as the ORM does); anything else makes
        json.dumps raise rather than store something else.
        """
        if rows:
            cursor.execute(self.batch_insert_sql, (json.dumps(rows, ensure_ascii=False, allow_nan=False),))

    def convert(self, name: str, value: Any) -> Any:
        convert = self.converters[name]
        return convert(value) if convert else value

    def shown(self, name: str, stored: Any) -> Any:
        """A stored value as the model reads it (fen back to yuan), for the audit log's old value."""
        return from_fen(stored) if name in self.money and stored is not None else stored


# What the derived search columns are made of, and the columns themselves.
_DERIVED_INPUTS = ("name", "phone", "company", "kind", "customer_name")
_DERIVED_COLUMNS = ("name_pinyin", "name_initials", "phone_rev", "search_body")

_AUDIT = _TableWriter(AuditEntry)
_STAGE_CHANGES = _TableWriter(OpportunityStageChange)


class _Derived:
    """The unit of work's derived search columns, cached per distinct text (names repeat in a file)."""

    LIMIT = 50_000

    def __init__(self) -> None:
        self.pinyin: dict[tuple[str, bool], tuple[str, str]] = {}
        self.bodies: dict[tuple[str, str, str | None], str] = {}

    def fill(self, entity: str, values: dict[str, Any]) -> None:
        name = values.get("name") or ""
        person = entity in ("lead", "contact") or (entity == "customer" and values.get("kind") != "company")
        key = (name, person)
        cached = self.pinyin.get(key)
        if cached is None:
            if len(self.pinyin) > self.LIMIT:
                self.pinyin.clear()
            cached = self.pinyin[key] = name_pinyin(name, person=person)
        values["name_pinyin"], values["name_initials"] = cached
        values["phone_rev"] = reversed_digits(values.get("phone"))
        second = values.get("company") if entity == "lead" else values.get("customer_name")
        body_key = (entity, name, second)
        body = self.bodies.get(body_key)
        if body is None:
            if len(self.bodies) > self.LIMIT:
                self.bodies.clear()
            body = self.bodies[body_key] = search_index.body_for(entity, _Fields(values))
        values["search_body"] = body


class _Fields:
    """Attribute access to a dict, for search_index.body_for (which reads a model's attributes)."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = values

    def __getattr__(self, name: str) -> Any:
        return self._values.get(name)


# --- The import itself --------------------------------------------------------------------------------


@dataclass
class _Row:
    """One data row on its way through a batch."""

    number: int
    cells: list[Any]
    values: dict[str, Any] = field(default_factory=dict)  # field -> value from the file (after value maps)
    columns: dict[str, int] = field(default_factory=dict)  # field or pseudo field -> column index
    pseudo: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # field or pseudo field -> message
    cleaned: dict[str, Any] = field(default_factory=dict)
    new_customer: dict[str, Any] | None = None
    keys: list[tuple[Any, ...]] = field(default_factory=list)  # its duplicate keys, strongest first
    derived: dict[str, Any] | None = None  # search columns worked out before the previous batch is written


@dataclass
class _Record:
    """A record this import writes (a pending insert) and what it needs beside its fields."""

    row: int
    values: dict[str, Any]
    created_at: datetime | None
    stage_changed_at: datetime | None
    # Deals: (date entered, stage values) for each step of its history the file gives.
    stages: list[tuple[datetime, dict[str, Any]]] = field(default_factory=list)
    derived: dict[str, Any] | None = None


@dataclass
class _Batch:
    """What one batch writes: inserts, then stage changes, merges and audit rows."""

    records: list[_Record] = field(default_factory=list)
    merges: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)  # (row, id, values to fill)
    stage_moves: list[tuple[_Row, str]] = field(default_factory=list)  # (row, deal id): history steps


# What a deal's stage decides (the service's _apply_stage sets them from the stage).
_STAGE_FIELDS = ("stage_id", "pipeline_id", "stage_position", "status", "probability", "probability_overridden",
                 "won_at", "won_amount", "won_reason", "lost_at", "lost_reason")


def _stage_values(values: Mapping[str, Any]) -> dict[str, Any]:
    return {name: values[name] for name in _STAGE_FIELDS if name in values}


class _UUIDv7Maker:
    """UUIDv7 strings as models.base.new_id makes them (48-bit millisecond time, version 7, variant 10),
    at a tenth of its cost: an import makes four ids a row (record and audit entries), and uuid6's 10 µs
    each were a third of the time. Within a millisecond the 74 random bits count up, so the ids of one
    import sort in the order they were made."""

    _LOW = (1 << 62) - 1

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.millisecond = 0
        self.counter = 0

    def __call__(self) -> str:
        millisecond = time.time_ns() // 1_000_000
        with self.lock:
            if millisecond > self.millisecond:
                self.millisecond = millisecond
                self.counter = int.from_bytes(os.urandom(10), "big") >> 7  # 73 bits: room to count up
            else:
                millisecond = self.millisecond
                self.counter += 1
            counter = self.counter
        value = (millisecond << 80) | (7 << 76) | ((counter >> 62) & 0xFFF) << 64 | (2 << 62) | (counter & self._LOW)
        text = f"{value:032x}"
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


_new_id = _UUIDv7Maker()


def _is_cancelled(cancel: CancelCheck | None) -> bool:
    if cancel is None:
        return False
    if isinstance(cancel, threading.Event):
        return cancel.is_set()
    return bool(cancel())


def _chunks(items: Sequence[Any], size: int = _LOOKUP_CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class _Importer:
    def __init__(self, db: Database, actor: Actor, kind: _Kind, source: _Source, options: ImportOptions,
                 errors: _ErrorsFile, connection: sqlite3.Connection, session: Session) -> None:
        self.db, self.actor, self.kind, self.source, self.options = db, actor, kind, source, options
        self.errors_file = errors
        self.connection = connection
        self.session = session
        self.service = kind.service(db)
        self.customers = CustomerService(db)
        self.writer = _TableWriter(kind.model)
        self.customer_writer = _TableWriter(Customer)
        self.derived = _Derived()
        self.date_order = options.date_order or options.mapping.date_order
        self.plan = plan_columns(kind.name, source.headers, options.mapping)
        self.targets = [(index, target) for index, target in enumerate(self.plan.targets) if target]
        self.value_maps = self._value_maps()
        self.spec_by_name = {spec.name: spec for spec in kind.specs}
        self.field_names = frozenset(self.spec_by_name)
        self.counts = dict.fromkeys(("read", "imported", "updated", "skipped_duplicates", "rejected", "flagged",
                                     "customers_created"), 0)
        self.problems: list[RowProblem] = []
        self.flagged: list[FlaggedDuplicate] = []
        self.truncated = False
        self.now = utcnow()
        self.now_stamp = _stamp(self.now)
        self.table_columns = frozenset(self.writer.columns)
        # Phone fields a plain mainland mobile may skip the full phonenumbers parse for (see _fast_mobile).
        self.phone_fields = tuple(spec.name for spec in kind.specs if spec.kind == "phone")
        self.specs_without_phones = tuple(spec for spec in kind.specs if spec.kind != "phone")
        self.users = self._load_users() if "owner" in kind.pseudo else {}
        self.territories = self._load_territories() if "territory" in kind.targets() else {}
        self.stages = self._load_stages() if kind.name == "opportunities" else {}
        self.batch_customers: dict[str, str] = {}  # customers made for this batch's rows, by name
        self.batch_externals: dict[str, str] = {}  # ... and by their external id
        # Leads: the scoring and assignment rules, loaded once and applied to each new lead as its form
        # applies them (LeadService._apply_rules), without a query per row.
        self.lead_rules = (lead_rules.LeadRules.load(session, creator_id=actor.user_id)
                           if kind.name == "leads" else None)
        self.assignments: list[tuple[str, lead_rules.Assignment]] = []  # this batch's, for the audit log

    # -- set-up ----------------------------------------------------------------------------------------
    @staticmethod
    def _unique_keys(kind: _Kind) -> tuple[str, ...]:
        """Columns that name one record: a second row with the same value is the same record."""
        return ("external_id", "uscc", "id_number") if kind.name == "customers" else ("external_id",)

    def _find_by(self, table: str, column: str, values: Iterable[str]) -> dict[str, str]:
        """value -> id of the oldest live row with it (the one the others duplicate), in chunks, each
        through the column's partial index on live rows."""
        found: dict[str, str] = {}
        wanted = sorted(set(values))
        for chunk in _chunks(wanted):
            cursor = self.connection.execute(
                f"SELECT {column}, id FROM {table} WHERE deleted_at IS NULL"
                f" AND {column} IN ({', '.join('?' * len(chunk))}) ORDER BY created_at DESC", tuple(chunk))
            found.update(cursor.fetchall())
        return found

    def _load_territories(self) -> dict[str, str]:
        territories: dict[str, str] = {}
        rows = self.connection.execute(
            "SELECT id, name FROM territories WHERE deleted_at IS NULL ORDER BY created_at DESC")
        for territory_id, name in rows:
            for text in (name, territory_id):
                if text:
                    territories[_key(text)] = territory_id
        return territories

    def _load_users(self) -> dict[str, str]:
        users: dict[str, str] = {}
        rows = self.connection.execute(
            "SELECT id, username, display_name FROM users WHERE deleted_at IS NULL ORDER BY created_at DESC")
        for user_id, username, display_name in rows:
            for name in (username, display_name, user_id):
                if name:
                    users[_key(name)] = user_id
        return users

    def _load_stages(self) -> dict[str, Any]:
        """pipeline code -> {normalised code / Chinese / English name (and each part of 'a / b') -> stage}."""
        pipelines: dict[str, Any] = {}
        rows = self.connection.execute(
            "SELECT p.code, p.name_zh, p.name_en, s.id, s.code, s.name_zh, s.name_en, s.is_won, s.is_lost"
            " FROM stages s JOIN pipelines p ON p.id = s.pipeline_id"
            " WHERE s.deleted_at IS NULL AND p.deleted_at IS NULL ORDER BY p.position, s.position")
        self.pipeline_names: dict[str, str] = {}
        for pcode, pzh, pen, sid, scode, szh, sen, won, lost in rows:
            for name in (pcode, pzh, pen):
                self.pipeline_names.setdefault(_key(name), pcode)
            names = pipelines.setdefault(pcode, {})
            stage = {"id": sid, "code": scode, "is_won": bool(won), "is_lost": bool(lost)}
            for name in (scode, szh, sen, *szh.split("/"), *sen.split("/")):
                if name.strip():
                    names.setdefault(_key(name), stage)
        return pipelines

    def _value_maps(self) -> dict[str, dict[str, str]]:
        """field -> {normalised value -> code}: codes themselves, the app's labels, defaults, the user's map."""
        _check_targets(self.kind, self.options.mapping.values)
        maps: dict[str, dict[str, str]] = {}
        for spec in self.kind.specs:
            if spec.kind != "choice":
                continue
            table = maps.setdefault(spec.name, {})
            defaults = _DEFAULT_VALUES.get(f"{self.kind.name}.{spec.name}") or _DEFAULT_VALUES.get(spec.name, {})
            for code in spec.choices:
                table[_key(code)] = code
                for label in _code_labels_in_every_language(self.kind.entity, spec.name, code):
                    table.setdefault(_key(label), code)
                for synonym in defaults.get(code, ()):
                    table.setdefault(_key(synonym), code)
            for synonym in defaults.get("", ()):
                table.setdefault(_key(synonym), "")
        for target, mapping in self.options.mapping.values.items():
            table = maps.setdefault(target, {})
            for source, code in mapping.items():
                table[_key(source)] = code
        return maps

    # -- per row, no database (runs while the previous batch is written) -------------------------------
    def prepare(self, row: _Row) -> None:
        cells = row.cells
        for index, target in self.targets:
            value = _cell_value(cells[index]) if index < len(cells) else None
            if value is None or value == "" or target in row.columns:
                continue  # several columns for one field: the first that has a value
            if isinstance(value, str) and target in self.value_maps:
                value = self.value_maps[target].get(_key(value), value)
                if value == "":
                    continue
            row.columns[target] = index
            if target in self.field_names:
                row.values[target] = value
            else:
                row.pseudo[target] = value
        for name, value in list(row.values.items()):
            kind = self.spec_by_name[name].kind
            try:
                if kind == "date":
                    row.values[name] = normalise_date(value, self.date_order)
                elif kind == "money":
                    row.values[name] = normalise_amount(value)
            except ValueError as error:
                row.errors[name] = str(error)
                del row.values[name]
        for name in ("created_at", "stage_changed_at"):
            if name in row.pseudo:
                try:
                    row.pseudo[name] = _parse_when(row.pseudo[name], self.date_order)
                except ValueError as error:
                    row.errors[name] = str(error)
                    del row.pseudo[name]
        if "owner" in row.pseudo:
            owner = self.users.get(_key(str(row.pseudo["owner"])))
            if owner is None:
                row.errors["owner"] = _("No user with this name.")
            else:
                row.values.setdefault("owner_id", owner)
        if "territory" in row.pseudo:
            territory = self.territories.get(_key(str(row.pseudo["territory"])))
            if territory is None:
                row.errors["territory"] = _("No territory with this name.")
            else:
                row.values.setdefault("territory_id", territory)
        if self.kind.name == "opportunities":
            self._prepare_stage(row)
        values = {**self.kind.defaults, **row.values}
        if self.kind.name == "customers" and "kind" not in row.values and values.get("uscc"):
            values["kind"] = "company"  # a credit code names a company
        fast = self._fast_phones(values)
        if fast is None:
            row.cleaned, field_errors = collect_clean_values(self.kind.specs, values)
        else:
            rest = {name: value for name, value in values.items() if name not in fast}
            row.cleaned, field_errors = collect_clean_values(self.specs_without_phones, rest)
            row.cleaned.update(fast)
        for name, message in field_errors.items():
            spec = self.spec_by_name[name]
            given = values.get(name)
            if spec.kind == "choice" and spec.choices and given not in (None, ""):
                # The form offers a list; a file's cell needs to say what it could have been instead.
                allowed = "、".join(code_label(self.kind.entity, name, code) for code in spec.choices)
                message = _("“{value}” is not one of: {choices}.", value=given, choices=allowed)
            row.errors.setdefault(name, message)
        if not row.errors and self.kind.name in ("leads", "customers"):
            # The pinyin and search body are most of a row's Python work: done here, while the writer
            # thread is still busy with the previous batch. (Deals and contacts take the customer's
            # name into theirs, known only once the customer is resolved.)
            cleaned = row.cleaned
            derived = {name: cleaned.get(name) for name in _DERIVED_INPUTS}
            self.derived.fill(self.kind.entity, derived)
            row.derived = {name: derived[name] for name in _DERIVED_COLUMNS}

    def _fast_phones(self, values: Mapping[str, Any]) -> dict[str, str | None] | None:
        """The row's phone fields, cleaned, when each is empty (and optional) or a plain mobile; else None
        and the field check runs phonenumbers in full."""
        if not self.phone_fields:
            return None
        fast: dict[str, str | None] = {}
        for name in self.phone_fields:
            value = values.get(name)
            if value is None or value == "":
                if self.spec_by_name[name].required:
                    return None
                fast[name] = None
                continue
            digits = fast_mobile(value)
            if digits is None:
                return None
            fast[name] = digits
        return fast

    def _prepare_stage(self, row: _Row) -> None:
        pipeline = self.options.pipeline
        if "pipeline" in row.pseudo:
            found = self.pipeline_names.get(_key(str(row.pseudo["pipeline"])))
            if found is None:
                row.errors["pipeline"] = _("No such pipeline.")
                return
            pipeline = found
        if "stage" not in row.pseudo:
            return
        stage = self.stages.get(pipeline, {}).get(_key(str(row.pseudo["stage"])))
        if stage is None:
            row.errors["stage"] = _("No such stage in the pipeline; use a stage's code or name.")
            return
        row.values.setdefault("stage_id", stage["id"])
        row.pseudo["_stage"] = stage
        changed = row.pseudo.get("stage_changed_at")
        if stage["is_won"] and changed is not None:
            row.values.setdefault("won_at", changed.date())

    # -- per batch, with the database ------------------------------------------------------------------
    def resolve(self, rows: list[_Row]) -> _Batch:
        if "customer" in self.kind.pseudo:
            self._resolve_customers(rows)
        valid: list[_Row] = []
        for row in rows:
            self._check(row)
            if row.errors:
                self._reject(row)
            else:
                valid.append(row)
        batch = self._decide(valid)
        self.session.expunge_all()  # the identity map holds one batch's references, not the file's
        return batch

    def _check(self, row: _Row) -> None:
        """The service's reference and cross checks, as its _validate runs them after the field checks."""
        cleaned = row.cleaned
        if row.new_customer is not None and not row.errors and not self._create_customer(row):
            return
        for pseudo, real in (("customer", "customer_id"), ("customer_external_id", "customer_id"),
                             ("stage", "stage_id"), ("pipeline", "stage_id"), ("owner", "owner_id"),
                             ("territory", "territory_id")):
            if pseudo in row.errors:
                row.errors.pop(real, None)  # the column's own message says it better than "required"
        errors = row.errors
        self.service._check_references(self.session, cleaned, errors)
        self.service._check(self.session, self.actor, cleaned, None, errors)
        if errors and row.new_customer is not None and "id" in row.new_customer:
            self._drop_customer(row)
        elif row.new_customer is not None and row.new_customer.get("owned_by_row"):
            # Audited once the row that made it passed (the audit log is append-only: no taking back).
            self.connection.execute(_AUDIT.insert_sql, self._audit("create", "customers", row.new_customer["id"]))
        stage = row.pseudo.get("_stage")
        changed = row.pseudo.get("stage_changed_at")
        if stage is not None and stage["is_lost"] and changed is not None:
            cleaned["lost_at"] = changed.date()
        if self.service.owner_defaults_to_actor and cleaned.get("owner_id") is None:
            cleaned["owner_id"] = self.actor.user_id

    def _resolve_customers(self, rows: list[_Row]) -> None:
        """customer (name or external id) and customer_external_id -> customer_id, one query per batch."""
        names = {str(row.pseudo["customer"]) for row in rows if "customer" in row.pseudo}
        found: dict[str, list[str]] = {}
        if names:
            pinyins = {name_pinyin(name, person=person)[0] for name in names for person in (True, False)}
            name_list, pinyin_list = sorted(names), sorted(pinyins)
            for chunk in _chunks(pinyin_list):
                marks = ", ".join("?" * len(chunk))
                for names_chunk in _chunks(name_list):
                    statement = (f"SELECT id, name FROM customers WHERE deleted_at IS NULL AND name_pinyin IN ({marks})"
                                 f" AND name IN ({', '.join('?' * len(names_chunk))}) ORDER BY created_at")
                    for customer_id, name in self.connection.execute(statement, (*chunk, *names_chunk)):
                        found.setdefault(name, []).append(customer_id)
        # A customer column may hold the other system's customer id as well as a name.
        externals = {str(row.pseudo[key]) for row in rows for key in ("customer_external_id", "customer")
                     if key in row.pseudo}
        external_ids = self._find_by("customers", "external_id", externals)
        for row in rows:
            if "customer_id" in row.values and "customer" not in row.pseudo:
                continue  # an id column was mapped: the reference check judges it
            external = row.pseudo.get("customer_external_id")
            name = row.pseudo.get("customer")
            customer_id = None
            if external is not None:
                customer_id = external_ids.get(str(external)) or self.batch_externals.get(str(external))
            if customer_id is None and name is not None:
                customer_id = external_ids.get(str(name))
                matches = found.get(str(name), [])
                if customer_id is None and len(matches) > 1:
                    row.errors["customer"] = _("Several customers have this name; use the customer's external ID.")
                    continue
                customer_id = customer_id or (matches[0] if matches else None)
            if customer_id is not None:
                row.cleaned["customer_id"] = customer_id
                row.errors.pop("customer_id", None)
            elif name is not None and self.options.create_missing_customers:
                row.errors.pop("customer_id", None)
                row.new_customer = {"name": str(name), "kind": "company" if _looks_like_company(str(name)) else "person",
                                    "status": "active"}
                if external is not None:
                    row.new_customer["external_id"] = str(external)
            elif name is not None or external is not None:
                column = "customer" if name is not None else "customer_external_id"
                row.errors[column] = _("No customer with this name or external ID.")

    def _create_customer(self, row: _Row) -> bool:
        """Make the customer a row names (create_missing_customers): validated as the customer form would,
        owned by the deal's owner. False (row rejected) if the customer itself is not valid."""
        assert row.new_customer is not None
        name = row.new_customer["name"]
        existing = self.batch_customers.get(name)
        if existing is None:
            values = dict(row.new_customer)
            values["owner_id"] = row.cleaned.get("owner_id") or self.actor.user_id
            cleaned, errors = collect_clean_values(self.customers.fields, values)
            self.customers._check_references(self.session, cleaned, errors)
            self.customers._check(self.session, self.actor, cleaned, None, errors)
            if errors:
                row.errors["customer"] = "; ".join(errors.values())
                return False
            customer_id = cleaned["id"] = _new_id()
            cleaned.update(created_at=self.now, updated_at=self.now, created_by=self.actor.user_id,
                           updated_by=self.actor.user_id)
            self.derived.fill("customer", cleaned)
            self.connection.execute(self.customer_writer.insert_sql, self.customer_writer.row(cleaned))
            self.batch_customers[name] = customer_id
            if cleaned.get("external_id"):
                self.batch_externals[cleaned["external_id"]] = customer_id
            self.counts["customers_created"] += 1
            row.new_customer["id"] = customer_id
            row.new_customer["owned_by_row"] = True
        else:
            row.new_customer["id"] = existing
        row.cleaned["customer_id"] = row.new_customer["id"]
        row.errors.pop("customer_id", None)
        return True

    def _drop_customer(self, row: _Row) -> None:
        """The row that made a customer was rejected: take the customer back out (never committed). Only
        rows after it could have used it, and they have not been checked yet."""
        assert row.new_customer is not None
        if not row.new_customer.get("owned_by_row"):
            return
        customer_id = row.new_customer["id"]
        self.connection.execute("DELETE FROM customers WHERE id = ?", (customer_id,))
        self.batch_customers.pop(row.new_customer["name"], None)
        self.batch_externals = {k: v for k, v in self.batch_externals.items() if v != customer_id}
        self.counts["customers_created"] -= 1

    def _reject(self, row: _Row) -> None:
        self.counts["rejected"] += 1
        reasons = []
        for name, message in row.errors.items():
            column = self._column_title(row, name)
            reasons.append(f"{column}: {message}")
            if len(self.problems) < MAX_KEPT:
                self.problems.append(RowProblem(row.number, column, name, message))
            else:
                self.truncated = True
        self.errors_file.add(row.cells, "; ".join(reasons))

    def _column_title(self, row: _Row, name: str) -> str:
        candidates = [name, {"customer_id": "customer", "stage_id": "stage", "owner_id": "owner"}.get(name, name),
                      "customer_external_id" if name == "customer_id" else name]
        for candidate in candidates:
            index = row.columns.get(candidate)
            if index is None:
                index = next((i for i, target in self.targets if target == candidate), None)
            if index is not None:
                return self.source.headers[index]
        return _title(self.kind, name)

    # -- duplicates ------------------------------------------------------------------------------------
    def _keys(self, values: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """The duplicate rules, strongest first: the same external id, credit code, resident ID, mobile,
        then the same name with the same company / e-mail / customer."""
        keys: list[tuple[Any, ...]] = []
        for column in self._unique_keys(self.kind):
            if values.get(column):
                keys.append((column, values[column]))
        phone_rev = reversed_digits(values.get("phone")) if "phone" in self.field_names else None
        if phone_rev:
            keys.append(("phone", phone_rev))
        name = values.get("name")
        if self.kind.name == "leads":
            if values.get("company"):
                keys.append(("name_company", name, values["company"]))
            if values.get("email"):
                keys.append(("name_email", name, str(values["email"]).lower()))
        elif self.kind.name == "customers":
            if values.get("kind") == "company":
                keys.append(("company_name", name))
        elif values.get("customer_id"):
            keys.append(("name_customer", name, values["customer_id"]))
        return keys

    def _lookup(self, rows: list[_Row]) -> dict[tuple[Any, ...], str]:
        """The batch's keys found among the live rows, each by an indexed lookup (external_id, uscc,
        phone_rev, name_pinyin, customer_id), so nothing of the book is held in memory."""
        table = self.writer.table
        found: dict[tuple[Any, ...], str] = {}
        all_keys = [row.keys for row in rows]
        for column in self._unique_keys(self.kind):
            wanted = {key[1] for keys in all_keys for key in keys if key[0] == column}
            if wanted:
                for value, record_id in self._find_by(table, column, wanted).items():
                    found[(column, value)] = record_id
        phones = {key[1] for keys in all_keys for key in keys if key[0] == "phone"}
        if phones:
            for phone_rev, record_id in self._find_by(table, "phone_rev", phones).items():
                found[("phone", phone_rev)] = record_id
        named = [row.cleaned for row in rows if any(key[0].startswith(("name_", "company_")) for key in row.keys)]
        if not named:
            return found
        if self.kind.name in ("contacts", "opportunities"):
            customers = sorted({values["customer_id"] for values in named})
            for chunk in _chunks(customers):
                statement = (f"SELECT name, customer_id, id FROM {table} WHERE deleted_at IS NULL"
                             f" AND customer_id IN ({', '.join('?' * len(chunk))}) ORDER BY created_at DESC")
                for name, customer_id, record_id in self.connection.execute(statement, tuple(chunk)):
                    found[("name_customer", name, customer_id)] = record_id
            return found
        person = self.kind.name == "leads"
        names = sorted({values["name"] for values in named})
        pinyins = sorted({self._pinyin(name, person) for name in names})
        extra = ", company, email" if self.kind.name == "leads" else ", kind, NULL"
        wanted_names = set(names)
        for chunk in _chunks(pinyins):
            statement = (f"SELECT name, id{extra} FROM {table} WHERE deleted_at IS NULL"
                         f" AND name_pinyin IN ({', '.join('?' * len(chunk))}) ORDER BY created_at DESC")
            for name, record_id, second, email in self.connection.execute(statement, tuple(chunk)):
                if name not in wanted_names:
                    continue
                if self.kind.name == "leads":
                    if second:
                        found[("name_company", name, second)] = record_id
                    if email:
                        found[("name_email", name, email.lower())] = record_id
                elif second == "company":
                    found[("company_name", name)] = record_id
        return found

    def _pinyin(self, name: str, person: bool) -> str:
        key = (name, person)
        cached = self.derived.pinyin.get(key)
        if cached is None:
            cached = self.derived.pinyin[key] = name_pinyin(name, person=person)
        return cached[0]

    def _is_stage_history(self, row: _Row) -> bool:
        """An opportunities row with a stage and the date it was entered: one step of a deal's history."""
        return "_stage" in row.pseudo and row.pseudo.get("stage_changed_at") is not None

    def _decide(self, rows: list[_Row]) -> _Batch:
        """Insert, merge, skip or flag each valid row, in file order; in-file duplicates meet the records
        of this batch here and those of earlier batches in the database (same transaction)."""
        batch = _Batch()
        mode = self.options.duplicates
        for row in rows:
            row.keys = self._keys(row.cleaned)
        found = self._lookup(rows)
        in_batch: dict[tuple[Any, ...], _Record] = {}
        for row in rows:
            values = row.cleaned
            keys = row.keys
            match: _Record | str | None = None
            rule = ""
            for key in keys:
                match = in_batch.get(key) or found.get(key)
                if match is not None:
                    rule = key[0]
                    break
            if match is not None and (mode != "new" or rule == "external_id"):
                # An external id names one record: it is never imported twice, whatever the mode.
                if self._is_stage_history(row):
                    if isinstance(match, _Record):
                        self._add_pending_stage(match, row)
                    else:
                        batch.stage_moves.append((row, match))
                elif mode == "merge":
                    given = {name: value for name, value in values.items()
                             if name in self.field_names and (name in row.values or name == "customer_id")}
                    if isinstance(match, _Record):
                        self._merge_pending(match, given)
                    else:
                        batch.merges.append((row.number, match, given))
                else:
                    self.counts["skipped_duplicates"] += 1
                continue
            record_id = values["id"] = _new_id()
            if match is not None:
                duplicate_of = match.values["id"] if isinstance(match, _Record) else match
                if "duplicate_of_id" in self.table_columns:
                    values["duplicate_of_id"] = duplicate_of
                else:  # contacts and deals have no flag column: the note says it
                    flag = _("Suspected duplicate: {id}", id=duplicate_of)
                    values["notes"] = f"{values['notes']}\n{flag}" if values.get("notes") else flag
                self.counts["flagged"] += 1
                if len(self.flagged) < MAX_KEPT:
                    self.flagged.append(FlaggedDuplicate(row.number, record_id, duplicate_of, rule))
                else:
                    self.truncated = True
            if self.lead_rules is not None:
                self._apply_lead_rules(values)
            record = _Record(row.number, values, row.pseudo.get("created_at"), row.pseudo.get("stage_changed_at"),
                             derived=row.derived)
            if self._is_stage_history(row):
                record.stages.append((row.pseudo["stage_changed_at"], _stage_values(values)))
            batch.records.append(record)
            for key in keys:
                in_batch.setdefault(key, record)
        return batch

    def _apply_lead_rules(self, values: dict[str, Any]) -> None:
        """Score, qualify and (without an owner) assign a lead this import creates, as the form does."""
        rules = self.lead_rules
        assert rules is not None
        if values.get("score") is None:
            values["score"] = rules.score(values, engagement=0)
        if (values.get("status") or "new") in lead_rules.OPEN_STATUSES:
            qualification = rules.qualification_for(values["score"], None)
            if qualification is not None:
                values["qualification"] = qualification
                values["mql_at"] = self.now if qualification == "mql" else None
        if values.get("owner_id") is None:
            assignment = rules.assign(values)
            values["owner_id"] = assignment.owner_id
            if assignment.team_id is not None:
                values["team_id"] = assignment.team_id
            if rules.assigns:  # as the form: no rule set and the creator fallback is no assignment to log
                self.assignments.append((values["id"], assignment))

    def _merge_pending(self, record: _Record, given: Mapping[str, Any]) -> None:
        filled = False
        for name, value in given.items():
            if value not in (None, "") and record.values.get(name) in (None, ""):
                record.values[name] = value
                filled = True
                if name in _DERIVED_INPUTS:
                    record.derived = None  # worked out again from the merged values
        self.counts["updated" if filled else "skipped_duplicates"] += 1

    def _add_pending_stage(self, record: _Record, row: _Row) -> None:
        """A later row of a deal this batch creates: one more step of its history (the same step twice
        in one file counts as a duplicate)."""
        changed_at = row.pseudo["stage_changed_at"]
        stage_values = _stage_values(row.cleaned)
        if any(at == changed_at and values["stage_id"] == stage_values["stage_id"] for at, values in record.stages):
            self.counts["skipped_duplicates"] += 1
            return
        record.stages.append((changed_at, stage_values))
        self.counts["updated"] += 1

    # -- writing ---------------------------------------------------------------------------------------
    def _audit(self, action: str, table: str, entity_id: str, field_name: str | None = None,
               old: str | None = None, new: str | None = None) -> tuple[Any, ...]:
        return (_new_id(), self.now_stamp, self.actor.user_id, action, table, entity_id, field_name, old, new)

    def _stage_change(self, opportunity_id: str, from_stage: str | None, to_stage: str,
                      changed_at: datetime) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        """(stage change row, its audit row): the change keeps the date the file gives."""
        actor_id = self.actor.user_id
        change_id = _new_id()
        change = _STAGE_CHANGES.row({
            "id": change_id, "created_at": self.now, "updated_at": self.now, "created_by": actor_id,
            "updated_by": actor_id, "opportunity_id": opportunity_id, "from_stage_id": from_stage,
            "to_stage_id": to_stage, "changed_at": changed_at, "changed_by": actor_id})
        return change, self._audit("create", _STAGE_CHANGES.table, change_id)

    def build_rows(self, batch: _Batch) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """(record rows, stage change rows, audit rows) of the batch's inserts, stamped as the unit of work
        stamps them: one 'create' audit entry per record and per stage change."""
        actor_id, entity, table = self.actor.user_id, self.kind.entity, self.writer.table
        records, changes, audits = [], [], []
        for record in batch.records:
            values = record.values
            history = sorted(record.stages, key=lambda step: step[0])
            if history:
                values.update(history[-1][1])  # the deal stands in the stage it entered last
            values["created_at"] = record.created_at or (history[0][0] if history else None) or self.now
            values["updated_at"] = self.now
            values["created_by"] = values["updated_by"] = actor_id
            if record.derived is not None:
                values.update(record.derived)
            else:
                self.derived.fill(entity, values)
            records.append(self.writer.row(values))
            audits.append(self._audit("create", table, values["id"]))
            if self.kind.name == "opportunities":
                steps = history or [(record.stage_changed_at or values["created_at"], {"stage_id": values["stage_id"]})]
                previous = None
                for changed_at, step in steps:
                    change, audit = self._stage_change(values["id"], previous, step["stage_id"], changed_at)
                    changes.append(change)
                    audits.append(audit)
                    previous = step["stage_id"]
        for lead_id, assignment in self.assignments:  # as lead_rules.log_assignment writes them
            audits.append(self._audit("assign", table, lead_id, "owner_id", None, assignment.owner_id))
            audits.append(self._audit("assign", table, lead_id, "assignment_rule", None, assignment.rule_name or None))
        self.assignments = []
        self.counts["imported"] += len(records)
        return records, changes, audits

    def build_and_write(self, batch: _Batch) -> None:
        self.write(*self.build_rows(batch))

    def write(self, records: list[tuple[Any, ...]], changes: list[tuple[Any, ...]],
              audits: list[tuple[Any, ...]]) -> None:
        """The batch's INSERTs (may run on the writer thread: sqlite3 releases the GIL while it works)."""
        cursor = self.connection.cursor()
        try:
            self.writer.insert_batch(cursor, records)
            _STAGE_CHANGES.insert_batch(cursor, changes)
            _AUDIT.insert_batch(cursor, audits)
        finally:
            cursor.close()

    def _current_rows(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        table = self.writer.table
        current: dict[str, dict[str, Any]] = {}
        for chunk in _chunks(sorted(set(ids))):
            cursor = self.connection.execute(
                f"SELECT * FROM {table} WHERE id IN ({', '.join('?' * len(chunk))})", tuple(chunk))
            names = [column[0] for column in cursor.description]
            for values in cursor:
                current[values[names.index("id")]] = dict(zip(names, values, strict=True))
        return current

    def _update_existing(self, record_id: str, existing: dict[str, Any], changes: Mapping[str, Any],
                         audits: list[tuple[Any, ...]]) -> None:
        """Write `changes` (model values) to an existing row, audited field by field with the derived search
        columns recomputed, as an edit in a form would be."""
        table = self.writer.table
        updates: dict[str, Any] = {}
        for name, value in changes.items():
            stored = self.writer.convert(name, value)
            if stored == existing.get(name):
                continue
            audits.append(self._audit("update", table, record_id, name, _audit_text(self.writer.shown(name, existing.get(name))),
                                      _audit_text(value)))
            existing[name] = updates[name] = stored
        if not updates:
            return
        if set(_DERIVED_INPUTS) & set(updates):
            derived = dict(existing)
            self.derived.fill(self.kind.entity, derived)
            updates.update({name: derived[name] for name in _DERIVED_COLUMNS})
        updates["updated_at"] = self.now_stamp
        updates["updated_by"] = self.actor.user_id
        assignments = ", ".join(f"{name} = ?" for name in updates)
        self.connection.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", (*updates.values(), record_id))

    def apply_merges(self, batch: _Batch) -> None:
        """Fill the empty fields of existing records (never overwrite one that has a value)."""
        if not batch.merges:
            return
        current = self._current_rows(record_id for _row, record_id, _values in batch.merges)
        audits: list[tuple[Any, ...]] = []
        for _row, record_id, given in batch.merges:
            existing = current[record_id]
            filled = {name: value for name, value in given.items()
                      if value not in (None, "") and existing.get(name) in (None, "")}
            if not filled:
                self.counts["skipped_duplicates"] += 1
                continue
            self.counts["updated"] += 1
            self._update_existing(record_id, existing, filled, audits)
        if audits:
            self.connection.executemany(_AUDIT.insert_sql, audits)

    def apply_stage_moves(self, batch: _Batch) -> None:
        """Steps of the history of deals already in the book: each step the book does not have yet is added
        with its date; a step later than the deal's last one moves the deal to that stage."""
        if not batch.stage_moves:
            return
        ids = sorted({record_id for _row, record_id in batch.stage_moves})
        current = self._current_rows(ids)
        history: dict[str, list[tuple[str, str]]] = {record_id: [] for record_id in ids}  # (changed_at, to)
        for chunk in _chunks(ids):
            cursor = self.connection.execute(
                "SELECT opportunity_id, changed_at, to_stage_id FROM opportunity_stage_changes"
                f" WHERE deleted_at IS NULL AND opportunity_id IN ({', '.join('?' * len(chunk))})", tuple(chunk))
            for opportunity_id, changed_at, to_stage in cursor:
                history[opportunity_id].append((str(changed_at), to_stage))
        changes: list[tuple[Any, ...]] = []
        audits: list[tuple[Any, ...]] = []
        for row, record_id in batch.stage_moves:
            stamp = _stamp(row.pseudo["stage_changed_at"])
            stage_values = _stage_values(row.cleaned)
            steps = history[record_id]
            if (stamp, stage_values["stage_id"]) in steps:
                self.counts["skipped_duplicates"] += 1
                continue
            earlier = [step for step in steps if step[0] < stamp]
            previous = max(earlier)[1] if earlier else None
            change, audit = self._stage_change(record_id, previous, stage_values["stage_id"],
                                               row.pseudo["stage_changed_at"])
            changes.append(change)
            audits.append(audit)
            latest = max(steps)[0] if steps else ""
            steps.append((stamp, stage_values["stage_id"]))
            if stamp >= latest:
                self._update_existing(record_id, current[record_id], stage_values, audits)
            self.counts["updated"] += 1
        self.write([], changes, audits)

    # -- the loop --------------------------------------------------------------------------------------
    def run(self, progress: ProgressCallback | None, cancel: CancelCheck | None) -> None:
        size = max(1, self.options.batch_rows)
        # Writing batch N (in SQLite, without the GIL) overlaps reading and checking batch N+1 (Python);
        # everything that touches the database waits for the write to finish first.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-writer") as pool:
            writing: Future[None] | None = None
            try:
                for rows in self._batches(size):
                    for row in rows:
                        self.prepare(row)
                    if writing is not None:
                        writing.result()
                        writing = None
                    if _is_cancelled(cancel):
                        raise ImportCancelled()
                    self.batch_customers, self.batch_externals = {}, {}
                    batch = self.resolve(rows)
                    self.apply_merges(batch)
                    self.apply_stage_moves(batch)
                    # Building the rows is Python too, but done there it overlaps reading the next batch.
                    writing = pool.submit(self.build_and_write, batch)
                    if progress is not None:
                        progress(self.counts["read"], self.source.fraction())
                if writing is not None:
                    writing.result()
                    writing = None
            finally:
                if writing is not None:
                    writing.exception()  # let the writer finish before the connection is rolled back
        if _is_cancelled(cancel):
            raise ImportCancelled()
        if self.lead_rules is not None:
            self.lead_rules.save_state(self.session)  # the round-robin pointers, in this transaction
            self.session.flush()
        if progress is not None:
            progress(self.counts["read"], 1.0)

    def _batches(self, size: int) -> Iterator[list[_Row]]:
        rows: list[_Row] = []
        for number, cells in self.source.rows():
            if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells):
                continue
            self.counts["read"] += 1
            rows.append(_Row(number, cells))
            if len(rows) >= size:
                yield rows
                rows = []
        if rows:
            yield rows


def default_errors_path(path: Path) -> Path:
    """Where the rejected rows go unless the caller says: <stem>.errors<suffix> beside the file."""
    return path.with_name(f"{path.stem}.errors{path.suffix or '.csv'}")


def import_file(
    db: Database,
    actor: Actor,
    entity: str,
    path: Path,
    options: ImportOptions | None = None,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> ImportResult:
    """Import `path` (CSV in UTF-8, UTF-8 with BOM or GBK/GB18030, any common delimiter; or .xlsx) as
    `entity` records in one transaction.

    Bad rows are reported (row, column, reason) and written to the errors file; duplicates are skipped,
    merged or imported and flagged as `options.duplicates` says. `cancel` (a threading.Event or a callable
    returning True) is checked between batches: a cancelled import raises ImportCancelled and leaves the
    database exactly as it was. The transaction holds SQLite's write lock until it ends, so other writers
    wait (busy_timeout) while a large file imports.
    """
    started = time.perf_counter()
    options = options or ImportOptions()
    kind = _kind(entity)
    if options.duplicates not in DUPLICATE_MODES:
        raise UserError(_("Unknown duplicate handling {mode}; use skip, merge or new.", mode=options.duplicates))
    order = options.date_order or options.mapping.date_order
    if order is not None and order not in DATE_ORDERS:
        raise UserError(_("Unknown date order {order}; use dmy, mdy or ymd.", order=order))
    path = Path(path)
    errors_path = Path(options.errors_path) if options.errors_path else default_errors_path(path)
    if errors_path.resolve() == path.resolve():
        raise UserError(_("The errors file would overwrite the file being imported."))
    source = _open_source(path)
    errors = _ErrorsFile(source, errors_path)
    try:
        if not any(source.headers):
            raise UserError(_("The file has no header row."))
        plan = plan_columns(kind.name, source.headers, options.mapping)
        if plan.missing_required:
            titles = ", ".join(_title(kind, name) for name in plan.missing_required)
            raise UserError(_("No column for the required fields: {fields}. Map a column to each.", fields=titles))
        with db.engine.connect() as connection:
            raw = connection.connection.driver_connection
            assert isinstance(raw, sqlite3.Connection)
            transaction = connection.begin()
            session = Session(bind=connection, autoflush=False)
            try:
                importer = _Importer(db, actor, kind, source, options, errors, raw, session)
                importer.run(progress, cancel)
                counts = ImportCounts(**importer.counts)
                summary = (f"read {counts.read}, imported {counts.imported}, updated {counts.updated}, skipped "
                           f"{counts.skipped_duplicates}, rejected {counts.rejected} <- {path.name}")
                raw.execute(_AUDIT.insert_sql, importer._audit("import", kind.model.__tablename__, "-",
                                                               source.format, None, summary))
                session.close()
                transaction.commit()
            except BaseException:
                session.close()
                transaction.rollback()
                raise
    except BaseException:
        errors.discard()
        source.close()
        raise
    source.close()
    errors_file = errors.finish()
    return ImportResult(kind.name, path, counts, errors_file, tuple(importer.flagged), tuple(importer.problems),
                        plan.unrecognised, importer.truncated, time.perf_counter() - started)


# --- The benchmark floor ------------------------------------------------------------------------------

_BENCH_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金贾夏韦付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤"
_BENCH_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建文斌宇浩凯健俊帆帅旭宁"
_BENCH_COMPANIES = ("华为技术有限公司", "上海汽车集团", "阿里巴巴（中国）有限公司", "深圳市腾讯计算机系统有限公司",
                    "北京字节跳动科技有限公司", "中国平安保险", "京东集团", "美的集团", "格力电器", "比亚迪股份有限公司")
_BENCH_SOURCES = ("展厅", "来电", "网络", "市场活动", "转介绍", "广告关键词")
_BENCH_PRODUCTS = ("华驰 A3", "华驰 S5", "华驰 E7", "华驰 M8", "华驰 L9")
_BENCH_CITIES = (("上海市", "上海市"), ("江苏省", "南京市"), ("浙江省", "杭州市"), ("广东省", "广州市"),
                 ("广东省", "深圳市"), ("北京市", "北京市"), ("四川省", "成都市"), ("湖北省", "武汉市"))
_BENCH_PREFIXES = ("138", "139", "137", "136", "135", "150", "151", "158", "159", "182", "186", "188", "189")


def write_benchmark_csv(path: Path, rows: int, seed: int = 7) -> None:
    """`rows` realistic leads (Chinese headers, UTF-8 with BOM as Excel saves it), all valid and unique."""
    import random

    rng = random.Random(seed)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["外部编号", "姓名", "性别", "手机", "公司", "来源", "意向车型", "意向购买日期", "省份", "城市",
                         "备注"])
        for index in range(rows):
            given = rng.choice(_BENCH_GIVEN) + (rng.choice(_BENCH_GIVEN) if rng.random() < 0.7 else "")
            province, city = rng.choice(_BENCH_CITIES)
            day = date(2025, 1, 1) + timedelta(days=rng.randrange(365))
            typed = (day.isoformat(), f"{day.year}/{day.month}/{day.day}", f"{day.year}年{day.month}月{day.day}日")
            writer.writerow([
                f"BENCH-{index:07d}", rng.choice(_BENCH_SURNAMES) + given, rng.choice("男女"),
                f"{_BENCH_PREFIXES[index % len(_BENCH_PREFIXES)]}{index:08d}",
                rng.choice(_BENCH_COMPANIES) if rng.random() < 0.3 else "", rng.choice(_BENCH_SOURCES),
                rng.choice(_BENCH_PRODUCTS), rng.choice(typed), province, city,
                "关注续航" if rng.random() < 0.2 else "",
            ])


def _import_peak_mb(csv_path: Path, folder: Path, rows: int) -> float:
    """The Python heap's peak (tracemalloc) importing the first `rows` rows of the file into a scratch
    database: untimed, since tracemalloc slows Python down. It stays flat as the file grows."""
    import tracemalloc

    from crmdesk.models.database import open_database
    from crmdesk.services.users import ensure_local_user

    part = folder / "import-bench-memory.csv"
    with csv_path.open(encoding="utf-8-sig", newline="") as source, part.open("w", encoding="utf-8-sig",
                                                                               newline="") as target:
        for index, line in enumerate(source):
            if index > rows:
                break
            target.write(line)
    path = folder / "import-bench-memory.sqlite3"
    database = open_database(path)
    try:
        actor = ensure_local_user(database)
        tracemalloc.start()
        try:
            import_file(database, actor, "leads", part)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    finally:
        database.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    part.unlink(missing_ok=True)
    return round(peak / 1_000_000, 1)


def benchmark_import(db_path_or_dir: Path | str, rows: int = 100_000, memory_rows: int = 20_000) -> dict[str, Any]:
    """Our import rate against a raw `sqlite3.executemany` of the same rows into the same table, measured
    in the same run: {"import_rows_per_s", "executemany_rows_per_s", "ratio", "rows", "written", "peak_mb"}
    (peak_mb: the Python heap's peak importing `memory_rows` of the rows, see _import_peak_mb).

    Two fresh, migrated databases are made in the directory (or beside the given file): the import runs
    into the first (reading, checking and de-duplicating a CSV of `rows` leads); the rows it wrote are then
    inserted as they are into the second with one executemany, timed from the call to the commit.
    """
    from crmdesk.models.database import open_database
    from crmdesk.services.users import ensure_local_user

    base = Path(db_path_or_dir)
    folder, stem = (base, "import-bench") if base.is_dir() or not base.suffix else (base.parent, base.stem)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {name: folder / f"{stem}-{name}.sqlite3" for name in ("import", "executemany")}
    for path in paths.values():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    csv_path = folder / f"{stem}-leads.csv"
    write_benchmark_csv(csv_path, rows)
    target = open_database(paths["import"])
    try:
        actor = ensure_local_user(target)
        started = time.perf_counter()
        result = import_file(target, actor, "leads", csv_path)
        import_seconds = time.perf_counter() - started
        if result.rejected:
            raise RuntimeError(f"benchmark rows were rejected: {result.problems[:3]}")
        with target.engine.connect() as connection:
            cursor = connection.exec_driver_sql("SELECT * FROM leads")
            columns = [column[0] for column in cursor.cursor.description]
            written = [tuple(row) for row in cursor]
            user_rows = [tuple(row) for row in connection.exec_driver_sql("SELECT * FROM users")]
    finally:
        target.close()
    baseline = open_database(paths["executemany"])
    try:
        raw = baseline.engine.raw_connection()  # the app's connection settings (WAL, synchronous=NORMAL)
        try:
            plain = raw.driver_connection
            assert isinstance(plain, sqlite3.Connection)
            marks = ", ".join("?" * len(user_rows[0]))
            plain.executemany(f"INSERT INTO users VALUES ({marks})", user_rows)
            plain.commit()
            statement = f"INSERT INTO leads ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            started = time.perf_counter()
            plain.executemany(statement, written)
            plain.commit()
            executemany_seconds = time.perf_counter() - started
        finally:
            raw.close()
    finally:
        baseline.close()
    peak_mb = _import_peak_mb(csv_path, folder, min(rows, memory_rows))
    csv_path.unlink(missing_ok=True)
    # Both rates count the rows written (a few generated rows are duplicates the import skips), so the
    # import is charged for the rows it read but only credited for the ones it wrote.
    import_rate = len(written) / import_seconds
    executemany_rate = len(written) / executemany_seconds
    return {"rows": rows, "written": len(written), "import_rows_per_s": round(import_rate, 1),
            "executemany_rows_per_s": round(executemany_rate, 1), "ratio": round(import_rate / executemany_rate, 3),
            "peak_mb": peak_mb}


if __name__ == "__main__":  # python -m crmdesk.services.importer DIR [ROWS]
    import sys

    print(json.dumps(benchmark_import(sys.argv[1] if len(sys.argv) > 1 else os.getcwd(),
                                      int(sys.argv[2]) if len(sys.argv) > 2 else 100_000), indent=2))
