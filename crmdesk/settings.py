"""User settings: each declared once with its type and default, kept as versioned JSON in the user config dir."""

from __future__ import annotations

import base64
import binascii
import copy
import json
import logging
import os
import shutil
import tempfile
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar, overload

log = logging.getLogger(__name__)

T = TypeVar("T")

SETTINGS_VERSION = 2
"""The layout `save()` writes. Raise it with every change to the file's shape, and add an upgrade step."""

SETTINGS_PATH_ENV = "CRMDESK_SETTINGS"
"""An environment variable naming another settings file (tests, portable installs)."""

Language = Literal["zh_CN", "en"]
LANGUAGES: tuple[Language, ...] = typing.get_args(Language)


def default_settings_path() -> Path:
    override = os.environ.get(SETTINGS_PATH_ENV)
    if override:
        return Path(override)
    from platformdirs import user_config_path

    return user_config_path("crmdesk", appauthor=False) / "settings.json"


def conforms(value: Any, kind: Any) -> bool:
    """Whether a value read from JSON has the declared type (str, int, float, bool, None, Literal,
    unions, list[X] and dict[str, X], nested)."""
    if kind is Any:
        return True
    if kind is None or kind is type(None):
        return value is None
    origin = typing.get_origin(kind)
    args = typing.get_args(kind)
    if origin is Literal:
        return any(value == choice and type(value) is type(choice) for choice in args)
    if origin is typing.Union or origin is types.UnionType:
        return any(conforms(value, arg) for arg in args)
    if origin is list:
        return isinstance(value, list) and all(conforms(item, args[0]) for item in value)
    if origin is dict:
        return isinstance(value, dict) and all(
            conforms(key, args[0]) and conforms(item, args[1]) for key, item in value.items()
        )
    if kind is bool:
        return isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind is str:
        return isinstance(value, str)
    raise TypeError(f"settings cannot hold values of type {kind!r}")


class Setting(Generic[T]):
    """One declared setting: its JSON type, its default and an optional check of the value's range.

    Read on a `Settings` object it gives the value; assigning checks the type (a wrong type there is a
    bug in the caller, so it raises).
    """

    def __init__(self, kind: Any, default: T, description: str,
                 check: Callable[[T], bool] | None = None) -> None:
        if not conforms(default, kind) or (check is not None and not check(default)):
            raise TypeError(f"default {default!r} does not fit {kind!r}")
        self.kind = kind
        self.default = default
        self.description = description
        self.check = check
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def accepts(self, value: Any) -> bool:
        return conforms(value, self.kind) and (self.check is None or self.check(value))

    def fresh_default(self) -> T:
        # Defaults may be dicts or lists the caller then fills in: never hand out the shared one.
        return copy.deepcopy(self.default)

    @overload
    def __get__(self, instance: None, owner: type) -> Setting[T]: ...

    @overload
    def __get__(self, instance: Settings, owner: type) -> T: ...

    def __get__(self, instance: Settings | None, owner: type) -> Setting[T] | T:
        if instance is None:
            return self
        value: T = instance._values[self.name]
        return value

    def __set__(self, instance: Settings, value: T) -> None:
        if not self.accepts(value):
            raise TypeError(f"setting {self.name}: {value!r} is not a valid {self.kind!r}")
        instance._values[self.name] = copy.deepcopy(value)


def _upgrade_1_to_2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 kept one flat key per table ("leads.columns": [...], "leads.widths": {...});
    version 2 nests them in `visible_columns` and `column_widths`, keyed by table."""
    upgraded: dict[str, Any] = {}
    visible: dict[str, Any] = {}
    widths: dict[str, Any] = {}
    for key, value in data.items():
        table, dot, field = key.rpartition(".")
        if dot and field == "columns":
            visible[table] = value
        elif dot and field == "widths":
            widths[table] = value
        else:
            upgraded[key] = value
    if visible:
        upgraded["visible_columns"] = visible
    if widths:
        upgraded["column_widths"] = widths
    upgraded["version"] = 2
    return upgraded


UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: _upgrade_1_to_2,
}
"""UPGRADES[n] turns a version-n file's dict into a version n+1 one. Never edit a step once released."""


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """Run the numbered steps from the file's version up to SETTINGS_VERSION."""
    version = data.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        log.warning("settings: version %r is not a version number; reading the file as version 1", version)
        version = 1
    if version > SETTINGS_VERSION:
        log.warning("settings: the file is version %d, written by a newer crmdesk (this one writes %d); "
                    "keeping the settings this version knows", version, SETTINGS_VERSION)
        return data
    while version < SETTINGS_VERSION:
        data = UPGRADES[version](data)
        version += 1
        data["version"] = version
        log.info("settings: upgraded the file to version %d", version)
    return data


def _is_base64(text: str) -> bool:
    try:
        base64.b64decode(text, validate=True)
    except binascii.Error:
        return False
    return True


