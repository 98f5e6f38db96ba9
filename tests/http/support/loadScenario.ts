import { randomUUID } from 'node:crypto';

export const LOAD = { total: 5000, clients: 50, features: 100 } as const;
export const LOAD_ENV = 'load';

const actor = { type: 'apiKey', id: 'load-test' };
const envelope = (type: string, data: Record<string, unknown>) => ({ type, commandId: randomUUID(), actor, data });
const value = (v: string) => ({ type: 'string', value: v });
export const featureIdOf = (i: number) => `feature-${String(i).padStart(3, '0')}`;

export type LoadCommand = { body: ReturnType<typeof envelope>; featureId?: string; rolloutPercentage?: number };

/**
 * 5,000 commands in dependency phases: the environment, 100 features, an experiment each,
 * then rollout adds spread round-robin over the features. Every add of a feature has its
 * own percentage, so none is "unchanged" and the last one decides the feature's state.
 */
export const loadPhases = (): LoadCommand[][] => {
  const { total, features } = LOAD;
  const ids = Array.from({ length: features }, (_, i) => featureIdOf(i));
  const environment = [{ body: envelope('RegisterEnvironment', { environmentId: LOAD_ENV, apiKey: 'load-key', versioning: 'v2' }) }];
  const registered = ids.map((featureId) => ({
    featureId,
    body: envelope('RegisterFeature', {
      environmentId: LOAD_ENV,
      featureId,
      name: featureId,
      enabled: true,
      value: value('control'),
      options: ['A', 'B', 'C'].map((optionId) => ({ optionId, value: value(optionId.toLowerCase()), defaultAllocation: 30 })),
    }),
  }));
  const experiments = ids.map((featureId) => ({ featureId, body: envelope('CreateExperiment', { environmentId: LOAD_ENV, featureId, experimentId: `exp-${featureId}`, name: `Experiment on ${featureId}` }) }));
  const adds: LoadCommand[] = [];
  for (let i = 0; adds.length < total - 1 - 2 * features; i++) {
    const featureId = ids[i % features]!;
    const rolloutPercentage = Math.floor(i / features) + 1;
    adds.push({
      featureId,
      rolloutPercentage,
      body: envelope('AddFeatureToExperimentRollout', {
        environmentId: LOAD_ENV,
        featureId,
        experimentId: `exp-${featureId}`,
        enabled: true,
        rolloutPercentage,
        controlValue: value('control'),
        allocations: [
          { optionId: 'A', percentage: 40 },
          { optionId: 'B', percentage: 40 },
        ],
      }),
    });
  }
  return [environment, registered, experiments, adds];
};

export type LoadResponse = { command: LoadCommand; status: number | 'network-error'; body?: any };

/** Sends one phase from `clients` concurrent workers; every command ends with a response or a network error. */
export const sendConcurrently = async (url: string, commands: LoadCommand[], clients: number, onResponse?: (r: LoadResponse) => void): Promise<LoadResponse[]> => {
  const responses: LoadResponse[] = [];
  let next = 0;
  const worker = async () => {
    while (next < commands.length) {
      const command = commands[next++]!;
      let response: LoadResponse;
      try {
        const http = await fetch(`${url}/commands`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(command.body) });
        response = { command, status: http.status, body: await http.json() };
      } catch {
        response = { command, status: 'network-error' };
      }
      responses.push(response);
      onResponse?.(response);
    }
  };
  await Promise.all(Array.from({ length: clients }, worker));
  return responses;
};
