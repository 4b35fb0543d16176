/** domaincheckpoint.rng's checkpointName: a checkpoint name must be usable as a file name. */
import { parseCheckpointXml } from '../../src/checkpoint/parse';

const doc = (name: string, parent = '') => `<domaincheckpoint><name>${name}</name>${parent}</domaincheckpoint>`;

test.each(['../escape', '.hidden', 'a/b', 'sp ace'])('refuses the name %j against the schema', (name) => {
  expect(() => parseCheckpointXml(doc(name))).toThrow('Unable to validate doc against domaincheckpoint.rng');
});

test('accepts file-name-safe names, and checks the parent name the same way', () => {
  expect(() => parseCheckpointXml(doc('c-1_2.3'))).not.toThrow();
  expect(() => parseCheckpointXml(doc('c', '<parent><name>../p</name></parent>'))).toThrow('Element name failed to validate content');
});
