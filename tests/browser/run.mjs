/*
 * The browser test's script, run by tests/browser.sh against two
 * marketplaces it started: Debian's chromium, headless, driven by
 * playwright-core.
 *
 * A shopper at marketplace A searches, puts shirts of A and of B in the
 * cart, changes a quantity, meets a checkout that lacks stock, buys, and
 * sees the order; a seller at B logs in, registers a shirt and changes its
 * stock, and the shirt appears in A's gallery.  /network redraws itself;
 * English is spoken when the browser asks; a phone's screen shows every
 * page without scrolling sideways.  On every page axe-core must find no
 * serious or critical violation, nothing may be loaded from another host,
 * and no script may fail.
 *
 * Environment: FEIRA_A and FEIRA_B (the marketplaces' addresses),
 * FEIRA_A_NAME and FEIRA_B_NAME, FEIRA_PASSWORD (the seller's),
 * FEIRA_ACROSS (1 when checkouts buy across marketplaces), FEIRA_OUT (the
 * folder for results.tsv, screenshots/ and html/, the pages as the server
 * sent them, for the Nu Html Checker).  Each check is a line of
 * results.tsv: "ok", "not ok" or "skip", a tab, the claim, and a tab and
 * a detail for the others.
 */

import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const A = process.env.FEIRA_A;
const B = process.env.FEIRA_B;
const A_NAME = process.env.FEIRA_A_NAME;
const B_NAME = process.env.FEIRA_B_NAME;
const PASSWORD = process.env.FEIRA_PASSWORD;
const ACROSS = process.env.FEIRA_ACROSS === '1';
const OUT = process.env.FEIRA_OUT;
const RESULTS = join(OUT, 'results.tsv');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WITHOUT_ACROSS = 'needs the checkout across marketplaces';

mkdirSync(join(OUT, 'screenshots'), { recursive: true });
mkdirSync(join(OUT, 'html'), { recursive: true });
writeFileSync(RESULTS, '');

/* Record one check. */
function check(claim, pass, detail = '') {
	const line = (pass ? 'ok' : 'not ok') + '\t' + claim +
	    (pass ? '' : '\t' + String(detail).replace(/\s+/g, ' ')
	    .slice(0, 400));
	appendFileSync(RESULTS, line + '\n');
	return pass;
}

/* Record a check that cannot be made before another part is built. */
function skip(claim, reason) {
	appendFileSync(RESULTS, 'skip\t' + claim + '\t' + reason + '\n');
}

/* Record that two values are equal. */
function is(claim, got, want) {
	return check(claim, got === want, `got ${JSON.stringify(got)}, ` +
	    `want ${JSON.stringify(want)}`);
}

/* GET a marketplace's API. */
async function api(base, path) {
	const answer = await fetch(base + path);
	return answer.json();
}

/* The stock of one size of a product, from its owner's API. */
async function stock(base, id, size) {
	return (await api(base, '/api/products/' + id)).stock[size];
}

const origins = new Set([new URL(A).origin, new URL(B).origin]);
const foreign = [];
const problems = [];

/*
 * A browser context that refuses every request to another host (and
 * remembers it), keeps the pages the server sends for the checker, and
 * remembers failed scripts and console errors.
 */
async function context(browser, options) {
	const ctx = await browser.newContext({ bypassCSP: false, ...options });
	await ctx.route('**/*', (route) => {
		const url = new URL(route.request().url());
		if (origins.has(url.origin))
			return route.continue();
		foreign.push(url.href);
		return route.abort();
	});
	return ctx;
}

/* A page that keeps the last document the server sent it. */
async function newPage(ctx) {
	const page = await ctx.newPage();
	page.setDefaultTimeout(15000);
	page.lastDoc = null;
	page.on('response', (r) => {
		if (r.request().resourceType() !== 'document' ||
		    r.frame() !== page.mainFrame() ||
		    (r.status() >= 300 && r.status() < 400))
			return;
		page.lastDoc = { url: r.url(), status: r.status(),
		    text: r.text().catch(() => null) };
	});
	page.on('pageerror', (e) => problems.push(page.url() + ': ' + e));
	/* An error page's status is logged too, and is no problem. */
	page.on('console', (m) => {
		if (m.type() === 'error' && !m.text().startsWith(
		    'Failed to load resource: the server responded with a status'))
			problems.push(page.url() + ': ' + m.text());
	});
	return page;
}

