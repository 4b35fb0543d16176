#!/usr/bin/env python3
"""Lay out libvirt 9.0's full test directories as corpus folders (the layout of
/work/shared/corpus, README there), so `bin/corpus KIND DIR` measures every
upstream case of a kind, not only the public sample.

usage: upstream-corpus.py LIBVIRT_SRC OUT [SHARED_CORPUS]

LIBVIRT_SRC is an unpacked libvirt 9.0.0 source (`apt-get source libvirt`); OUT
receives qemuxml2argv/, qemuxml2xml/, genericxml2xml/, storagepoolxml2xml/,
storagevolxml2xml/, snapshotxml/, checkpointxml/, backupxml/, networkxml2xml/,
networkxml2conf/, nodedevxml2xml/, secretxml2xml/, lxcxml2xml/, lxcconf2xml/ and
xlconfig/, plus links to the shared corpus's qemucaps/ and qemufixtures/.
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


def simple_calls(path, macros):
    """(macro, [string args]) per call of one of MACROS in the test program's mymain."""
    with open(path) as f:
        body = f.read().split('mymain(void)')[1]
    pattern = re.compile(r'^\s*(' + '|'.join(macros) + r')\s*\(([^;]*)\);', re.M)
    for macro, args in pattern.findall(body):
        names = STR.findall(args)
        if names:  # calls inside the macros' own definitions name no case
            yield macro, names, args


def networks(tests, out):
    """networkxml2xml and networkxml2conf."""
    folder = os.path.join(out, 'networkxml2xml')
    os.makedirs(folder, exist_ok=True)
    rows = []
    for macro, args, text in simple_calls(os.path.join(tests, 'networkxml2xmltest.c'),
                                          ('DO_TEST', 'DO_TEST_FLAGS', 'DO_TEST_PARSE_ERROR')):
        name = args[0]
        copy(os.path.join(tests, 'networkxml2xmlin', f'{name}.xml'), os.path.join(folder, f'{name}.in.xml'))
        expect = 'parse-error' if macro == 'DO_TEST_PARSE_ERROR' else 'same'
        if expect == 'same':
            copy(os.path.join(tests, 'networkxml2xmlout', f'{name}.xml'), os.path.join(folder, f'{name}.out.xml'))
        flags = 'VIR_NETWORK_XML_INACTIVE' if 'VIR_NETWORK_XML_INACTIVE' in text else '-'
        rows.append([name, expect, flags])
    write_cases(folder, ['case', 'expect', 'format-flags'], rows)
    conf = os.path.join(out, 'networkxml2conf')
    os.makedirs(conf, exist_ok=True)
    crows = []
    data = os.path.join(tests, 'networkxml2confdata')
    for _macro, args, _text in simple_calls(os.path.join(tests, 'networkxml2conftest.c'), ('DO_TEST',)):
        name = args[0]
        for ext in ('xml', 'conf'):
            copy(os.path.join(data, f'{name}.{ext}'), os.path.join(conf, f'{name}.{ext}'))
        hosts = os.path.join(data, f'{name}.hostsfile')
        if os.path.exists(hosts):
            copy(hosts, os.path.join(conf, f'{name}.hostsfile'))
        crows.append([name, 'hostsfile' if os.path.exists(hosts) else '-'])
    write_cases(conf, ['case', 'dhcp-hostsfile'], crows)
    return len(rows), len(crows)


def nodedevs_and_secrets(tests, out):
    """nodedevxml2xml and secretxml2xml: one DO_TEST per case, in and out files."""
    counts = []
    for kind, prog, indir, outdir in (('nodedevxml2xml', 'nodedevxml2xmltest.c', 'nodedevschemadata', 'nodedevxml2xmlout'),
                                      ('secretxml2xml', 'secretxml2xmltest.c', 'secretxml2xmlin', 'secretxml2xmlin')):
        folder = os.path.join(out, kind)
        os.makedirs(folder, exist_ok=True)
        rows = []
        for _macro, args, _text in simple_calls(os.path.join(tests, prog), ('DO_TEST',)):
            name = args[0]
            copy(os.path.join(tests, indir, f'{name}.xml'), os.path.join(folder, f'{name}.in.xml'))
            copy(os.path.join(tests, outdir, f'{name}.xml'), os.path.join(folder, f'{name}.out.xml'))
            rows.append([name])
        write_cases(folder, ['case'], rows)
        counts.append(len(rows))
    return counts


