import { err, ok, type Result } from 'neverthrow';
import { createMappingError, createMappingIssue, type MappingError } from './mapping-error.js';
import { analyzeSourceCustomer } from './normalize-source-customer.js';
import type { MappingOptions } from './normalized-customer.js';
import { type SourceCustomer, SourceCustomerShapeSchema } from './source-customer-shape.js';

/**
 * zod schema of a {@link SourceCustomer}: the shape, and every content rule this library applies
 * before writing to Fortnox (identity number, e-mail, phone, postcode, country, Fortnox's characters,
 * lengths). Each zod issue carries the mapping issue's `code` and Swedish message in `params`.
 * Use it inside your own zod schemas; use {@link parseSourceCustomer} for a typed `Result`.
 */
export const SourceCustomerSchema = SourceCustomerShapeSchema.superRefine((customer, context) => {
  for (const issue of analyzeSourceCustomer(customer).issues) {
    context.addIssue({
      code: 'custom',
      path: [...issue.path],
      message: issue.message,
      params: { code: issue.code, sv: issue.userMessage.sv },
    });
  }
});

/**
 * Validates an untyped value as a {@link SourceCustomer}, checking every field and reporting every
 * problem at once. Unknown keys are dropped; values are returned as given (see
 * `normalizeSourceCustomer` for the normalised form).
 *
 * @example
 * const result = parseSourceCustomer(await request.json());
 * if (result.isErr()) return showErrors(result.error.issues); // each with field, code, userMessage.sv/en
 */
export function parseSourceCustomer(
  input: unknown,
  options: MappingOptions = {},
): Result<SourceCustomer, MappingError> {
  const { source, issues } = analyzeSourceCustomer(input, options);
  const [first, ...rest] = issues;
  if (first !== undefined) return err(createMappingError([first, ...rest]));
  // Without issues every field had its shape, so the source is there; the check satisfies the types.
  return source === undefined
    ? err(createMappingError([createMappingIssue('customer', 'invalid-type')]))
    : ok(source);
}
