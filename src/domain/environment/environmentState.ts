export type ServerKey = { keyId: string; name: string; keyHash: string; revoked: boolean };

/** State of one environment-{environmentId} stream. */
export type EnvironmentState =
  | { registered: false }
  | { registered: true; environmentId: string; apiKey: string; versioning: 'v1' | 'v2'; serverKeys: ServerKey[] };

export const initialEnvironmentState = (): EnvironmentState => ({ registered: false });
