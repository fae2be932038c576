// 知识库管理: upload with access level and department, see what was ingested or failed, delete, try a search.
"use strict";
const kbName = () => document.getElementById("kb-name").value.trim();
const ACCESS = { public: "公开", internal: "内部", confidential: "涉密" };

async function loadDocuments() {
  const body = document.querySelector("#documents tbody");
  body.replaceChildren();
  try {
    const summaries = await api("/v1/kb");
    document.getElementById("kb-summary").textContent = summaries.length
      ? "知识库：" + summaries.map((s) => s.name + "（" + s.documents + " 篇）").join("、")
      : "还没有知识库，上传文件即可创建。";
    if (!summaries.some((s) => s.name === kbName())) return;
    const documents = await api("/v1/kb/" + encodeURIComponent(kbName()) + "/documents");
    for (const d of documents) {
      const remove = el("button", { class: "secondary", "data-doc": d.doc_id }, "删除");
      remove.onclick = () => removeDocument(d.doc_id);
      body.append(el("tr", {}, el("td", {}, d.doc_id), el("td", {}, d.title), el("td", {}, ACCESS[d.access] || d.access),
        el("td", {}, d.department || "—"), el("td", {}, d.chunk_count), el("td", {}, d.validity), el("td", {}, remove)));
    }
  } catch (e) {
    notice(e.message, true);
  }
}

async function removeDocument(docId) {
  if (!confirm("确定删除文档 " + docId + "？")) return;
  try {
    await api("/v1/kb/" + encodeURIComponent(kbName()) + "/documents/" + encodeURIComponent(docId), { method: "DELETE" });
    notice("已删除 " + docId);
    await loadDocuments();
  } catch (e) {
    notice(e.message, true);
  }
}

async function upload(event) {
  event.preventDefault();
  notice("");
  const form = new FormData();
  for (const file of document.getElementById("files").files) form.append("files", file);
  form.append("access", document.getElementById("access").value);
  form.append("department", document.getElementById("department").value.trim());
  const result = document.getElementById("upload-result");
  const button = document.getElementById("upload");
  button.disabled = true;
  result.replaceChildren(el("p", { class: "muted" }, "正在导入，请稍候……"));
  try {
    const report = await api("/v1/kb/" + encodeURIComponent(kbName()) + "/documents", { method: "POST", body: form });
    const list = el("ul", { id: "upload-report" });
    for (const id of report.ingested) list.append(el("li", { class: "ok" }, "已导入：" + id));
    for (const id of report.skipped) list.append(el("li", { class: "muted" }, "未变化，跳过：" + id));
    for (const f of report.failed) list.append(el("li", { class: "fail" }, "失败：" + f.file + " — " + f.reason));
    result.replaceChildren(el("p", {}, "导入完成：" + report.ingested.length + " 篇，" + report.chunks + " 个片段，用时 " + report.seconds + " 秒"), list);
    await loadDocuments();
  } catch (e) {
    result.replaceChildren();
    notice(e.message, true);
  } finally {
    button.disabled = false;
  }
}

async function search(event) {
  event.preventDefault();
  const list = document.getElementById("search-results");
  list.replaceChildren();
  try {
    const result = await api("/v1/kb/search", { method: "POST", json: { query: document.getElementById("search-query").value, kbs: [kbName()], k: 5 } });
    if (!result.hits.length) list.append(el("li", { class: "muted" }, "未找到相关内容"));
    for (const h of result.hits) {
      list.append(el("li", {}, el("strong", {}, h.citation), "（" + h.doc_id + "，" + (ACCESS[h.access] || h.access) + "）",
        el("div", { class: "muted" }, h.text.slice(0, 160))));
    }
  } catch (e) {
    notice(e.message, true);
  }
}

document.getElementById("upload-form").addEventListener("submit", upload);
document.getElementById("search-form").addEventListener("submit", search);
document.getElementById("refresh").addEventListener("click", loadDocuments);
document.getElementById("kb-name").addEventListener("change", loadDocuments);
onKeyReady(loadDocuments);