const visited = [];

/*
 * The page shown is the one called name: keep its HTML for the checker,
 * take its screenshot, and check it with axe-core.
 */
async function visit(page, name) {
	const doc = page.lastDoc;
	const html = doc ? await doc.text : null;
	if (html !== null)
		writeFileSync(join(OUT, 'html', name + '.html'), html);
	else
		check(`the server's HTML of ${name} is kept`, false, 'no body');
	await page.screenshot({ path: join(OUT, 'screenshots', name + '.png'),
	    fullPage: true });
	await page.evaluate(AXE);
	const violations = await page.evaluate(async () => {
		const r = await window.axe.run(document,
		    { resultTypes: ['violations'] });
		return r.violations.filter((v) => v.impact === 'serious' ||
		    v.impact === 'critical').map((v) => v.id + ' (' +
		    v.impact + '): ' + v.nodes.map((n) => n.target.join(' '))
		    .slice(0, 3).join(', '));
	});
	check(`axe-core finds no serious or critical violation on ${name}`,
	    violations.length === 0, violations.join('; '));
	visited.push(name);
}

/*
 * Do act, which sends a form, and wait for the page it leads to, even
 * when that is the same address as before.
 */
async function submit(page, act) {
	const next = page.waitForEvent('framenavigated',
	    { predicate: (f) => f === page.mainFrame() });
	await act();
	await next;
	await page.waitForLoadState('load');
}

/* The text of the first element matching selector. */
async function text(page, selector) {
	return (await page.locator(selector).first().textContent()).trim();
}

/* Does the document fit the width of the screen? */
async function fits(page) {
	return page.evaluate(() => document.documentElement.scrollWidth <=
	    window.innerWidth);
}

