'use strict';
// The tracker page: polls /api/board every second and marks claimed rows.

const board = document.getElementById('board');
let editing = null;

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.substring(2), v);
    else if (v !== false && v != null) e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c != null) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

function holderText(c) {
  const who = c.user ? `${c.label} for ${c.user}` : c.label;
  const since = new Date(c.since).toLocaleTimeString();
  const progress = c.total != null ? `, ${c.done}/${c.total} done` : '';
  return `claimed by ${who} (operation ${c.operationId.substring(0, 8)}) since ${since}${progress}`;
}

function mark(c) {
  return c ? el('span', { class: 'mark', title: holderText(c) }, holderText(c)) : null;
}

function render(data) {
  document.getElementById('store').textContent = 'Claims: ' + data.store;
  board.replaceChildren(...data.projects.map(p => {
    const claimed = !!p.claim;
    return el('div', { class: 'project', 'data-project': p.id },
      el('div', { class: 'head' + (claimed ? ' claimed' : '') },
        el('h2', {}, p.name),
        el('button', { class: 'reschedule', 'data-project': p.id, disabled: claimed,
                       title: claimed ? 'The project is claimed: ' + holderText(p.claim) : 'Move every task by a week',
                       onclick: () => reschedule(p.id) }, 'Reschedule all tasks (+7 days)'),
        mark(p.claim)),
      p.milestones.map(m => el('div', { class: 'milestone' },
        el('div', { class: 'head' + (m.claim ? ' claimed' : '') }, `${m.name} · due ${m.due}`, mark(m.claim)),
        el('table', {}, el('tbody', {}, m.tasks.map(t => taskRow(t)))))));
  }));
  const ops = document.getElementById('operations');
  ops.replaceChildren(...(data.operations.length ? data.operations.map(o => el('li', { class: 'op', 'data-op': o.operationId },
    `${o.label} of project ${o.projectId}: ${o.state} `, el('progress', { max: o.total, value: o.done }),
    ` ${o.done}/${o.total}`, o.error ? el('div', { class: 'why' }, o.error) : null))
    : [el('li', { class: 'muted' }, 'None yet.')]));
}

function taskRow(t) {
  const claimed = !!t.claim;
  const why = claimed ? 'Locked: ' + holderText(t.claim) + '. Wait until it finishes.' : null;
  return el('tr', { class: 'task' + (claimed ? ' claimed' : ''), 'data-task': t.id },
    el('td', {}, t.title),
    el('td', {}, t.due),
    el('td', {},
      el('button', { class: 'edit', disabled: claimed, title: why || 'Edit this task', onclick: () => openEditor(t) }, 'Edit'),
      ' ',
      el('button', { class: 'delete', disabled: claimed, title: why || 'Delete this task', onclick: () => remove(t) }, 'Delete')),
    el('td', {}, claimed ? el('span', { class: 'why' }, `locked by ${t.claim.label}`) : null));
}

async function refresh() {
  try {
    const r = await fetch('api/board', { cache: 'no-store' });
    if (r.ok) render(await r.json());
  } catch (e) {
    document.getElementById('store').textContent = 'The server does not answer: ' + e;
  }
}

async function problem(r) {
  const body = await r.json().catch(() => ({}));
  if (r.status === 409 && body.rows && body.rows.length) {
    const h = body.rows[0];
    const rows = body.rows.length > 1 ? ` and ${body.rows.length - 1} more rows` : '';
    return `Refused: ${h.entity} ${h.id}${rows} is held by ${h.label || h.operationId}` +
      (h.user ? ` for ${h.user}` : '') + ` (operation ${h.operationId.substring(0, 8)}) since ` +
      `${new Date(h.since).toLocaleTimeString()}. Try again when that operation has finished.`;
  }
  return `Refused (${r.status}): ${body.detail || body.message || r.statusText}`;
}

async function reschedule(projectId) {
  const r = await fetch(`api/projects/${projectId}/reschedule?days=7`, { method: 'POST' });
  if (!r.ok) alert(await problem(r));
  refresh();
}

async function remove(t) {
  if (!confirm(`Delete "${t.title}"?`)) return;
  const r = await fetch(`api/tasks/${t.id}`, { method: 'DELETE' });
  if (!r.ok) alert(await problem(r));
  refresh();
}

function openEditor(t) {
  editing = t;
  document.getElementById('editor').hidden = false;
  document.getElementById('edit-id').textContent = '#' + t.id;
  document.getElementById('edit-title').value = t.title;
  document.getElementById('edit-due').value = t.due;
  document.getElementById('edit-result').replaceChildren();
}

document.getElementById('edit-cancel').addEventListener('click', () => {
  editing = null;
  document.getElementById('editor').hidden = true;
});

document.getElementById('edit-form').addEventListener('submit', async ev => {
  ev.preventDefault();
  const result = document.getElementById('edit-result');
  const r = await fetch(`api/tasks/${editing.id}`, {
    method: 'PUT', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: document.getElementById('edit-title').value, due: document.getElementById('edit-due').value })
  });
  if (r.ok) {
    result.replaceChildren(el('div', { class: 'saved' }, 'Saved.'));
  } else {
    result.replaceChildren(el('div', { class: 'refused' }, await problem(r)));
  }
  refresh();
});

refresh();
setInterval(refresh, 1000);
