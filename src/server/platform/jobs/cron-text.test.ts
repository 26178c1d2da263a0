import { describe, expect, it } from 'vitest';
import { describeCron } from './cron-text.js';

describe('describeCron', () => {
  it.each([
    ['0 9 * * 1#1', 'Every first Monday at 09:00 Europe/Berlin'],
    ['0 9 * * MON#1', 'Every first Monday at 09:00 Europe/Berlin'],
    ['0 17 * * 5#L', 'Every last Friday at 17:00 Europe/Berlin'],
    ['30 7 * * 1-5', 'Every Monday to Friday at 07:30 Europe/Berlin'],
    ['0 9 * * 1,3,5', 'Every Monday, Wednesday and Friday at 09:00 Europe/Berlin'],
    ['0 9 * * *', 'Every day at 09:00 Europe/Berlin'],
    ['0 9 * * 0-7', 'Every day at 09:00 Europe/Berlin'],
    ['0 9 1 * *', 'On the 1st of every month at 09:00 Europe/Berlin'],
    ['0 9 22 * *', 'On the 22nd of every month at 09:00 Europe/Berlin'],
    ['0 9 L * *', 'On the last day of every month at 09:00 Europe/Berlin'],
    ['0 9 1 1 *', 'On the 1st of January at 09:00 Europe/Berlin'],
    ['0 9 * 3 1', 'Every Monday in March at 09:00 Europe/Berlin'],
    ['0 0 9 * * 1', 'Every Monday at 09:00 Europe/Berlin'],
    ['*/15 * * * *', 'Every 15 minutes (Europe/Berlin)'],
    ['30 */2 * * *', 'Every 2 hours at :30 (Europe/Berlin)'],
  ])('says %s as "%s"', (cron, text) => {
    expect(describeCron(cron, 'Europe/Berlin')).toBe(text);
  });

  it.each(['0 9 1 * 1', '5 4 3-9 * *', '30 0 9 * * *', '0 9 * * 5-1', '1 2 3'])(
    'shows %s as the pattern when no sentence says it exactly',
    (cron) => {
      expect(describeCron(cron, 'UTC')).toBe(`Cron “${cron}” in UTC`);
    },
  );
});
