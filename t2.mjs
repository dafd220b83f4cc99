await import('ses');
const t0 = performance.now();
lockdown({ errorTaming: 'unsafe', overrideTaming: 'severe', consoleTaming: 'unsafe', stackFiltering: 'verbose' });
console.log('lockdown', performance.now() - t0);
try {
const FakeTimers = (await import('@sinonjs/fake-timers')).default;
class FreeDate extends Date { static now() { return Date.now(); } static toString() { return Date.toString(); } }
const timers = FakeTimers.withGlobal({ Date: FreeDate, Promise, queueMicrotask, setTimeout, clearTimeout, setInterval, clearInterval, setImmediate, clearImmediate }).createClock(0, 1000);
let fired = 0; timers.setTimeout(() => fired++, 10); await timers.tickAsync(20); console.log('fake timers', fired, timers.now, timers.countTimers());
const id = timers.setInterval(() => fired++, 5); timers.tick(20); timers.clearInterval(id); console.log(fired);
} catch (e) { console.log('ERR', e?.stack ?? String(e)); }
const c = new Compartment({ globals: { console }, __options__: true });
console.log(c.evaluate('typeof process + " " + typeof setTimeout + " " + typeof require + " " + typeof Date.now + " " + (() => { try { return String(Date.now()) } catch (e) { return "Date.now throws " + e.message } })() + " " + (() => { try { return String(Math.random()) } catch (e) { return "random throws " + e.message } })() + " " + typeof globalThis.Compartment + " " + typeof globalThis.harden + " " + typeof globalThis.lockdown + typeof eval + typeof Function'));
try { c.evaluate('Array.prototype.push = null'); } catch (e) { console.log('patch refused', e.message); }
try { c.evaluate('(function(){}).constructor("return this")()'); } catch (e) { console.log('ctor', e.message); }
console.log('fn ctor in comp', c.evaluate('typeof Function("return globalThis")().process'));
const f = c.evaluate('(function (module) { function boom() { throw new Error("x"); }\n module.exports.boom = boom; })\n//# sourceURL=file:///tmp/sx/fake-bundle.cjs');
const m = { exports: {} }; f(m);
try { m.exports.boom(); } catch (e) { console.log(e.stack); }
try { c.evaluate('const s = "a --> b"; s'); } catch (e) { console.log('html', e.message); }
try { c.evaluate('const s = "import(x)"; s'); } catch (e) { console.log('import', e.message); }
try { console.log('newdate', c.evaluate('new Date().getTime()')) } catch (e) { console.log('newdate', e.message); }
console.log(c.evaluate('String(new Date(5).getTime())'));
try { c.evaluate('process.exit(1)') } catch (e) { console.log('exit', e.name, e.message); }
try { c.evaluate('(async () => 1)().constructor.prototype.then = 5') } catch (e) { console.log('promise', e.name, e.message); }
