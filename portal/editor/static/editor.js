// 善治案例库 编辑台: live preview, one-click suggestions, a Markdown toolbar, the template's prompts and images
// pasted or dropped into the body.
// Everything here is an enhancement; without JavaScript the form's own buttons do the same work.
(function () {
  "use strict";

  var PREVIEW_DELAY_MS = 400;

  function csrfToken(form) {
    var input = form.querySelector('input[name="csrf_token"]');
    return input ? input.value : "";
  }

  function insertAtCursor(textarea, text) {
    var start = textarea.selectionStart || 0;
    var end = textarea.selectionEnd || start;
    var before = textarea.value.slice(0, start);
    var after = textarea.value.slice(end);
    // An image on its own paragraph: a blank line before and after it.
    var lead = before === "" ? "" : before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
    var block = lead + text + "\n\n";
    textarea.value = before + block + after;
    textarea.selectionStart = textarea.selectionEnd = start + block.length;
    textarea.focus();
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function addTag(input, name) {
    var names = input.value.split(/[,，、;；\n]+/).map(function (s) { return s.trim(); }).filter(Boolean);
    if (names.indexOf(name) === -1) { names.push(name); }
    input.value = names.join("、");
  }

  function acceptSuggestion(form, button) {
    var field = form.querySelector('[name="' + button.dataset.field + '"]');
    if (!field) { return; }
    if (button.dataset.field === "tags") { addTag(field, button.dataset.value); } else { field.value = button.dataset.value; }
    field.dispatchEvent(new Event("change", { bubbles: true }));
    button.classList.add("accepted");
    button.setAttribute("aria-pressed", "true");
  }

  function suggestionButton(field, value, label) {
    var button = document.createElement("button");
    button.type = "submit";
    button.className = "suggestion";
    button.name = "accept";
    button.value = field === "tags" ? "tag:" + value : field + ":" + value;
    button.dataset.field = field;
    button.dataset.value = value;
    button.textContent = label;
    return button;
  }

  function suggestionLine(kind, buttons) {
    var line = document.createElement("p");
    var span = document.createElement("span");
    span.className = "suggest-kind";
    span.textContent = kind;
    line.appendChild(span);
    buttons.forEach(function (button) { line.appendChild(button); line.appendChild(document.createTextNode(" ")); });
    return line;
  }

  function showSuggestions(list, data) {
    if (!list || !data) { return; }
    var lines = [];
    if (data.area) { lines.push(suggestionLine("领域：", [suggestionButton("area", data.area.value, data.area.label)])); }
    if (data.region) { lines.push(suggestionLine("地区：", [suggestionButton("region", data.region.value, data.region.label)])); }
    if (data.tags && data.tags.length) {
      lines.push(suggestionLine("标签：", data.tags.map(function (t) { return suggestionButton("tags", t, t); })));
    }
    list.replaceChildren.apply(list, lines);
  }

  function setupPreview(form) {
    var body = form.querySelector('textarea[name="body"]');
    var box = form.querySelector("[data-preview]");
    var state = form.querySelector("[data-preview-state]");
    var list = form.querySelector("[data-suggestion-list]");
    if (!body || !box || !form.dataset.previewUrl) { return; }
    var timer = null;
    var sequence = 0;

    function refresh() {
      var mine = ++sequence;
      var data = new FormData();
      ["title", "summary", "body", "tags"].forEach(function (name) {
        var field = form.querySelector('[name="' + name + '"]');
        if (field) { data.append(name, field.value); }
      });
      if (state) { state.textContent = "（更新中…）"; }
      fetch(form.dataset.previewUrl, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(form), "Accept": "application/json" }
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      }).then(function (json) {
        if (mine !== sequence) { return; }
        // The server rendered this with the same sanitizer as published pages.
        box.innerHTML = json.html;
        showSuggestions(list, json.suggestions);
        if (state) { state.textContent = ""; }
      }).catch(function () {
        if (state) { state.textContent = "（预览暂时无法更新，可点“预览”按钮）"; }
      });
    }

    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, PREVIEW_DELAY_MS);
    }
    ["title", "summary", "body"].forEach(function (name) {
      var field = form.querySelector('[name="' + name + '"]');
      if (field) { field.addEventListener("input", schedule); }
    });
  }

  function setupSuggestions(form) {
    form.addEventListener("click", function (event) {
      var button = event.target.closest("button.suggestion");
      if (!button || !form.contains(button)) { return; }
      event.preventDefault();
      acceptSuggestion(form, button);
    });
  }

  function setupInsertButtons(body) {
    document.querySelectorAll("button[data-insert]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { insertAtCursor(body, button.dataset.insert); });
    });
  }

  function sendImage(uploadForm, formData) {
    // The same upload route as the 上传图片 button; the server checks the bytes and the size.
    return fetch(uploadForm.action, {
      method: "POST", body: formData, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(uploadForm), "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (json) { return { ok: response.ok, json: json }; }, function () {
        // Errors caught before the view (too large for the server, expired form) come back as pages.
        throw new Error(response.status === 413 ? "文件过大" : response.status === 400 ? "页面已过期，请刷新后重试" : "服务器错误");
      });
    }).then(function (result) {
      if (!result.ok) { throw new Error(result.json.error ? result.json.error.message : "上传失败"); }
      return result.json;
    });
  }

  function setupUpload(uploadForm, body) {
    var status = uploadForm.querySelector("[data-upload-status]");
    uploadForm.removeAttribute("target");
    uploadForm.addEventListener("submit", function (event) {
      event.preventDefault();
      status.textContent = "上传中…";
      sendImage(uploadForm, new FormData(uploadForm)).then(function (json) {
        insertAtCursor(body, json.markdown);
        status.textContent = "已上传并插入正文：" + json.markdown;
        uploadForm.reset();
      }).catch(function (error) {
        status.textContent = "上传失败：" + (error.message || "请稍后再试");
      });
    });
  }

  // Unsaved work: name the changed fields, warn before leaving, and keep a copy in this browser
  // (localStorage) that the next visit offers to restore if it differs from what the server has.
  var TRACKED = ["title", "slug", "summary", "area", "region", "place", "level", "tags", "year", "source", "body", "comment"];
  var LABELS = { title: "标题", slug: "网址名", summary: "摘要", area: "主要统筹领域", region: "地区", place: "具体地点",
                 level: "层级", tags: "标签", year: "年份", source: "资料来源", body: "正文", comment: "修改说明" };

  function fieldValues(form) {
    var values = {};
    TRACKED.forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (field && "value" in field) { values[name] = field.value; }
    });
    return values;
  }

  function changedNames(before, after) {
    return TRACKED.filter(function (name) { return name in after && before[name] !== after[name]; });
  }

  function setupDraftSafety(form) {
    var key = "portal-draft:" + form.dataset.draftKey;
    // A form sent back with errors holds typed text the server does not have: all of it is unsaved.
    var saved = form.dataset.unsaved ? {} : fieldValues(form);
    var note = form.querySelector("[data-unsaved-note]");
    var submitting = false;
    var timer = null;

    function dirtyNames() { return changedNames(saved, fieldValues(form)); }

    function showDirty() {
      var names = dirtyNames();
      if (!note) { return; }
      note.hidden = names.length === 0;
      note.textContent = names.length ? "尚未保存的改动：" + names.map(function (n) { return LABELS[n]; }).join("、") : "";
    }

    function keepCopy() {
      try {
        if (dirtyNames().length) {
          localStorage.setItem(key, JSON.stringify({ values: fieldValues(form), at: new Date().toISOString() }));
        } else {
          localStorage.removeItem(key);
        }
      } catch (error) { /* private mode or full storage: the leave warning still protects the text */ }
    }

    form.addEventListener("input", function () {
      showDirty();
      clearTimeout(timer);
      timer = setTimeout(keepCopy, 800);
    });
    form.addEventListener("change", showDirty);
    // Buttons outside the form (form="case-form") submit it too; either way the text goes to the server.
    form.addEventListener("submit", function () { submitting = true; keepCopy(); });
    window.addEventListener("beforeunload", function (event) {
      if (submitting || dirtyNames().length === 0) { return; }
      keepCopy();
      event.preventDefault();
      event.returnValue = "";
    });
    offerRecovery(form, key, saved, showDirty);
  }

  function offerRecovery(form, key, saved, showDirty) {
    var banner = form.querySelector("[data-draft-recovery]");
    var stored = null;
    try { stored = JSON.parse(localStorage.getItem(key) || "null"); } catch (error) { stored = null; }
    if (!banner || !stored || !stored.values) { return; }
    if (changedNames(saved, stored.values).length === 0) { localStorage.removeItem(key); return; }
    banner.querySelector("[data-draft-time]").textContent = new Date(stored.at).toLocaleString("zh-CN");
    banner.hidden = false;
    banner.querySelector("[data-draft-restore]").addEventListener("click", function () {
      Object.keys(stored.values).forEach(function (name) {
        var field = form.elements.namedItem(name);
        if (field && "value" in field && !field.disabled) { field.value = stored.values[name]; }
      });
      banner.hidden = true;
      showDirty();
      form.dispatchEvent(new Event("input"));
    });
    banner.querySelector("[data-draft-discard]").addEventListener("click", function () {
      localStorage.removeItem(key);
      banner.hidden = true;
    });
  }

  function imageFiles(transfer) {
    return transfer ? Array.prototype.filter.call(transfer.files || [], function (file) {
      return /^image\//.test(file.type);
    }) : [];
  }

  function uploadInto(body, uploadForm, files) {
    var status = uploadForm.querySelector("[data-upload-status]");
    files.forEach(function (file) {
      var data = new FormData();
      data.append("csrf_token", csrfToken(uploadForm));
      data.append("image", file, file.name || "粘贴的图片.png");
      status.textContent = "正在上传图片…";
      sendImage(uploadForm, data).then(function (json) {
        insertAtCursor(body, json.markdown.replace("![说明]", "![请填写图片说明]"));
        status.textContent = "图片已上传并插入正文，请把“请填写图片说明”改成图片的内容。";
      }).catch(function (error) {
        status.textContent = "图片上传失败：" + (error.message || "请稍后再试");
      });
    });
  }

  function setupImageDrop(body, uploadForm) {
    body.addEventListener("paste", function (event) {
      var files = imageFiles(event.clipboardData);
      if (!files.length) { return; }
      event.preventDefault();
      uploadInto(body, uploadForm, files);
    });
    body.addEventListener("dragover", function (event) {
      if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") !== -1) {
        event.preventDefault();
        body.classList.add("drop-target");
      }
    });
    body.addEventListener("dragleave", function () { body.classList.remove("drop-target"); });
    body.addEventListener("drop", function (event) {
      body.classList.remove("drop-target");
      var files = imageFiles(event.dataTransfer);
      if (!files.length) { return; }
      event.preventDefault();
      uploadInto(body, uploadForm, files);
    });
  }

  // --- the house template's prompt lines: selected as soon as the editor types on them, so typing replaces them

  var PROMPT_MARK = "✎ ";

  function lineAt(text, position) {
    var start = text.lastIndexOf("\n", position - 1) + 1;
    var end = text.indexOf("\n", position);
    return { start: start, end: end === -1 ? text.length : end };
  }

  function clearPromptAtCaret(body) {
    // Returns true when the caret sat on a prompt line, which is now empty with the caret on it.
    if (body.selectionStart !== body.selectionEnd) { return false; }
    var line = lineAt(body.value, body.selectionStart);
    if (body.value.slice(line.start, line.end).indexOf(PROMPT_MARK) !== 0) { return false; }
    body.setRangeText("", line.start, line.end, "start");
    return true;
  }

  function setupPrompts(body) {
    // keydown and compositionstart come before the text arrives (also from a Chinese input method),
    // so the prompt is gone before the first character lands.
    body.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) { return; }
      var typing = event.key.length === 1 || event.key === "Process" || event.key === "Enter";
      var deleting = event.key === "Backspace" || event.key === "Delete";
      if ((typing || deleting) && clearPromptAtCaret(body) && deleting) {
        event.preventDefault();
        body.dispatchEvent(new Event("input", { bubbles: true }));
      }
    });
    body.addEventListener("compositionstart", function () { clearPromptAtCaret(body); });
    // Text inserted without a key press (on-screen keyboards, dictation, automation) replaces the prompt too.
    body.addEventListener("beforeinput", function (event) {
      if (event.inputType !== "insertText" || !event.data || !clearPromptAtCaret(body)) { return; }
      event.preventDefault();
      body.setRangeText(event.data, body.selectionStart, body.selectionEnd, "end");
      body.dispatchEvent(new Event("input", { bubbles: true }));
    });
    body.addEventListener("paste", function () { clearPromptAtCaret(body); });
  }

  // --- the Markdown toolbar: each button wraps the selection or starts a line

  var TOOLS = {
    heading: { line: "## ", sample: "小标题" },
    bold: { wrap: "**", sample: "加粗的文字" },
    list: { line: "- ", sample: "列表项" },
    numbered: { line: "1. ", sample: "第一步" },
    quote: { line: "> ", sample: "引用的原话" },
    link: { before: "[", after: "](https://)", sample: "链接文字" },
    table: { block: "| 项目 | 说明 |\n| --- | --- |\n| 　 | 　 |" }
  };

  function blockLead(before, marker) {
    // A heading, list or quote needs a blank line after a paragraph; a list item directly follows another.
    var lastLine = before.slice(before.lastIndexOf("\n") + 1);
    if (before === "" || /\n\n$/.test(before)) { return ""; }
    if (lastLine === "") { return marker !== "## " && /^(- |\d+\. |> )/.test(lastLineOf(before)) ? "" : "\n"; }
    return /^(- |\d+\. |> )/.test(lastLine) && lastLine.indexOf(marker.trim()) === 0 ? "\n" : "\n\n";
  }

  function lastLineOf(text) {
    var trimmed = text.replace(/\n$/, "");
    return trimmed.slice(trimmed.lastIndexOf("\n") + 1);
  }

  function applyTool(body, tool) {
    var start = body.selectionStart, end = body.selectionEnd;
    var chosen = body.value.slice(start, end) || tool.sample || "";
    var text;
    if (tool.block) {
      insertAtCursor(body, tool.block);
      return;
    }
    if (tool.line) {
      text = chosen.split("\n").map(function (line) { return tool.line + line; }).join("\n");
      body.setRangeText(blockLead(body.value.slice(0, start), tool.line) + text, start, end, "end");
    } else {
      var before = tool.wrap || tool.before, after = tool.wrap || tool.after;
      body.setRangeText(before + chosen + after, start, end, "end");
      body.setSelectionRange(start + before.length, start + before.length + chosen.length);
    }
    body.focus();
    body.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function setupToolbar(form, body, uploadForm) {
    var bar = form.querySelector("[data-markdown-toolbar]");
    if (!bar) { return; }
    bar.hidden = false;
    // The 图片 button picks a file and uploads it straight into the body, like a pasted image.
    var picker = document.createElement("input");
    picker.type = "file";
    picker.accept = "image/png,image/jpeg,image/gif,image/webp";
    picker.hidden = true;
    bar.appendChild(picker);
    picker.addEventListener("change", function () {
      if (uploadForm) { uploadInto(body, uploadForm, imageFiles({ files: picker.files })); }
      picker.value = "";
    });
    bar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-tool]");
      if (!button) { return; }
      event.preventDefault();
      if (button.dataset.tool === "image") { picker.click(); } else { applyTool(body, TOOLS[button.dataset.tool]); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-case-form]");
    if (!form) { return; }
    if (form.dataset.draftKey) { setupDraftSafety(form); }
    var body = form.querySelector('textarea[name="body"]');
    setupPreview(form);
    setupSuggestions(form);
    if (body) {
      setupInsertButtons(body);
      setupPrompts(body);
      var uploadForm = document.querySelector("form[data-inline-upload]");
      setupToolbar(form, body, uploadForm);
      if (uploadForm) {
        setupUpload(uploadForm, body);
        setupImageDrop(body, uploadForm);
      }
    }
  });
})();
