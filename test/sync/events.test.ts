/**
 * Events (issue 9 "Events"): one for every step, none carrying personal data. A run through every
 * path (create, update, link, decision, failure, retry, pause, resume, delete) is recorded and its
 * JSON searched for every name, e-mail, phone, address and identity number the run used.
 */
import { describe, expect, it } from 'vitest';
import type { SourceCustomer } from '../../src/mapping/index.js';
import {
  ADMIN,
  CLERK,
  eventually,
  sampleCustomers,
  startHarness,
} from './support/engine-harness.js';

const T = '1000001';

/** Every personal value of a customer, also as digits only (numbers can be reformatted). */
const personalValues = (customer: SourceCustomer): string[] => {
  const values = [
    customer.name,
    customer.email,
    customer.phone,
    customer.organisationNumber,
    customer.address?.street,
    customer.address?.postalCode,
  ].filter((value): value is string => typeof value === 'string' && value.trim() !== '');
  const digits = [customer.phone, customer.organisationNumber]
    .filter((value): value is string => typeof value === 'string')
    .map((value) => value.replace(/\D/g, ''));
  return [
    ...values,
    ...values.flatMap((value) => value.split(' ').filter((w) => w.length > 4)),
    ...digits,
  ];
};

describe('events', () => {
  it('cover every step and carry no personal data', async () => {
    const h = await startHarness({ tenants: [T], engine: { companyMatch: 'ask' } });
    try {
      const customers = sampleCustomers(8, 21);
      const [created, updated, matched, invalid, retried, paused] = customers as [
        SourceCustomer,
        SourceCustomer,
        SourceCustomer,
        SourceCustomer,
        SourceCustomer,
        SourceCustomer,
      ];
      await h.engine.customerSaved(T, created);
      await h.engine.customerSaved(T, updated);
      await h.engine.customerSaved(T, { ...updated, name: `${updated.name} Två` });
      h.emulator
        .tenant(T)
        .insert({ Name: 'Annat AB', OrganisationNumber: matched.organisationNumber });
      await h.engine.customerSaved(T, matched);
      const [pending] = (await h.engine.decisions(T))._unsafeUnwrap();
      await h.engine.resolveDecision(
        T,
        matched.id,
        { use: pending!.candidates[0]!.customerNumber },
        CLERK,
      );
      await h.engine.customerSaved(T, { ...invalid, email: 'kalleanka-utan-snabel-a' });
      h.emulator.faults.inject({ kind: 'server-error', count: 1, methods: ['GET'] });
      await h.engine.customerSaved(T, retried);
      h.emulator.faults.inject({ kind: 'licence-error', count: 1 });
      await h.engine.customerSaved(T, paused);
      (await h.engine.connect(T, ADMIN))._unsafeUnwrap();
      await eventually(async () => (await h.storage.outbox.get(T, paused.id)) === undefined);
      await h.engine.customerDeleted(T, created.id);

      const types = new Set(h.events.map((event) => event.type));
      for (const type of [
        'enqueued',
        'pushed',
        'created',
        'updated',
        'linked',
        'decision-needed',
        'decision-resolved',
        'failed',
        'retrying',
        'paused',
        'resumed',
      ]) {
        expect(types, type).toContain(type);
      }
      const json = JSON.stringify(h.events).toLowerCase();
      const secrets = [...customers, { ...invalid, email: 'kalleanka-utan-snabel-a' }].flatMap(
        personalValues,
      );
      // The check can fail: the same values are in the customers' own JSON.
      expect(JSON.stringify(customers).toLowerCase()).toContain(secrets[0]!.toLowerCase());
      for (const secret of secrets) expect(json).not.toContain(secret.toLowerCase());
    } finally {
      await h.close();
    }
  });
});
