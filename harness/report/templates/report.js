// report.html's document view and tables. Documents arrive in chunks, parsed (or loaded from
// report_files/) only when a reader opens one, so a 10,000-document report opens at once.
(function () {
  "use strict";
  const DATA = JSON.parse(document.getElementById("summbench-data").textContent);
  const variants = DATA.variants;
  const index = DATA.index; // [dataset, doc_id, [[variant, unsupported count], ...]]
  const prompts = [...new Set(variants.map((v) => v.prompt))];
  const manyDatasets = new Set(index.map((d) => d[0])).size > 1;
  const chunks = new Map();
  const waiting = new Map();
  const state = { doc: 0, system: "", prompt: "", unsupported: false, matching: [] };

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const c of children) node.append(c);
    return node;
  }

  function variantName(v) {
    const x = variants[v];
    if (!x) return "";
    let name = x.system;
    if (prompts.length > 1) name += " · " + x.prompt;
    if (x.run) name += " · " + x.run;
    return name;
  }

  // ------------------------------------------------------------------ document chunks
  window.summbenchChunk = function (i, docs) {
    chunks.set(i, docs);
    (waiting.get(i) || []).forEach((f) => f(docs));
    waiting.delete(i);
  };

  function loadChunk(i, done) {
    if (chunks.has(i)) return done(chunks.get(i));
    if (!window.SUMMBENCH_CHUNKS_OUTSIDE) {
      chunks.set(i, JSON.parse(document.getElementById("docs-" + i).textContent));
      return done(chunks.get(i));
    }
    if (waiting.has(i)) return waiting.get(i).push(done);
    waiting.set(i, [done]);
    const script = el("script", { src: "report_files/docs-" + i + ".js" });
    script.onerror = () => showMessage("report_files/docs-" + i + ".js is missing: keep report_files/ beside report.html");
    document.head.append(script);
  }

  function withDoc(n, done) {
    loadChunk(Math.floor(n / DATA.chunk), (docs) => done(docs[n % DATA.chunk]));
  }

  // ------------------------------------------------------------------ filters and navigation
  function variantShown(v) {
    const x = variants[v];
    return (!state.system || x.system === state.system) && (!state.prompt || x.prompt === state.prompt);
  }

  function docMatches(n) {
    return index[n][2].some(([v, bad]) => variantShown(v) && (!state.unsupported || bad > 0));
  }

  function refilter() {
    state.matching = index.map((_, n) => n).filter(docMatches);
    const select = document.getElementById("doc-select");
    select.replaceChildren(
      ...state.matching.map((n) => el("option", { value: String(n), text: index[n][1] + (manyDatasets ? " (" + index[n][0] + ")" : "") }))
    );
    document.getElementById("doc-count").textContent =
      state.matching.length + " of " + index.length + " documents match";
    if (!state.matching.includes(state.doc) && state.matching.length) state.doc = state.matching[0];
    show();
  }

  function go(step) {
    const at = state.matching.indexOf(state.doc);
    const next = state.matching[at + step];
    if (next !== undefined) openDoc(next);
  }

  function openDoc(n, variant) {
    state.doc = n;
    history.replaceState(null, "", "#doc=" + n + (variant !== undefined ? "&v=" + variant : ""));
    show(variant);
  }

  function showMessage(text) {
    document.getElementById("doc-view").replaceChildren(el("p", { class: "note", text }));
  }

  function show(focusVariant) {
    if (!state.matching.length) return showMessage("No document matches these filters.");
    const n = state.doc;
    document.getElementById("doc-select").value = String(n);
    withDoc(n, (doc) => renderDoc(doc, focusVariant));
  }

  // ------------------------------------------------------------------ one document
  function figureTitle(f) {
    const [, , ok, reason, nearest, source] = f;
    if (ok) return "supported: the article states " + JSON.stringify(source);
    return "unsupported (" + reason + "); " + (nearest ? "nearest in the article: " + JSON.stringify(nearest) : "no such figure in the article");
  }

  // Text with [start, end) spans wrapped in marks; overlapping spans keep the first.
  function marked(text, spans) {
    const out = [];
    let at = 0;
    for (const s of [...spans].sort((a, b) => a.start - b.start)) {
      if (s.start < at || s.end > text.length || s.start >= s.end) continue;
      out.push(text.slice(at, s.start));
      out.push(el("mark", s.attrs, text.slice(s.start, s.end)));
      at = s.end;
    }
    out.push(text.slice(at));
    return out;
  }

  function renderDoc(doc, focusVariant) {
    const shown = doc.summaries.filter(
      ([v, , , figs]) => variantShown(v) && (!state.unsupported || figs.some((f) => !f[2]))
    );
    const evidence = new Map();
    for (const [v, , , figs] of shown) {
      for (const f of figs) {
        if (f[6] === null || f[6] === undefined) continue;
        const key = f[6] + "-" + f[7];
        const e = evidence.get(key) || { start: f[6], end: f[7], ok: false, near: false, notes: [] };
        e.ok = e.ok || f[2];
        e.near = e.near || !f[2];
        e.notes.push(variantName(v) + ": " + (f[2] ? "supports " : "nearest to unsupported ") + JSON.stringify(f[5] || f[4]));
        evidence.set(key, e);
      }
    }
    const articleSpans = [...evidence.values()].map((e) => ({
      start: e.start, end: e.end,
      attrs: { class: "src " + (e.ok ? "ok" : "bad") + (e.near ? " near" : ""), id: "src-" + e.start + "-" + e.end, title: e.notes.join("\n") },
    }));
    const article = el("div", { class: "article" }, ...(doc.text === null ? ["(the run did not record its documents)"] : marked(doc.text, articleSpans)));
    const cards = shown.map(([v, summary, error, figs]) => summaryCard(v, summary, error, figs, focusVariant));
    const refs = doc.references.map((r, i) => el("div", { class: "card ref" }, el("h4", { text: "reference " + (i + 1) }), el("div", { class: "text", text: r })));
    document.getElementById("doc-view").replaceChildren(
      el("div", {}, el("h3", { text: "Article " + doc.id + " (" + doc.dataset + ")" }), article),
      el("div", {}, el("h3", { text: "Summaries (" + shown.length + ") and references" }), el("div", { class: "summaries" }, ...cards, ...refs))
    );
    if (focusVariant !== undefined) {
      const card = document.querySelector('[data-variant="' + focusVariant + '"]');
      if (card) card.scrollIntoView({ block: "nearest" });
    }
  }

  function summaryCard(v, summary, error, figs, focusVariant) {
    const spans = figs.map((f, i) => ({
      start: f[0], end: f[1],
      attrs: { class: "fig " + (f[2] ? "ok" : "bad"), title: figureTitle(f), "data-src": f[6] === null ? "" : f[6] + "-" + f[7], "data-fig": String(i) },
    }));
    const x = variants[v];
    const tag = x.readsReferences ? " (reads the references)" : "";
    const bad = figs.filter((f) => !f[2]);
    const list = el("ul", { class: "figs" }, ...bad.map((f) => el("li", { text: summary.slice(f[0], f[1]) + " — " + figureTitle(f) })));
    const body = error ? el("div", { class: "error", text: "failed: " + error }) : el("div", { class: "text" }, ...marked(summary, spans));
    const card = el("div", { class: "card" + (x.readsReferences ? " reader" : ""), "data-variant": String(v) },
      el("h4", {}, variantName(v), el("span", { class: "tag", text: tag + "  " + figs.length + " figures, " + bad.length + " unsupported" })), body, list);
    if (String(focusVariant) === String(v)) card.style.outline = "2px solid #0969da";
    return card;
  }

  document.addEventListener("click", (e) => {
    const mark = e.target.closest && e.target.closest("mark.fig");
    if (!mark || !mark.dataset.src) return;
    const target = document.getElementById("src-" + mark.dataset.src);
    if (!target) return;
    target.scrollIntoView({ block: "center" });
    target.classList.add("flash");
    setTimeout(() => target.classList.remove("flash"), 1200);
  });

  // ------------------------------------------------------------------ paged, sortable tables
  function table(container, columns, rows, options) {
    const opts = Object.assign({ pageSize: 50, group: null }, options || {});
    const view = { sort: opts.sort ?? null, desc: false, page: 0, text: "", system: "" };
    const filterBox = el("input", { type: "text", placeholder: "filter…", "aria-label": "filter" });
    const systemBox = el("select", { "aria-label": "system" }, el("option", { value: "", text: "every system" }),
      ...[...new Set(variants.map((x) => x.system))].map((s) => el("option", { value: s, text: s })));
    const pager = el("div", { class: "pager" });
    const holder = el("div", { class: "scroll" });
    container.replaceChildren(el("div", { class: "controls" }, filterBox, systemBox, pager), holder);
    filterBox.addEventListener("input", () => { view.text = filterBox.value.toLowerCase(); view.page = 0; draw(); });
    systemBox.addEventListener("change", () => { view.system = systemBox.value; view.page = 0; draw(); });

    function selected() {
      let out = rows.filter((r) => (!view.system || (variants[r[1]] || {}).system === view.system) &&
        (!view.text || columns.some((c) => String(c.get(r) ?? "").toLowerCase().includes(view.text))));
      if (view.sort !== null) {
        const get = columns[view.sort].get;
        out = out.map((r, i) => [r, i]).sort((a, b) => {
          const x = get(a[0]), y = get(b[0]);
          const order = x === y ? a[1] - b[1] : x === null || x === undefined ? 1 : y === null || y === undefined ? -1 : x < y ? -1 : 1;
          return view.desc && x !== y ? -order : order;
        }).map((p) => p[0]);
      }
      return out;
    }

    function draw() {
      const chosen = selected();
      const pages = Math.max(1, Math.ceil(chosen.length / opts.pageSize));
      view.page = Math.min(view.page, pages - 1);
      const page = chosen.slice(view.page * opts.pageSize, (view.page + 1) * opts.pageSize);
      const head = el("tr", {}, ...columns.map((c, i) => el("th", {
        class: "sortable" + (c.num ? " num" : ""), title: "sort",
        onclick: () => { view.desc = view.sort === i ? !view.desc : false; view.sort = i; draw(); },
      }, c.name + (view.sort === i ? (view.desc ? " ▼" : " ▲") : ""))));
      const body = [];
      let group = null;
      for (const r of page) {
        if (opts.group !== null && view.sort === opts.group) {
          const g = columns[opts.group].get(r);
          if (g !== group) { group = g; body.push(el("tr", { class: "group" }, el("td", { colspan: String(columns.length), text: g }))); }
        }
        body.push(el("tr", {}, ...columns.map((c) => el("td", { class: c.num ? "num" : "" }, c.cell ? c.cell(r) : fmt(c.get(r))))));
      }
      holder.replaceChildren(el("table", {}, el("thead", {}, head), el("tbody", {}, ...body)));
      pager.replaceChildren(
        el("button", { type: "button", text: "←", onclick: () => { view.page -= 1; draw(); } }),
        el("span", { class: "page-info", text: "page " + (view.page + 1) + " of " + pages + " (" + chosen.length + " rows)" }),
        el("button", { type: "button", text: "→", onclick: () => { view.page = Math.min(view.page + 1, pages - 1); draw(); } })
      );
      pager.firstChild.disabled = view.page === 0;
      pager.lastChild.disabled = view.page >= pages - 1;
    }
    draw();
  }

  function fmt(x) {
    if (x === null || x === undefined) return "–";
    if (typeof x === "number") return Math.abs(x) >= 10 ? x.toFixed(1) : Number.isInteger(x) ? String(x) : x.toFixed(3);
    return String(x);
  }

  function docLink(r) {
    if (r[0] === null || r[0] === undefined) return String(r[2]);
    return el("a", { href: "#doc=" + r[0] + "&v=" + r[1], text: String(r[2]) });
  }

  function tables() {
    const base = [
      { name: "system", get: (r) => variantName(r[1]) },
      { name: "document", get: (r) => r[2], cell: docLink },
    ];
    const u = DATA.unsupported;
    const box = document.getElementById("unsupported-table");
    if (u.rows.length) {
      table(box, [...base,
        { name: "figure", get: (r) => r[3] }, { name: "reason", get: (r) => r[4] },
        { name: "nearest in the article", get: (r) => r[5] }, { name: "sentence", get: (r) => r[6] }],
        u.rows, { sort: 0, group: 0 });
      box.prepend(el("p", { class: "note", text: u.rows.length + (u.rows.length === 1 ? " figure" : " figures") + " that a summary states and its article does not support. Grouped by system; click a header to sort, a document to open it." }));
    } else {
      box.replaceChildren(el("p", { text: u.measured ? "Every figure in every summary is supported by its article." : "These runs did not measure figure fidelity." }));
    }
    const s = DATA.scores;
    table(document.getElementById("scores-table"),
      [...base, ...s.measures.map((m, i) => ({ name: m, get: (r) => r[3 + i], num: true }))], s.rows, {});
  }

  // ------------------------------------------------------------------ start
  function fromHash() {
    const m = /doc=(\d+)(?:&v=(\d+))?/.exec(location.hash);
    if (!m) return false;
    const n = Number(m[1]);
    if (n >= index.length) return false;
    if (!state.matching.includes(n)) {
      state.system = ""; state.prompt = ""; state.unsupported = false;
      document.getElementById("filter-system").value = "";
      document.getElementById("filter-prompt").value = "";
      document.getElementById("filter-unsupported").checked = false;
      state.matching = index.map((_, i) => i);
      refilter();
    }
    state.doc = n;
    show(m[2] === undefined ? undefined : Number(m[2]));
    document.getElementById("documents").scrollIntoView();
    return true;
  }

  const systemSelect = document.getElementById("filter-system");
  for (const s of new Set(variants.map((v) => v.system))) systemSelect.append(el("option", { value: s, text: s }));
  const promptSelect = document.getElementById("filter-prompt");
  for (const p of prompts) promptSelect.append(el("option", { value: p, text: p }));
  systemSelect.addEventListener("change", () => { state.system = systemSelect.value; refilter(); });
  promptSelect.addEventListener("change", () => { state.prompt = promptSelect.value; refilter(); });
  document.getElementById("filter-unsupported").addEventListener("change", (e) => { state.unsupported = e.target.checked; refilter(); });
  document.getElementById("doc-select").addEventListener("change", (e) => openDoc(Number(e.target.value)));
  document.getElementById("doc-prev").addEventListener("click", () => go(-1));
  document.getElementById("doc-next").addEventListener("click", () => go(1));
  window.addEventListener("hashchange", fromHash);
  tables();
  if (index.length) {
    refilter();
    fromHash();
  } else {
    showMessage("These runs recorded no summaries (generations.jsonl).");
  }
})();
