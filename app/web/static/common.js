// Shared by every page: the API key (kept in this browser only), JSON calls with readable errors.
"use strict";
const KEY_STORE = "shuzhi.apiKey";

function apiKey() { return localStorage.getItem(KEY_STORE) || ""; }

function notice(text, isError) {
  const box = document.getElementById("notice");
  if (!text) { box.hidden = true; return; }
  box.textContent = text;
  box.className = "notice" + (isError ? " error" : "");
  box.hidden = false;
}

class ApiError extends Error {
  constructor(status, body) {
    const err = (body && body.error) || {};
    super(err.message || ("请求失败（HTTP " + status + "）"));
    this.status = status;
    this.code = err.code || "";
  }
}

async function api(path, options) {
  const opts = Object.assign({ headers: {} }, options || {});
  opts.headers = Object.assign({ "Authorization": "Bearer " + apiKey() }, opts.headers);
  if (opts.json !== undefined) {
    opts.body = JSON.stringify(opts.json);
    opts.headers["Content-Type"] = "application/json";
    delete opts.json;
  }
  const response = await fetch(path, opts);
  if (!response.ok) {
    let body = null;
    try { body = await response.json(); } catch (e) { /* not JSON: keep the status */ }
    throw new ApiError(response.status, body);
  }
  return opts.raw ? response : response.json();
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (name === "class") node.className = value; else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child instanceof Node ? child : String(child));
  return node;
}

function onKeyReady(callback) {
  const input = document.getElementById("api-key");
  const state = document.getElementById("key-state");
  input.value = apiKey();
  state.textContent = apiKey() ? "已保存" : "未设置";
  document.getElementById("key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    localStorage.setItem(KEY_STORE, input.value.trim());
    state.textContent = input.value.trim() ? "已保存" : "未设置";
    notice("");
    callback();
  });
  if (apiKey()) callback();
}
