#!/usr/bin/env node
// An independent check of a vector tile pyramid: decodes every tile with @mapbox/vector-tile
// (the decoder MapLibre uses) and prints, per zoom and layer, the features, the sum of `count`
// and the sum of `value`; checks the geometry against the MVT 2.1 specification.
//
// Usage: node decode-tiles.mjs TILES [--expect-count LAYER=N]... [--expect-value LAYER=X]...
//                               [--key LAYER=FIELD[,FIELD...]]... [--buffer UNITS] [--json]
//   TILES   a folder with {z}/{x}/{y}.pbf (gzip-compressed tiles are accepted too)
//           or an MBTiles file (read with sql.js, a pure-JavaScript SQLite)
//   --expect-count LAYER=N   the sum of `count` over LAYER is N at every zoom of the pyramid
//   --expect-value LAYER=X   the sum of `value` over LAYER is X (to 1e-9 relative) at every zoom
//   --key LAYER=FIELDS       a line or polygon of LAYER is one feature per distinct value of these
//                            fields (its pieces in several tiles count once)
//   --buffer UNITS           how far outside the tile extent coordinates may lie (default 1/8 of
//                            the extent)
//   --json                   the figures as JSON on stdout instead of a table
// Exit status: 0 all checks passed, 1 a check failed, 2 bad usage or unreadable input.
//
// What is counted: a tile holds the features that touch it plus a buffer, so a point near a tile
// edge is written to the neighbouring tiles as well and a polygon crossing tiles is cut into
// pieces. A point feature is counted in the one tile whose extent [0, extent) holds its first
// point; a line or polygon is counted once per --key value, else once per feature id, else once
// per piece.
// `count` of a feature without that field is 1; `value` of one without it is 0.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';

const usage = 'usage: decode-tiles.mjs TILES [--expect-count LAYER=N]... [--expect-value LAYER=X]... '
    + '[--key LAYER=FIELD[,FIELD...]]... [--buffer UNITS] [--json]';

function die(code, message) {
    process.stderr.write(`decode-tiles: ${message}\n`);
    process.exit(code);
}

function parseArgs(argv) {
    const opts = { input: null, expect: new Map(), expectValue: new Map(), keys: new Map(), buffer: null, json: false };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === '--expect-count') {
            const m = /^([^=]+)=(\d+)$/.exec(argv[++i] ?? '');
            if (!m) die(2, `--expect-count needs LAYER=N\n${usage}`);
            opts.expect.set(m[1], Number(m[2]));
        } else if (a === '--expect-value') {
            const m = /^([^=]+)=(-?[0-9.eE+-]+)$/.exec(argv[++i] ?? '');
            if (!m || !Number.isFinite(Number(m[2]))) die(2, `--expect-value needs LAYER=NUMBER\n${usage}`);
            opts.expectValue.set(m[1], Number(m[2]));
        } else if (a === '--key') {
            const m = /^([^=]+)=([^=]+)$/.exec(argv[++i] ?? '');
            if (!m) die(2, `--key needs LAYER=FIELD[,FIELD...]\n${usage}`);
            opts.keys.set(m[1], m[2].split(','));
        } else if (a === '--buffer') {
            const v = Number(argv[++i]);
            if (!Number.isFinite(v) || v < 0) die(2, `--buffer needs a number of tile units\n${usage}`);
            opts.buffer = v;
        } else if (a === '--json') {
            opts.json = true;
        } else if (a === '-h' || a === '--help') {
            process.stdout.write(`${usage}\n`);
            process.exit(0);
        } else if (a.startsWith('-') || opts.input) {
            die(2, `unexpected argument '${a}'\n${usage}`);
        } else {
            opts.input = a;
        }
    }
    if (!opts.input) die(2, usage);
    return opts;
}

// Every tile of a folder pyramid as {z, x, y, data, name}.
function* folderTiles(dir) {
    const ints = (names) => names.filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
    for (const z of ints(fs.readdirSync(dir))) {
        const zdir = path.join(dir, String(z));
        if (!fs.statSync(zdir).isDirectory()) continue;
        for (const x of ints(fs.readdirSync(zdir))) {
            const xdir = path.join(zdir, String(x));
            const files = fs.readdirSync(xdir).filter((n) => /^\d+\.pbf$/.test(n));
            for (const y of files.map((n) => Number(n.slice(0, -4))).sort((a, b) => a - b)) {
                const name = `${z}/${x}/${y}.pbf`;
                yield { z, x, y, name, data: fs.readFileSync(path.join(xdir, `${y}.pbf`)) };
            }
        }
    }
}

