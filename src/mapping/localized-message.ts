export type { LocalizedMessage } from '../fortnox/index.js';
