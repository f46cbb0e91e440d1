import { describeSyncStorage } from 'fortnox-sync/testing/storage-suite';
import {
  createKeyValueStorage,
  createMapKeyValueStore,
} from '../../examples/custom-storage-adapter.js';

// The example's adapter runs the same conformance suite as the library's own adapters.
describeSyncStorage('examples/custom-storage-adapter.ts (key-value)', () =>
  createKeyValueStorage(createMapKeyValueStore()),
);
