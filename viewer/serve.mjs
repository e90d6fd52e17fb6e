#!/usr/bin/env node
// A small static file server for the viewer and a tile folder, on the loopback address only.
// Usage: node serve.mjs [--port N] [--host 127.0.0.1] [--open PATH] PREFIX=DIR...
//   e.g. node serve.mjs --port 8765 --open '/viewer/?tiles=../tiles' /viewer=viewer /tiles=out/tiles
//   --port 0 takes a free port; --open PATH prints the address of PATH on this server.
// Serves only files below each DIR (no listing, no symbolic links out of DIR). A missing
// {z}/{x}/{y}.pbf is answered 204 No Content (an empty tile), other missing files 404.
// .pbf is sent as application/x-protobuf, with Content-Encoding: gzip when the file is gzipped.
// Also importable: createStaticServer(mounts) returns an http.Server.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.mjs': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.json': 'application/json; charset=utf-8',
    '.map': 'application/json; charset=utf-8',
    '.pbf': 'application/x-protobuf',
    '.mvt': 'application/vnd.mapbox-vector-tile',
    '.png': 'image/png',
    '.svg': 'image/svg+xml',
    '.wasm': 'application/wasm',
    '.txt': 'text/plain; charset=utf-8',
};

// mounts: [{prefix: '/viewer', dir: '/abs/dir'}]; the longest matching prefix wins.
export function createStaticServer(mounts) {
    const roots = mounts
        .map((m) => ({ prefix: `/${m.prefix.replace(/^\/+|\/+$/g, '')}`.replace(/^\/$/, ''), dir: fs.realpathSync(m.dir) }))
        .sort((a, b) => b.prefix.length - a.prefix.length);
    return http.createServer((req, res) => {
        const send = (code, body, headers = {}) => {
            res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
            res.end(req.method === 'HEAD' ? undefined : body);
        };
        if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');
        let urlPath;
        try {
            urlPath = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
        } catch {
            return send(400, 'bad request\n');
        }
        if (urlPath.includes('\0')) return send(400, 'bad request\n');
        const root = roots.find((r) => urlPath === r.prefix || urlPath.startsWith(`${r.prefix}/`));
        if (!root) return send(404, 'not found\n');
        const rel = urlPath.slice(root.prefix.length).replace(/^\/+/, '');
        let file = path.resolve(root.dir, rel);
        const inside = (p) => p === root.dir || p.startsWith(root.dir + path.sep);
        if (!inside(file)) return send(403, 'forbidden\n');
        const emptyTile = /(^|\/)\d+\/\d+\/\d+\.(pbf|mvt)$/.test(rel);
        fs.realpath(file, (err, real) => {
            if (err) return emptyTile ? send(204, '') : send(404, 'not found\n');
            if (!inside(real)) return send(403, 'forbidden\n');
            fs.stat(real, (err2, st) => {
                if (!err2 && st.isDirectory()) {
                    real = path.join(real, 'index.html');
                    if (!fs.existsSync(real)) return send(404, 'not found\n');
                } else if (err2) {
                    return send(404, 'not found\n');
                }
                fs.readFile(real, (err3, data) => {
                    if (err3) return send(404, 'not found\n');
                    const ext = path.extname(real).toLowerCase();
                    const headers = { 'Content-Type': TYPES[ext] || 'application/octet-stream', 'Cache-Control': 'no-cache' };
                    if ((ext === '.pbf' || ext === '.mvt') && data[0] === 0x1f && data[1] === 0x8b) {
                        headers['Content-Encoding'] = 'gzip';
                    }
                    headers['Content-Length'] = data.length;
                    res.writeHead(200, headers);
                    res.end(req.method === 'HEAD' ? undefined : data);
                });
            });
        });
    });
}

function main(argv) {
    let port = 8765;
    let host = '127.0.0.1';
    let open = null;
    const mounts = [];
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === '--port') port = Number(argv[++i]);
        else if (a === '--host') host = argv[++i];
        else if (a === '--open') open = argv[++i];
        else if (/^[^=]*=.+$/.test(a)) {
            const [prefix, dir] = [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)];
            if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
                process.stderr.write(`serve: '${dir}' is not a folder\n`);
                process.exit(2);
            }
            mounts.push({ prefix, dir });
        } else {
            process.stderr.write('usage: serve.mjs [--port N] [--host ADDR] [--open PATH] PREFIX=DIR...\n');
            process.exit(2);
        }
    }
    if (!mounts.length || !Number.isInteger(port) || port < 0 || port > 65535) {
        process.stderr.write('usage: serve.mjs [--port N] [--host ADDR] [--open PATH] PREFIX=DIR...\n');
        process.exit(2);
    }
    const server = createStaticServer(mounts);
    server.on('error', (e) => {
        process.stderr.write(`serve: ${e.message}\n`);
        process.exit(1);
    });
    server.listen(port, host, () => {
        const a = server.address();
        process.stdout.write(`serving ${mounts.map((m) => `${m.dir} as ${m.prefix}/`).join(', ')} on http://${host}:${a.port}/\n`);
        if (open) process.stdout.write(`open http://${host}:${a.port}/${open.replace(/^\/+/, '')}\n`);
    });
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
    main(process.argv.slice(2));
}
