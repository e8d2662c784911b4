// Secrets known by value belong to one Redactor: two redactors, as two commands or two graded rooms would hold,
// never redact (or leak) each other's secrets, and a new one knows none of them.
import t from 'tap';
import { Redactor } from '../../harness/src/report/redact.js';

const KEY = ['-----BEGIN EC PRIVATE KEY-----', 'LINEofTheKeyOfAnaAAAA', '-----END EC PRIVATE KEY-----'].join('\n');

t.test('two independent redactors do not share secrets', async (t) => {
  const ana = new Redactor().add('tokenOfAnaXYZ').add(KEY);
  const bo = new Redactor().add('tokenOfBoQRS');
  const line = 'got tokenOfAnaXYZ and tokenOfBoQRS, then LINEofTheKeyOfAnaAAAA';
  t.equal(ana.redact(line), 'got [redacted] and tokenOfBoQRS, then [redacted]', "ana's secrets, line by line too");
  t.equal(bo.redact(line), 'got tokenOfAnaXYZ and [redacted], then LINEofTheKeyOfAnaAAAA', "bo's secret only");
  t.equal(new Redactor().redact(line), line, 'a new redactor knows neither');
  t.same(ana.redactValue({ who: ['tokenOfBoQRS', 'tokenOfAnaXYZ'] }), { who: ['tokenOfBoQRS', '[redacted]'] });
});

t.test('every redactor applies the patterns, with no secret added', async (t) => {
  const fresh = new Redactor();
  t.equal(fresh.redact('Authorization: Bearer abc.def-ghi'), 'Authorization: Bearer [redacted]');
  t.same(fresh.redactValue({ password: 'p4ss', note: 'DB_PASSWORD=p4ss' }), {
    password: '[redacted]',
    note: 'DB_PASSWORD=[redacted]',
  });
});
