#!/usr/bin/env node
// The viewer in headless Chromium: serves viewer/ and a tile folder on the loopback address,
// opens the viewer on the tiles, waits until the map is drawn and checks what was drawn.
//
// Usage: node viewer-test.mjs VIEWER_DIR TILES_DIR [--out DIR] [--chromium PATH]
//                             [--size WxH] [--bounds W,S,E,N]
//   --out DIR   where the screenshots go (initial.png, daraa.png; default: the current folder)
// Checks:
//   - the page loads without errors and asks for nothing but the local server;
//   - at the first view (the bounds of the metadata) features of the layers regions, crossings
//     and zones are among the rendered features (map.queryRenderedFeatures);
//   - at zoom 7 over Daraa, the rendered crossings include Nasib and the rendered regions Daraa;
//   - the screenshot is not blank: enough pixels differ from the background, in enough colours.
// Exit status: 0 all checks passed, 1 a check failed (or Chromium is missing), 2 bad usage.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const usage = 'usage: viewer-test.mjs VIEWER_DIR TILES_DIR [--out DIR] [--chromium PATH] [--size WxH] [--bounds W,S,E,N]';

function fail(msg) {
    process.stderr.write(`viewer-test: FAIL: ${msg}\n`);
    process.exit(1);
}

const args = process.argv.slice(2);
const opts = { out: '.', chromium: '/usr/bin/chromium', size: [1000, 700], bounds: null, pos: [] };
for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--out') opts.out = args[++i];
    else if (a === '--chromium') opts.chromium = args[++i];
    else if (a === '--size') opts.size = (args[++i] || '').split('x').map(Number);
    else if (a === '--bounds') opts.bounds = args[++i];
    else if (a.startsWith('-')) { process.stderr.write(`${usage}\n`); process.exit(2); }
    else opts.pos.push(a);
}
if (opts.pos.length !== 2 || opts.size.length !== 2 || !opts.size.every((v) => v > 0)) {
    process.stderr.write(`${usage}\n`);
    process.exit(2);
}
const [viewerDir, tilesDir] = opts.pos.map((p) => path.resolve(p));

if (!fs.existsSync(opts.chromium)) {
    fail(`${opts.chromium} is missing: install Debian's chromium (scripts/install-deps.sh)`);
}
for (const [dir, what] of [[path.join(here, 'node_modules', 'playwright-core'), 'tests/browser'],
    [path.join(here, 'node_modules', 'pngjs'), 'tests/browser'],
    [path.join(viewerDir, 'node_modules', 'maplibre-gl'), 'viewer']]) {
    if (!fs.existsSync(dir)) fail(`${dir} is missing: run scripts/install-node-deps.sh (npm ci in ${what})`);
}
if (!fs.existsSync(path.join(tilesDir, 'tiles.json')) && !fs.existsSync(path.join(tilesDir, 'metadata.json'))) {
    fail(`${tilesDir} has no tiles.json or metadata.json`);
}

const { chromium } = await import('playwright-core');
const { PNG } = (await import('pngjs')).default;
const { createStaticServer } = await import(path.join(viewerDir, 'serve.mjs'));

// Chromium as the machine's notes have it, with WebGL on SwiftShader (software) through ANGLE.
const CHROMIUM_ARGS = [
    '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync',
    '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
];

const server = createStaticServer([{ prefix: '/viewer', dir: viewerDir }, { prefix: '/tiles', dir: tilesDir }]);
await new Promise((res, rej) => { server.once('error', rej); server.listen(0, '127.0.0.1', res); });
const origin = `http://127.0.0.1:${server.address().port}`;
fs.mkdirSync(opts.out, { recursive: true });
const profile = fs.mkdtempSync(path.join(fs.realpathSync(opts.out), '.chromium-profile-'));

