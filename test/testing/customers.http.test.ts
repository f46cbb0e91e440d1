import { defineCustomerSuite } from './customers-suite.js';
import { httpFace } from './faces.js';

defineCustomerSuite(httpFace);
