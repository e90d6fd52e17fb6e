// Tests of decode-tiles.mjs on small pyramids written here by hand (node --test).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { PbfWriter } from 'pbf';

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'decode-tiles.mjs');
const zz = (n) => (n << 1) ^ (n >> 31);

// MVT geometry commands for parts of [x, y] points (polygon rings are closed with ClosePath).
function geometry(type, parts) {
    const out = [];
    let cx = 0;
    let cy = 0;
    for (const part of parts) {
        part.forEach(([x, y], i) => {
            if (i === 0) out.push((1 & 7) | (1 << 3));
            else if (i === 1) out.push((2 & 7) | ((part.length - 1) << 3));
            out.push(zz(x - cx), zz(y - cy));
            cx = x;
            cy = y;
        });
        if (type === 3) out.push(7 | (1 << 3));
    }
    return out;
}

// One tile: layers = {name: [{id, type, parts, props}]}, extent 4096.
function tile(layers) {
    const pbf = new PbfWriter();
    for (const [name, features] of Object.entries(layers)) {
        pbf.writeMessage(3, (_, p) => {
            p.writeVarintField(15, 2);
            p.writeStringField(1, name);
            const keys = [];
            const values = [];
            for (const f of features) {
                p.writeMessage(2, (__, q) => {
                    if (f.id !== undefined) q.writeVarintField(1, f.id);
                    const tags = [];
                    for (const [k, v] of Object.entries(f.props || {})) {
                        if (!keys.includes(k)) keys.push(k);
                        if (!values.includes(v)) values.push(v);
                        tags.push(keys.indexOf(k), values.indexOf(v));
                    }
                    q.writePackedVarint(2, tags);
                    q.writeVarintField(3, f.type);
                    q.writePackedVarint(4, geometry(f.type, f.parts));
                });
            }
            for (const k of keys) p.writeStringField(3, k);
            for (const v of values) {
                p.writeMessage(4, (__, q) => {
                    if (typeof v === 'string') q.writeStringField(1, v);
                    else if (Number.isInteger(v)) q.writeSVarintField(6, v);
                    else q.writeDoubleField(3, v);
                });
            }
            p.writeVarintField(5, 4096);
        });
    }
    return pbf.finish();
}

function pyramid(tiles) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'decode-tiles-'));
    for (const [zxy, data] of Object.entries(tiles)) {
        const file = path.join(dir, `${zxy}.pbf`);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, data);
    }
    return dir;
}

function run(dir, ...args) {
    const r = spawnSync(process.execPath, [script, dir, ...args], { encoding: 'utf8' });
    fs.rmSync(dir, { recursive: true, force: true });
    return r;
}

// Clockwise on screen (y down): the exterior ring of the MVT specification.
const square = [[100, 100], [1000, 100], [1000, 1000], [100, 1000]];
const good = {
    regions: [{ id: 1, type: 3, parts: [square], props: { name: 'A', returns: 5 } }],
    returns: [
        { type: 1, parts: [[[500, 500]]], props: { count: 3, clustered: 1, value: 1.5 } },
        { type: 1, parts: [[[4100, 500]]], props: { count: 1, value: 7 } }, // the next tile's point
    ],
};

test('a valid pyramid: figures per zoom, points counted in their own tile only', () => {
    const r = run(pyramid({ '1/0/0': tile(good), '1/1/1': zlib.gzipSync(tile(good)) }),
        '--expect-count', 'returns=6', '--expect-value', 'returns=3', '--json');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.tiles, 2);
    assert.deepEqual(out.zooms['1'].returns, { pieces: 4, features: 2, count: 6, value: 3, types: ['Point'] });
    assert.equal(out.zooms['1'].regions.features, 1); // one id in two tiles
    assert.equal(out.zooms['1'].regions.pieces, 2);
});

test('--key: a polygon without id cut into two tiles counts once', () => {
    const noId = { regions: [{ type: 3, parts: [square], props: { region_id: 'SY-DR' } }] };
    const t = { '1/0/0': tile(noId), '1/1/0': tile(noId) };
    const r = run(pyramid(t), '--key', 'regions=region_id', '--expect-count', 'regions=1', '--json');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).zooms['1'].regions.pieces, 2);
    const r2 = run(pyramid(t), '--expect-count', 'regions=1');
    assert.equal(r2.status, 1);
    assert.match(r2.stderr, /sum of count is 2, expected 1/);
});

test('--expect-count fails on a zoom that lost points', () => {
    const r = run(pyramid({ '0/0/0': tile(good) }), '--expect-count', 'returns=4');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /zoom 0 layer returns: sum of count is 3, expected 4/);
});

test('an exterior ring in the wrong orientation, a short ring, a point beyond the buffer', () => {
    const bad = {
        regions: [
            { id: 1, type: 3, parts: [[...square].reverse()] },
            { id: 2, type: 3, parts: [[[0, 0], [10, 10]]] },
        ],
        returns: [{ type: 1, parts: [[[-900, 10]]], props: { count: 1 } }],
    };
    const r = run(pyramid({ '0/0/0': tile(bad) }));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /feature 0 \(id 1\): the first ring is not an exterior ring/);
    assert.match(r.stderr, /feature 1 \(id 2\): ring 0 has 3 points, fewer than 4/);
    assert.match(r.stderr, /point \(-900, 10\) beyond the buffer of 512/);
});

test('a tile that does not decode, a tile outside its zoom, bad usage', () => {
    const r = run(pyramid({ '0/0/0': Buffer.from([0x1a, 0x40, 0x01]), '1/2/0': tile(good) }));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /0\/0\/0\.pbf: does not decode/);
    assert.match(r.stderr, /1\/2\/0\.pbf: tile outside zoom 1/);
    assert.equal(run(pyramid({}), '--expect-count', 'x').status, 2);
    assert.equal(spawnSync(process.execPath, [script, '/nonexistent']).status, 2);
});

test('an MBTiles file: gzipped blobs, rows counted from the south', async () => {
    const initSqlJs = createRequire(import.meta.url)('sql.js');
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.run('CREATE TABLE metadata (name TEXT, value TEXT); CREATE TABLE tiles (zoom_level INTEGER, '
        + 'tile_column INTEGER, tile_row INTEGER, tile_data BLOB)');
    db.run("INSERT INTO metadata VALUES ('minzoom', '0'), ('maxzoom', '1'), ('format', 'pbf')");
    const insert = (z, x, row, data) => db.run('INSERT INTO tiles VALUES (?, ?, ?, ?)', [z, x, row, data]);
    insert(0, 0, 0, zlib.gzipSync(tile(good)));
    insert(1, 0, 0, zlib.gzipSync(tile(good))); // y = 1
    insert(1, 1, 1, zlib.gzipSync(tile(good))); // y = 0
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'decode-tiles-'));
    fs.writeFileSync(path.join(dir, 't.mbtiles'), db.export());
    db.close();
    const r = spawnSync(process.execPath, [script, path.join(dir, 't.mbtiles'), '--json'], { encoding: 'utf8' });
    fs.rmSync(dir, { recursive: true, force: true });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.tiles, 3);
    assert.equal(out.zooms['0'].returns.count, 3);
    assert.equal(out.zooms['1'].returns.count, 6);
});
