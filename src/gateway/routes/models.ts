/** GET /v1/models in OpenAI's list shape; routes are listed too since clients may ask for them. */
import type { Handler } from '../context.js';
import type { Runtime } from '../../runtime/types.js';
import { sendJson } from '../send-json.js';

export function modelsHandler(runtime: Runtime): Handler {
  const created = Math.floor(Date.now() / 1000);
  return async function listModels(ctx) {
    const data = runtime.listModels().map((model) => ({
      id: model.id,
      object: 'model',
      created,
      owned_by: model.ownedBy,
      arbiter: { kind: model.kind, simulated: model.simulated },
    }));
    sendJson(ctx, 200, { object: 'list', data });
  };
}
