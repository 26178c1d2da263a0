import { describe, expect, it } from 'vitest';
import { installedSoftware, parseMacSoftware, parsePackageLines, parseWindowsSoftware } from './software.js';

describe('installed software sources', () => {
  it('reads dpkg/rpm lines, keeping installed packages only', () => {
    expect(
      parsePackageLines('ii \tbash\t5.2.15-2\nrc \told-thing\t1.0\nii \t\t1\nii \tzstd\t1.5.4\ngarbage\n'),
    ).toEqual([
      { name: 'bash', version: '5.2.15-2' },
      { name: 'zstd', version: '1.5.4' },
    ]);
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
    // No PowerShell or System Profiler here: an empty list, not a crash.
    expect(await installedSoftware('win32')).toEqual([]);
    expect(await installedSoftware('darwin')).toEqual([]);
  });
});
