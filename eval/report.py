"""report.html: one self-contained page (no CDN) — overall score, domain × sector heatmap, capability bars
(inline SVG), a scenario table sortable by score, and a failures drill-down with input/expected/output."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from eval.catalog import load_taxonomy

_CSS = """body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;margin:24px;color:#222}
h1{font-size:22px}h2{font-size:18px;margin-top:28px}table{border-collapse:collapse;font-size:13px}
td,th{border:1px solid #ddd;padding:4px 8px}th{background:#f4f4f4;cursor:pointer}
.pass{color:#137333}.fail{color:#b3261e}.nr{color:#888}details{margin:6px 0}
pre{white-space:pre-wrap;background:#fafafa;border:1px solid #eee;padding:6px;font-size:12px}
.big{font-size:36px;font-weight:bold}"""
_JS = """document.querySelectorAll('th[data-k]').forEach(function(th){th.onclick=function(){
var t=th.closest('table'),b=t.tBodies[0],i=th.cellIndex,d=th.dataset.d=th.dataset.d==='1'?'-1':'1';
Array.from(b.rows).sort(function(x,y){var a=x.cells[i].dataset.v||x.cells[i].textContent,
c=y.cells[i].dataset.v||y.cells[i].textContent,n=parseFloat(a),m=parseFloat(c);
if(!isNaN(n)&&!isNaN(m))return (n-m)*d;return a.localeCompare(c)*d;}).forEach(function(r){b.appendChild(r)});};});"""


def _e(value: Any) -> str:
    return html.escape(str(value))


def _colour(score: float | None) -> str:
    if score is None:
        return "#eeeeee"
    # Scores below 0.5 are all failing; spend the colour range on 0.5–1 where releases are decided.
    t = min(1.0, max(0.0, (score - 0.5) / 0.5))
    red, green = int(220 * (1 - t)) + 30, int(180 * t) + 40
    return f"rgb({red},{green},80)"


def _taxonomy_order() -> tuple[dict[str, str], dict[str, str]]:
    """Domain and capability codes → names, in the order the taxonomy lists them (not alphabetical)."""
    try:
        taxonomy = load_taxonomy()
    except (OSError, ValueError):  # a report must still render without the catalog
        return {}, {}
    domains = {code: domain.name for code, domain in taxonomy.domains.items()}
    return domains, {code: cap.name for code, cap in taxonomy.capabilities.items()}


def _ordered(codes: list[str], order: dict[str, str]) -> list[str]:
    """``codes`` in the taxonomy's order; codes it does not list keep their order after them."""
    known = [c for c in order if c in codes]
    return known + [c for c in dict.fromkeys(codes) if c not in order]


def heatmap(results: dict[str, Any]) -> str:
    """Domain rows (taxonomy order) × sector columns 1–5, coloured by the sector's mean scenario score."""
    sectors = results["groups"]["sector"]
    names, _ = _taxonomy_order()
    domains = _ordered([row["domain"] for row in results["scenarios"]], names)
    sector_names = {r["sector"]: r["title"].split("·")[0] for r in results["scenarios"] if "·" in r.get("title", "")}
    cell, pad = 56, 96
    parts = [
        f'<svg width="{pad + 5 * cell + 10}" height="{20 + len(domains) * 30}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for j in range(5):
        parts.append(f'<text x="{pad + j * cell + cell / 2}" y="14" text-anchor="middle" font-size="12">{j + 1}</text>')
    for i, domain in enumerate(domains):
        y = 20 + i * 30
        label = f"{domain} {names[domain]}" if domain in names else domain
        parts.append(f'<text x="0" y="{y + 19}" font-size="12">{_e(label)}</text>')
        for j in range(5):
            sector = f"{domain}{j + 1}"
            score = sectors.get(sector, {}).get("score")
            value = "—" if score is None else f"{score:.2f}"
            parts.append(
                f'<rect x="{pad + j * cell}" y="{y}" width="{cell - 4}" height="26" fill="{_colour(score)}">'
                f"<title>{_e(sector)} {_e(sector_names.get(sector, ''))}: {value}</title></rect>"
                f'<text x="{pad + j * cell + (cell - 4) / 2}" y="{y + 17}" text-anchor="middle" '
                f'font-size="11">{value}</text>'
            )
    return "".join(parts) + "</svg>"


def bars(results: dict[str, Any]) -> str:
    """One horizontal bar per capability (mean scenario score) in taxonomy order, grey when not runnable."""
    caps = results["groups"]["capability"]
    _, names = _taxonomy_order()
    width, row = 300, 20
    parts = [f'<svg width="{width + 160}" height="{len(caps) * row + 10}" xmlns="http://www.w3.org/2000/svg">']
    for i, code in enumerate(_ordered(list(caps), names)):
        group = caps[code]
        y = i * row + 4
        score = group.get("score")
        length = 0 if score is None else width * score
        label = "不可运行" if score is None else f"{score:.2f}（{group['n_scenarios']}）"
        parts.append(
            f'<text x="0" y="{y + 13}" font-size="12"><title>{_e(names.get(code, code))}</title>{_e(code)}</text>'
            f'<rect x="40" y="{y}" width="{width}" height="15" fill="#f0f0f0"/>'
            f'<rect x="40" y="{y}" width="{length:.1f}" height="15" fill="{_colour(score)}"/>'
            f'<text x="{width + 48}" y="{y + 13}" font-size="12">{label}</text>'
        )
    return "".join(parts) + "</svg>"


def _table(rows: list[dict[str, Any]]) -> str:
    head = ["场景", "名称", "智能体", "状态", "得分", "95%区间", "n", "阈值", "拒答率", "错误率", "时延(s)", "LLM评审"]
    out = ["<table><thead><tr>" + "".join(f'<th data-k="1">{h}</th>' for h in head) + "</tr></thead><tbody>"]
    labels = {"pass": "通过", "fail": "未通过", "not_runnable": "不可运行", "no_cases": "无用例"}
    for r in rows:
        css = {"pass": "pass", "fail": "fail"}.get(r["status"], "nr")
        score = "" if r["score"] is None else f"{r['score']:.3f}"
        ci = r.get("ci95")
        cells = [
            r["id"],
            r["title"],
            r["agent"],
            f'<span class="{css}">{labels.get(r["status"], r["status"])}</span>',
            score,
            "" if not ci else f"{ci[0]:.2f}–{ci[1]:.2f}",
            r["n"],
            r["threshold"],
            r.get("abstention_rate", ""),
            r.get("error_rate", ""),
            r.get("latency_s_mean", ""),
            "" if r.get("judge_score") is None else r["judge_score"],  # its own column, never in the score
        ]
        sort_value = -1 if r["score"] is None else r["score"]
        out.append(
            "<tr>"
            + "".join(
                f'<td data-v="{sort_value}">{c}</td>' if i == 4 else f"<td>{c if i == 3 else _e(c)}</td>"
                for i, c in enumerate(cells)
            )
            + "</tr>"
        )
    return "".join(out) + "</tbody></table>"


def _failures(samples: list[dict[str, Any]], limit: int = 200) -> str:
    failed = sorted((s for s in samples if not s["passed"]), key=lambda s: (s["score"], s["case_id"]))[:limit]
    if not failed:
        return "<p>没有未通过的用例。</p>"
    out = []
    for s in failed:
        evidence = [f"{e.get('doc_id')} {e.get('heading', '')}" for e in s["output"].get("evidence", [])][:5]
        blocks = {
            "输入 input": s["input"],
            "期望 expected": s["expected"],
            "输出 output": {k: s["output"].get(k) for k in ("answer", "refused", "citations", "tool_calls", "error")},
            "依据 evidence": evidence,
            "评分 scorers": s["scorers"],
        }
        body = "".join(
            f"<b>{_e(k)}</b><pre>{_e(json.dumps(v, ensure_ascii=False, indent=1))}</pre>" for k, v in blocks.items()
        )
        out.append(f"<details><summary>{_e(s['case_id'])} · 得分 {s['score']:.2f}</summary>{body}</details>")
    return "".join(out)


def write_html(path: Path, results: dict[str, Any], samples: list[dict[str, Any]]) -> None:
    """Write the static report; everything (styles, script, charts) is inline."""
    total = results["overall"]
    run = results["run"]
    domains = _ordered([r["domain"] for r in results["scenarios"]], _taxonomy_order()[0])
    rows = sorted(results["scenarios"], key=lambda r: domains.index(r["domain"]))  # stable: sector, capability
    score = "—" if total["score"] is None else f"{total['score']:.3f}"
    ci = total.get("ci95")
    summary = (
        f'<p><span class="big">{score}</span> 总分（场景等权）'
        + (f"，95%区间 {ci[0]:.3f}–{ci[1]:.3f}" if ci else "")
        + f"</p><p>场景：通过 {total['passed']}，未通过 {total['failed']}，不可运行 {total['not_runnable']}，"
        f"无用例 {total['no_cases']}；用例 {total['n_cases']}；"
        f"拒答率 {total['abstention_rate']}，错误率 {total['error_rate']}</p>"
        f"<p>模型 {_e(run['provider'])}/{_e(run['model'])} · 提交 {_e(run['git_commit'][:12])} · "
        f"配置 {_e(run['config_hash'])} · {_e(run['started'])}</p>"
    )
    page = (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>shuzhi 评测报告</title>'
        f"<style>{_CSS}</style></head><body><h1>shuzhi 数智员工评测报告</h1>{summary}"
        f"<h2>领域 × 板块</h2>{heatmap(results)}<h2>各能力得分</h2>{bars(results)}"
        f"<h2>场景</h2>{_table(rows)}<h2>未通过用例</h2>{_failures(samples)}"
        f"<script>{_JS}</script></body></html>"
    )
    path.write_text(page, encoding="utf-8")
