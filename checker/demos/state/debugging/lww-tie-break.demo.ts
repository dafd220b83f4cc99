import type * as Impl from '../../../../solutions/state/debugging/lww-tie-break.ts';
import type { Clock } from '#workbook/clock';

/** Phone and laptop write in the same millisecond; the tablet hears of both through merges. */
export default async function runDemo(impl: typeof Impl, out: (line: string) => void): Promise<void> {
  try {
    let now = 1000;
    const noTimers = (): never => {
      throw new Error('the register should only read the time');
    };
    const clock: Clock = { now: () => now, setTimeout: noTimers, clearTimeout: noTimers, setInterval: noTimers, clearInterval: noTimers, sleep: noTimers };
    const [phone, laptop, tablet] = ['phone', 'laptop', 'tablet'].map((id) => new impl.LWWRegister<string>(id, clock)) as [Impl.LWWRegister<string>, Impl.LWWRegister<string>, Impl.LWWRegister<string>];
    phone.set('mobile@');
    laptop.set('laptop@');
    out('phone writes "mobile@" and laptop writes "laptop@", both at t=1000');
    now = 2000;
    tablet.merge(laptop);
    tablet.merge(phone);
    laptop.merge(phone);
    phone.merge(laptop);
    out('merges: tablet <- laptop, tablet <- phone, laptop <- phone, phone <- laptop');
    for (const r of [phone, laptop, tablet]) out(`  ${r.replicaId.padEnd(6)} shows ${JSON.stringify(r.get())}`);
    const values = new Set([phone, laptop, tablet].map((r) => r.get()));
    out(values.size === 1 ? 'All three agree.' : 'They disagree, although each has heard of both writes (the contract says writer "phone" wins the tie).');
  } catch (error) {
    out(`The program threw: ${(error as Error).message}`);
  }
}
