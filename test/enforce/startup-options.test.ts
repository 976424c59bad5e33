import t from 'tap';
import { extractSetting, splitOptions } from '../../src/enforce/startup-options.js';

t.test('splits like PostgreSQL: white space separates, backslash escapes', async (t) => {
  t.same(splitOptions('-c a=1   -c b=two\\ words --c=x\\\\y'), ['-c', 'a=1', '-c', 'b=two words', '--c=x\\y']);
  t.same(splitOptions(''), []);
});

t.test('takes tripwire.plan out however it is written, and keeps the rest', async (t) => {
  t.same(extractSetting('-c tripwire.plan=abc.def.ghi', 'tripwire.plan'), { value: 'abc.def.ghi', rest: '' });
  t.same(extractSetting('-c statement_timeout=5s -c tripwire.plan=tok -c search_path=a\\ b', 'tripwire.plan'), {
    value: 'tok',
    rest: '-c statement_timeout=5s -c search_path=a\\ b',
  });
  t.same(extractSetting('--tripwire.plan=tok', 'tripwire.plan'), { value: 'tok', rest: '' });
  t.same(extractSetting('-ctripwire.plan=tok', 'tripwire.plan'), { value: 'tok', rest: '' });
  t.same(extractSetting('-c statement_timeout=5s', 'tripwire.plan'), { value: undefined, rest: '-c statement_timeout=5s' });
});