class Settings:
    """The user's preferences. `Settings.load()` reads them (with defaults for what is missing),
    attributes give typed values, `save()` writes them back atomically."""

    language: Setting[Language] = Setting(
        Language, "zh_CN", "The language of the window, messages and PDFs.")
    visible_columns: Setting[dict[str, list[str]]] = Setting(
        dict[str, list[str]], {}, "Per table (leads, customers, ...): the columns shown, in order; "
        "a table missing here shows its default columns.")
    column_widths: Setting[dict[str, dict[str, int]]] = Setting(
        dict[str, dict[str, int]], {}, "Per table: column name -> width in pixels.",
        check=lambda tables: all(0 < width <= 10_000 for widths in tables.values() for width in widths.values()))
    sort_columns: Setting[dict[str, str]] = Setting(
        dict[str, str], {}, "Per table: the column the list is sorted by.")
    sort_descending: Setting[dict[str, bool]] = Setting(
        dict[str, bool], {}, "Per table: whether that sort is descending.")
    window_geometry: Setting[str] = Setting(
        str, "", "The main window's geometry (QWidget.saveGeometry) as base64; empty: the default place.",
        check=_is_base64)
    window_state: Setting[str] = Setting(
        str, "", "The main window's toolbars and docks (QMainWindow.saveState) as base64.", check=_is_base64)
    last_tab: Setting[str] = Setting(str, "lead", "The tab the window opens on.")
    last_database_path: Setting[str | None] = Setting(
        str | None, None, "The database file opened last; None: the default one in the user data dir.")
    recent_database_paths: Setting[list[str]] = Setting(
        list[str], [], "Database files opened before, newest first.", check=lambda paths: len(paths) <= 20)
    last_username: Setting[str | None] = Setting(str | None, None, "The user who signed in last.")
    page_size: Setting[int] = Setting(
        int, 200, "Rows fetched per page by the list tabs.", check=lambda size: 10 <= size <= 10_000)
    hub_url: Setting[str | None] = Setting(str | None, None, "The team hub to sync with; None: not set up.")
    auto_backup_days: Setting[int] = Setting(
        int, 7, "Backup copies of the database to keep, one per day; 0: no automatic backup.",
        check=lambda days: 0 <= days <= 365)
    show_reminders: Setting[bool] = Setting(bool, True, "Pop up due follow-ups while the window is open.")

    def __init__(self, path: Path, values: dict[str, Any] | None = None) -> None:
        self.path = path
        self._values: dict[str, Any] = {name: setting.fresh_default() for name, setting in self.declared().items()}
        for name, value in (values or {}).items():
            if name not in self._values:
                raise TypeError(f"no setting named {name!r}")
            setattr(self, name, value)

    @classmethod
    def declared(cls) -> dict[str, Setting[Any]]:
        """Every declared setting by name, in declaration order."""
        found: dict[str, Setting[Any]] = {}
        for klass in reversed(cls.__mro__):
            for name, attribute in vars(klass).items():
                if isinstance(attribute, Setting):
                    found[name] = attribute
        return found

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        """Read the file (missing or unreadable: all defaults), upgrade it, keep what is valid."""
        path = path if path is not None else default_settings_path()
        settings = cls(path)
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return settings
        except OSError as error:
            log.error("settings: cannot read %s (%s); using the defaults", path, error)
            return settings
        try:
            data = json.loads(raw)
        except ValueError as error:
            data = error
        if not isinstance(data, dict):
            log.error("settings: %s is not a settings file (%s); using the defaults and keeping it as %s",
                      path, data if isinstance(data, ValueError) else f"top level is {type(data).__name__}",
                      settings._keep_broken_copy())
            return settings
        data = upgrade(data)
        declared = cls.declared()
        for name, value in data.items():
            if name == "version":
                continue
            setting = declared.get(name)
            if setting is None:
                log.info("settings: dropping unknown setting %r", name)
            elif setting.accepts(value):
                settings._values[name] = value
            else:
                log.warning("settings: %s = %r is not a valid %r; using the default %r",
                            name, value, setting.kind, setting.default)
        return settings

    def _keep_broken_copy(self) -> Path:
        """Copy an unreadable file aside, so the next save does not destroy what a user might recover."""
        target = self.path.with_name(self.path.name + ".broken")
        try:
            shutil.copyfile(self.path, target)
        except OSError as error:
            log.error("settings: cannot copy %s to %s (%s)", self.path, target, error)
        return target

    def to_dict(self) -> dict[str, Any]:
        return {"version": SETTINGS_VERSION, **copy.deepcopy(self._values)}

    def reset(self, name: str) -> None:
        """Put one setting back to its default."""
        self._values[name] = self.declared()[name].fresh_default()

    def save(self) -> None:
        """Write the file atomically: a temporary file beside it, flushed, then renamed over it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        handle, temporary = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
