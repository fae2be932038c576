// 市民咨询: pick an agent, stream the answer over SSE, show sources as expandable quotes and refusals plainly.
"use strict";
let history = [];

async function loadAgents() {
  const select = document.getElementById("agent");
  try {
    const models = await api("/v1/models");
    select.replaceChildren(...models.data.map((m) => el("option", { value: m.id }, m.name + "（" + m.id + "）")));
    const demos = Object.fromEntries(models.data.map((m) => [m.id, m.demo]));
    const showDemo = () => {
      document.getElementById("agent-demo").textContent = demos[select.value] ? "示例问题：" + demos[select.value] : "";
    };
    select.onchange = () => { history = []; showDemo(); };
    showDemo();
  } catch (e) {
    notice(e.message, true);
  }
}

function renderCitations(turn, citations) {
  // Several quotes from one section read better as one expandable source.
  const groups = new Map();
  for (const c of citations || []) {
    const heading = (c.heading || "").split(" > ").pop();
    const label = "出处：《" + c.title + "》" + (heading && heading !== c.title ? heading : "");
    if (!groups.has(label)) groups.set(label, []);
    groups.get(label).push(c.quote || "");
  }
  for (const [label, quotes] of groups) {
    turn.append(el("details", { class: "citation" }, el("summary", {}, label), ...quotes.map((q) => el("blockquote", {}, q))));
  }
}

async function ask(event) {
  event.preventDefault();
  notice("");
  const question = document.getElementById("question").value.trim();
  const agent = document.getElementById("agent").value;
  if (!question || !agent) return;
  const answer = el("div", { class: "a" });
  const turn = el("article", { class: "turn" }, el("div", { class: "q" }, "问：" + question), answer);
  document.getElementById("conversation").prepend(turn);
  const button = document.getElementById("ask");
  button.disabled = true;
  const messages = history.concat([{ role: "user", content: question }]);
  try {
    const response = await api("/v1/chat/completions", { method: "POST", raw: true, json: { model: agent, messages, stream: true } });
    const reader = response.body.getReader();
    const decoder = new TextDecoder("utf-8");
    let buffer = "", text = "", final = null;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const line = buffer.slice(0, cut).trim();
        buffer = buffer.slice(cut + 2);
        if (!line.startsWith("data: ") || line === "data: [DONE]") continue;
        const delta = JSON.parse(line.slice(6)).choices[0].delta;
        if (delta.content) { text += delta.content; answer.textContent = text; }
        if (delta.citations) final = delta;
      }
    }
    if (final && final.refused) {
      turn.classList.add("refused");
      turn.insertBefore(el("div", { class: "refusal-badge" }, "未能作答"), answer);
    }
    renderCitations(turn, final ? final.citations : []);
    history = messages.concat([{ role: "assistant", content: text }]).slice(-8);
    document.getElementById("question").value = "";
  } catch (e) {
    turn.classList.add("refused");
    answer.textContent = "出错了：" + e.message;
  } finally {
    button.disabled = false;
  }
}

document.getElementById("chat-form").addEventListener("submit", ask);
document.getElementById("clear").addEventListener("click", () => {
  history = [];
  document.getElementById("conversation").replaceChildren();
});
onKeyReady(loadAgents);
