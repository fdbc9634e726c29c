#!/usr/bin/env node
// Measures the checker on the labelled development papers in ../shared/corpus/dev (see its README).
// Prints, per paper: entries found, citations found and resolved right, problems caught, false alarms.
'use strict';
const fs = require('fs');
const path = require('path');
const { analyze } = require('../server/out/core/index.js');
const dir = process.argv.slice(2).find((a) => !a.startsWith('-')) || path.join(__dirname, '../../shared/corpus/dev');
const verbose = process.argv.includes('-v');
const PROBLEM = { 'no-matching-reference': 'unresolved-citation', 'year-mismatch': 'year-mismatch', 'author-spelling': 'author-mismatch', ambiguous: 'ambiguous-citation' };
const fold = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const rows = [];
const tot = { refs: 0, refsFound: 0, cits: 0, citsFound: 0, resolvedRight: 0, resolvable: 0, problems: 0, caught: 0, uncited: 0, uncitedCaught: 0, falseAlarms: 0 };
for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.labels.json')).sort()) {
  const labels = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
  const base = f.replace('.labels.json', '');
  const doc = fs.readdirSync(dir).find((g) => g.startsWith(base + '.') && !g.endsWith('.json'));
  const text = fs.readFileSync(path.join(dir, doc), 'utf8');
  const a = analyze({ uri: doc, text });
  const line = (o) => a.lines.lineAt(o) + 1;
  const refLines = new Map();
  for (const r of labels.references) refLines.set(r.label || `${r.first_author} ${r.year}`, r);
  const entryByLine = new Map(a.references.map((e) => [line(e.range.start), e]));
  const refsFound = labels.references.filter((r) => entryByLine.has(r.line)).length;
  const missingRefs = labels.references.filter((r) => !entryByLine.has(r.line)).map((r) => r.line);
  const extraRefs = a.references.filter((e) => !labels.references.some((r) => r.line === line(e.range.start))).map((e) => line(e.range.start));
  let citsFound = 0, resolvedRight = 0, resolvable = 0, problems = 0, caught = 0;
  const used = new Set();
  const misses = [];
  const problemLines = new Set();
  for (const c of labels.citations) {
    const l0 = c.line, l1 = c.end_line || c.line;
    const year = ((c.text.replace(/\]\([^)]*\)/g, '').match(/(1[5-9]\d\d|20\d\d|n\.d\.)/g) || ['']).pop());
    const idx = a.citations.findIndex((x, i) => !used.has(i) && line(x.range.start) >= l0 && line(x.range.start) <= l1 + 0 && (x.kind === 'key' ? (c.key ? x.key === c.key : true) : (!year || x.year === year)));
    if (c.problem) { problems++; problemLines.add(l0); }
    if (idx === -1) { misses.push(`L${l0} ${c.text}${c.problem ? ' [' + c.problem + ']' : ''}`); continue; }
    used.add(idx);
    citsFound++;
    const res = a.resolutions[idx];
    if (c.resolves_to) {
      resolvable++;
      const ref = refLines.get(c.resolves_to);
      if (ref && res.status === 'resolved' && res.entry !== undefined && line(a.references[res.entry].range.start) === ref.line) resolvedRight++;
      else misses.push(`L${l0} ${c.text} -> ${c.resolves_to}: got ${res.status} ${res.entry !== undefined ? 'L' + line(a.references[res.entry].range.start) : ''}`);
    }
    if (c.problem) {
      const code = PROBLEM[c.problem];
      const d = a.diagnostics.find((d) => d.code === code && line(d.range.start) >= l0 && line(d.range.start) <= l1);
      if (d) caught++;
      else misses.push(`MISSED ${c.problem} L${l0} ${c.text}: got ${res.status}`);
    }
  }
  // Uncited entries.
  const wantUncited = labels.references.filter((r) => !r.cited && !(r.near_miss_citation_lines || []).length);
  const gotUncited = a.diagnostics.filter((d) => d.code === 'uncited-reference').map((d) => line(d.range.start));
  const uncitedCaught = wantUncited.filter((r) => gotUncited.includes(r.line)).length;
  const okOther = new Set(labels.other_problems.filter((o) => o.what !== 'false-positive-trap').map((o) => o.line));
  // False alarms: error/warning diagnostics that no label asks for.
  const alarms = a.diagnostics.filter((d) => {
    const l = line(d.range.start);
    if (d.severity === 'information' || d.severity === 'hint') return false;
    if (d.code === 'uncited-reference') return !wantUncited.some((r) => r.line === l);
    if (okOther.has(l)) return false;
    return !problemLines.has(l) && !labels.citations.some((c) => c.problem && l >= c.line && l <= (c.end_line || c.line));
  });
  rows.push({ paper: base, refs: `${refsFound}/${labels.references.length}`, cits: `${citsFound}/${labels.citations.length}`, resolved: `${resolvedRight}/${resolvable}`, problems: `${caught}/${problems}`, uncited: `${uncitedCaught}/${wantUncited.length}`, falseAlarms: alarms.length, info: a.diagnostics.filter((d) => d.severity === 'information').length });
  Object.assign(tot, { refs: tot.refs + labels.references.length, refsFound: tot.refsFound + refsFound, cits: tot.cits + labels.citations.length, citsFound: tot.citsFound + citsFound, resolvedRight: tot.resolvedRight + resolvedRight, resolvable: tot.resolvable + resolvable, problems: tot.problems + problems, caught: tot.caught + caught, uncited: tot.uncited + wantUncited.length, uncitedCaught: tot.uncitedCaught + uncitedCaught, falseAlarms: tot.falseAlarms + alarms.length });
  if (verbose) {
    console.log(`\n== ${base}`);
    if (missingRefs.length) console.log('  entries not found at lines', missingRefs.join(' '));
    if (extraRefs.length) console.log('  extra entries at lines', extraRefs.join(' '));
    for (const m of misses) console.log('  ' + m);
    for (const d of alarms) console.log(`  FALSE ALARM L${line(d.range.start)} ${d.code}: ${d.message}`);
    for (const d of a.diagnostics.filter((d) => d.severity === 'information')) console.log(`  info L${line(d.range.start)} ${d.code}: ${d.message}`);
  }
}
console.table(rows);
const pct = (a, b) => (b ? ((100 * a) / b).toFixed(1) + '%' : '-');
console.log(`entries ${pct(tot.refsFound, tot.refs)} · citations found ${pct(tot.citsFound, tot.cits)} · resolved right ${pct(tot.resolvedRight, tot.resolvable)} · problems caught ${tot.caught}/${tot.problems} · uncited caught ${tot.uncitedCaught}/${tot.uncited} · false alarms ${tot.falseAlarms}`);
