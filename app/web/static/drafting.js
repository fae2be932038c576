// 公文起草台: fill the brief, get a draft and its format findings, edit title/正文, re-check, download .docx.
"use strict";
const SEVERITY = { blocking: "必须修改", warning: "建议修改", prompt: "请人工判断" };
const value = (id) => document.getElementById(id).value.trim();
const lines = (id) => value(id).split("\n").map((s) => s.trim()).filter(Boolean);

function brief() {
  const b = { doc_type: value("doc-type"), issuer: value("issuer"), subject: value("subject") };
  const recipients = value("recipients").split(/[、，,]/).map((s) => s.trim()).filter(Boolean);
  if (recipients.length) b.recipients = recipients;
  if (value("opening")) b.opening = value("opening");
  if (lines("points").length) b.points = lines("points");
  if (lines("attachments").length) b.attachments = lines("attachments");
  if (value("doc-date")) b.date = value("doc-date");
  return b;
}

function edits() {
  return { brief: brief(), title: value("draft-title") || null, body: document.getElementById("draft-body").value };
}

function showDraft(result) {
  document.getElementById("draft-panel").hidden = false;
  document.getElementById("draft-title").value = result.title;
  document.getElementById("draft-body").value = result.body;
  document.getElementById("draft-text").textContent = result.text;
  const c = result.check.counts;
  document.getElementById("check-summary").textContent = result.check.ready_to_send
    ? "未发现格式问题，可以进入审核流程。"
    : "必须修改 " + c.blocking + " 处，建议修改 " + c.warning + " 处，待补充 " + c.todo + " 处，请人工判断 " + c.prompt + " 处。";
  const list = document.getElementById("findings");
  list.replaceChildren(...result.check.findings.map((f) => el("li", { class: f.severity === "blocking" && !f.todo ? "fail" : "" },
    "[" + (f.todo ? "待补充" : SEVERITY[f.severity] || f.severity) + "] " + f.location + "：" + (f.message || f.text) + (f.fix ? "（" + f.fix + "）" : ""))));
}

async function draft(body) {
  notice("");
  try {
    showDraft(await api("/v1/doc/draft", { method: "POST", json: body }));
  } catch (e) {
    notice(e.message, true);
  }
}

async function download() {
  notice("");
  try {
    const response = await api("/v1/doc/docx", { method: "POST", raw: true, json: edits() });
    const url = URL.createObjectURL(await response.blob());
    const link = el("a", { href: url, download: (value("draft-title") || "公文草稿") + ".docx" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (e) {
    notice(e.message, true);
  }
}

async function loadTypes() {
  const select = document.getElementById("doc-type");
  try {
    const types = await api("/v1/doc/types");
    select.replaceChildren(...types.map((t) => el("option", { value: t.name }, t.name + "（" + t.direction + "文）")));
    const purposes = Object.fromEntries(types.map((t) => [t.name, t.purpose]));
    const show = () => { document.getElementById("doc-type-purpose").textContent = "适用于：" + (purposes[select.value] || ""); };
    select.onchange = show;
    select.value = "通知";
    show();
  } catch (e) {
    notice(e.message, true);
  }
}

document.getElementById("brief-form").addEventListener("submit", (event) => { event.preventDefault(); draft({ brief: brief() }); });
document.getElementById("recheck").addEventListener("click", () => draft(edits()));
document.getElementById("download").addEventListener("click", download);
onKeyReady(loadTypes);
