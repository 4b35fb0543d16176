/** The QEMU driver's corpus kinds, registered with the core corpus runner. */
import { registerCorpusKind } from '@virtkit/core';
import { run as runQemuxml2xml } from './qemuxml2xml';

registerCorpusKind('qemuxml2xml', runQemuxml2xml);

export { runQemuxml2xml };