def lxc(tests, out):
    """lxcxml2xml and lxcconf2xml (a conf case's legacy and LXC 3.0 variants share one row)."""
    folder = os.path.join(out, 'lxcxml2xml')
    os.makedirs(folder, exist_ok=True)
    rows = []
    for macro, args, _text in simple_calls(os.path.join(tests, 'lxcxml2xmltest.c'), ('DO_TEST', 'DO_TEST_DIFFERENT')):
        name = args[0]
        copy(os.path.join(tests, 'lxcxml2xmldata', f'lxc-{name}.xml'), os.path.join(folder, f'{name}.in.xml'))
        different = macro == 'DO_TEST_DIFFERENT'
        copy(os.path.join(tests, 'lxcxml2xmloutdata' if different else 'lxcxml2xmldata', f'lxc-{name}.xml'),
             os.path.join(folder, f'{name}.out.xml'))
        rows.append([name, 'different' if different else 'same'])
    write_cases(folder, ['case', 'kind'], rows)
    conf = os.path.join(out, 'lxcconf2xml')
    os.makedirs(conf, exist_ok=True)
    data = os.path.join(tests, 'lxcconf2xmldata')
    variants = {}
    for macro, args, text in simple_calls(os.path.join(tests, 'lxcconf2xmltest.c'), ('DO_TEST', 'DO_TEST3')):
        name = args[0]
        variant, suffix = ('v3', '-v3') if macro == 'DO_TEST3' else ('legacy', '')
        copy(os.path.join(data, f'lxcconf2xml-{name}{suffix}.config'), os.path.join(conf, f'{name}{suffix}.config'))
        expect = 'error' if 'true' in text else 'xml'
        if expect == 'xml':
            copy(os.path.join(data, f'lxcconf2xml-{name}.xml'), os.path.join(conf, f'{name}.xml'))
        entry = variants.setdefault(name, ([], expect))
        entry[0].append(variant)
    crows = [[name, ','.join(sorted(v)), expect] for name, (v, expect) in variants.items()]
    write_cases(conf, ['case', 'config-variants', 'expect'], crows)
    return len(rows), len(crows)


# Notes for xlconfig cases run only when a libxl feature is present (an #ifdef around the call).
XL_NEEDS = re.compile(r'#ifdef\s+(LIBXL_HAVE_\w+)\s*\n\s*DO_TEST\w*\("([^"]+)"')


def xlconfig(tests, out):
    folder = os.path.join(out, 'xlconfig')
    os.makedirs(folder, exist_ok=True)
    prog = os.path.join(tests, 'xlconfigtest.c')
    with open(prog) as f:
        needs = {name: feature for feature, name in XL_NEEDS.findall(f.read())}
    cases = {}
    for macro, args, _text in simple_calls(prog, ('DO_TEST', 'DO_TEST_REPLACE_VARS', 'DO_TEST_PARSE', 'DO_TEST_FORMAT')):
        name = args[0]
        # DO_TEST_PARSE reads the XML and writes xl.cfg; DO_TEST_FORMAT the reverse.
        directions = {'DO_TEST_PARSE': ['xml2cfg'], 'DO_TEST_FORMAT': ['cfg2xml']}.get(macro, ['cfg2xml', 'xml2cfg'])
        notes = cases.setdefault(name, (set(), []))[1]
        cases[name][0].update(directions)
        if macro == 'DO_TEST_REPLACE_VARS' and 'replace-firmware-dir' not in notes:
            notes.append('replace-firmware-dir')
        if name in needs and f'needs-{needs[name]}' not in notes:
            notes.append(f'needs-{needs[name]}')
        for ext in ('cfg', 'xml'):
            copy(os.path.join(tests, 'xlconfigdata', f'test-{name}.{ext}'), os.path.join(folder, f'{name}.{ext}'))
    rows = [[name, ','.join(sorted(d)), ','.join(n) or '-'] for name, (d, n) in cases.items()]
    write_cases(folder, ['case', 'directions', 'notes'], rows)
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
    print('networkxml2xml, networkxml2conf', *networks(tests, out))
    print('nodedevxml2xml, secretxml2xml', *nodedevs_and_secrets(tests, out))
    print('lxcxml2xml, lxcconf2xml', *lxc(tests, out))
    print('xlconfig', xlconfig(tests, out))


if __name__ == '__main__':
    main()
