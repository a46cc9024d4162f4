import { launch } from './lib/browsers.mjs';
import { Gateway } from './lib/gateway.mjs';
import { NeutralSite } from './lib/neutral-site.mjs';
import { navigate, clickAt, visit } from './lib/visit.mjs';
const neutral = await NeutralSite.start();
const gateway = await Gateway.start({ exitUrl: `${neutral.origin}/` });
const b = await launch(process.argv[2], gateway);
try {
  const page = await b.newPage();
  page.on('dialog', async (d) => { console.log('DIALOG', d.type(), d.message()); if (process.argv[3] === 'accept') await d.accept(); else await d.dismiss(); });
  let code;
  for await (const step of visit(page, { gateway, lang: 'sv' })) { code = step.code; if (step.name === 'thread') break; }
  console.log('code', code);
  await navigate(page, () => clickAt(page, 'a.exit'));
  page.on('request', (r) => { if (!r.url().startsWith('data:')) console.log('REQ', r.method(), r.url()); });
  try { await page.goBack({ waitUntil: 'load', timeout: 8000 }); } catch (e) { console.log('back err', e.message.split('\n')[0]); }
  await new Promise(r => setTimeout(r, 1000));
  console.log('url', page.url());
  try { console.log('h1', await page.$eval('h1', e => e.textContent)); console.log('code field', await page.$eval('#code', e => e.value).catch(() => 'none')); } catch (e) { console.log('eval err', e.message.split('\n')[0]); }
  try { await page.reload({ waitUntil: 'load', timeout: 8000 }); } catch (e) { console.log('reload err', e.message.split('\n')[0]); }
  console.log('after reload url', page.url());
  console.log('h1', await page.$eval('h1', e => e.textContent).catch(() => '-'), 'code field', await page.$eval('#code', e => e.value).catch(() => 'none'));
} finally { await b.close(); await gateway.stop(); await neutral.stop(); }
