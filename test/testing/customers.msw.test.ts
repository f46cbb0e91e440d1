import { defineCustomerSuite } from './customers-suite.js';
import { useMswFace } from './faces.js';

defineCustomerSuite(useMswFace());