/* The shopper, at A. */
async function shopper(browser, ids) {
	const ctx = await context(browser, { locale: 'pt-BR',
	    viewport: { width: 1280, height: 900 } });
	const page = await newPage(ctx);

	await page.goto(A + '/');
	await visit(page, 'gallery');
	is('the navbar shows the marketplace\'s title',
	    await text(page, '.navbar-brand'), 'Feira Rio');
	is('the navbar counts no piece in the cart',
	    await text(page, '#cart-count'), '0');
	check('the gallery shows 24 cards on its first page',
	    await page.locator('#gallery > li').count() === 24);
	check('the gallery links to its next page',
	    await page.locator('.pagination a[rel="next"]').count() === 1);

	/* The first key press reaches the skip link. */
	await page.keyboard.press('Tab');
	is('the first Tab reaches the link that skips to the content',
	    await page.evaluate(() => document.activeElement.getAttribute(
	    'href')), '#main');

	/* Search from the keyboard, sorted by price. */
	await page.focus('#q');
	await page.keyboard.type('camisa rubro');
	await page.selectOption('#sort', 'price');
	await page.focus('#q');
	await Promise.all([page.waitForURL(/q=camisa\+rubro/),
	    page.keyboard.press('Enter')]);
	await visit(page, 'search');
	is('the search finds the two shirts it names',
	    await text(page, '#result-count'), '2 produto(s)');
	const names = await page.locator('#gallery h2 a').allTextContents();
	is('the search sorts the cheaper one first', names.join(' | '),
	    'Camisa Rubro-Negra II | Camisa Rubro-Negra I');

	/* A's shirt, size M, two of them. */
	await page.click('#gallery h2 a:text-is("Camisa Rubro-Negra I")');
	await page.waitForURL(/\/products\//);
	await visit(page, 'product');
	is('the product page shows the price in reais',
	    await text(page, '#product-price'), 'R$ 349,90');
	await page.selectOption('#size', 'M');
	await page.fill('#quantity', '2');
	await Promise.all([page.waitForURL(/\/cart$/),
	    page.click('#add-to-cart button[type="submit"]')]);
	is('the navbar counts the two pieces put in the cart',
	    await text(page, '#cart-count'), '2');

	/* B's shirt, from A's gallery. */
	await page.goto(A + '/?q=corinthians');
	is('A\'s gallery names B as the owner of B\'s shirt',
	    await text(page, '#gallery .badge.border'), 'vendido por ' +
	    B_NAME);
	await page.click('#gallery h2 a');
	await page.waitForURL(/\/products\//);
	await visit(page, 'product-remote');
	is('the product page of B\'s shirt at A names B',
	    await text(page, '#product-marketplace'), B_NAME);
	await page.selectOption('#size', 'G');
	await Promise.all([page.waitForURL(/\/cart$/),
	    page.click('#add-to-cart button[type="submit"]')]);
	await visit(page, 'cart');
	is('the cart holds a line of each marketplace',
	    (await page.locator('tr.cart-line').count()), 2);
	is('the cart totals 2 x R$ 349,90 + R$ 299,90',
	    await text(page, '#cart-total'), 'R$ 999,70');
	check('the cart says its shirts come from two marketplaces',
	    (await text(page, '#cart-markets')).startsWith(
	    'Camisas de 2 marketplace(s)'));

	/* Every control of the cart is reached with Tab. */
	let reached = false;
	await page.focus('body');
	for (let i = 0; i < 60 && !reached; i++) {
		await page.keyboard.press('Tab');
		reached = await page.evaluate(() =>
		    document.activeElement.textContent.trim() === 'Comprar');
	}
	check('Tab reaches the cart\'s Comprar button', reached);

	/* A quantity changed from the keyboard. */
	const qty = `#q-${ids.a}-M`;
	await page.focus(qty);
	await page.keyboard.press('Control+A');
	await page.keyboard.type('3');
	await submit(page, () => page.keyboard.press('Enter'));
	is('the quantity typed is the cart\'s', await page.inputValue(qty),
	    '3');
	is('the cart totals 3 x R$ 349,90 + R$ 299,90',
	    await text(page, '#cart-total'), 'R$ 1.349,60');

	/* Buy the shirts of both marketplaces at once. */
	await submit(page, () => page.click('text=Comprar'));
	const across = ['buying the cart leads to the order\'s page',
	    'the order lists the shirt of A and the shirt of B',
	    'the order totals R$ 1.349,60',
	    'the checkout took 3 from A\'s stock',
	    'the checkout took 1 from B\'s stock',
	    'the cart is empty after buying'];
	if (ACROSS) {
		check(across[0], /\/orders\/[^/]+$/.test(page.url()),
		    page.url());
		await visit(page, 'order');
		is(across[1], (await page.locator('tr.order-item').evaluateAll(
		    (rows) => rows.map((r) => r.dataset.marketplace))).join(' '),
		    A_NAME + ' ' + B_NAME);
		is(across[2], await text(page, '#order-total'), 'R$ 1.349,60');
		is(across[3], await stock(A, ids.a, 'M'), 9);
		is(across[4], await stock(B, ids.b, 'G'), 5);
		is(across[5], await text(page, '#cart-count'), '0');
	} else {
		for (const c of across)
			skip(c, WITHOUT_ACROSS);
	}

	/* A cart beyond the stock buys nothing, and says why. */
	await ctx.clearCookies();
	const left = await stock(A, ids.a, 'M');
	for (const [id, size, n] of [[ids.a2, 'P', '1'], [ids.a, 'M', '999']]) {
		await page.goto(A + '/products/' + id);
		await page.selectOption('#size', size);
		await page.fill('#quantity', n);
		await Promise.all([page.waitForURL(/\/cart$/),
		    page.click('#add-to-cart button[type="submit"]')]);
	}
	await page.click('text=Comprar');
	await page.waitForSelector('#cart-error');
	await visit(page, 'checkout-failed');
	is('a checkout beyond the stock answers 409', page.lastDoc.status,
	    409);
	const outcomes = await page.locator('td.outcome').allTextContents();
	is('the checkout says which line lacked stock, and that the other '
	    + 'was not bought', outcomes.map((s) => s.trim()).join(' | '),
	    `Não comprado. | Não comprado: só restam ${left}.`);
	is('nothing was taken from the stock of the short line',
	    await stock(A, ids.a, 'M'), left);
	is('nothing was taken from the stock of the other line',
	    await stock(A, ids.a2, 'P'), 2);

	/* One instead, and buy. */
	await page.fill(qty, '1');
	await submit(page, () => page.press(qty, 'Enter'));
	await page.click('text=Comprar');
	await page.waitForURL(/\/orders\//);
	await visit(page, 'order-local');
	is('the order page says the purchase is confirmed',
	    await text(page, '#order-status'), 'Compra confirmada.');
	is('the order lists both shirts, of A',
	    (await page.locator('tr.order-item').evaluateAll((rows) =>
	    rows.map((r) => r.dataset.marketplace))).join(' '),
	    A_NAME + ' ' + A_NAME);
	is('the order totals R$ 299,90 + R$ 349,90',
	    await text(page, '#order-total'), 'R$ 649,80');
	is('the purchase took one of each', [await stock(A, ids.a, 'M'),
	    await stock(A, ids.a2, 'P')].join(' '), `${left - 1} 1`);

	await page.goto(A + '/products/' + A_NAME + '-999');
	await visit(page, 'not-found');
	is('an unknown product is a page of status 404', page.lastDoc.status,
	    404);

	/* /network draws the queue and redraws itself. */
	await page.goto(A + '/network');
	await visit(page, 'network');
	is('/network draws a lane for each marketplace',
	    (await page.locator('g.tl-lane').evaluateAll((g) =>
	    g.map((x) => x.dataset.marketplace))).join(' '),
	    A_NAME + ' ' + B_NAME);
	const before = await page.getAttribute('#timeline', 'data-updated');
	const fresh = await page.waitForFunction((b) =>
	    document.getElementById('timeline').dataset.updated !== b,
	    before, { timeout: 8000 }).then(() => true, () => false);
	check('/network redraws itself within a few seconds', fresh);
	await page.click('#refresh-toggle');
	is('the pause button says it is pressed',
	    await page.getAttribute('#refresh-toggle', 'aria-pressed'),
	    'true');
	const paused = await page.getAttribute('#timeline', 'data-updated');
	await page.waitForTimeout(3500);
	is('a paused /network is not redrawn',
	    await page.getAttribute('#timeline', 'data-updated'), paused);
	await ctx.close();
}

/* The seller, at B; the shirt then appears in A's gallery. */
async function seller(browser) {
	const ctx = await context(browser, { locale: 'pt-BR',
	    viewport: { width: 1280, height: 900 } });
	const page = await newPage(ctx);

	await page.goto(B + '/login');
	await visit(page, 'login');
	await page.fill('#user', 'seller');
	await page.fill('#password', PASSWORD);
	await Promise.all([page.waitForURL(/\/seller$/),
	    page.click('button:has-text("Entrar")')]);
	await visit(page, 'seller');
	await page.click('text=Cadastrar camisa');
	await page.waitForURL(/\/seller\/new$/);
	await visit(page, 'seller-new');
	await page.fill('#name', 'Camisa Leão da Ilha 2027');
	await page.fill('#team', 'Sport');
	await page.fill('#description', 'Listras rubro-negras, gola V.');
	await page.fill('#price', '219,90');
	await page.fill('#color0', '#d50000');
	await page.fill('#color1', '#000000');
	await page.fill('#stock_M', '3');
	await page.fill('#stock_G', '2');
	await Promise.all([page.waitForURL(/\/products\//),
	    page.click('button:has-text("Cadastrar")')]);
	await visit(page, 'seller-registered');
	const id = page.url().replace(/.*\/products\//, '');
	is('the registered shirt\'s page shows its price',
	    await text(page, '#product-price'), 'R$ 219,90');
	check('the shirt is drawn in its colors, with a text alternative',
	    (await page.locator('svg.shirt').getAttribute('aria-label'))
	    .includes('vermelho com detalhes preto'),
	    await page.locator('svg.shirt').getAttribute('aria-label'));

	await page.goto(B + '/seller');
	await page.fill(`#dM-${id}`, '5');
	await submit(page, () =>
	    page.click(`form[action="/seller/products/${id}"] button`));
	is('the seller\'s page shows the new stock of M',
	    await text(page, `label[for="dM-${id}"]`), 'M (8)');
	await page.goto(B + '/seller/sales');
	await visit(page, 'sales');

	/* The shirt reaches A's gallery. */
	const other = await newPage(ctx);
	let found = false;
	for (let i = 0; i < 50 && !found; i++) {
		await other.goto(A + '/?q=le%C3%A3o+da+ilha');
		found = (await other.locator('#gallery > li').count()) === 1;
		if (!found)
			await other.waitForTimeout(200);
	}
	check('the shirt registered at B appears in A\'s gallery', found);
	if (found)
		is('A\'s gallery names B as its owner',
		    await text(other, '#gallery .badge.border'),
		    'vendido por ' + B_NAME);
	await visit(other, 'gallery-new-shirt');
	await ctx.close();
}

/* The same pages in English, for a browser that asks for it. */
async function english(browser, ids) {
	const ctx = await context(browser, { locale: 'en-US',
	    viewport: { width: 1280, height: 900 } });
	const page = await newPage(ctx);

	await page.goto(A + '/');
	await visit(page, 'gallery-en');
	is('a browser that asks for English gets <html lang="en">',
	    await page.getAttribute('html', 'lang'), 'en');
	is('the gallery\'s heading is in English', await text(page, 'h1'),
	    'Shirt gallery');
	await page.goto(A + '/products/' + ids.a);
	await visit(page, 'product-en');
	is('prices are written the English way',
	    await text(page, '#product-price'), 'R$349.90');
	await page.goto(A + '/cart');
	await visit(page, 'cart-en');
	await page.goto(A + '/network');
	await visit(page, 'network-en');
	await ctx.close();
}

/* A phone's screen: nothing wider than it, and the menu opens. */
async function phone(browser, ids) {
	const ctx = await context(browser, { locale: 'pt-BR',
	    viewport: { width: 390, height: 844 }, isMobile: true,
	    hasTouch: true, deviceScaleFactor: 2 });
	const page = await newPage(ctx);

	for (const [name, path] of [['gallery-phone', '/'],
	    ['product-phone', '/products/' + ids.a],
	    ['network-phone', '/network'], ['login-phone', '/login']]) {
		await page.goto(A + path);
		check(`${name} fits a phone's screen`, await fits(page));
		await visit(page, name);
	}
	await page.goto(A + '/');
	await page.click('.navbar-toggler');
	await page.waitForSelector('#nav.show');
	check('on a phone the menu opens and shows the cart',
	    await page.locator('#nav a[href="/cart"]').isVisible());
	await ctx.close();
}

/* Headless, with a fresh profile that playwright makes and removes. */
const browser = await chromium.launch({
	executablePath: '/usr/bin/chromium',
	headless: true,
	args: ['--no-sandbox', '--disable-gpu', '--disable-quic',
	    '--no-first-run', '--disable-background-networking',
	    '--disable-component-update', '--disable-sync'],
});
const ids = JSON.parse(process.env.FEIRA_IDS);
let failed = false;
for (const part of [shopper, seller, english, phone]) {
	try {
		await part(browser, ids);
	} catch (e) {
		failed = true;
		check(`the ${part.name}'s part runs to its end`, false,
		    e.stack || e);
	}
}
await browser.close();
check('no page loads anything from another host', foreign.length === 0,
    foreign.join(' '));
check('no script fails and no console error is logged on any page',
    problems.length === 0, problems.join('; '));
writeFileSync(join(OUT, 'visited.txt'), visited.join('\n') + '\n');
process.exit(failed ? 1 : 0);
