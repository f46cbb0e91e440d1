import type { FortnoxCustomer, FortnoxCustomerListItem } from '../fortnox/index.js';
import { fromFortnoxCustomer, type SourceAddress, type SourceCustomer } from '../mapping/index.js';

const blank = (value: string | null | undefined) =>
  value === undefined || value === null || value.trim() === '';

const ADDRESS_PARTS = ['street', 'postalCode', 'city', 'countryCode'] as const;

/**
 * What flows back to the source when a source customer is linked to a Fortnox customer that holds
 * more (the more complete data wins): the fields Fortnox has and the source has empty,
 * with Fortnox's values. Nothing the source has is ever replaced. `undefined` when there is nothing.
 */
export function flowBackPatch(
  source: SourceCustomer,
  fortnox: FortnoxCustomer | FortnoxCustomerListItem,
): Partial<SourceCustomer> | undefined {
  const shape = fromFortnoxCustomer(fortnox);
  const patch: { -readonly [K in keyof SourceCustomer]?: SourceCustomer[K] } = {};
  if (blank(source.email) && !blank(shape.email)) patch.email = shape.email;
  if (blank(source.phone) && !blank(shape.phone)) patch.phone = shape.phone;
  if (blank(source.organisationNumber) && !blank(shape.organisationNumber)) {
    patch.organisationNumber = shape.organisationNumber;
  }
  const address: { -readonly [K in keyof SourceAddress]?: SourceAddress[K] } = {};
  for (const part of ADDRESS_PARTS) {
    const value = shape.address[part];
    if (blank(source.address?.[part]) && !blank(value)) address[part] = value;
  }
  if (Object.keys(address).length > 0) patch.address = { ...source.address, ...address };
  return Object.keys(patch).length > 0 ? patch : undefined;
}
