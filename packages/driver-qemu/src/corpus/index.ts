/** The QEMU driver's corpus kinds, registered with the core corpus runner. */
import { registerCorpusKind } from '@virtkit/core';
import { run as runQemuxml2xml } from './qemuxml2xml';
import { run as runQemuxml2argv } from './qemuxml2argv';

registerCorpusKind('qemuxml2xml', runQemuxml2xml);
registerCorpusKind('qemuxml2argv', runQemuxml2argv);

export { runQemuxml2xml, runQemuxml2argv };
