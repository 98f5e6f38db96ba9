import { describe, it } from 'vitest';
import { decideEnvironment, evolveEnvironment, type EnvironmentCommand } from '../../src/domain/environment/environmentDecider.ts';
import { initialEnvironmentState, type EnvironmentState } from '../../src/domain/environment/environmentState.ts';
import type { EnvironmentEvent } from '../../src/domain/events.ts';
import { deciderSpecification } from '../support/deciderSpecification.ts';

const hash = 'a'.repeat(64);
const spec = deciderSpecification<EnvironmentCommand, EnvironmentEvent, EnvironmentState>({
  decide: (command, state) => decideEnvironment(command, state, { newKeyId: 'key-1', newKeyHash: hash }),
  evolve: evolveEnvironment,
  initialState: initialEnvironmentState,
});
const registered: EnvironmentEvent = { type: 'EnvironmentRegistered', data: { environmentId: 'E', apiKey: 'ENVKEY', versioning: 'v2' } };
const issued: EnvironmentEvent = { type: 'ServerKeyIssued', data: { environmentId: 'E', keyId: 'key-1', name: 'backend', keyHash: hash } };

describe('environment decider', () => {
  it('registers an environment once', () => {
    spec.given([]).when({ type: 'RegisterEnvironment', data: { environmentId: 'E', apiKey: 'ENVKEY', versioning: 'v2' } }).then([registered]);
    spec.given([registered]).when({ type: 'RegisterEnvironment', data: { environmentId: 'E', apiKey: 'other', versioning: 'v1' } }).thenRejects('rule_violated', /already registered/);
  });

  it('issues a server key as an id, a name and a hash', () => {
    spec.given([registered]).when({ type: 'IssueServerKey', data: { environmentId: 'E', name: 'backend' } }).then([issued]);
    spec.given([]).when({ type: 'IssueServerKey', data: { environmentId: 'E', name: 'backend' } }).thenRejects('not_found', /environment E/);
  });

  it('revokes a key once; revoking it again changes nothing; an unknown key is not found', () => {
    spec.given([registered, issued]).when({ type: 'RevokeServerKey', data: { environmentId: 'E', keyId: 'key-1' } }).then([{ type: 'ServerKeyRevoked', data: { environmentId: 'E', keyId: 'key-1' } }]);
    spec.given([registered, issued, { type: 'ServerKeyRevoked', data: { environmentId: 'E', keyId: 'key-1' } }]).when({ type: 'RevokeServerKey', data: { environmentId: 'E', keyId: 'key-1' } }).thenNothingHappens();
    spec.given([registered]).when({ type: 'RevokeServerKey', data: { environmentId: 'E', keyId: 'nope' } }).thenRejects('not_found', /nope/);
  });
});
