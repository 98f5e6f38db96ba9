import type { ErrorCode, ValidationIssue } from './errors.ts';

export type CommandStatus = 'accepted' | 'unchanged' | 'duplicate' | 'rejected';

/** The result of bus.send: public contract of the library, CLI and HTTP API. */
export type CommandResult = {
  commandId: string;
  status: CommandStatus;
  /** The command's stream, or null when the envelope was too malformed to route. */
  streamId: string | null;
  /** The stream's revision after the command (-1: the stream does not exist). */
  revision: number;
  /** Global position of the command's last event (decimal string), when it appended any. */
  position?: string;
  /** The events the command appended, in order; `streamId` is set on an event of another stream (CreateExperiment's id reservation). */
  events: { type: string; revision: number; streamId?: string }[];
  error?: { code: ErrorCode; message: string; issues?: ValidationIssue[] };
  /** IssueServerKey only, on acceptance: the new key, shown this once and never stored. */
  serverKey?: { keyId: string; key: string };
};
