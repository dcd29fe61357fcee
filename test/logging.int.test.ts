import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../src/cli/commands/demo-accounts.ts';
import { signIn } from './helpers/access.ts';
import { startCli } from './helpers/cli.ts';
import { tempDir } from './helpers/tmp.ts';

describe('logging', () => {
  it('never writes names or identity numbers, even at debug level while people are viewed and searched', async () => {
    const dir = tempDir('logging');
    const demo = await startCli([
      'demo',
      '--data-dir',
      dir,
      '--port',
      '0',
      '--people',
      '30',
      '--log-level',
      'debug',
    ]);
    const patients = readFileSync(path.join(dir, 'export', 'Patient.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            id: string;
            name: { family: string; given: string[] }[];
            identifier: { value: string }[];
          },
      );
    // A wrong password first: the attempt is logged as an event, never with what was typed.
    const wrong = await fetch(`${demo.url}/logga-in`, {
      method: 'POST',
      body: new URLSearchParams({ name: 'sjukskoterska', password: 'fel lösenord i loggen?' }),
      headers: { 'Sec-Fetch-Site': 'same-origin' },
    });
    expect(wrong.status).toBe(401);
    const nurse = await signIn(demo.url, {
      name: 'sjukskoterska',
      role: 'nurse',
      units: [],
      password: DEMO_PASSWORD,
      totpSecret: null,
    });
    for (const p of patients.slice(0, 10)) {
      expect((await nurse.get(`/boende/${p.id}`)).status).toBe(200);
      const search = await nurse.post('/sok', { q: p.name[0]!.family });
      // A single hit opens the person (303); several give a hit list (200).
      expect([200, 303]).toContain(search.status);
    }
    await nurse.get('/boende/missing');
    expect(await demo.stop()).toBe(0);
    const { stderr } = demo.output();
    expect(stderr).toContain('"event":"serve.listening"');
    expect(stderr).toContain('"route":"/boende/:id"');
    expect(stderr).toContain('"route":"/sok"');
    expect(stderr).not.toContain(DEMO_PASSWORD);
    expect(stderr).not.toContain('fel lösenord');
    for (const p of patients) {
      expect(stderr).not.toContain(p.identifier[0]!.value);
      expect(stderr).not.toContain(p.identifier[0]!.value.slice(2));
      for (const part of [p.name[0]!.family, ...p.name[0]!.given])
        expect(stderr).not.toContain(part);
    }
  });
});
