import type { Rollout } from '../../../src/app/rollout.ts';
import { envelope } from '../../support/fixtures.ts';

/** Issues a server key and returns what the command result shows once: its id and the key. */
export const issueServerKey = async (rollout: Rollout, environmentId: string, name = 'sdk') => {
  const result = await rollout.bus.send(envelope('IssueServerKey', { environmentId, name }));
  if (result.status !== 'accepted' || !result.serverKey) throw new Error(`IssueServerKey: ${result.status} ${result.error?.message ?? ''}`);
  return result.serverKey;
};