let context;
const problems = [];
try {
    context = await chromium.launchPersistentContext(profile, {
        executablePath: opts.chromium,
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: { width: opts.size[0], height: opts.size[1] },
        timeout: 30000,
    });
    const page = context.pages()[0] || await context.newPage();
    page.setDefaultTimeout(30000);
    const external = [];
    await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith(`${origin}/`) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
        external.push(url);
        return route.abort();
    });
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
        // A failed request is reported below with its address.
        if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(m.text());
    });
    const badResponses = [];
    const hasTileJson = fs.existsSync(path.join(tilesDir, 'tiles.json'));
    page.on('response', (r) => {
        // Without tiles.json the viewer falls back on metadata.json.
        if (r.status() === 404 && !hasTileJson && r.url() === `${origin}/tiles/tiles.json`) return;
        if (r.status() >= 400) badResponses.push(`${r.url()} (${r.status()})`);
    });

    let url = `${origin}/viewer/index.html?tiles=../tiles`;
    if (opts.bounds) url += `&bounds=${encodeURIComponent(opts.bounds)}`;
    await page.goto(url);
    try {
        await page.evaluate(() => Promise.race([window.sitmapViewer.ready.then(() => true),
            new Promise((_, reject) => setTimeout(() => reject(new Error('not drawn after 30 s')), 30000))]));
    } catch (e) {
        fail(`the viewer did not become ready: ${e.message.split('\n')[0]}; page errors: ${pageErrors.join(' | ')}`);
    }
    const info = await page.evaluate(() => {
        const v = window.sitmapViewer;
        return { layers: v.layers, styleLayers: v.map.getStyle().layers.map((l) => l.id),
            zoom: v.map.getZoom(), webgl: v.map.painter.context.gl.getParameter(v.map.painter.context.gl.VERSION) };
    });

    // What is drawn at the current view: rendered features per source layer, and some names.
    const rendered = () => page.evaluate(() => {
        const byLayer = {};
        for (const f of window.sitmapViewer.map.queryRenderedFeatures()) {
            if (!f.sourceLayer) continue;
            const e = (byLayer[f.sourceLayer] ||= { n: 0, names: [] });
            e.n++;
            if (f.properties.name && !e.names.includes(f.properties.name)) e.names.push(f.properties.name);
        }
        return byLayer;
    });
    const summary = (r) => Object.entries(r).sort().map(([k, v]) => `${k} ${v.n}`).join(', ');

    // The share of pixels unlike the background and the number of distinct colours in the map.
    const pixels = async (file) => {
        const buf = await page.locator('#map canvas').screenshot({ path: file });
        const png = PNG.sync.read(buf);
        const bg = [0xe8, 0xee, 0xf3];
        const colours = new Set();
        let other = 0;
        for (let i = 0; i < png.data.length; i += 4) {
            const [r, g, b] = [png.data[i], png.data[i + 1], png.data[i + 2]];
            colours.add((r << 16) | (g << 8) | b);
            if (Math.abs(r - bg[0]) + Math.abs(g - bg[1]) + Math.abs(b - bg[2]) > 12) other++;
        }
        return { share: other / (png.width * png.height), colours: colours.size, width: png.width, height: png.height };
    };

    // The pixels of the map alone: the legend, status line and controls hidden.
    await page.addStyleTag({ content: '#legend, #status, .maplibregl-control-container { visibility: hidden !important; }' });
    const first = await rendered();
    const firstPx = await pixels(path.join(opts.out, 'initial.png'));
    console.log(`viewer: WebGL ${info.webgl}; ${info.layers.length} tile layers, ${info.styleLayers.length} style layers`);
    console.log(`viewer: first view at zoom ${info.zoom.toFixed(2)}: ${summary(first)}`);
    console.log(`viewer: first view screenshot ${firstPx.width}x${firstPx.height}: `
        + `${(firstPx.share * 100).toFixed(1)}% drawn, ${firstPx.colours} colours`);
    for (const l of ['regions', 'crossings', 'zones']) {
        if (!first[l]) problems.push(`first view: no rendered features of ${l}`);
    }
    if (firstPx.share < 0.2) problems.push(`first view: only ${(firstPx.share * 100).toFixed(2)}% of the pixels drawn`);
    if (firstPx.colours < 16) problems.push(`first view: only ${firstPx.colours} colours`);

    // Zoom 7 over Daraa: Nasib border crossing and the Daraa governorate.
    await page.evaluate(() => new Promise((res, reject) => {
        const { map } = window.sitmapViewer;
        setTimeout(() => reject(new Error('zoom 7 over Daraa: not drawn after 30 s')), 30000);
        map.once('idle', res);
        map.jumpTo({ center: [36.2, 32.75], zoom: 7 });
    }));
    const daraa = await rendered();
    // Nasib border crossing (36.202 E, 32.543 N in the gazetteer): drawn within 15 px of its place.
    const nearNasib = await page.evaluate(() => {
        const { map } = window.sitmapViewer;
        const p = map.project([36.202, 32.543]);
        const box = [[p.x - 15, p.y - 15], [p.x + 15, p.y + 15]];
        const layers = map.getStyle().layers.filter((l) => l['source-layer'] === 'crossings').map((l) => l.id);
        return map.queryRenderedFeatures(box, { layers }).map((f) => f.properties.name);
    });
    console.log(`viewer: crossings drawn within 15 px of Nasib's place: ${nearNasib.join('; ')}`);
    if (!nearNasib.some((n) => /Nasib/.test(n))) problems.push('zoom 7 over Daraa: Nasib is not drawn at its place');
    const daraaPx = await pixels(path.join(opts.out, 'daraa.png'));
    console.log(`viewer: zoom 7 over Daraa: ${summary(daraa)}`);
    console.log(`viewer: crossings drawn there: ${(daraa.crossings?.names || []).join('; ')}`);
    console.log(`viewer: zoom 7 screenshot: ${(daraaPx.share * 100).toFixed(1)}% drawn, ${daraaPx.colours} colours`);
    if (!(daraa.crossings?.names || []).some((n) => /Nasib/.test(n))) problems.push('zoom 7 over Daraa: Nasib is not among the rendered crossings');
    if (!(daraa.regions?.names || []).includes('Daraa')) problems.push('zoom 7 over Daraa: the Daraa region is not rendered');
    if (daraaPx.share < 0.3) problems.push(`zoom 7 over Daraa: only ${(daraaPx.share * 100).toFixed(2)}% of the pixels drawn`);

    if (badResponses.length) problems.push(`failed requests: ${badResponses.join(', ')}`);
    const mapErrors = await page.evaluate(() => window.sitmapViewer.errors);
    if (mapErrors.length) problems.push(`map errors: ${mapErrors.join(' | ')}`);
    if (pageErrors.length) problems.push(`page errors: ${pageErrors.join(' | ')}`);
    if (external.length) problems.push(`requests outside the local server: ${external.join(', ')}`);
} catch (e) {
    problems.push(e.stack || String(e));
} finally {
    if (context) await context.close().catch(() => {});
    server.close();
    fs.rmSync(profile, { recursive: true, force: true });
}
if (problems.length) fail(problems.join('\n  '));
console.log('viewer: all checks passed');
