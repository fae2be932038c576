"""统计分析员: monthly city-operations reports whose every figure is a kept, rerunnable query; SVG charts."""

from agents.stats.chart import bar_chart
from agents.stats.report import FigureBook, build_report, month_span

__all__ = ["FigureBook", "bar_chart", "build_report", "month_span"]
