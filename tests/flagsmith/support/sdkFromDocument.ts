import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Flagsmith, LocalFileHandler } from 'flagsmith-nodejs';

export type SdkFlag = { enabled: boolean; value: unknown };

/**
 * The official SDK in offline mode, reading our document through its own
 * LocalFileHandler: the same path a team exporting a file would take.
 */
export const sdkFromDocument = (document: unknown) => {
  const dir = mkdtempSync(join(tmpdir(), 'flagsmith-doc-'));
  const path = join(dir, 'environment.json');
  writeFileSync(path, typeof document === 'string' ? document : JSON.stringify(document));
  try {
    const client = new Flagsmith({ offlineMode: true, offlineHandler: new LocalFileHandler(path) });
    return {
      async identityFlags(identifier: string, featureNames: readonly string[]): Promise<Record<string, SdkFlag>> {
        const flags = await client.getIdentityFlags(identifier);
        return Object.fromEntries(featureNames.map((name) => [name, { enabled: flags.isFeatureEnabled(name), value: flags.getFeatureValue(name) }]));
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
