#!/usr/bin/env node
// Usage: node scripts/golden.js . <out.json>          (writes analyze() output for many inputs)
//        node scripts/golden.js . <out.json> --compare <baseline.json>
// For refactors that must not change behaviour: write a baseline before, compare after.
// Requires `npx tsc -b` in <repo-dir> first. Inputs: shared corpus, test fixtures, generated papers in all styles.
const fs = require('fs'), path = require('path');
const repo = path.resolve(process.argv[2]); const out = process.argv[3];
const cmpI = process.argv.indexOf('--compare');
const core = require(path.join(repo, 'test/out/server/src/core/index.js'));
const gen = require(path.join(repo, 'test/out/test/helpers/generate.js'));
const files = [];
function walk(d) { for (const f of fs.readdirSync(d)) { const p = path.join(d, f); if (fs.statSync(p).isDirectory()) walk(p); else if (/\.(md|qmd|Rmd|Rnw|rst|tex|txt)$/.test(f)) files.push(p); } }
const corpus = path.join(repo, '../shared/corpus'); if (fs.existsSync(corpus)) walk(corpus); walk(path.join(repo, 'test/fixtures'));
const inputs = files.sort().map((f) => ({ name: path.relative(path.dirname(repo), f).replace(/^[^/]+\//, ''), uri: 'file://' + f.replace(/^.*?(test\/fixtures|shared\/corpus)/, '/$1'), text: fs.readFileSync(f, 'utf8') }));
for (const style of ['markdown', 'plaintext', 'rst', 'latex']) for (const seed of [1, 2, 3, 4, 5, 6]) for (const wrap of [0, 72]) {
  const p = gen.generatePaper({ seed, entries: 120, targetBytes: 60000, style, wrap });
  inputs.push({ name: `gen-${style}-${seed}-${wrap}`, uri: p.uri, text: p.text });
}
const p1 = gen.generatePaper({ seed: 2025, ...gen.PAPER_SIZES['1MB'], style: 'markdown', wrap: 0 });
inputs.push({ name: 'gen-1MB', uri: p1.uri, text: p1.text });
function strip(a) { return { sections: a.sections, references: a.references, citations: a.citations, resolutions: a.resolutions, diagnostics: a.diagnostics, bibliographyPaths: a.bibliographyPaths }; }
const res = {};
for (const i of inputs) {
  res[i.name] = strip(core.analyze({ uri: i.uri, text: i.text }));
  // incremental: Analyzer over a few edits must equal scratch
  const A = new core.Analyzer(); A.analyze({ uri: i.uri, text: i.text });
  let t = i.text;
  for (let k = 1; k <= 3; k++) { const at = Math.floor(t.length * k / 4); t = t.slice(0, at) + (k === 2 ? '' : 'x') + t.slice(at + (k === 2 ? 1 : 0)); const a = JSON.stringify(strip(A.analyze({ uri: i.uri, text: t }))), b = JSON.stringify(strip(core.analyze({ uri: i.uri, text: t }))); if (a !== b) { console.log('INCREMENTAL DIFFERS', i.name, k); process.exitCode = 1; } }
}
// Edits in the reference lists: a name letter, a title letter, an entry repeated, an entry deleted.
for (const i of inputs) {
  const a0 = core.analyze({ uri: i.uri, text: i.text });
  const list = a0.references.filter((e) => e.source.kind === 'list');
  if (!list.length) continue;
  const A = new core.Analyzer(); A.analyze({ uri: i.uri, text: i.text });
  let t = i.text;
  const picks = [list[0], list[list.length >> 1], list[list.length - 1]];
  const edits = [];
  for (const e of picks) {
    const ar = e.authorRange ?? e.range;
    edits.push((t) => t.slice(0, ar.start + 1) + 'q' + t.slice(ar.start + 2));
    edits.push((t) => t.slice(0, e.range.end - 2) + 'zz' + t.slice(e.range.end - 2));
  }
  edits.push((t) => { const e = picks[1]; return t.slice(0, e.range.start) + t.slice(e.range.start, e.range.end) + '\n' + t.slice(e.range.start); });
  edits.push((t) => { const e = picks[0]; return t.slice(0, e.range.start) + t.slice(e.range.end); });
  for (let k = 0; k < edits.length; k++) {
    t = edits[k](t);
    const a = JSON.stringify(strip(A.analyze({ uri: i.uri, text: t }))), b = JSON.stringify(strip(core.analyze({ uri: i.uri, text: t })));
    if (a !== b) { console.log('LIST-EDIT INCREMENTAL DIFFERS', i.name, k); process.exitCode = 1; }
  }
}
fs.writeFileSync(out, JSON.stringify(res));
console.log('wrote', Object.keys(res).length, 'inputs to', out);
if (cmpI > 0) {
  const base = JSON.parse(fs.readFileSync(process.argv[cmpI + 1], 'utf8')); let bad = 0;
  for (const k of Object.keys(base)) { const a = JSON.stringify(base[k]), b = JSON.stringify(res[k]); if (a !== b) { bad++; let j = 0; while (a[j] === b[j]) j++; console.log('DIFFERS', k, '\n  base:', a.slice(Math.max(0, j - 200), j + 200), '\n  now: ', (b || '').slice(Math.max(0, j - 200), j + 200)); } }
  console.log(bad ? `${bad} inputs differ` : 'identical'); if (bad) process.exitCode = 1;
}
