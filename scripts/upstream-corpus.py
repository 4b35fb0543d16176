#!/usr/bin/env python3
"""Lay out libvirt 9.0's full test directories as corpus folders (the layout of
/work/shared/corpus, README there), so `bin/corpus KIND DIR` measures every
upstream case of a kind, not only the public sample.

usage: upstream-corpus.py LIBVIRT_SRC OUT [SHARED_CORPUS]

LIBVIRT_SRC is an unpacked libvirt 9.0.0 source (`apt-get source libvirt`); OUT
receives qemuxml2argv/, qemuxml2xml/, genericxml2xml/, storagepoolxml2xml/,
storagevolxml2xml/, snapshotxml/, checkpointxml/ and backupxml/, plus links to the shared corpus's qemucaps/ and qemufixtures/.
Nothing it writes is committed: the cases are upstream's data, used for measuring.

Case selection follows the corpus README: x86_64 "latest" cases run with the
default setup (a case registered while the test program had changed a global
setting, or with per-case options, is left out).
"""
import os
import re
import shutil
import sys

CALL = re.compile(r'^\s*(DO_TEST[A-Z_]*)\s*\((.*)')
STR = re.compile(r'"([^"]*)"')
# A global setting switched on (left out while on) and switched back off.
SET_ON = re.compile(r'driver\.config->(\w+)\s*=\s*(true|1)\b|g_setenv\("(QEMU_AUDIO_DRV|SDL_AUDIODRIVER)"')
SET_OFF = re.compile(r'driver\.config->(\w+)\s*=\s*(false|0)\b|g_unsetenv\("(QEMU_AUDIO_DRV|SDL_AUDIODRIVER)"')
SET_ALL_OFF = re.compile(r'driver\.config->(\w+(?:\s*=\s*driver\.config->\w+)+)\s*=\s*0')
# Cases the README names as needing non-default host setup not visible as a switch.
README_EXCLUDED = {
    'disk-source-fd', 'fips-enabled', 'launch-security-sev-direct', 'net-user',
    'firmware-manual-efi-features', 'net-user-passt',
}


def calls(path):
    """(macro, [string args], rest-of-call text, dirty) per DO_TEST* call in mymain."""
    with open(path) as f:
        lines = f.read().split('\n')
    # Settings made before the first case are the default setup, not a case's option.
    start = next(i for i, l in enumerate(lines) if CALL.match(l) and '#define' not in l and 'define ' not in l)
    on = set()
    i = start
    while i < len(lines):
        line = lines[i]
        i += 1
        if line.lstrip().startswith('#'):
            continue
        m = SET_ALL_OFF.search(line)
        if m:
            for name in re.findall(r'driver\.config->(\w+)', line):
                on.discard(name)
            continue
        m = SET_ON.search(line)
        if m:
            on.add(m.group(1) or m.group(3))
            continue
        m = SET_OFF.search(line)
        if m:
            on.discard(m.group(1) or m.group(3))
            continue
        m = CALL.match(line)
        if not m:
            continue
        text = m.group(2)
        while text.count('(') + 1 > text.count(')') and i < len(lines):
            text += lines[i]
            i += 1
        yield m.group(1), STR.findall(text), text, bool(on)


def copy(src, dst):
    shutil.copyfile(os.path.realpath(src), dst)


def write_cases(folder, header, rows):
    with open(os.path.join(folder, 'cases.tsv'), 'w') as f:
        f.write('# ' + '\t'.join(header) + '\n')
        seen = set()
        for row in rows:
            if row[0] in seen:
                continue
            seen.add(row[0])
            f.write('\t'.join(row) + '\n')


def latest_x86(macro, args, text):
    """The case name when the call is an x86_64 latest case without per-case options."""
    if macro in ('DO_TEST_CAPS_LATEST', 'DO_TEST_CAPS_LATEST_PARSE_ERROR', 'DO_TEST_CAPS_LATEST_FAILURE'):
        return args[0]
    if macro in ('DO_TEST_CAPS_ARCH_LATEST', 'DO_TEST_CAPS_ARCH_LATEST_PARSE_ERROR', 'DO_TEST_CAPS_ARCH_LATEST_FAILURE'):
        return args[0] if args[1:2] == ['x86_64'] else None
    if macro == 'DO_TEST_CAPS_ARCH_LATEST_FULL':
        return args[0] if args[1:2] == ['x86_64'] and re.sub(r'\s', '', text).endswith('ARG_END)') and text.count(',') == 2 else None
    return None


