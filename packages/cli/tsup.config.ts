import { packageBuild } from '../../tsup.base';
import { buildVshBundle } from './vsh-bundle.config';

export default packageBuild({ extraEntries: ['src/bin.ts'], onSuccess: buildVshBundle });
