/** Secret commands: secret-define, secret-dumpxml, secret-set-value, secret-get-value, secret-undefine, secret-list. */
import * as fs from 'node:fs';
import {
  ConnectListAllSecretsFlags as L,
  ErrorDomain,
  ErrorNumber,
  SecretDefineFlags,
  VirError,
  isNoSupport,
  type Secret,
} from '@virtkit/core';
import { SECRET_USAGES } from '@virtkit/xml';
import type { CmdDef, OptDef } from '../types';
import type { Ctl } from '../ctl';
import { UUID_RE } from '../lookup';
import { exclusive, flag, req, str } from '../opt';
import { printTable } from '../table';
import { objectEventCommand } from './object-event';
import { readXmlFile } from './shared-options';
import { printXml, XPATH_OPTS } from '../xml-dump';

const SECRET_OPT: OptDef = { name: 'secret', type: 'string', required: true, help: 'secret UUID' };

/** virshCommandOptSecret: secrets are named by UUID only. */
async function lookupSecret(ctl: Ctl, text: string): Promise<Secret> {
  return ctl.attempt(`failed to get secret '${text}'`, async () => {
    // virSecretLookupByUUIDString checks the text before any driver sees it.
    if (!UUID_RE.test(text)) {
      const message = 'uuidstr in virSecretLookupByUUIDString must be a valid UUID';
      throw new VirError({ code: ErrorNumber.VIR_ERR_INVALID_ARG, domain: ErrorDomain.VIR_FROM_SECRET, message, str1: message });
    }
    return ctl.c.secretLookupByUUIDString(text);
  });
}

/** The Usage column of secret-list: "volume /path", or "Unused". */
function usageText(s: Secret): string {
  const type = s.getUsageType();
  return type === 0 ? 'Unused' : `${SECRET_USAGES[type]?.type ?? ''} ${s.getUsageID()}`;
}

const secretEvent = objectEventCommand<Secret>({
  name: 'secret-event',
  group: 'secret',
  noun: 'secret',
  filter: { name: 'secret', type: 'string', help: 'filter by secret name or uuid' },
  events: ['lifecycle', 'value-changed'],
  lifecycle: ['Defined', 'Undefined'],
  lookup: (ctl, text) => lookupSecret(ctl, text),
  waitOnFailure: true,
  register: (ctl, only, eventId, cb) => ctl.c.secretEventRegisterAny<Secret>(only, eventId, (_c, s, ev) => cb(s, ev)),
  deregister: (ctl, id) => ctl.c.secretEventDeregisterAny(id),
  label: (s) => s.getUUIDString(),
});

