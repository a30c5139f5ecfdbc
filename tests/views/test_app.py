"""The composition root: bundled CJK font, screenshot mode, clear messages for unusable databases."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics, QImage, QPainter, QTextLayout
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from crmdesk import app as app_module
from crmdesk.app import (
    FONT_FAMILY,
    FONT_PATH,
    database_error_message,
    open_database_or_explain,
    register_bundled_font,
)
from crmdesk.models.database import open_database
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.settings import Settings
from crmdesk.views.main_window import MainWindow

CJK = "线索客户商机订单公海"
MISSING = "\U0010fffd\U0010fffc"  # private-use code points no font draws: Qt shows its box for them


def _render(text: str, font: QFont) -> QImage:
    image = QImage(120, 40, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setFont(font)
    painter.setPen(Qt.GlobalColor.black)
    painter.drawText(QPoint(4, 28), text)
    painter.end()
    return image


def _families_drawing(text: str, font: QFont) -> set[str]:
    layout = QTextLayout(text, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    return {run.rawFont().familyName() for run in layout.glyphRuns()}


def _env(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "QT_QPA_PLATFORM"}
    env.update({
        "CRMDESK_SETTINGS": str(tmp_path / "settings.json"),
        "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_CACHE_HOME": str(tmp_path / "cache"),
    })
    return env


def test_the_bundled_font_is_registered_as_the_fallback(app: QApplication) -> None:
    assert FONT_FAMILY in QFontDatabase.families()
    assert QApplication.font().families()[-1] == FONT_FAMILY
    # This machine has no CJK font of its own: whatever draws Chinese is the bundled one.
    registered = {family for family in QFontDatabase.families() if family.startswith("WenQuanYi")}
    system_cjk = set(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)) - registered
    if system_cjk:
        pytest.skip(f"this machine has CJK fonts of its own: {sorted(system_cjk)}")
    assert QFontMetrics(QFont(FONT_FAMILY)).inFontUcs4(ord("线"))


def test_chinese_is_drawn_by_the_bundled_font_not_as_boxes(app: QApplication) -> None:
    font = QApplication.font()
    assert _families_drawing(CJK, font) == {FONT_FAMILY}
    assert all(QFontMetrics(QFont(FONT_FAMILY)).inFontUcs4(ord(char)) for char in CJK)
    boxes = [_render(char, font) for char in MISSING]
    assert boxes[0] == boxes[1]  # two unknown characters look the same: a box
    glyphs = [_render(char, font) for char in "线索"]
    assert glyphs[0] != glyphs[1] and boxes[0] not in glyphs


def test_a_missing_font_file_is_logged_and_the_app_goes_on(app: QApplication, tmp_path: Path,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="crmdesk.app"):
        assert register_bundled_font(tmp_path / "none.ttc") == []
    assert "missing" in caplog.text
    assert FONT_PATH.is_file()


def test_the_main_window_renders_chinese_rows_as_glyphs(app: QApplication, qtbot: QtBot, services: Services,
                                                        actor: Actor, tmp_path: Path,
                                                        book: dict[str, str]) -> None:
    window = MainWindow(services, actor, Settings(tmp_path / "settings.json"))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    shot = tmp_path / "window.png"
    assert window.grab().save(str(shot)) and QImage(str(shot)).size().width() == 1280
    tab_bar = window.tab_widget.tabBar()
    chinese = tab_bar.grab().toImage()
    for index in range(tab_bar.count()):
        tab_bar.setTabText(index, MISSING)
    boxes = tab_bar.grab().toImage()
    assert chinese != boxes  # had Chinese been drawn as boxes, the two pictures would be the same
    cell = window.tabs["lead"].view
    name = cell.model().index(0, 0)
    assert name.data() == "赵磊" and _families_drawing(name.data(), cell.font()) == {FONT_FAMILY}


def test_screenshot_mode_renders_offscreen_and_exits(tmp_path: Path, services: Services, actor: Actor,
                                                     book: dict[str, str]) -> None:
    shot = tmp_path / "shot.png"
    result = subprocess.run(
        [sys.executable, "-m", "crmdesk", "run", "--db", str(services.db.path), "--screenshot", str(shot)],
        env=_env(tmp_path), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1280, 800)
    assert not (tmp_path / "settings.json").exists()  # a screenshot changes no settings


def test_a_damaged_database_is_refused_with_a_message_not_a_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"this is not a database" * 100)
    result = subprocess.run(
        [sys.executable, "-m", "crmdesk", "run", "--db", str(broken), "--screenshot", str(tmp_path / "x.png")],
        env=_env(tmp_path), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2
    assert "已损坏" in result.stderr and str(broken) in result.stderr and "Traceback" not in result.stderr


def test_database_problems_are_explained_in_a_dialog(app: QApplication, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[tuple[str, str]] = []

    def critical(parent: object, title: str, text: str) -> QMessageBox.StandardButton:
        shown.append((title, text))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(app_module.QMessageBox, "critical", critical)
    offered: list[str] = []  # a damaged file is offered its backups or a salvage (tests/views/test_restore_dialog.py)
    monkeypatch.setattr(app_module, "offer_recovery", lambda _path, message: offered.append(message) or False)
    newer = tmp_path / "newer.sqlite3"
    open_database(newer).close()
    with sqlite3.connect(newer) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffff'")
    assert open_database_or_explain(newer, interactive=True) is None
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"garbage" * 500)
    assert open_database_or_explain(broken, interactive=True) is None
    assert [title for title, _text in shown] == ["无法打开数据库"]
    assert "更新版本的 crmdesk" in shown[0][1] and str(newer) in shown[0][1]
    assert len(offered) == 1 and "已损坏" in offered[0] and "backups" in offered[0]
    # A recovery that leaves a file that still cannot be opened is told, and not offered again.
    monkeypatch.setattr(app_module, "offer_recovery", lambda _path, message: offered.append(message) or True)
    assert open_database_or_explain(broken, interactive=True) is None
    assert len(offered) == 2 and len(shown) == 2 and "已损坏" in shown[1][1]
    assert database_error_message(RuntimeError("a bug")) is None
