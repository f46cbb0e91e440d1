import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { errAsync, ok, type Result, ResultAsync } from 'neverthrow';
import type { FortnoxCustomerListItem } from '../fortnox/index.js';
import type { CustomerSearchParam } from './customer-query.js';
import { createValidationError } from './error-factory.js';
import type { FortnoxError } from './errors.js';
import { emailKey, identityNumberKey, nameKey, phoneKey } from './match-keys.js';
import { collectItems } from './pagination.js';
import type { CallOptions } from './request-pipeline.js';

/** Searches one parameter through every page (the resource's `all`). */
export type SearchAll = (
  param: CustomerSearchParam,
  value: string,
  call: CallOptions | undefined,
) => AsyncIterable<Result<FortnoxCustomerListItem, FortnoxError>>;

/**
 * Exact-match lookups. Fortnox search is a case-insensitive *substring* match (`customernumber=1`
 * finds 10, 21, …), so each finder searches with one parameter, then keeps only the items whose
 * normalised value equals the normalised input. Several search parameters combine with AND (recorded:
 * `city` + `zipcode`), but every finder needs only one.
 */
export type ExactFinders = {
  /**
   * Customers whose organisation (or personal identity) number has the same digits, in any
   * format: `556000-0001`, `5560000001`, `16556000-0001`.
   */
  findByOrganisationNumber(
    organisationNumber: string,
    call?: CallOptions,
  ): ResultAsync<FortnoxCustomerListItem[], FortnoxError>;
  /** Customers whose e-mail equals `email`, ignoring case and surrounding spaces. */
  findByEmail(
    email: string,
    call?: CallOptions,
  ): ResultAsync<FortnoxCustomerListItem[], FortnoxError>;
  /**
   * Customers whose phone (`Phone1`) is the same number: `070-123 45 67`, `0701234567` and
   * `+46 70 123 45 67` match. Fortnox matches substrings of the stored text, so this searches each
   * usual way of writing the number (as given, digits, E.164, national and international format,
   * `070 123 45 67`, `070-1234567`): one paged search each, in that order. A number stored in an
   * unusual spacing (e.g. `0707 65 43 21`) is not found. `options.maxSpellings` searches only the first
   * few spellings (fewer requests): given `070-123 45 67`, `2` searches `070-123 45 67` and `0701234567`.
   */
  findByPhone(
    phone: string,
    call?: CallOptions,
    options?: PhoneSearchOptions,
  ): ResultAsync<FortnoxCustomerListItem[], FortnoxError>;
  /** The customer whose number is exactly `customerNumber` (zero or one item). */
  findByCustomerNumber(
    customerNumber: string,
    call?: CallOptions,
  ): ResultAsync<FortnoxCustomerListItem[], FortnoxError>;
  /** Customers whose name equals `name`, ignoring case and extra whitespace. */
  findByName(
    name: string,
    call?: CallOptions,
  ): ResultAsync<FortnoxCustomerListItem[], FortnoxError>;
};

/** Options of {@link ExactFinders.findByPhone}. */
export type PhoneSearchOptions = {
  /**
   * Searches only the first this many spellings (as given, digits only, E.164, national, …): one
   * paged search each. A positive integer. @defaultValue every spelling (up to 7)
   */
  readonly maxSpellings?: number;
};

type Finder = {
  readonly param: CustomerSearchParam;
  readonly field: keyof FortnoxCustomerListItem;
  readonly key: (value: string) => string;
  readonly searchValues: (input: string) => string[];
};

/** The ways a phone number is usually written, each searched in turn (substring search). */
function phoneSearchValues(input: string): string[] {
  const key = phoneKey(input);
  if (key.replace(/\D/g, '') === '') return [];
  const values = [input.trim(), key];
  const parsed = parsePhoneNumberFromString(input, 'SE');
  if (parsed !== undefined) {
    const national = parsed.formatNational();
    values.push(parsed.number, national, parsed.formatInternational());
    // Swedes also write `070 123 45 67` and `070-1234567`.
    const [areaCode, subscriber, ...extra] = national.split('-');
    if (parsed.country === 'SE' && subscriber !== undefined && extra.length === 0) {
      values.push(`${areaCode} ${subscriber}`, `${areaCode}-${subscriber.replace(/\D/g, '')}`);
    }
  } else if (key.startsWith('0')) {
    values.push(`+46${key.slice(1)}`);
  }
  return [...new Set(values)];
}

/** Creates the finders over a resource's paged search. */
export function createExactFinders(searchAll: SearchAll): ExactFinders {
  const find = (finder: Finder, input: string, call: CallOptions | undefined) => {
    if (typeof input !== 'string' || input.trim() === '') {
      return errAsync<FortnoxCustomerListItem[], FortnoxError>(
        createValidationError(finder.param, 'must not be empty'),
      );
    }
    const wanted = finder.key(input);
    const values = finder.searchValues(input);
    if (wanted === '' || values.length === 0) {
      return errAsync<FortnoxCustomerListItem[], FortnoxError>(
        createValidationError(finder.param, 'has nothing to search for'),
      );
    }
    const run = async (): Promise<Result<FortnoxCustomerListItem[], FortnoxError>> => {
      const matches = new Map<string, FortnoxCustomerListItem>();
      for (const value of [...new Set(values)]) {
        const found = await collectItems(searchAll(finder.param, value, call));
        if (found.isErr()) return found;
        for (const item of found.value) {
          const stored = item[finder.field];
          if (typeof stored === 'string' && finder.key(stored) === wanted)
            matches.set(item.CustomerNumber, item);
        }
      }
      return ok([...matches.values()]);
    };
    return new ResultAsync(run());
  };

  return {
    findByOrganisationNumber: (value, call) =>
      find(
        {
          param: 'organisationnumber',
          field: 'OrganisationNumber',
          key: identityNumberKey,
          // YYMMDD / the first six digits stay contiguous in every Swedish way of writing the number.
          searchValues: (input) => {
            const digits = identityNumberKey(input);
            return digits.length === 10
              ? [digits.slice(0, 6)]
              : digits.length > 0
                ? [input.trim()]
                : [];
          },
        },
        value,
        call,
      ),
    findByEmail: (value, call) =>
      find(
        { param: 'email', field: 'Email', key: emailKey, searchValues: (input) => [input.trim()] },
        value,
        call,
      ),
    findByPhone: (value, call, options) => {
      const max = options?.maxSpellings;
      if (max !== undefined && !(Number.isInteger(max) && max >= 1)) {
        return errAsync<FortnoxCustomerListItem[], FortnoxError>(
          createValidationError('maxSpellings', 'must be a positive integer'),
        );
      }
      return find(
        {
          param: 'phone',
          field: 'Phone',
          key: phoneKey,
          searchValues: (input) => phoneSearchValues(input).slice(0, max),
        },
        value,
        call,
      );
    },
    findByCustomerNumber: (value, call) =>
      find(
        {
          param: 'customernumber',
          field: 'CustomerNumber',
          key: (text) => text.trim(),
          searchValues: (input) => [input.trim()],
        },
        value,
        call,
      ),
    findByName: (value, call) =>
      find(
        { param: 'name', field: 'Name', key: nameKey, searchValues: (input) => [input.trim()] },
        value,
        call,
      ),
  };
}
