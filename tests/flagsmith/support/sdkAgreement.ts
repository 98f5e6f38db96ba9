import type { ReadSide } from '../../../src/queries/readSide.ts';
import type { SdkFlag } from './sdkFromDocument.ts';
import { typedValue } from './typedValue.ts';

export type Disagreement = { identity: string; feature: string; sdk: SdkFlag; ours: SdkFlag };

export type Agreement = {
  disagreements: Disagreement[];
  /** What was served, as "feature: rollout|default value on|off", to prove the check was not vacuous. */
  served: Set<string>;
};

/** Every identity and feature: the SDK's (value, enabled) against our evaluate. */
export const compareWithSdk = async (
  sdk: { identityFlags(identifier: string, names: readonly string[]): Promise<Record<string, SdkFlag>> },
  readSide: ReadSide,
  environmentId: string,
  features: readonly string[],
  identities: readonly string[],
): Promise<Agreement> => {
  const disagreements: Disagreement[] = [];
  const served = new Set<string>();
  for (const identity of identities) {
    const flags = await sdk.identityFlags(identity, features);
    for (const feature of features) {
      const evaluation = await readSide.evaluate(environmentId, feature, identity);
      if (!evaluation) throw new Error(`our evaluate knows no feature ${feature}`);
      const ours = { enabled: evaluation.enabled, value: typedValue(evaluation.value) };
      const sdkFlag = flags[feature]!;
      if (sdkFlag.enabled !== ours.enabled || sdkFlag.value !== ours.value) disagreements.push({ identity, feature, sdk: sdkFlag, ours });
      served.add(`${feature}: ${evaluation.segmentId === null ? 'default' : 'rollout'} ${String(ours.value)} ${ours.enabled ? 'on' : 'off'}`);
    }
  }
  return { disagreements, served };
};
