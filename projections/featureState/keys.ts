/** Document keys. Ids cannot contain "/", so "{environment}/" is an exact prefix of its features. */
export const FEATURE = 'feature';
export const VERSION = 'version';
export const ENVIRONMENT = 'environment';
export const EXPERIMENT = 'experiment';

export const featureKey = (environmentId: string, featureId: string): string => `${environmentId}/${featureId}`;
/** Zero-padded so key order is version order. */
export const versionKey = (environmentId: string, featureId: string, version: number): string =>
  `${environmentId}/${featureId}/${String(version).padStart(10, '0')}`;
export const versionPrefix = (environmentId: string, featureId: string): string => `${environmentId}/${featureId}/`;
