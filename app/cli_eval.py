"""`shuzhi eval catalog | run | compare`: the 400-scenario evaluation harness from the terminal."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from app.console import err, fail, out
from app.settings import Settings, get_settings
from eval.cases import CaseError
from eval.catalog import CatalogError, load_catalog, select
from eval.compare import compare, load_results

eval_app = typer.Typer(help="评测 / evaluation: 400 类场景、用例、评分、报告", no_args_is_help=True)


@eval_app.command("catalog")
def catalog_command(
    domain: Annotated[str | None, typer.Option("--domain", help="领域代码，如 FW、ZL")] = None,
    capability: Annotated[str | None, typer.Option("--capability", help="能力代码，如 PM、CD")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """列出场景卡片 / list scenario cards."""
    cards = select(load_catalog(), domain=domain, capability=capability)
    if as_json:
        out.print_json(json.dumps([c.model_dump() for c in cards], ensure_ascii=False))
        return
    table = Table("id", "名称", "智能体", "指标", "阈值", "数据分级", "人工复核")
    for c in cards:
        table.add_row(
            c.id,
            c.title,
            c.agent,
            ", ".join(c.metrics),
            f"{c.threshold:g}",
            c.data_class,
            "是" if c.human_review else "否",
        )
    out.print(table)
    out.print(f"共 {len(cards)} 类场景")


@eval_app.command("run")
def run_command(
    out_dir: Annotated[Path, typer.Option("--out", help="输出目录（可续跑）")],
    scenarios: Annotated[str | None, typer.Option("--scenarios", help="场景 id 或模式，逗号分隔：FW4-PM,ZL1-*")] = None,
    domain: Annotated[str | None, typer.Option("--domain", help="领域代码")] = None,
    capability: Annotated[str | None, typer.Option("--capability", help="能力代码")] = None,
    provider: Annotated[str | None, typer.Option("--model-provider", help="offline | openai")] = None,
    concurrency: Annotated[int, typer.Option("--concurrency", min=1, max=32, help="并发线程数")] = 2,
    cases_dir: Annotated[Path | None, typer.Option("--cases", help="用户用例目录（YAML/JSONL）")] = None,
    no_generated: Annotated[bool, typer.Option("--no-generated", help="只跑 --cases 中的用例")] = False,
    real_data: Annotated[bool, typer.Option("--real-data", help="加入 ../shared/data 真实事项用例（如存在）")] = False,
    judge: Annotated[bool, typer.Option("--judge", help="启用 LLM 评审（单独一列，不计入总分）")] = False,
    judge_base_url: Annotated[str, typer.Option("--judge-base-url", envvar="SHUZHI_JUDGE_BASE_URL")] = "",
    judge_model: Annotated[str, typer.Option("--judge-model", envvar="SHUZHI_JUDGE_MODEL")] = "",
    judge_api_key: Annotated[str, typer.Option("--judge-api-key", envvar="SHUZHI_JUDGE_API_KEY", hidden=True)] = "",
    fail_under: Annotated[float | None, typer.Option("--fail-under", help="总分低于此值时退出码为 1")] = None,
) -> None:
    """运行评测 / run the evaluation and write results.json, samples.jsonl, summary.csv, report.html."""
    from eval.judge import JudgeConfigError
    from eval.suite import EvalOptions, RunConfigError, run_suite

    settings = get_settings()
    if provider:
        if provider not in ("offline", "openai"):
            raise fail(f"--model-provider {provider!r} is not one of offline, openai", 2)
        settings = Settings(**{**settings.model_dump(), "llm_provider": provider})
    options = EvalOptions(
        out=out_dir,
        scenarios=[s for s in (scenarios or "").split(",") if s.strip()],
        domain=domain,
        capability=capability,
        cases_dir=cases_dir,
        concurrency=concurrency,
        real_data=real_data,
        generated=not no_generated,
        judge=judge,
        judge_base_url=judge_base_url,
        judge_model=judge_model,
        judge_api_key=judge_api_key,
    )
    columns = (TextColumn("评测"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=False) as bar:
        task = bar.add_task("cases", total=None)

        def start(total: int, _: int) -> Callable[[int], None]:
            bar.update(task, total=total)
            return lambda n: bar.advance(task, n)

        try:
            results = run_suite(options, settings, progress=start)
        except (CatalogError, CaseError, RunConfigError, JudgeConfigError, FileNotFoundError) as exc:
            raise fail(str(exc), 2) from exc
    total = results["overall"]
    score = "—" if total["score"] is None else f"{total['score']:.3f}"
    out.print(
        f"总分 {score}（{total['n_scenarios']} 类可运行场景，{total['n_cases']} 个用例）；通过 {total['passed']}，"
        f"未通过 {total['failed']}，不可运行 {total['not_runnable']}；拒答率 {total['abstention_rate']}，"
        f"错误率 {total['error_rate']}"
    )
    out.print(f"报告：{out_dir / 'report.html'}")
    if fail_under is not None and (total["score"] is None or total["score"] < fail_under):
        raise fail(f"overall score {score} is below --fail-under {fail_under}", 1)


@eval_app.command("compare")
def compare_command(
    run_a: Annotated[Path, typer.Argument(help="基线运行目录 RUN_A")],
    run_b: Annotated[Path, typer.Argument(help="对比运行目录 RUN_B")],
    out_file: Annotated[Path | None, typer.Option("--out", help="写出 JSON（默认 RUN_B/compare.json）")] = None,
) -> None:
    """对比两次运行 / which scenarios improved or regressed from RUN_A to RUN_B."""
    try:
        diff = compare(load_results(run_a), load_results(run_b))
    except FileNotFoundError as exc:
        raise fail(str(exc), 2) from exc
    target = out_file or (run_b if run_b.is_dir() else run_b.parent) / "compare.json"
    target.write_text(json.dumps(diff, ensure_ascii=False, indent=2), encoding="utf-8")
    out.print(f"总分变化 {diff['overall_delta']}（{diff['a']['score']} → {diff['b']['score']}）")
    for kind, label in (("improved", "提升"), ("regressed", "下降")):
        out.print(f"{label} {len(diff[kind])} 类：")
        for e in diff[kind]:
            out.print(f"  {e['id']} {e['title']}  {e['a']:.3f} → {e['b']:.3f}（{e['delta']:+.3f}）", highlight=False)
    out.print(f"未变 {len(diff['unchanged'])} 类；写出 {target}")
