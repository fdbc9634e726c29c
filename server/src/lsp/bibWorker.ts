/**
 * The bibliography worker thread: reads bibliography files and formats entries (BibService),
 * so that a 10,000-entry `.bib` or loading citation-js never holds up the editor's requests.
 * Messages: `{ id, method: 'index' | 'format' | 'forget' | 'warm', params }` -> `{ id, result }` or `{ id, error }`.
 */
import { parentPort } from 'node:worker_threads';
import { BibService } from './bibService';

const service = new BibService();

parentPort?.on('message', (m: { id: number; method: string; params: unknown }) => {
  let result: unknown;
  try {
    result = call(m.method, m.params);
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: String((e as Error)?.stack ?? e) });
    return;
  }
  parentPort!.postMessage({ id: m.id, result });
});

function call(method: string, params: unknown): unknown {
  switch (method) {
    case 'index':
      return service.index(params as Parameters<BibService['index']>[0]);
    case 'format':
      return service.formatEntries(params as Parameters<BibService['formatEntries']>[0]);
    case 'forget':
      service.forget((params as { uri: string }).uri);
      return null;
    case 'warm':
      return service.warm();
    default:
      throw new Error(`unknown method ${method}`);
  }
}
