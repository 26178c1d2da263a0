/**
 * The creation load of `bench:desk`, in a process of its own so the clients do not share the server's event
 * loop: `concurrency` keep-alive clients POST tickets for `seconds`, then the count is printed as JSON.
 *
 *   tsx bench/desk/clients.ts <port> <token> <teamId> <seconds> <concurrency>
 */
import { Agent, request } from 'node:http';

const [port, token, team, seconds, concurrency] = process.argv.slice(2);
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function post(body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: Number(port),
        method: 'POST',
        path: '/api/v1/tickets',
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          (res.statusCode ?? 500) === 201 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const until = performance.now() + Number(seconds) * 1000;
const t0 = performance.now();
let created = 0;
await Promise.all(
  Array.from({ length: Number(concurrency) }, async (_, i) => {
    while (performance.now() < until) {
      await post(
        JSON.stringify({
          type: i % 3 === 0 ? 'request' : 'incident',
          title: `bench ticket ${created} printer`,
          description: 'created by the benchmark',
          teamId: team,
        }),
      );
      created++;
    }
  }),
);
process.stdout.write(JSON.stringify({ created, seconds: (performance.now() - t0) / 1000 }));
agent.destroy();
