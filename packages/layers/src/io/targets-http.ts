import { ModelFormatError } from './errors';
import { readReferencedBlobs } from './file-refs';
import { parseUntrustedJson } from './json';
import { checkModelJson } from './model-format';
import type { IOHandler } from './targets';

/**
 * `http(s)://…/model.json` (or the directory URL ending in `/`): loads a model served as files, e.g. a saved
 * directory behind any static web server. Blobs are fetched relative to the model.json URL and verified.
 * Load only. Uses the global `fetch` (browsers, Node ≥ 18).
 */
export function httpHandler(url: string, init?: RequestInit): IOHandler {
  const jsonUrl = new URL(
    url.endsWith('.json') ? url : url.endsWith('/') ? `${url}model.json` : `${url}/model.json`,
  );
  const get = async (u: URL): Promise<Response> => {
    const res = await fetch(u, init);
    if (!res.ok)
      throw new ModelFormatError(`loadModel: GET ${u.href} answered ${res.status} ${res.statusText}`);
    return res;
  };
  return {
    async load() {
      const text = await (await get(jsonUrl)).text();
      const modelJson = checkModelJson(
        parseUntrustedJson(text, (_, m) => new ModelFormatError(`loadModel: ${jsonUrl.href}: ${m}`)),
      );
      return readReferencedBlobs(
        modelJson,
        jsonUrl.href,
        async (file) => new Uint8Array(await (await get(new URL(file, jsonUrl))).arrayBuffer()),
      );
    },
  };
}
