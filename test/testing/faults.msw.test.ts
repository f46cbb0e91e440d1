import { useMswFace } from './faces.js';
import { defineFaultSuite } from './faults-suite.js';

defineFaultSuite(useMswFace());
