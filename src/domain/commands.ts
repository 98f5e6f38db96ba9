import { z } from 'zod';
import { duplicateOptionIds, exceeds100 } from './allocations.ts';
import { Actor, Allocation, Id, NullableValue, Percentage, Value } from './values.ts';

/** Static checks on an allocation list: unique option ids and a sum of at most 100. */
const allocationList = <T extends { optionId: string }>(item: z.ZodType<T>, percentageOf: (row: T) => number) =>
  z.array(item).superRefine((rows, ctx) => {
    for (const duplicate of duplicateOptionIds(rows)) {
      const index = rows.findLastIndex((r) => r.optionId === duplicate);
      ctx.addIssue({ code: 'custom', path: [index, 'optionId'], message: `option ${duplicate} is listed more than once; options must be unique` });
    }
    const total = rows.reduce((sum, r) => sum + percentageOf(r), 0);
    if (exceeds100(total)) ctx.addIssue({ code: 'custom', path: [], message: `allocations must not exceed 100%, got ${total}%` });
  });

const Allocations = allocationList(Allocation, (a) => a.percentage);

const FeatureRef = { environmentId: Id, featureId: Id };
const ExperimentRef = { ...FeatureRef, experimentId: Id };

export const RegisterEnvironment = z
  .object({ environmentId: Id, apiKey: z.string().min(1).max(256), versioning: z.enum(['v1', 'v2']) })
  .strict();

export const FeatureOption = z
  .object({
    optionId: Id,
    key: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[A-Za-z0-9_-]+$/, 'a key is a slug: A-Z a-z 0-9 _ -')
      .refine((key) => key.toLowerCase() !== 'control', 'the key "control" is reserved')
      .optional(),
    value: Value,
    defaultAllocation: Percentage,
  })
  .strict();

export const RegisterFeature = z
  .object({
    ...FeatureRef,
    name: z.string().min(1).max(256),
    enabled: z.boolean(),
    value: NullableValue,
    options: allocationList(FeatureOption, (o) => o.defaultAllocation).superRefine((options, ctx) => {
      const keys = options.map((o) => o.key).filter((k): k is string => k !== undefined);
      for (const duplicate of duplicateOptionIds(keys.map((optionId) => ({ optionId })))) {
        ctx.addIssue({ code: 'custom', path: [options.findLastIndex((o) => o.key === duplicate), 'key'], message: `option key ${duplicate} is used more than once` });
      }
    }),
  })
  .strict();

export const UpdateEnvironmentDefault = z
  .object({ ...FeatureRef, enabled: z.boolean().optional(), value: NullableValue.optional(), allocations: Allocations.optional() })
  .strict();

export const CreateExperiment = z
  .object({ ...ExperimentRef, name: z.string().min(1).max(256), hypothesis: z.string().max(4096).optional() })
  .strict();

export const AddFeatureToExperimentRollout = z
  .object({
    ...ExperimentRef,
    enabled: z.boolean(),
    rolloutPercentage: Percentage,
    controlValue: NullableValue,
    allocations: Allocations,
  })
  .strict();

export const StartExperiment = z.object(ExperimentRef).strict();
export const PauseExperiment = z.object(ExperimentRef).strict();
export const CompleteExperiment = z.object(ExperimentRef).strict();

export const IssueServerKey = z.object({ environmentId: Id, name: z.string().min(1).max(256) }).strict();
export const RevokeServerKey = z.object({ environmentId: Id, keyId: Id }).strict();

/** Every command's data schema by type: the single source of truth for routing and validation. */
export const commandDataSchemas = {
  RegisterEnvironment,
  RegisterFeature,
  UpdateEnvironmentDefault,
  CreateExperiment,
  AddFeatureToExperimentRollout,
  StartExperiment,
  PauseExperiment,
  CompleteExperiment,
  IssueServerKey,
  RevokeServerKey,
} as const;

export type CommandType = keyof typeof commandDataSchemas;
export const commandTypes = Object.keys(commandDataSchemas) as CommandType[];

export type CommandData<T extends CommandType> = z.infer<(typeof commandDataSchemas)[T]>;
export type Command = { [T in CommandType]: { type: T; data: CommandData<T> } }[CommandType];

const envelopeFields = {
  commandId: z.uuid({ error: 'must be a UUID' }),
  actor: Actor,
  correlationId: z.uuid({ error: 'must be a UUID' }).optional(),
  expectedRevision: z.number().int('must be an integer').min(-1, 'must be -1 or more').optional(),
};

/** The public command envelope. */
export const CommandEnvelope = z.discriminatedUnion(
  'type',
  commandTypes.map((type) => z.object({ type: z.literal(type), ...envelopeFields, data: commandDataSchemas[type] }).strict()) as unknown as [
    z.ZodObject,
    ...z.ZodObject[],
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? `unknown command type; expected one of ${commandTypes.join(', ')}` : undefined) },
);

export type CommandEnvelope = Command & {
  commandId: string;
  actor: z.infer<typeof Actor>;
  correlationId?: string;
  expectedRevision?: number;
};
