import type { CustomerLink, LinkStore } from '../sync-storage.js';

/** The memory link store, plus the synchronous write the outbox's `complete` uses. */
export type MemoryLinkStore = LinkStore & { putNow(link: CustomerLink): void };

/** Links per tenant, with a reverse index by customer number. */
export const createMemoryLinks = (): MemoryLinkStore => {
  const byTenant = new Map<string, Map<string, CustomerLink>>();
  /** tenant → customer number → source ids pointing at it. */
  const reverse = new Map<string, Map<string, Set<string>>>();

  const tenantLinks = (tenantId: string): Map<string, CustomerLink> => {
    let links = byTenant.get(tenantId);
    if (links === undefined) {
      links = new Map();
      byTenant.set(tenantId, links);
    }
    return links;
  };

  const sourcesOf = (tenantId: string, customerNumber: string): Set<string> => {
    let tenant = reverse.get(tenantId);
    if (tenant === undefined) {
      tenant = new Map();
      reverse.set(tenantId, tenant);
    }
    let sources = tenant.get(customerNumber);
    if (sources === undefined) {
      sources = new Set();
      tenant.set(customerNumber, sources);
    }
    return sources;
  };

  const unindex = (link: CustomerLink): void => {
    const sources = reverse.get(link.tenantId)?.get(link.customerNumber);
    sources?.delete(link.sourceId);
    if (sources?.size === 0) reverse.get(link.tenantId)?.delete(link.customerNumber);
  };

  const putNow = (link: CustomerLink): void => {
    const links = tenantLinks(link.tenantId);
    const previous = links.get(link.sourceId);
    if (previous !== undefined) unindex(previous);
    links.set(link.sourceId, { ...link });
    sourcesOf(link.tenantId, link.customerNumber).add(link.sourceId);
  };

  return {
    putNow,
    get(tenantId, sourceId) {
      const link = byTenant.get(tenantId)?.get(sourceId);
      return Promise.resolve(link === undefined ? undefined : { ...link });
    },
    getByCustomerNumber(tenantId, customerNumber) {
      const sources = reverse.get(tenantId)?.get(customerNumber);
      const first = sources === undefined ? undefined : [...sources].sort()[0];
      const link = first === undefined ? undefined : byTenant.get(tenantId)?.get(first);
      return Promise.resolve(link === undefined ? undefined : { ...link });
    },
    put(link) {
      putNow(link);
      return Promise.resolve();
    },
    delete(tenantId, sourceId) {
      const links = byTenant.get(tenantId);
      const link = links?.get(sourceId);
      if (links === undefined || link === undefined) return Promise.resolve(false);
      links.delete(sourceId);
      unindex(link);
      return Promise.resolve(true);
    },
    list(tenantId) {
      const links = [...(byTenant.get(tenantId)?.values() ?? [])].map((link) => ({ ...link }));
      links.sort((a, b) => (a.sourceId < b.sourceId ? -1 : a.sourceId > b.sourceId ? 1 : 0));
      return Promise.resolve(links);
    },
    count(tenantId) {
      return Promise.resolve(byTenant.get(tenantId)?.size ?? 0);
    },
  };
};
