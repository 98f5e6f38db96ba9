/** Why a decider refused a command. The application layer turns it into a typed error. */
export type Rejection = { code: 'rule_violated' | 'not_found'; message: string };

export type Decision<E> = { ok: true; events: E[] } | { ok: false; rejection: Rejection };

export const accept = <E>(...events: E[]): Decision<E> => ({ ok: true, events });
export const ruleViolated = <E>(message: string): Decision<E> => ({ ok: false, rejection: { code: 'rule_violated', message } });
export const notFound = <E>(message: string): Decision<E> => ({ ok: false, rejection: { code: 'not_found', message } });
