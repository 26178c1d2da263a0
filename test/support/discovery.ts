import type { TestApp } from './api.js';

/** The discovery API as a device and an admin use it: enrolment tokens, enrolment, reports. */
export function discoveryClient(app: () => TestApp) {
  const enrolmentToken = async (uses = 1) =>
    (await app().as(app().admin).post('/api/v1/agents/enrolment-tokens', { uses, note: 'test' })).json()
      .token as string;
  const enrol = (token: string, systemUuid: string, hostname = 'host') =>
    app().anonymous.post('/api/v1/agents/enrol', { enrolmentToken: token, hostname, systemUuid });
  const report = (token: string, body: unknown) =>
    app().anonymous.post('/api/v1/agents/report', body, { authorization: `Bearer ${token}` });
  return { enrolmentToken, enrol, report };
}
