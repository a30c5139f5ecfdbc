"""The analytics tab (分析, issue 6): the funnel (销售漏斗), the forecast (销售预测) and the KPIs (指标) of the
services in crmdesk.services.analytics, for a period, pipeline and owner, computed off the GUI thread.

pyqtgraph is imported here only, when the page is built (the main window builds it on first show), so the
window's start-up never pays for it. Its axis labels use the application font (the bundled WenQuanYi), so
the Chinese stage names and months are readable.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import current_language
from crmdesk.labels import code_label, code_labels
from crmdesk.services import analytics
from crmdesk.services.analytics import AnalyticsFilter, Forecast, Funnel, Kpis
from crmdesk.services.audit import record_export
from crmdesk.services.errors import UserError
from crmdesk.services.exporter import write_table
from crmdesk.services.leads import LEAD_SOURCES
from crmdesk.services.pipelines import list_pipelines
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.services.users import list_teams, list_users
from crmdesk.settings import Settings
from crmdesk.views.background import BackgroundCaller
from crmdesk.views.errors import show_user_error
from crmdesk.views.formatting import format_count, format_money

ModelIndex = QModelIndex | QPersistentModelIndex
PERIODS = ("month", "quarter", "days90", "year")
# Bar colours: weighted forecast, won, target (the target drawn lighter, behind the others' scale).
COLOURS = {"reached": "#1a73e8", "weighted": "#1a73e8", "won": "#188038", "target": "#f9ab00"}


def period_range(kind: str, today: date) -> tuple[date, date]:
    """The first and last day of the period `kind` (month, quarter, days90, year) around `today`."""
    if kind == "month":
        start = today.replace(day=1)
        end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    elif kind == "quarter":
        start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        following = date(start.year + (start.month + 2) // 12, (start.month + 2) % 12 + 1, 1)
        end = following - timedelta(days=1)
    elif kind == "days90":
        start, end = today - timedelta(days=89), today
    elif kind == "year":
        start, end = date(today.year, 1, 1), date(today.year, 12, 31)
    else:
        raise ValueError(kind)
    return start, end


@dataclass(frozen=True)
class AnalyticsResults:
    """One computation of the sub-tabs, for one filter."""

    filter: AnalyticsFilter
    funnel: Funnel
    forecast: Forecast
    kpis: Kpis
    sources: tuple[analytics.SourceConversion, ...] = ()
    reverse: analytics.ReverseCalculation | None = None  # None: no target to compute from


def compute(services: Services, actor: Actor, flt: AnalyticsFilter,
            target: Decimal | None = None) -> AnalyticsResults:
    """The funnel, forecast, KPIs, conversion by source and the reverse calculation of `flt` (run on the
    thread pool). The reverse calculation starts from `target`, else from the scope's target for the period."""
    db = services.db
    funnel = analytics.funnel(db, actor, flt)
    kpis = analytics.kpis(db, actor, flt, funnel)
    goal = target if target is not None and target > 0 else kpis.target
    reverse = analytics.reverse_calculation(db, actor, goal, flt) if goal > 0 else None
    return AnalyticsResults(flt, funnel, analytics.forecast(db, actor, flt), kpis,
                            analytics.conversion_by_source(db, actor, flt), reverse)


def _rate(value: float | None) -> str:
    return "" if value is None else f"{value:.1%}"


