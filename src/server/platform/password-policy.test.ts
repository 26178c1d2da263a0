import { describe, expect, it } from 'vitest';
import { passwordWeakness } from './password-policy.js';

describe('password policy', () => {
  it.each([
    ['password1234', 'common'],
    ['Password2024!', 'common'],
    ['p@ssw0rd12345', 'common'],
    ['Sunshine 2024!!', 'common'],
    ['qwertyuiop123', 'common'],
    ['234567890123', 'keyboard'],
    ['iloveyou!!!!', 'common'],
    ['aaaaaaaaaaaa', 'repeats'],
    ['abcabcabcabc', 'repeats'],
    ['kettlekettlekettle', 'repeats'],
    // In zxcvbn-ts's list of the ~49,000 commonest passwords, not in Steward's own.
    ['Gladiator2024!', 'common'],
    ['timberland 1987', 'common'],
    ['12121212121212', 'repeats'],
    ['Xy7Xy7Xy7Xy7', 'repeats'],
    ['abcdefghijklmn', 'keyboard'],
    ['qwertyasdfghzxcvb', 'keyboard'],
    ['poiuytrewqlkjh', 'keyboard'],
    ['9876543210987', 'keyboard'],
  ])('refuses %s', (pw, why) => {
    expect(passwordWeakness(pw)).toContain(why);
  });

  it('refuses a password built from the owner’s own e-mail or name', () => {
    const owner = { email: 'grace.hopper@example.com', name: 'Grace Hopper' };
    expect(passwordWeakness('GraceHopper1906!', owner)).toContain('e-mail address or name');
    expect(passwordWeakness('grace.hopper@2024', owner)).toContain('e-mail address or name');
    expect(passwordWeakness('GraceHopper1906!', {})).toBeUndefined();
  });

  it.each([
    'a long enough password',
    'admin password 123',
    'correct horse battery staple',
    'Tr0ub4dor&3-but-longer',
    'my dog eats 4 carrots a day',
    'kq8#Vz!2mLp$',
  ])('accepts %s', (pw) => {
    expect(passwordWeakness(pw, { email: 'admin1@example.com', name: 'Admin' })).toBeUndefined();
  });
});
