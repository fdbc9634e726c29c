import type { Check } from './check';

export const unknownKey: Check = {
  code: 'unknown-key',
  defaultSeverity: 'error',
  description: 'A key citation (`[@key]`, `\\cite{key}`) whose key no bibliography entry has.',
  run(ctx) {
    const out: ReturnType<Check['run']> = [];
    const keyed = ctx.references.some((e) => e.key);
    if (!keyed) return out;
    for (const i of ctx.notable) {
      const c = ctx.citations[i];
      if (c.kind !== 'key' || !c.key || c.key === '*' || c.ignored) continue;
      const r = ctx.resolutions[i];
      if (r.status !== 'unresolved') continue;
      const near = (r.candidates ?? []).map((k) => ctx.references[k]).filter((e) => e.key);
      // A narrative `@word` counts only if it is close to a real key.
      if (c.weak && near.length === 0) continue;
      out.push({
        uri: ctx.uri,
        range: c.keyRange ?? c.range,
        message: `Unknown citation key '${c.key}'${near.length ? `; did you mean ${near.map((e) => `'${e.key}'`).join(', ')}?` : '.'}`,
        fixes: near.map((e, k) => ({ title: `Change to '${e.key}'`, edits: [{ range: c.keyRange ?? c.range, newText: e.key! }], preferred: k === 0 })),
        data: { citation: i, key: c.key },
      });
    }
    return out;
  },
};
