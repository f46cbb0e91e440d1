import { httpFace } from './faces.js';
import { defineOAuthFaultSuite } from './oauth-faults-suite.js';

defineOAuthFaultSuite(httpFace);