// Every tile of an MBTiles file; tile_row is counted from the south (TMS), y from the north.
async function mbtilesTiles(file) {
    const require = createRequire(import.meta.url);
    let initSqlJs;
    try {
        initSqlJs = require('sql.js');
    } catch {
        die(2, 'reading MBTiles needs sql.js (npm ci in tests/browser)');
    }
    const SQL = await initSqlJs();
    const db = new SQL.Database(fs.readFileSync(file));
    const tiles = [];
    const rs = db.exec('SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles '
        + 'ORDER BY zoom_level, tile_column, tile_row');
    for (const [z, x, row, data] of rs.length ? rs[0].values : []) {
        const y = (1 << z) - 1 - row;
        tiles.push({ z, x, y, name: `${file}#${z}/${x}/${y}`, data: Buffer.from(data) });
    }
    const meta = {};
    const mr = db.exec('SELECT name, value FROM metadata');
    for (const [k, v] of mr.length ? mr[0].values : []) meta[k] = v;
    db.close();
    return { tiles, meta };
}

function unzipIfNeeded(buf) {
    if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) return zlib.gunzipSync(buf);
    if (buf.length >= 2 && buf[0] === 0x78) {
        try { return zlib.inflateSync(buf); } catch { /* not zlib after all: a raw tile */ }
    }
    return buf;
}

// Twice the signed area by the surveyor's formula, in tile coordinates (y down): positive for a
// ring that looks clockwise on screen, which the MVT specification makes the exterior ring.
function ringArea2(ring) {
    let s = 0;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        s += ring[j].x * ring[i].y - ring[i].x * ring[j].y;
    }
    return s;
}

