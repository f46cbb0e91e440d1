import { httpFace } from './faces.js';
import { defineFaultSuite } from './faults-suite.js';

defineFaultSuite(httpFace);
