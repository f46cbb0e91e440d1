import { createMemoryStorage } from '../../src/storage/memory-storage.js';
import { describeSyncStorage } from '../../src/testing/storage-suite/index.js';

describeSyncStorage('memory', () => createMemoryStorage());
