/** Stable error codes: part of the public contract (CLI exit codes, HTTP statuses). */
export type ErrorCode = 'validation_failed' | 'rule_violated' | 'not_found' | 'conflict' | 'internal';

export type ValidationIssue = { path: string; message: string };

export class RolloutError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ValidationIssue[],
  ) {
    super(message);
    this.name = new.target.name;
  }

  toJSON(): { code: ErrorCode; message: string; issues?: ValidationIssue[] } {
    return this.issues ? { code: this.code, message: this.message, issues: this.issues } : { code: this.code, message: this.message };
  }
}

export class ValidationError extends RolloutError {
  constructor(message: string, issues: ValidationIssue[]) {
    super('validation_failed', message, issues);
  }
}

export class ConcurrencyError extends RolloutError {
  constructor(
    readonly streamId: string,
    readonly expectedRevision: bigint,
    readonly actualRevision: bigint,
  ) {
    super('conflict', `stream ${streamId} is at revision ${actualRevision}, expected ${expectedRevision}`);
  }
}

/** An append carried an event id that another stream already holds (event ids are unique store-wide). */
export class EventIdInUseError extends RolloutError {
  constructor(
    readonly eventId: string,
    readonly holderStreamId: string,
    readonly streamId: string,
  ) {
    super('rule_violated', `event id ${eventId} is already stored in stream ${holderStreamId}; it cannot be appended to ${streamId}`);
  }
}