def qemuxml2argv(tests, out):
    folder = os.path.join(out, 'qemuxml2argv')
    os.makedirs(folder, exist_ok=True)
    rows = []
    for macro, args, text, dirty in calls(os.path.join(tests, 'qemuxml2argvtest.c')):
        name = latest_x86(macro, args, text)
        if not name or dirty or name in README_EXCLUDED:
            continue
        expect = 'parse-error' if 'PARSE_ERROR' in macro else 'start-failure' if 'FAILURE' in macro else 'args'
        data = os.path.join(tests, 'qemuxml2argvdata')
        copy(os.path.join(data, f'{name}.xml'), os.path.join(folder, f'{name}.xml'))
        suffix = 'args' if expect == 'args' else 'err'
        src = os.path.join(data, f'{name}.x86_64-latest.{suffix}')
        if os.path.exists(src):
            copy(src, os.path.join(folder, f'{name}.{suffix}'))
        rows.append([name, expect])
    write_cases(folder, ['case', 'expect'], rows)
    return len(rows)


def qemuxml2xml(tests, out):
    folder = os.path.join(out, 'qemuxml2xml')
    os.makedirs(folder, exist_ok=True)
    rows = []
    outdata = os.path.join(tests, 'qemuxml2xmloutdata')
    for macro, args, text, dirty in calls(os.path.join(tests, 'qemuxml2xmltest.c')):
        name = latest_x86(macro, args, text)
        if not name or dirty:
            continue
        copy(os.path.join(tests, 'qemuxml2argvdata', f'{name}.xml'), os.path.join(folder, f'{name}.in.xml'))
        modes = []
        for mode in ('active', 'inactive'):
            src = os.path.join(outdata, f'{name}-{mode}.x86_64-latest.xml')
            if os.path.exists(src):
                copy(src, os.path.join(folder, f'{name}.out-{mode}.xml'))
                modes.append(mode)
        if len(modes) < 2:
            copy(os.path.join(outdata, f'{name}.x86_64-latest.xml'), os.path.join(folder, f'{name}.out.xml'))
        rows.append([name, ','.join(modes) or '-'])
    write_cases(folder, ['case', 'mode-specific-outputs'], rows)
    return len(rows)


def genericxml2xml(tests, out):
    folder = os.path.join(out, 'genericxml2xml')
    os.makedirs(folder, exist_ok=True)
    kinds = {'DO_TEST': 'same', 'DO_TEST_DIFFERENT': 'different', 'DO_TEST_FAIL_ACTIVE': 'fail-live', 'DO_TEST_FAIL_INACTIVE': 'fail-inactive'}
    rows = []
    for macro, args, _text, _dirty in calls(os.path.join(tests, 'genericxml2xmltest.c')):
        kind = kinds.get(macro)
        if not kind:
            continue
        name = args[0]
        copy(os.path.join(tests, 'genericxml2xmlindata', f'{name}.xml'), os.path.join(folder, f'{name}.in.xml'))
        src = os.path.join(tests, 'genericxml2xmloutdata' if kind == 'different' else 'genericxml2xmlindata', f'{name}.xml')
        if kind in ('same', 'different'):
            copy(src, os.path.join(folder, f'{name}.out.xml'))
        rows.append([name, kind])
    write_cases(folder, ['case', 'kind'], rows)
    return len(rows)


def storage(tests, out):
    pools = os.path.join(out, 'storagepoolxml2xml')
    vols = os.path.join(out, 'storagevolxml2xml')
    os.makedirs(pools, exist_ok=True)
    os.makedirs(vols, exist_ok=True)
    rows = []
    for macro, args, _text, _dirty in calls(os.path.join(tests, 'storagepoolxml2xmltest.c')):
        if macro != 'DO_TEST':
            continue
        name = args[0]
        copy(os.path.join(tests, 'storagepoolxml2xmlin', f'{name}.xml'), os.path.join(pools, f'{name}.in.xml'))
        copy(os.path.join(tests, 'storagepoolxml2xmlout', f'{name}.xml'), os.path.join(pools, f'{name}.out.xml'))
        rows.append([name])
    write_cases(pools, ['case'], rows)
    vrows = []
    for macro, args, text, _dirty in calls(os.path.join(tests, 'storagevolxml2xmltest.c')):
        if macro not in ('DO_TEST', 'DO_TEST_FULL'):
            continue
        pool, name = args[0], args[1]
        copy(os.path.join(tests, 'storagepoolxml2xmlin', f'{pool}.xml'), os.path.join(vols, f'{name}.pool.xml'))
        copy(os.path.join(tests, 'storagevolxml2xmlin', f'{name}.xml'), os.path.join(vols, f'{name}.in.xml'))
        copy(os.path.join(tests, 'storagevolxml2xmlout', f'{name}.xml'), os.path.join(vols, f'{name}.out.xml'))
        flags = 'VIR_VOL_XML_PARSE_NO_CAPACITY' if 'NO_CAPACITY' in text else '-'
        vrows.append([name, flags])
    write_cases(vols, ['case', 'parse-flags'], vrows)
    return len(rows), len(vrows)