export const secretCommands: CmdDef[] = [
  secretEvent,
  {
    name: 'secret-define',
    group: 'secret',
    help: 'define or modify a secret from an XML file',
    desc: 'Define or modify a secret.',
    opts: [
      { name: 'file', type: 'string', required: true, help: 'file containing secret attributes in XML' },
      { name: 'validate', type: 'bool', help: 'validate the XML against the schema' },
    ],
    async handler(ctl, opts) {
      const file = req(ctl, opts, 'file');
      const xml = readXmlFile(file);
      const flags = flag(opts, 'validate') ? SecretDefineFlags.VIR_SECRET_DEFINE_VALIDATE : 0;
      const s = await ctl.attempt(`Failed to set attributes from ${file}`, () => ctl.c.secretDefineXML(xml, flags));
      ctl.printExtra(`Secret ${s.getUUIDString()} created\n`);
      return true;
    },
  },
  {
    name: 'secret-dumpxml',
    group: 'secret',
    help: 'secret attributes in XML',
    desc: 'Output attributes of a secret as an XML dump to stdout.',
    opts: [SECRET_OPT, ...XPATH_OPTS],
    async handler(ctl, opts) {
      const s = await lookupSecret(ctl, req(ctl, opts, 'secret'));
      return printXml(ctl, opts, await s.getXMLDesc());
    },
  },
  {
    name: 'secret-set-value',
    group: 'secret',
    help: 'set a secret value',
    desc: 'Set a secret value.',
    opts: [
      SECRET_OPT,
      { name: 'file', type: 'string', help: 'read secret from file' },
      { name: 'plain', type: 'bool', help: 'read the secret from file without converting from base64' },
      { name: 'interactive', type: 'bool', help: 'read the secret from the terminal' },
      { name: 'base64', type: 'string', help: 'base64-encoded secret value' },
    ],
    async handler(ctl, opts) {
      exclusive(ctl, opts, 'file', 'base64');
      exclusive(ctl, opts, 'plain', 'base64');
      exclusive(ctl, opts, 'interactive', 'base64');
      exclusive(ctl, opts, 'interactive', 'plain');
      exclusive(ctl, opts, 'interactive', 'file');
      const s = await lookupSecret(ctl, req(ctl, opts, 'secret'));
      const file = str(ctl, opts, 'file');
      const b64 = str(ctl, opts, 'base64');
      if (flag(opts, 'interactive')) ctl.fail('interactive mode is not supported by vsh');
      if (file === null && b64 === null) ctl.fail('Input secret value is missing');
      let value: Buffer;
      if (file !== null) {
        const data = fs.readFileSync(file);
        value = flag(opts, 'plain') ? data : decodeBase64(ctl, data.toString('utf8').trim());
      } else {
        value = decodeBase64(ctl, b64!);
      }
      await s.setValue(value);
      ctl.printExtra('Secret value set\n');
      return true;
    },
  },
  {
    name: 'secret-get-value',
    group: 'secret',
    help: 'Output a secret value',
    desc: 'Output a secret value to stdout.',
    opts: [SECRET_OPT, { name: 'plain', type: 'bool', help: 'get value without converting to base64' }],
    async handler(ctl, opts) {
      const s = await lookupSecret(ctl, req(ctl, opts, 'secret'));
      const value = Buffer.from(await s.getValue());
      if (flag(opts, 'plain')) ctl.print(value.toString('latin1'));
      else ctl.print(`${value.toString('base64')}\n`);
      return true;
    },
  },
  {
    name: 'secret-undefine',
    group: 'secret',
    help: 'undefine a secret',
    desc: 'Undefine a secret.',
    opts: [SECRET_OPT],
    async handler(ctl, opts) {
      const text = req(ctl, opts, 'secret');
      const s = await lookupSecret(ctl, text);
      await ctl.attempt(`Failed to delete secret ${text}`, () => s.undefine());
      ctl.printExtra(`Secret ${text} deleted\n`);
      return true;
    },
  },
  {
    name: 'secret-list',
    group: 'secret',
    help: 'list secrets',
    desc: 'Returns a list of secrets',
    opts: [
      { name: 'ephemeral', type: 'bool', help: 'list ephemeral secrets' },
      { name: 'no-ephemeral', type: 'bool', help: 'list non-ephemeral secrets' },
      { name: 'private', type: 'bool', help: 'list private secrets' },
      { name: 'no-private', type: 'bool', help: 'list non-private secrets' },
    ],
    async handler(ctl, opts) {
      const bits: Array<[string, number]> = [
        ['ephemeral', L.VIR_CONNECT_LIST_SECRETS_EPHEMERAL],
        ['no-ephemeral', L.VIR_CONNECT_LIST_SECRETS_NO_EPHEMERAL],
        ['private', L.VIR_CONNECT_LIST_SECRETS_PRIVATE],
        ['no-private', L.VIR_CONNECT_LIST_SECRETS_NO_PRIVATE],
      ];
      const flags = bits.reduce((acc, [name, bit]) => (opts.has(name) ? acc | bit : acc), 0);
      let secrets: Secret[];
      try {
        secrets = await ctl.c.listAllSecrets(flags);
      } catch (e) {
        // virsh falls back to the old listing calls, whose first step is counting.
        if (!isNoSupport(e)) throw e;
        await ctl.attempt('Failed to count secrets', () => ctl.c.numOfSecrets());
        throw e;
      }
      secrets.sort((a, b) => a.getUUIDString().localeCompare(b.getUUIDString()));
      printTable(
        ctl,
        ['UUID', 'Usage'],
        secrets.map((s) => [s.getUUIDString(), usageText(s)]),
      );
      return true;
    },
  },
];

function decodeBase64(ctl: Ctl, text: string): Buffer {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) ctl.fail('Invalid base64 data');
  return Buffer.from(text, 'base64');
}
