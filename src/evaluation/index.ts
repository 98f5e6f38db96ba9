export { evaluateIdentity } from './evaluateIdentity.ts';
export { hashPercentage } from './hashPercentage.ts';
export { identityKey } from './identityKey.ts';