def _days(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


class FiguresTableModel(QAbstractTableModel):
    """A small read-only table of figures: `rows` hold the raw values (exported as they are), `formats`
    turn each column's value into the text shown."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.headers: list[str] = []
        self.rows: list[list[Any]] = []
        self.formats: list[Callable[[Any], str]] = []

    def set_table(self, headers: Sequence[str], rows: Sequence[Sequence[Any]],
                  formats: Sequence[Callable[[Any], str]]) -> None:
        self.beginResetModel()
        self.headers, self.rows, self.formats = list(headers), [list(row) for row in rows], list(formats)
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows) \
                or not 0 <= index.column() < len(self.headers):
            return None
        value = self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.formats[index.column()](value)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.headers):
            return self.headers[section]
        return None


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _count(value: Any) -> str:
    return "" if value is None else format_count(int(value))


def _money(value: Any) -> str:
    return format_money(value)


class AnalyticsPage(QWidget):
    """The 分析 tab: a filter bar and three sub-tabs (funnel, forecast, KPIs), each a chart and/or a table."""

    status_changed = Signal()
    computed = Signal()  # a computation's results are on screen (tests wait for it)

    def __init__(self, services: Services, actor: Actor, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        import pyqtgraph as pg  # lazily: only this page draws charts

        self.pg = pg
        self.setObjectName("analyticsPage")
        self.services, self.actor, self.settings = services, actor, settings
        self.results: AnalyticsResults | None = None
        self._ticket = 0
        self._caller = BackgroundCaller()
        self._caller.finished.connect(self._on_computed)
        self._just_built = True

        # ---- the filter bar ----
        bar = QHBoxLayout()
        self.period_combo = QComboBox(self)
        self.period_combo.setObjectName("periodCombo")
        for key, title in zip(PERIODS, (self.tr("This month"), self.tr("This quarter"), self.tr("Last 90 days"),
                                        self.tr("This year")), strict=True):
            self.period_combo.addItem(title, key)
        self.pipeline_combo = QComboBox(self)
        self.pipeline_combo.setObjectName("pipelineCombo")
        self.pipeline_combo.addItem(self.tr("All"), None)
        name_key = "name_en" if current_language() == "en" else "name_zh"
        for pipeline in list_pipelines(services.db, actor):
            self.pipeline_combo.addItem(str(pipeline[name_key]), pipeline["code"])
        self.owner_combo = QComboBox(self)
        self.owner_combo.setObjectName("ownerCombo")
        self.owner_combo.addItem(self.tr("All"), None)
        for user in list_users(services.db, actor):
            self.owner_combo.addItem(str(user["display_name"]), user.id)
        self.team_combo = QComboBox(self)
        self.team_combo.setObjectName("teamCombo")
        self.team_combo.addItem(self.tr("All"), None)
        for team in list_teams(services.db, actor):
            self.team_combo.addItem(str(team["name"]), team.id)
        self.source_combo = QComboBox(self)
        self.source_combo.setObjectName("sourceCombo")
        self.source_combo.addItem(self.tr("All"), None)
        for code, label in code_labels("lead", "source", LEAD_SOURCES):
            self.source_combo.addItem(label, code)
        self.product_edit = QLineEdit(self)
        self.product_edit.setObjectName("productEdit")
        self.product_edit.setPlaceholderText(self.tr("Any product"))
        self.product_edit.setClearButtonEnabled(True)
        self.product_edit.setMaximumWidth(140)
        self.product_edit.editingFinished.connect(self._product_changed)
        self._product = ""
        self.project_check = QCheckBox(self.tr("Include project deals"), self)
        self.project_check.setObjectName("projectCheck")
        self.project_check.setChecked(True)
        for label, widget in ((self.tr("Period:"), self.period_combo), (self.tr("Pipeline:"), self.pipeline_combo),
                              (self.tr("Team:"), self.team_combo), (self.tr("Owner:"), self.owner_combo),
                              (self.tr("Source:"), self.source_combo), (self.tr("Product:"), self.product_edit)):
            bar.addWidget(QLabel(label, self))
            bar.addWidget(widget)
        bar.addWidget(self.project_check)
        bar.addStretch(1)
        # a second row: the period's dates, the status and the buttons
        second = QHBoxLayout()
        self.range_label = QLabel(self)
        self.range_label.setObjectName("rangeLabel")
        self.range_label.setStyleSheet("color: #555;")
        second.addWidget(self.range_label)
        second.addStretch(1)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("analyticsStatus")
        self.status_label.setStyleSheet("color: #555;")
        second.addWidget(self.status_label)
        self.chart_button = QPushButton(self.tr("Export chart…"), self)
        self.chart_button.setObjectName("exportChartButton")
        self.chart_button.clicked.connect(lambda: self.export_chart())
        self.table_button = QPushButton(self.tr("Export table…"), self)
        self.table_button.setObjectName("exportTableButton")
        self.table_button.clicked.connect(lambda: self.export_table())
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.setObjectName("refreshButton")
        self.refresh_button.clicked.connect(self.refresh)
        for button in (self.chart_button, self.table_button, self.refresh_button):
            second.addWidget(button)
        for combo in (self.period_combo, self.pipeline_combo, self.team_combo, self.owner_combo, self.source_combo):
            combo.currentIndexChanged.connect(lambda _index: self.refresh())
        self.project_check.toggled.connect(lambda _checked: self.refresh())

        # ---- the sub-tabs ----
        self.sub_tabs = QTabWidget(self)
        self.sub_tabs.setObjectName("analyticsTabs")
        self.funnel_chart = self._plot("funnelChart")
        self.funnel_model = FiguresTableModel(self)
        self.funnel_view = self._view("funnelView", self.funnel_model)
        self.sub_tabs.addTab(self._split(self.funnel_chart, self.funnel_view), self.tr("Sales funnel"))
        self.forecast_chart = self._plot("forecastChart")
        self.forecast_chart.addLegend(offset=(-10, 6), labelTextSize="10pt", labelTextColor="#222", colCount=3,
                                      brush=self.pg.mkBrush(255, 255, 255, 230), pen=self.pg.mkPen("#ccc"))
        self.forecast_model = FiguresTableModel(self)
        self.forecast_view = self._view("forecastView", self.forecast_model)
        self.sub_tabs.addTab(self._split(self.forecast_chart, self.forecast_view), self.tr("Sales forecast"))
        self.kpi_labels: dict[str, QLabel] = {}
        self.leaderboard_model = FiguresTableModel(self)
        self.leaderboard_view = self._view("leaderboardView", self.leaderboard_model)
        self.sub_tabs.addTab(self._kpi_tab(), self.tr("KPIs"))
        self.source_chart = self._plot("sourceChart")
        self.source_chart.addLegend(offset=(-10, 6), labelTextSize="10pt", labelTextColor="#222", colCount=2,
                                    brush=self.pg.mkBrush(255, 255, 255, 230), pen=self.pg.mkPen("#ccc"))
        self.source_model = FiguresTableModel(self)
        self.source_view = self._view("sourceView", self.source_model)
        self.sub_tabs.addTab(self._split(self.source_chart, self.source_view), self.tr("Conversion by source"))
        self.reverse_model = FiguresTableModel(self)
        self.reverse_view = self._view("reverseView", self.reverse_model)
        self.sub_tabs.addTab(self._reverse_tab(), self.tr("Reverse calculation"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addLayout(second)
        layout.addWidget(self.sub_tabs, 1)
        self.refresh()

    # ---- building ------------------------------------------------------------------------
    def _plot(self, name: str) -> Any:
        plot = self.pg.PlotWidget(self, background="w")
        plot.setObjectName(name)
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        plot.hideButtons()
        plot.showGrid(x=True, y=True, alpha=0.15)
        font = QApplication.font()
        for side in ("left", "bottom"):
            axis = plot.getAxis(side)
            axis.setTickFont(font)
            axis.setPen(self.pg.mkPen("#666"))
            axis.setTextPen(self.pg.mkPen("#222"))
        plot.setMinimumHeight(220)
        return plot

    def _view(self, name: str, model: FiguresTableModel) -> QTableView:
        view = QTableView(self)
        view.setObjectName(name)
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
        view.setWordWrap(False)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setHighlightSections(False)
        return view

    def _split(self, chart: QWidget, table: QTableView) -> QWidget:
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(chart)
        splitter.addWidget(table)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([480, 320])
        splitter.setChildrenCollapsible(False)
        return splitter

    def _kpi_tab(self) -> QWidget:
        tab = QWidget(self)
        box = QGroupBox(self.tr("Key figures"), tab)
        grid = QGridLayout(box)
        titles = (("win_rate", self.tr("Win rate")), ("avg_cycle", self.tr("Average sales cycle (days)")),
                  ("median_cycle", self.tr("Median sales cycle (days)")), ("avg_deal", self.tr("Average deal size")),
                  ("won", self.tr("Won")), ("target", self.tr("Target achievement")),
                  ("repeat", self.tr("Repeat purchase rate")), ("closed", self.tr("Won / lost deals")))
        for number, (key, title) in enumerate(titles):
            row, column = divmod(number, 2)
            caption = QLabel(title, box)
            caption.setStyleSheet("color: #555;")
            value = QLabel(box)
            value.setObjectName(f"kpi_{key}")
            value.setStyleSheet("font-size: 16pt; font-weight: bold;")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(caption, row, column * 2)
            grid.addWidget(value, row, column * 2 + 1)
            self.kpi_labels[key] = value
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        board_title = QLabel(self.tr("Leaderboard"), tab)
        board_title.setStyleSheet("font-weight: bold;")
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(box)
        layout.addWidget(board_title)
        layout.addWidget(self.leaderboard_view, 1)
        return tab

    def _reverse_tab(self) -> QWidget:
        tab = QWidget(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Target amount:"), tab))
        self.target_edit = QLineEdit(tab)
        self.target_edit.setObjectName("targetEdit")
        self.target_edit.setPlaceholderText(self.tr("the period's target"))
        self.target_edit.setMaximumWidth(180)
        self.target_edit.returnPressed.connect(self.refresh)
        row.addWidget(self.target_edit)
        button = QPushButton(self.tr("Calculate"), tab)
        button.setObjectName("reverseButton")
        button.clicked.connect(self.refresh)
        row.addWidget(button)
        row.addStretch(1)
        self.reverse_summary = QLabel(tab)
        self.reverse_summary.setObjectName("reverseSummary")
        self.reverse_summary.setWordWrap(True)
        self.reverse_summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.reverse_summary)
        layout.addWidget(self.reverse_view, 1)
        return tab

    def _product_changed(self) -> None:
        if self.product_edit.text().strip() != self._product:
            self._product = self.product_edit.text().strip()
            self.refresh()

    def target_amount(self) -> Decimal | None:
        """The typed target (yuan, thousands separators allowed), None when empty; a bad one is refused."""
        text = self.target_edit.text().strip().replace(",", "").replace("，", "").replace("¥", "")
        if not text:
            return None
        try:
            value = Decimal(text)
        except ArithmeticError:
            value = Decimal(-1)
        if not value.is_finite() or value <= 0:
            raise UserError(self.tr("The target is an amount in yuan above 0, e.g. 5000000."))
        return value

    # ---- reading -------------------------------------------------------------------------
    def current_filter(self, today: date | None = None) -> AnalyticsFilter:
        start, end = period_range(str(self.period_combo.currentData()), today or date.today())
        pipeline = self.pipeline_combo.currentData()
        owner = self.owner_combo.currentData()
        team = self.team_combo.currentData()
        source = self.source_combo.currentData()
        return AnalyticsFilter(date_from=start, date_to=end, owner_id=str(owner) if owner else None,
                               team_id=str(team) if team else None, pipeline_code=str(pipeline) if pipeline else None,
                               source=str(source) if source else None, product=self._product or None,
                               include_project=self.project_check.isChecked())

    def set_owner(self, owner_id: str | None) -> None:
        self.owner_combo.setCurrentIndex(max(self.owner_combo.findData(owner_id), 0))

    def activate(self) -> None:
        """In front again: compute again, unless the page was only just built (and computing)."""
        if self._just_built:
            self._just_built = False
            return
        self.refresh()

    def refresh(self) -> None:
        """Compute the three results for the filter on the thread pool; older computations are dropped."""
        flt = self.current_filter()
        try:
            target = self.target_amount()
        except UserError as error:
            show_user_error(self, error)  # the typed text stays for correcting
            return
        self.range_label.setText(f"{flt.date_from:%Y-%m-%d} – {flt.date_to:%Y-%m-%d}")
        self.status_label.setText(self.tr("Computing…"))
        services, actor = self.services, self.actor
        self._ticket = self._caller.start(lambda: compute(services, actor, flt, target))
        self.status_changed.emit()

    def is_computing(self) -> bool:
        return self.status_label.text() == self.tr("Computing…")

    def status_text(self) -> str:
        if self.results is None:
            return self.tr("Computing…")
        funnel = self.results.funnel
        return self.tr("{count} deals in the funnel, {amount}").format(
            count=format_count(funnel.total_count), amount=format_money(funnel.total_amount))

    def _on_computed(self, ticket: int, result: AnalyticsResults | None, error: BaseException | None) -> None:
        if ticket != self._ticket:
            return  # a newer filter is being computed
        self.status_label.setText("")
        if error is not None:
            if isinstance(error, UserError):
                show_user_error(self, error)
                return
            raise error
        assert result is not None
        self.show_results(result)

    def show_results(self, results: AnalyticsResults) -> None:
        self.results = results
        self._show_funnel(results.funnel)
        self._show_forecast(results.forecast)
        self._show_kpis(results.kpis)
        self._show_sources(results.sources)
        self._show_reverse(results.reverse)
        self.status_changed.emit()
        self.computed.emit()

    # ---- the funnel ----------------------------------------------------------------------
    def stage_name(self, stage: analytics.FunnelStage) -> str:
        return stage.name_en if current_language() == "en" else stage.name_zh

    def _show_funnel(self, funnel: Funnel) -> None:
        previous = {stage.code: stage for stage in funnel.previous.stages} if funnel.previous else {}
        rows = []
        for stage in funnel.stages:
            before = previous.get(stage.code)
            rows.append([self.stage_name(stage), stage.count, stage.amount, stage.reached,
                         stage.conversion_to_next, stage.ideal_ratio,
                         before.reached if before is not None else None])
        self.funnel_model.set_table(
            [self.tr("Stage"), self.tr("Deals now"), self.tr("Amount"), self.tr("Reached"),
             self.tr("Conversion to next"), self.tr("Ideal ratio"), self.tr("Previous period (reached)")],
            rows, [_text, _count, _money, _count, _rate, _rate, _count])
        self.funnel_view.resizeColumnsToContents()

        plot = self.funnel_chart
        plot.clear()
        count = len(funnel.stages)
        reached = [stage.reached for stage in funnel.stages]
        # The first stage at the top: stage i is drawn at y = count - 1 - i.
        ys = [count - 1 - i for i in range(count)]
        if count:
            plot.addItem(self.pg.BarGraphItem(x0=[0] * count, y=ys, width=reached, height=0.6,
                                              brush=COLOURS["reached"], pen=self.pg.mkPen(None)))
            for y, value in zip(ys, reached, strict=True):
                label = self.pg.TextItem(format_count(value), color="#222", anchor=(0, 0.5))
                label.setFont(QApplication.font())
                label.setPos(value, y)
                plot.addItem(label)
        plot.getAxis("left").setTicks([[(y, self.stage_name(stage)) for y, stage in zip(ys, funnel.stages,
                                                                                        strict=True)]])
        plot.getAxis("bottom").setTicks(None)
        if max(reached, default=0) <= 10:  # whole deals: no 0.5 ticks on a small book
            plot.getAxis("bottom").setTickSpacing(1, 1)
        else:
            plot.getAxis("bottom").setTickSpacing()
        plot.setTitle(self.tr("Deals reached per stage"), color="#222", size="11pt")
        plot.getAxis("bottom").setLabel(self.tr("Deals"))
        plot.setYRange(-0.6, max(count - 0.4, 0.6), padding=0)
        plot.setXRange(0, max([*reached, 1]) * 1.15, padding=0)

    def funnel_bar_count(self) -> int:
        """How many bars the funnel chart draws (one per stage)."""
        bars = [item for item in self.funnel_chart.getPlotItem().items if isinstance(item, self.pg.BarGraphItem)]
        return sum(len(bar.opts["y"]) for bar in bars)

    # ---- the forecast --------------------------------------------------------------------
    def _show_forecast(self, forecast: Forecast) -> None:
        months = list(forecast.months)
        rows: list[list[Any]] = [[f"{m.period_start:%Y-%m}", m.weighted, m.won, m.commit, m.best_case,
                                  m.pipeline, m.target, m.gap] for m in months]
        if forecast.totals is not None:
            t = forecast.totals
            rows.append([self.tr("Total"), t.weighted, t.won, t.commit, t.best_case, t.pipeline, t.target, t.gap])
        self.forecast_model.set_table(
            [self.tr("Month"), self.tr("Weighted"), self.tr("Won"), self.tr("Commit"), self.tr("Best case"),
             self.tr("Pipeline"), self.tr("Target"), self.tr("Gap")],
            rows, [_text, _money, _money, _money, _money, _money, _money, _money])
        self.forecast_view.resizeColumnsToContents()

        plot = self.forecast_chart
        plot.clear()
        width = 0.26
        series = (("weighted", self.tr("Weighted"), -width), ("won", self.tr("Won"), 0.0),
                  ("target", self.tr("Target"), width))
        top = Decimal(1)
        for key, title, offset in series:
            values = [float(getattr(m, key)) / 10_000 for m in months]  # 万元
            top = max(top, Decimal(max(values, default=0)))
            if months:
                plot.addItem(self.pg.BarGraphItem(x=[i + offset for i in range(len(months))], height=values,
                                                  width=width, brush=COLOURS[key], pen=self.pg.mkPen(None),
                                                  name=title))
        plot.getAxis("bottom").setTicks([[(i, f"{m.period_start:%Y-%m}") for i, m in enumerate(months)]])
        plot.getAxis("left").setTicks(None)
        plot.getAxis("left").setLabel(self.tr("10,000 yuan"))
        plot.setTitle(self.tr("Forecast by expected close month"), color="#222", size="11pt")
        plot.setXRange(-0.6, max(len(months) - 0.4, 0.6), padding=0)
        plot.setYRange(0, float(top) * 1.3, padding=0)  # room for the legend

    def forecast_bar_count(self) -> int:
        bars = [item for item in self.forecast_chart.getPlotItem().items if isinstance(item, self.pg.BarGraphItem)]
        return sum(len(bar.opts["x"]) for bar in bars)

    # ---- the KPIs ------------------------------------------------------------------------
    def _show_kpis(self, kpis: Kpis) -> None:
        values = {
            "win_rate": _rate(kpis.win_rate) or "—",
            "avg_cycle": _days(kpis.avg_cycle_days) or "—",
            "median_cycle": _days(kpis.median_cycle_days) or "—",
            "avg_deal": format_money(kpis.avg_deal_size) or "—",
            "won": format_money(kpis.won_amount),
            "target": (_rate(kpis.target_achievement) or "—") + (
                f"  ({format_money(kpis.target)})" if kpis.target else ""),
            "repeat": _rate(kpis.repeat_purchase_rate) or "—",
            "closed": f"{format_count(kpis.won_count)} / {format_count(kpis.lost_count)}",
        }
        for key, text in values.items():
            self.kpi_labels[key].setText(text)
        self.leaderboard_model.set_table(
            [self.tr("Owner"), self.tr("Won amount"), self.tr("Won"), self.tr("Lost"), self.tr("Win rate")],
            [[row.owner, row.won_amount, row.won_count, row.lost_count, row.win_rate] for row in kpis.leaderboard],
            [_text, _money, _count, _count, _rate])
        self.leaderboard_view.resizeColumnsToContents()

    # ---- conversion by source ------------------------------------------------------------
    def _show_sources(self, sources: Sequence[analytics.SourceConversion]) -> None:
        self.source_model.set_table(
            [self.tr("Source"), self.tr("Leads"), self.tr("Deals"), self.tr("Won"), self.tr("Lead → deal"),
             self.tr("Deal → won"), self.tr("Lead → won")],
            [[code_label("lead", "source", row.source), row.leads, row.opportunities, row.won,
              row.lead_to_opportunity, row.opportunity_to_won, row.lead_to_won] for row in sources],
            [_text, _count, _count, _count, _rate, _rate, _rate])
        self.source_view.resizeColumnsToContents()
        plot = self.source_chart
        plot.clear()
        width = 0.36
        for key, title, offset, colour in (("lead_to_opportunity", self.tr("Lead → deal"), -width / 2, "#1a73e8"),
                                           ("lead_to_won", self.tr("Lead → won"), width / 2, "#188038")):
            values = [100 * (getattr(row, key) or 0.0) for row in sources]
            if sources:
                plot.addItem(self.pg.BarGraphItem(x=[i + offset for i in range(len(sources))], height=values,
                                                  width=width, brush=colour, pen=self.pg.mkPen(None), name=title))
        plot.getAxis("bottom").setTicks([[(i, code_label("lead", "source", row.source))
                                          for i, row in enumerate(sources)]])
        plot.getAxis("left").setLabel(self.tr("% of the leads"))
        plot.setTitle(self.tr("Conversion of the period's leads by source"), color="#222", size="11pt")
        plot.setXRange(-0.6, max(len(sources) - 0.4, 0.6), padding=0)
        top = max([100 * (row.lead_to_opportunity or 0.0) for row in sources] + [10.0])
        plot.setYRange(0, min(top * 1.3, 130), padding=0)

    def source_bar_count(self) -> int:
        bars = [item for item in self.source_chart.getPlotItem().items if isinstance(item, self.pg.BarGraphItem)]
        return sum(len(bar.opts["x"]) for bar in bars)

    # ---- the reverse calculation ---------------------------------------------------------
    def _show_reverse(self, reverse: analytics.ReverseCalculation | None) -> None:
        if reverse is None:
            self.reverse_summary.setText(self.tr(
                "No target for this period and scope: type a target amount, or set targets (crmdesk targets set)."))
            self.reverse_model.set_table([], [], [])
            return
        self.reverse_summary.setText(self.tr(
            "Target {target}; average won deal {size}; lead → deal {lead}, deal → proposal {proposal}, "
            "proposal → won {won}.").format(
                target=format_money(reverse.target_amount), size=format_money(reverse.avg_deal_size) or "—",
                lead=_rate(reverse.lead_to_opportunity) or "—", proposal=_rate(reverse.opportunity_to_proposal) or "—",
                won=_rate(reverse.proposal_to_won) or "—")
            + "".join(f"\n{note}" for note in reverse.notes))
        self.reverse_model.set_table(
            [self.tr("Step"), self.tr("Needed"), self.tr("In the pipeline now"), self.tr("Shortfall")],
            [[self.tr("Won deals"), reverse.won_needed, None, None],
             [self.tr("Proposals"), reverse.proposals_needed, reverse.proposals_open, reverse.proposals_shortfall],
             [self.tr("Deals"), reverse.opportunities_needed, reverse.opportunities_open,
              reverse.opportunities_shortfall],
             [self.tr("Leads"), reverse.leads_needed, reverse.leads_open, reverse.leads_shortfall]],
            [_text, _count, _count, _count])
        self.reverse_view.resizeColumnsToContents()

    # ---- export --------------------------------------------------------------------------
    def current_chart(self) -> QWidget | None:
        return {0: self.funnel_chart, 1: self.forecast_chart, 3: self.source_chart}.get(self.sub_tabs.currentIndex())

    def current_table(self) -> FiguresTableModel:
        return (self.funnel_model, self.forecast_model, self.leaderboard_model, self.source_model,
                self.reverse_model)[self.sub_tabs.currentIndex()]

    def export_chart(self, path: str | None = None) -> Path | None:
        """Save the chart of the current sub-tab (the whole KPI tab on 指标) as a PNG image."""
        widget = self.current_chart() or self.sub_tabs.currentWidget()
        if path is None:
            path, _chosen = QFileDialog.getSaveFileName(self, self.tr("Export chart"),
                                                        f"analytics-{date.today():%Y%m%d}.png",
                                                        self.tr("PNG image (*.png)"))
            if not path:
                return None
        target = Path(path)
        if target.suffix.lower() != ".png":
            target = target.with_suffix(".png")
        if not widget.grab().save(str(target), "PNG"):
            show_user_error(self, UserError(self.tr("Cannot write {path}").format(path=target)))
            return None
        self.status_label.setText(self.tr("Chart saved to {path}").format(path=target))
        return target

    def export_table(self, path: str | None = None) -> Path | None:
        """Save the table of the current sub-tab as CSV or xlsx (by the file's suffix; xlsx otherwise)."""
        model = self.current_table()
        if path is None:
            path, _chosen = QFileDialog.getSaveFileName(self, self.tr("Export table"),
                                                        f"analytics-{date.today():%Y%m%d}.xlsx",
                                                        self.tr("Excel (*.xlsx);;CSV (*.csv)"))
            if not path:
                return None
        target = Path(path)
        if target.suffix.lower() not in (".csv", ".xlsx"):
            target = target.with_suffix(".xlsx")
        fmt = "csv" if target.suffix.lower() == ".csv" else "xlsx"
        try:
            count = write_table(target, model.headers, model.rows, fmt=fmt)
            record_export(self.services.db, self.actor, "analytics", count, target)
        except UserError as error:
            show_user_error(self, error)
            return None
        except OSError as error:
            show_user_error(self, UserError(self.tr("Cannot write {path}: {detail}").format(
                path=target, detail=error.strerror or error)))
            return None
        self.status_label.setText(self.tr("Table saved to {path}").format(path=target))
        return target


__all__ = ["AnalyticsPage", "AnalyticsResults", "FiguresTableModel", "compute", "period_range"]