MOMENT_FLAGS = {'TEST_REDEFINE': 'redefine', 'TEST_INTERNAL': 'internal', 'TEST_RUNNING': 'running',
                'TEST_PARENT': 'parent', 'TEST_VDA_BITMAP': 'vda_bitmap', 'TEST_SIZE': 'size',
                'TEST_INVALID': 'invalid'}
MOMENT_MACRO = re.compile(r'^\s*(DO_TEST_(?:IN|OUT|INOUT|INVALID))\((.*?)\);', re.S | re.M)
# (direction prefix, input folder suffix, output folder suffix, flags the macro adds) per macro.
MOMENT_DIRS = {'DO_TEST_IN': ('in2in', 'in', 'in', []), 'DO_TEST_OUT': ('out2out', 'out', 'out', ['redefine']),
               'DO_TEST_INOUT': ('in2out', 'in', 'out', []), 'DO_TEST_INVALID': ('in2out', 'in', 'out', ['invalid'])}


def moment_flags(text, extra):
    flags = list(extra)
    for name, flag in MOMENT_FLAGS.items():
        if re.search(r'\b' + name + r'\b', text) and flag not in flags:
            flags.append(flag)
    return ','.join(sorted(flags, key=list(MOMENT_FLAGS.values()).index)) or '-'


def moments(tests, out):
    """snapshotxml and checkpointxml: every DO_TEST_* of the two qemudomain*xml2xml tests."""
    counts = []
    for kind, prog, base, uuid_column in (('snapshotxml', 'qemudomainsnapshotxml2xmltest.c', 'qemudomainsnapshotxml2xml', True),
                                          ('checkpointxml', 'qemudomaincheckpointxml2xmltest.c', 'qemudomaincheckpointxml2xml', False)):
        folder = os.path.join(out, kind)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(tests, prog)) as f:
            body = f.read().split('mymain(void)')[1]
        rows = []
        for macro, args in MOMENT_MACRO.findall(body):
            prefix, din, dout, extra = MOMENT_DIRS[macro]
            parts = [a.strip() for a in args.replace('\n', ' ').split(',')]
            name = parts[0].strip('"')
            case = f'{prefix}-{name}'
            copy(os.path.join(tests, f'{base}{din}', f'{name}.xml'), os.path.join(folder, f'{case}.in.xml'))
            outfile = os.path.join(tests, f'{base}{dout}', f'{name}.xml')
            if 'invalid' not in extra and os.path.exists(outfile):
                copy(outfile, os.path.join(folder, f'{case}.out.xml'))
            ctime = '0'
            if macro == 'DO_TEST_INOUT':
                ctime = parts[2 if uuid_column else 1]
            row = [case]
            if uuid_column:
                uuid = parts[1].strip('"') if macro != 'DO_TEST_INVALID' else 'NULL'
                row.append('-' if uuid == 'NULL' else uuid)
            row += [ctime, moment_flags(args, extra)]
            rows.append(row)
        write_cases(folder, ['case', 'domain-uuid', 'creation-time', 'flags'] if uuid_column
                    else ['case', 'creation-time', 'flags'], rows)
        counts.append(len(rows))
    return counts


def backups(tests, out):
    """backupxml: the DO_TEST_BACKUP* cases of genericxml2xmltest."""
    folder = os.path.join(out, 'backupxml')
    os.makedirs(folder, exist_ok=True)
    rows = []
    with open(os.path.join(tests, 'genericxml2xmltest.c')) as f:
        for m in re.finditer(r'^\s*DO_TEST_BACKUP(_FULL)?\("([^"]+)"(?:,\s*(true|false))?\);', f.read(), re.M):
            name = m.group(2)
            copy(os.path.join(tests, 'domainbackupxml2xmlin', f'{name}.xml'), os.path.join(folder, f'{name}.in.xml'))
            copy(os.path.join(tests, 'domainbackupxml2xmlout', f'{name}.xml'), os.path.join(folder, f'{name}.out.xml'))
            rows.append([name, 'internal' if m.group(3) == 'true' else '-'])
    write_cases(folder, ['case', 'flags'], rows)
    return len(rows)


def main():
    src, out = sys.argv[1], sys.argv[2]
    shared = sys.argv[3] if len(sys.argv) > 3 else '/work/shared/corpus'
    tests = os.path.join(src, 'tests')
    os.makedirs(out, exist_ok=True)
    for fixture in ('qemucaps', 'qemufixtures'):
        link = os.path.join(out, fixture)
        if not os.path.exists(link):
            os.symlink(os.path.join(os.path.abspath(shared), fixture), link)
    print('qemuxml2argv', qemuxml2argv(tests, out))
    print('qemuxml2xml', qemuxml2xml(tests, out))
    print('genericxml2xml', genericxml2xml(tests, out))
    print('storagepoolxml2xml, storagevolxml2xml', *storage(tests, out))
    print('snapshotxml, checkpointxml', *moments(tests, out))
    print('backupxml', backups(tests, out))


if __name__ == '__main__':
    main()
