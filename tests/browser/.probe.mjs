import { Gateway } from './lib/gateway.mjs';
import { launch } from './lib/browsers.mjs';
const gw = await Gateway.start({ exitUrl: 'http://localhost:1/', desk: { administrators: [{ login: 'admin-x', displayName: 'X' }], teams: [], partners: [] } });
try {
  const b = await launch('firefox', gw);
  const p1 = await (await b.browser.createBrowserContext()).newPage();
  const p2 = await (await b.browser.createBrowserContext()).newPage();
  await p1.goto(`${gw.deskOrigin}/en/login`, { waitUntil: 'load' });
  await p2.goto(`${gw.deskOrigin}/en/login`, { waitUntil: 'load' });
  let t = Date.now();
  try { await p1.reload({ waitUntil: 'load', timeout: 10000 }); console.log('bg reload', Date.now() - t); } catch (e) { console.log('bg reload failed', e.message); }
  t = Date.now();
  try { await Promise.all([p1.waitForNavigation({ timeout: 10000 }), p1.goto(`${gw.deskOrigin}/en/enrol`)]); console.log('bg goto', Date.now() - t); } catch (e) { console.log('bg goto failed', e.message); }
  await b.close();
} finally { await gw.stop(); }
