import { describe, expect, it } from 'vitest';
import {
  installedSoftware,
  parseMacSoftware,
  parseOsRelease,
  parsePackageLines,
  parseRpmLines,
  parseWindowsSoftware,
} from './software.js';

describe('installed software sources', () => {
  it('reads dpkg/rpm lines, keeping installed packages only', () => {
    expect(
      parsePackageLines('ii \tbash\t5.2.15-2\nrc \told-thing\t1.0\nii \t\t1\nii \tzstd\t1.5.4\ngarbage\n'),
    ).toEqual([
      { name: 'bash', version: '5.2.15-2' },
      { name: 'zstd', version: '1.5.4' },
    ]);
  });

  it('reads the source package and version dpkg and rpm record for each package', () => {
    expect(parsePackageLines('ii \tamqp-tools\t0.11.0-1+deb12u3\tlibrabbitmq\t0.11.0-1+deb12u3\n')).toEqual([
      {
        name: 'amqp-tools',
        version: '0.11.0-1+deb12u3',
        source: 'librabbitmq',
        sourceVersion: '0.11.0-1+deb12u3',
      },
    ]);
    expect(
      parseRpmLines(
        'openssl-libs\t3.0.7-24.el9\topenssl-3.0.7-24.el9.src.rpm\t1\n' +
          'gpg-pubkey\t8483c65d-5ccc5b19\t(none)\t\nbash\t5.1.8-6.el9_1\tbash-5.1.8-6.el9_1.src.rpm\t\n',
      ),
    ).toEqual([
      { name: 'openssl-libs', version: '3.0.7-24.el9', source: 'openssl', sourceVersion: '1:3.0.7-24.el9' },
      { name: 'gpg-pubkey', version: '8483c65d-5ccc5b19' },
      { name: 'bash', version: '5.1.8-6.el9_1', source: 'bash', sourceVersion: '5.1.8-6.el9_1' },
    ]);
  });

  it('reads the OS release from os-release, quoted or not, refusing odd values', () => {
    expect(
      parseOsRelease('NAME="Rocky Linux"\nID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.3"\n'),
    ).toEqual({ id: 'rocky', versionId: '9.3' });
    expect(parseOsRelease("ID=ubuntu\nVERSION_ID='22.04'\n")).toEqual({ id: 'ubuntu', versionId: '22.04' });
    expect(parseOsRelease('ID="bad value; rm"\n')).toEqual({});
  });

  it('reads the Windows Uninstall keys as PowerShell prints them, leaving out updates and components', () => {
    const many = JSON.stringify([
      {
        DisplayName: 'Mozilla Firefox (x64 en-GB)',
        DisplayVersion: '120.0.1',
        SystemComponent: null,
        ParentKeyName: null,
      },
      {
        DisplayName: '7-Zip 23.01 (x64)',
        DisplayVersion: '23.01',
        SystemComponent: null,
        ParentKeyName: null,
      },
      {
        DisplayName: 'Update for Office (KB5002)',
        DisplayVersion: null,
        SystemComponent: null,
        ParentKeyName: 'Office16',
      },
      {
        DisplayName: 'Microsoft Visual C++ 2022 X64 Minimum Runtime',
        DisplayVersion: '14.38',
        SystemComponent: 1,
      },
      { DisplayName: '  ', DisplayVersion: '1' },
    ]);
    expect(parseWindowsSoftware(many)).toEqual([
      { name: 'Mozilla Firefox (x64 en-GB)', version: '120.0.1' },
      { name: '7-Zip 23.01 (x64)', version: '23.01' },
    ]);
    // One entry: ConvertTo-Json prints an object, not an array; none: nothing at all.
    expect(parseWindowsSoftware('{"DisplayName":"Notepad++","DisplayVersion":"8.6"}')).toEqual([
      { name: 'Notepad++', version: '8.6' },
    ]);
    expect(parseWindowsSoftware('')).toEqual([]);
    expect(() => parseWindowsSoftware('{broken')).toThrow();
  });

  it('reads System Profiler’s applications on macOS', () => {
    const out = JSON.stringify({
      SPApplicationsDataType: [
        { _name: 'Safari', version: '17.1', obtained_from: 'apple', path: '/Applications/Safari.app' },
        { _name: 'Slack', version: '4.35.126', obtained_from: 'identified_developer' },
        { _name: 'No version', path: '/Applications/x.app' },
        { path: '/nameless.app' },
      ],
    });
    expect(parseMacSoftware(out)).toEqual([
      { name: 'Safari', version: '17.1' },
      { name: 'Slack', version: '4.35.126' },
      { name: 'No version', version: '' },
    ]);
    expect(parseMacSoftware('{}')).toEqual([]);
  });

  it('reads this Linux machine for real, and gives nothing where a platform’s source is missing', async () => {
    const here = await installedSoftware('linux');
    expect(here.length).toBeGreaterThan(50);
    expect(here.some((s) => s.name === 'bash')).toBe(true);
    // Debian's dpkg names each package's source: amqp-tools and librabbitmq's other binaries share one.
    expect(here.find((s) => s.name === 'bash')).toMatchObject({ source: 'bash' });
    expect(here.every((s) => s.sourceVersion === undefined || s.sourceVersion.length > 0)).toBe(true);
    // No PowerShell or System Profiler here: an empty list, not a crash.
    expect(await installedSoftware('win32')).toEqual([]);
    expect(await installedSoftware('darwin')).toEqual([]);
  });
});
