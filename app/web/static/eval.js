// 评测报告: start a run, watch the list of runs, open a finished run's report.html.
"use strict";
const STATUS = { running: "运行中", done: "已完成", failed: "失败" };
let timer = null;

async function loadRuns() {
  const body = document.querySelector("#runs tbody");
  try {
    const runs = await api("/v1/eval/runs");
    body.replaceChildren(...runs.map((r) => {
      const open = el("button", { class: "secondary", "data-run": r.run_id }, "查看报告");
      open.disabled = !r.has_report;
      open.onclick = () => openReport(r.run_id);
      return el("tr", { "data-status": r.status }, el("td", {}, r.run_id), el("td", {}, r.started), el("td", {}, r.started_by),
        el("td", {}, r.scenarios || "全部"), el("td", { class: r.status === "failed" ? "fail" : "" }, STATUS[r.status] || r.status), el("td", {}, open));
    }));
    if (!runs.length) body.append(el("tr", {}, el("td", { colspan: "6", class: "muted" }, "还没有评测记录")));
    clearTimeout(timer);
    if (runs.some((r) => r.status === "running")) timer = setTimeout(loadRuns, 3000);
  } catch (e) {
    notice(e.message, true);
  }
}

async function openReport(runId) {
  try {
    const response = await api("/v1/eval/runs/" + runId + "/report", { raw: true });
    document.getElementById("report").srcdoc = await response.text();
    document.getElementById("report-id").textContent = runId;
    document.getElementById("report-panel").hidden = false;
  } catch (e) {
    notice(e.message, true);
  }
}

async function start(event) {
  event.preventDefault();
  notice("");
  try {
    const run = await api("/v1/eval/runs", { method: "POST", json: { scenarios: document.getElementById("scenarios").value.trim() } });
    notice("已开始评测 " + run.run_id + "，完成后可查看报告。");
    await loadRuns();
  } catch (e) {
    notice(e.message, true);
  }
}

document.getElementById("start-form").addEventListener("submit", start);
document.getElementById("refresh").addEventListener("click", loadRuns);
onKeyReady(loadRuns);
