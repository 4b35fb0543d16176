import { parseDomainXml } from '@virtkit/xml';
import type { QemuCaps } from '../caps/types';
import { formatArgs } from './args-format';
import { buildCommandLine } from './index';
import { nativeConversionContext } from './native-context';
import { qemuArgvParseHooks } from './parse';
import type { QemuBuildContext } from './types';

export function domainXmlToQemuArgv(xmlText: string, caps: QemuCaps, ctx: QemuBuildContext = nativeConversionContext()): string {
  const def = parseDomainXml(xmlText, qemuArgvParseHooks(caps, ctx));
  return formatArgs(buildCommandLine(def, caps, ctx), { lineBreaks: false });
}
