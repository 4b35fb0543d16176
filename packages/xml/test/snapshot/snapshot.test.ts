import { ErrorNumber, VirError } from '@virtkit/core';
import { formatSnapshotXml, parseSnapshotXml } from '../../src/snapshot/index';
import { parseCheckpointXml } from '../../src/checkpoint';
import { parseBackupXml } from '../../src/backup';

function errorOf(fn: () => unknown): VirError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(VirError);
    return e as VirError;
  }
  throw new Error('no error raised');
}

const fixed = {
  postParse: (d: { creationTime: number; name?: string }) => {
    d.creationTime = 5;
    d.name ??= '5';
  },
};

describe('snapshot XML', () => {
  it('rejects names libvirt refuses', () => {
    const e = errorOf(() => parseSnapshotXml('<domainsnapshot><name>../x</name></domainsnapshot>'));
    expect(e.code).toBe(ErrorNumber.VIR_ERR_XML_DETAIL);
    expect(e.message).toBe("invalid snapshot name '../x': name can't contain '/'");
    expect(errorOf(() => parseSnapshotXml('<domainsnapshot><name>.hidden</name></domainsnapshot>')).message).toBe(
      "invalid snapshot name '.hidden': name can't start with '.'",
    );
    expect(parseSnapshotXml('<domainsnapshot><name>a/b</name></domainsnapshot>', { validateName: false }).def.name).toBe('a/b');
  });

  it('reports malformed XML as VIR_ERR_XML_ERROR', () => {
    for (const text of ['<domainsnapshot>', '', '<domainsnapshot></domain>', '<!DOCTYPE x [<!ENTITY a "b">]><domainsnapshot/>']) {
      expect(errorOf(() => parseSnapshotXml(text)).code).toBe(ErrorNumber.VIR_ERR_XML_ERROR);
    }
    expect(errorOf(() => parseSnapshotXml('<domain/>')).message).toBe('XML error: domainsnapshot');
  });

  it('applies the default post-parse: creation time now, name from it', () => {
    const before = Math.floor(Date.now() / 1000);
    const { def } = parseSnapshotXml('<domainsnapshot/>');
    expect(def.creationTime).toBeGreaterThanOrEqual(before);
    expect(def.name).toBe(String(def.creationTime));
  });

  it('checks memory and disk rules', () => {
    expect(errorOf(() => parseSnapshotXml("<domainsnapshot><memory snapshot='external'/></domainsnapshot>", fixed)).message).toBe(
      'XML error: external memory snapshots require a filename',
    );
    expect(errorOf(() => parseSnapshotXml("<domainsnapshot><memory file='rel.img'/></domainsnapshot>", fixed)).message).toBe(
      'XML error: memory snapshot file path (rel.img) must be absolute',
    );
    expect(
      errorOf(() => parseSnapshotXml("<domainsnapshot><disks><disk snapshot='external'/></disks></domainsnapshot>", fixed)).message,
    ).toBe('internal error: missing name from disk snapshot element');
    expect(
      errorOf(() => parseSnapshotXml("<domainsnapshot><disks><disk name='vda'><source file='rel'/></disk></disks></domainsnapshot>", fixed))
        .message,
    ).toBe("XML error: disk snapshot image path 'rel' must be absolute");
    expect(
      errorOf(() =>
        parseSnapshotXml("<domainsnapshot><disks><disk name='vda'><driver type='bogus'/></disk></disks></domainsnapshot>", fixed),
      ).message,
    ).toBe("unsupported configuration: unknown disk snapshot driver 'bogus'");
    expect(errorOf(() => parseSnapshotXml('<domainsnapshot><name>a</name></domainsnapshot>', { redefine: true })).message).toBe(
      'internal error: missing creationTime from existing snapshot',
    );
    expect(errorOf(() => parseSnapshotXml('<domainsnapshot/>', { redefine: true })).message).toBe(
      'XML error: a redefined snapshot must have a name',
    );
  });

  it('formats external memory and a uuid-only domain', () => {
    const { def } = parseSnapshotXml("<domainsnapshot><name>s</name><memory file='/m.img'/></domainsnapshot>", fixed);
    expect(formatSnapshotXml(def, { domainUuid: 'c7a5fdbd-edaf-9455-926a-d65c16db1809' })).toBe(`<domainsnapshot>
  <name>s</name>
  <creationTime>5</creationTime>
  <memory snapshot='external' file='/m.img'/>
  <domain>
    <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>
  </domain>
</domainsnapshot>
`);
  });
});

describe('checkpoint and backup XML errors', () => {
  it('checkpoints follow the schema', () => {
    expect(errorOf(() => parseCheckpointXml('<domaincheckpoint><bogus/></domaincheckpoint>')).code).toBe(
      ErrorNumber.VIR_ERR_XML_INVALID_SCHEMA,
    );
    expect(
      errorOf(() => parseCheckpointXml("<domaincheckpoint><disks><disk name='vda' checkpoint='maybe'/></disks></domaincheckpoint>")).code,
    ).toBe(ErrorNumber.VIR_ERR_XML_INVALID_SCHEMA);
    expect(errorOf(() => parseCheckpointXml('<domaincheckpoint/>', { redefine: true })).message).toBe(
      'XML error: a redefined checkpoint must have a name',
    );
  });

  it('backups reject bad modes and servers', () => {
    expect(errorOf(() => parseBackupXml("<domainbackup mode='sideways'/>")).message).toBe(
      "unsupported configuration: unknown backup mode 'sideways'",
    );
    expect(errorOf(() => parseBackupXml("<domainbackup><server name='h'/></domainbackup>")).message).toBe(
      'unsupported configuration: use of <server> requires pull mode backup',
    );
    expect(errorOf(() => parseBackupXml("<domainbackup mode='pull'><server transport='unix' socket='rel'/></domainbackup>")).message).toBe(
      "XML error: backup socket path 'rel' must be absolute",
    );
    expect(errorOf(() => parseBackupXml("<domainbackup><disks><disk name='vda' type='network'/></disks></domainbackup>")).message).toBe(
      "XML error: unsupported disk backup type 'network'",
    );
  });
});