async function main() {
    const opts = parseArgs(process.argv.slice(2));
    if (!fs.existsSync(opts.input)) die(2, `'${opts.input}' does not exist`);
    let tiles;
    let meta = null;
    if (fs.statSync(opts.input).isDirectory()) {
        tiles = folderTiles(opts.input);
        for (const f of ['tiles.json', 'metadata.json']) {
            const p = path.join(opts.input, f);
            if (fs.existsSync(p)) {
                try {
                    meta = JSON.parse(fs.readFileSync(p, 'utf8'));
                } catch (e) {
                    die(2, `'${p}' is not JSON: ${e.message}`);
                }
                break;
            }
        }
    } else {
        ({ tiles, meta } = await mbtilesTiles(opts.input));
    }

    const problems = [];
    const problem = (where, what) => {
        if (problems.length < 50) problems.push(`${where}: ${what}`);
        else if (problems.length === 50) problems.push('... (more problems not shown)');
    };
    // stats[z][layer] = {pieces, features, count, value, types}
    const stats = new Map();
    const seenIds = new Map(); // `${z}/${layer}` -> Set of ids
    let ntiles = 0;
    let maxOver = 0;

    for (const t of tiles) {
        ntiles++;
        const n = 1 << t.z;
        if (t.x < 0 || t.x >= n || t.y < 0 || t.y >= n) problem(t.name, `tile outside zoom ${t.z}`);
        let vt;
        try {
            vt = new VectorTile(new PbfReader(unzipIfNeeded(t.data)));
        } catch (e) {
            problem(t.name, `does not decode: ${e.message}`);
            continue;
        }
        if (!stats.has(t.z)) stats.set(t.z, new Map());
        const zs = stats.get(t.z);
        for (const [lname, layer] of Object.entries(vt.layers)) {
            const where = `${t.name} layer ${lname}`;
            if (layer.version !== 2) problem(where, `version ${layer.version}, not 2`);
            const extent = layer.extent;
            const buffer = opts.buffer ?? extent / 8;
            if (!zs.has(lname)) zs.set(lname, { pieces: 0, features: 0, count: 0, value: 0, types: new Set() });
            const ls = zs.get(lname);
            const idKey = `${t.z}/${lname}`;
            if (!seenIds.has(idKey)) seenIds.set(idKey, new Set());
            const ids = seenIds.get(idKey);
            for (let i = 0; i < layer.length; i++) {
                const f = layer.feature(i);
                const fw = `${where} feature ${i}${f.id !== undefined ? ` (id ${f.id})` : ''}`;
                ls.pieces++;
                if (f.type < 1 || f.type > 3) {
                    problem(fw, `geometry type ${f.type}`);
                    continue;
                }
                ls.types.add(['', 'Point', 'LineString', 'Polygon'][f.type]);
                let geom;
                try {
                    geom = f.loadGeometry();
                } catch (e) {
                    problem(fw, `geometry does not decode: ${e.message}`);
                    continue;
                }
                if (geom.length === 0) problem(fw, 'empty geometry');
                for (const part of geom) {
                    for (const p of part) {
                        const over = Math.max(-p.x, -p.y, p.x - extent, p.y - extent, 0);
                        maxOver = Math.max(maxOver, over);
                        if (over > buffer) {
                            problem(fw, `point (${p.x}, ${p.y}) beyond the buffer of ${buffer}`);
                            break;
                        }
                    }
                }
                if (f.type === 1) {
                    if (geom.some((part) => part.length !== 1)) problem(fw, 'a point part with more than one point');
                } else if (f.type === 2) {
                    if (geom.some((part) => part.length < 2)) problem(fw, 'a line with fewer than 2 points');
                } else {
                    // loadGeometry closes each ring: ClosePath repeats the first point.
                    geom.forEach((ring, r) => {
                        if (ring.length < 4) problem(fw, `ring ${r} has ${ring.length} points, fewer than 4`);
                        const a = ringArea2(ring);
                        if (a === 0) problem(fw, `ring ${r} has zero area`);
                        if (r === 0 && a < 0) problem(fw, 'the first ring is not an exterior ring (negative area)');
                    });
                }
                let home;
                if (f.type === 1) {
                    const p = geom[0]?.[0];
                    home = p !== undefined && p.x >= 0 && p.x < extent && p.y >= 0 && p.y < extent;
                } else if (opts.keys.has(lname)) {
                    const key = JSON.stringify(opts.keys.get(lname).map((k) => f.properties[k] ?? null));
                    home = !ids.has(key);
                    ids.add(key);
                } else if (f.id !== undefined) {
                    home = !ids.has(f.id);
                    ids.add(f.id);
                } else {
                    home = true;
                }
                if (!home) continue;
                const c = f.properties.count;
                const v = f.properties.value;
                if (c !== undefined && (typeof c !== 'number' || !Number.isInteger(c) || c < 1)) {
                    problem(fw, `count ${JSON.stringify(c)} is not a positive integer`);
                }
                if (v !== undefined && typeof v !== 'number') problem(fw, `value ${JSON.stringify(v)} is not a number`);
                ls.features++;
                ls.count += typeof c === 'number' ? c : 1;
                ls.value += typeof v === 'number' ? v : 0;
            }
        }
    }

    if (ntiles === 0) problem(opts.input, 'no tiles');
    const zooms = [...stats.keys()].sort((a, b) => a - b);
    if (meta && zooms.length) {
        const minz = Number(meta.minzoom);
        const maxz = Number(meta.maxzoom);
        if (Number.isFinite(minz) && zooms[0] < minz) problem('metadata', `tiles at zoom ${zooms[0]} below minzoom ${minz}`);
        if (Number.isFinite(maxz) && zooms.at(-1) > maxz) problem('metadata', `tiles at zoom ${zooms.at(-1)} above maxzoom ${maxz}`);
    }
    for (const [lname, n] of opts.expect) {
        for (const z of zooms) {
            const got = stats.get(z).get(lname)?.count ?? 0;
            if (got !== n) problem(`zoom ${z} layer ${lname}`, `sum of count is ${got}, expected ${n}`);
        }
    }

    for (const [lname, x] of opts.expectValue) {
        for (const z of zooms) {
            const got = stats.get(z).get(lname)?.value ?? 0;
            if (Math.abs(got - x) > 1e-9 * Math.max(1, Math.abs(x))) {
                problem(`zoom ${z} layer ${lname}`, `sum of value is ${got}, expected ${x}`);
            }
        }
    }

    if (opts.json) {
        const out = { tiles: ntiles, max_outside_extent: maxOver, zooms: {} };
        for (const z of zooms) {
            out.zooms[z] = {};
            for (const [lname, s] of [...stats.get(z)].sort()) {
                out.zooms[z][lname] = { pieces: s.pieces, features: s.features, count: s.count,
                    value: s.value, types: [...s.types].sort() };
            }
        }
        out.problems = problems;
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    } else {
        const rows = [['zoom', 'layer', 'type', 'pieces', 'features', 'sum(count)', 'sum(value)']];
        for (const z of zooms) {
            for (const [lname, s] of [...stats.get(z)].sort()) {
                rows.push([String(z), lname, [...s.types].sort().join('+'), String(s.pieces),
                    String(s.features), String(s.count), String(Math.round(s.value * 1000) / 1000)]);
            }
        }
        const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
        for (const r of rows) {
            process.stdout.write(`${r.map((cell, c) => (c < 3 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')}\n`);
        }
        process.stdout.write(`${ntiles} tiles, zooms ${zooms[0]}-${zooms.at(-1)}, `
            + `farthest coordinate ${maxOver} units outside the extent\n`);
    }
    if (problems.length) {
        process.stderr.write(`decode-tiles: ${problems.length} problem(s):\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
        process.exit(1);
    }
}

main().catch((e) => die(2, e.stack || String(e)));
