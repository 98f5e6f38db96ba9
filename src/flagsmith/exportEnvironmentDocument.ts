import type { AsOf, ReadSide } from '../queries/readSide.ts';
import type { FlagsmithEnvironmentDocument } from './environmentDocument.ts';
import { toEnvironmentDocument } from './toEnvironmentDocument.ts';

/** One environment's document from the read side, now or as of a past moment; undefined if it did not exist then. */
export const exportEnvironmentDocument = async (readSide: ReadSide, environmentId: string, asOf?: AsOf): Promise<FlagsmithEnvironmentDocument | undefined> => {
  const [environment, features] = await Promise.all([readSide.environment(environmentId, asOf), readSide.environmentFeatures(environmentId, asOf)]);
  return environment && toEnvironmentDocument(environment, features);
};
