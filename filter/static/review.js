// The review page of `article-filter serve`: show each paragraph tinted by its label, let a person change
// labels, and save the result to the server's feedback folder (POST /feedback), in the row format that
// `article-filter retrain --data FOLDER` reads.
//
// Rules this file keeps: every piece of document text reaches the page through textContent (never
// innerHTML), the page talks only to its own server (the CSP says connect-src 'self'), and files the user
// opens are read here in the browser; only the rows shown are sent, and only when Save is pressed.
'use strict';

(function () {
  const LABELS = ['core', 'promotion', 'filler', 'boilerplate'];
  // Rendering more than this many paragraphs makes the page sluggish, and a save of that many rows with
  // their probabilities and cues (~1-2 MB of JSON) is already half the server's default 4 MiB body limit.
  // It is 10x the default `uncertain -n 200`.
  const MAX_PARAGRAPHS = 2000;

  const state = {
    session: newSession(),
    docs: [], // [{id, rows: [{index, start, end, text, label, model_label, probabilities, cues}]}]
    token: sessionStorage.getItem('article-filter-token') || '',
    pasted: 0,
    skipped: 0, // documents not shown because of MAX_PARAGRAPHS
  };

  function $(id) { return document.getElementById(id); }

  function newSession() {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function setStatus(message, bad) {
    const s = $('status');
    s.textContent = message;
    s.classList.toggle('bad', Boolean(bad));
  }

  function headers() {
    const h = { 'Content-Type': 'application/json' };
    if (state.token) h.Authorization = 'Bearer ' + state.token;
    return h;
  }

  async function call(method, path, body) {
    const init = { method: method, headers: headers() };
    if (body !== undefined) init.body = JSON.stringify(body);
    const res = await fetch(path, init);
    let data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    if (res.status === 401) $('token-box').hidden = false;
    if (!res.ok) {
      const why = data && typeof data.error === 'string' ? data.error : res.statusText;
      throw new Error(res.status + ': ' + why);
    }
    return data;
  }

  // ------------------------------------------------------------------------------------------ model info
  async function loadHealth() {
    try {
      const h = await call('GET', '/health');
      const m = h.model || {};
      const parts = ['model: ' + (m.version ? m.version + ' of ' : '') + (m.source || '?')];
      if (m.sha256) parts.push('sha256 ' + String(m.sha256).slice(0, 12));
      parts.push('kept when P(core) >= ' + m.min_core_probability);
      if (!h.feedback) parts.push('saving is off (start serve with --feedback DIR)');
      $('model').textContent = parts.join('; ');
      $('token-box').hidden = true;
    } catch (e) {
      $('model').textContent = 'cannot reach the model: ' + e.message;
    }
  }

  // ------------------------------------------------------------------------------------------- documents
  function rowFromParagraph(p) {
    const probs = p.probabilities && typeof p.probabilities === 'object' ? p.probabilities : {};
    const label = LABELS.includes(p.label) ? p.label : null;
    const guess = LABELS.includes(p.model_label) ? p.model_label : label;
    return {
      index: Number.isInteger(p.index) ? p.index : 0,
      start: Number.isInteger(p.start) ? p.start : undefined,
      end: Number.isInteger(p.end) ? p.end : undefined,
      text: String(p.text),
      label: label,
      model_label: guess,
      probabilities: probs,
      cues: Array.isArray(p.cues) ? p.cues.map(String) : [],
      clickbait: typeof p.clickbait === 'number' && Number.isFinite(p.clickbait) ? p.clickbait : null,
    };
  }

  function addDocument(id, paragraphs) {
    const rows = paragraphs.map(rowFromParagraph).sort((a, b) => a.index - b.index);
    if (paragraphCount() + rows.length > MAX_PARAGRAPHS) { state.skipped += 1; return false; }
    state.docs.push({ id: id, rows: rows });
    return true;
  }

  function paragraphCount() {
    return state.docs.reduce((n, d) => n + d.rows.length, 0);
  }

  // A JSONL file: feedback / classify rows ({doc_id, index, text, label, ...}) grouped by doc_id, or
  // training documents ({id, paragraphs: [{text, label}]}). Bad lines are reported and skipped.
  function parseJsonl(text) {
    const byDoc = new Map();
    const problems = [];
    let docs = 0;
    text.split(/\r?\n/).forEach((line, i) => {
      if (!line.trim()) return;
      let row;
      try { row = JSON.parse(line); } catch (e) { problems.push('line ' + (i + 1) + ': not JSON'); return; }
      if (row && typeof row === 'object' && typeof row.id === 'string' && Array.isArray(row.paragraphs)) {
        const paras = row.paragraphs.filter((p) => p && typeof p.text === 'string')
          .map((p, k) => Object.assign({}, p, { index: k }));
        if (addDocument(row.id, paras)) docs += 1;
      } else if (row && typeof row === 'object' && row.doc_id !== undefined && typeof row.text === 'string') {
        const id = String(row.doc_id);
        if (!byDoc.has(id)) byDoc.set(id, []);
        byDoc.get(id).push(row);
      } else {
        problems.push('line ' + (i + 1) + ': neither a feedback row nor a document');
      }
    });
    byDoc.forEach((rows, id) => { if (addDocument(id, rows)) docs += 1; });
    return { docs: docs, problems: problems };
  }

  async function classifyText(text, id) {
    const res = await call('POST', '/classify', { text: text });
    addDocument(id, res.paragraphs);
  }

  // ---------------------------------------------------------------------------------------------- render
  function setTint(box, label) {
    LABELS.concat(['unlabelled']).forEach((l) => box.classList.remove('lab-' + l));
    box.classList.add('lab-' + (label || 'unlabelled'));
  }

  function probTable(row) {
    const table = el('table', 'probs');
    table.setAttribute('aria-label', 'probabilities');
    LABELS.forEach((lab) => {
      const value = Number(row.probabilities[lab]);
      if (!Number.isFinite(value)) return;
      const tr = el('tr');
      tr.appendChild(el('td', '', lab));
      tr.appendChild(el('td', '', value.toFixed(2)));
      const bar = el('td', 'bar');
      const track = el('span', 'track');
      const fill = el('span', 'fill fill-' + lab);
      fill.style.width = Math.max(0, Math.min(100, value * 100)).toFixed(1) + '%'; // CSSOM: allowed by CSP
      track.appendChild(fill);
      bar.appendChild(track);
      tr.appendChild(bar);
      table.appendChild(tr);
    });
    return table;
  }

  function paragraphBox(doc, row) {
    const box = el('section', 'para');
    box.dataset.doc = doc.id;
    box.dataset.index = String(row.index);
    setTint(box, row.label);
    box.appendChild(el('p', 'text', row.text));
    const why = el('div', 'why');
    const head = el('div');
    const select = el('select', 'label-select');
    select.setAttribute('aria-label', 'label of paragraph ' + row.index);
    if (!row.label) select.appendChild(el('option', '', '(unlabelled)')).value = '';
    LABELS.forEach((lab) => {
      const opt = el('option', '', lab);
      opt.value = lab;
      select.appendChild(opt);
    });
    select.value = row.label || '';
    head.appendChild(select);
    head.appendChild(el('span', 'idx', ' \u00b6' + row.index));
    why.appendChild(head);
    const p = row.model_label ? Number(row.probabilities[row.model_label]) : NaN;
    if (row.model_label) {
      why.appendChild(el('span', 'guess',
        'model: ' + row.model_label + (Number.isFinite(p) ? ' ' + p.toFixed(2) : '')));
    }
    const was = el('span', 'was');
    why.appendChild(was);
    why.appendChild(probTable(row));
    if (row.cues.length) {
      const ul = el('ul', 'cues');
      row.cues.forEach((c) => ul.appendChild(el('li', '', c)));
      why.appendChild(ul);
    } else {
      why.appendChild(el('div', 'empty', 'no cues recorded'));
    }
    if (row.clickbait !== null) {
      why.appendChild(el('div', 'bait', 'clickbait score ' + row.clickbait.toFixed(2)));
    }
    box.appendChild(why);
    const mark = () => {
      const changed = Boolean(row.model_label) && row.label !== row.model_label;
      box.classList.toggle('changed', changed);
      was.textContent = changed ? 'corrected (model said ' + row.model_label + ')' : '';
    };
    select.addEventListener('change', () => {
      row.label = LABELS.includes(select.value) ? select.value : null;
      setTint(box, row.label);
      mark();
      updateCounts();
    });
    mark();
    return box;
  }

  function render() {
    const root = $('docs');
    root.replaceChildren();
    state.docs.forEach((doc) => {
      const article = el('article', 'doc');
      article.appendChild(el('h2', '', doc.id));
      if (!doc.rows.length) article.appendChild(el('p', 'empty', 'no paragraphs'));
      doc.rows.forEach((row) => article.appendChild(paragraphBox(doc, row)));
      root.appendChild(article);
    });
    updateCounts();
  }

  function updateCounts() {
    const rows = state.docs.flatMap((d) => d.rows);
    const changed = rows.filter((r) => r.model_label && r.label !== r.model_label).length;
    const unlabelled = rows.filter((r) => !r.label).length;
    $('counts').textContent = rows.length
      ? state.docs.length + ' documents, ' + rows.length + ' paragraphs, ' + changed + ' corrected' +
        (unlabelled ? ', ' + unlabelled + ' unlabelled (label them to save)' : '')
      : 'no documents';
    $('save').disabled = !rows.length || unlabelled > 0;
    $('clear').disabled = !rows.length;
  }

  // ------------------------------------------------------------------------------------------- actions
  async function onClassify() {
    const text = $('paste').value;
    if (!text.trim()) { setStatus('paste some text first', true); return; }
    state.pasted += 1;
    const id = $('doc-name').value.trim() || 'pasted-' + state.session.slice(0, 8) + '-' + state.pasted;
    setStatus('classifying\u2026');
    try {
      await classifyText(text, id);
      render();
      setStatus('classified ' + id);
    } catch (e) {
      setStatus('classify failed: ' + e.message, true);
    }
  }

  async function onFile() {
    const input = $('file');
    const file = input.files && input.files[0];
    if (!file) return;
    try {
      const text = await file.text();
      const name = file.name.toLowerCase();
      state.skipped = 0;
      if (/\.(jsonl|ndjson|json)$/.test(name)) {
        const got = parseJsonl(text);
        const extra = got.problems.length ? '; skipped ' + got.problems.slice(0, 5).join('; ') : '';
        setStatus('opened ' + file.name + ': ' + got.docs + ' documents' + extra, got.problems.length > 0);
      } else {
        await classifyText(text, file.name);
        setStatus('classified ' + file.name);
      }
      if (state.skipped) {
        setStatus(state.skipped + ' documents not shown: at most ' + MAX_PARAGRAPHS +
          ' paragraphs fit on one page; Save and Clear, or split the file', true);
      }
      render();
    } catch (e) {
      setStatus('cannot open ' + file.name + ': ' + e.message, true);
    } finally {
      input.value = '';
    }
  }

  async function onSave() {
    const rows = state.docs.flatMap((d) => d.rows.map((r) => ({
      doc_id: d.id, index: r.index, start: r.start, end: r.end, text: r.text, label: r.label,
      model_label: r.model_label || undefined, probabilities: r.probabilities, cues: r.cues,
    })));
    setStatus('saving\u2026');
    try {
      const res = await call('POST', '/feedback', { session: state.session, rows: rows });
      setStatus('saved ' + res.saved + ' rows (' + res.changed + ' corrected) to ' + res.file);
    } catch (e) {
      setStatus('save failed: ' + e.message, true);
    }
  }

  function onClear() {
    state.docs = [];
    state.session = newSession(); // a new set of documents is saved to a new file
    render();
    setStatus('cleared; the next save goes to a new file');
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('classify').addEventListener('click', onClassify);
    $('file').addEventListener('change', onFile);
    $('save').addEventListener('click', onSave);
    $('clear').addEventListener('click', onClear);
    $('token-box').addEventListener('submit', (ev) => {
      ev.preventDefault();
      state.token = $('token').value.trim();
      sessionStorage.setItem('article-filter-token', state.token);
      loadHealth();
    });
    loadHealth();
  });
})();
