// sitmap tile viewer: shows a folder of vector tiles written by `sitmap tiles` with MapLibre GL JS.
// URL parameters:
//   tiles=PATH      the tile folder, relative to this page (default: tiles); it holds tiles.json
//                   (TileJSON) or metadata.json (GDAL MVT driver style) and {z}/{x}/{y}.pbf
//   bounds=W,S,E,N  the initial view; without it the view fits the regions layer, or the bounds of
//                   the metadata when there is no regions layer or with view=all
// No external resources: no glyphs, no sprites, no base map; attributes show in a popup on click.
// For scripts and tests: window.sitmapViewer = {map, metadata, layers, ready} where ready is a
// Promise that resolves once the first view has been drawn.
'use strict';

(function () {
    const params = new URLSearchParams(location.search);
    const tilesParam = (params.get('tiles') || 'tiles').replace(/\/+$/, '');
    const base = new URL(tilesParam + '/', location.href).href.replace(/\/$/, '');
    const statusEl = document.getElementById('status');
    const legendEl = document.getElementById('legend-body');

    // Okabe-Ito colours (distinguishable with the common colour-vision deficiencies).
    const POINT_COLOURS = {
        returns: '#0072B2',
        intended_returns: '#56B4E9',
        camp_population: '#E69F00',
        facilities: '#009E73',
        other_figures: '#CC79A7',
        crossings: '#D55E00',
        camps: '#F0E442',
        places: '#8a8a8a',
    };
    const POINT_ORDER = ['places', 'camps', 'other_figures', 'facilities', 'camp_population',
        'intended_returns', 'returns', 'crossings'];
    const OTHER_POINT = '#000000';
    // Regions by `returns` (the number of returns records located in the region): ColorBrewer
    // YlGnBu, 4 classes (colour-blind safe), and a light grey for none.
    const RETURN_STEPS = [[1, '#a1dab4'], [3, '#41b6c4'], [6, '#2c7fb8'], [10, '#253494']];
    const NO_RETURNS = '#f4f4f4';

    function setStatus(text, isError) {
        statusEl.textContent = text;
        statusEl.classList.toggle('error', !!isError);
    }

    function escapeHtml(s) {
        return String(s).replace(/[&<>"']/g, (c) => ({
            '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
        })[c]);
    }

    async function fetchJson(url) {
        const r = await fetch(url);
        if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
        return r.json();
    }

    // tiles.json (TileJSON) or metadata.json (GDAL: bounds and center as strings, the layers in a
    // JSON string `json`) to {minzoom, maxzoom, bounds:[w,s,e,n], layers:[{id, fields}], tiles}.
    async function loadMetadata() {
        let raw = null;
        let source = null;
        const errors = [];
        for (const name of ['tiles.json', 'metadata.json']) {
            try {
                raw = await fetchJson(`${base}/${name}`);
                source = name;
                break;
            } catch (e) {
                errors.push(e.message);
            }
        }
        if (!raw) throw new Error(`no tiles.json or metadata.json in ${base}/ (${errors.join('; ')})`);
        let layers = raw.vector_layers;
        if (!layers && typeof raw.json === 'string') {
            try {
                layers = JSON.parse(raw.json).vector_layers;
            } catch (e) {
                throw new Error(`${source}: the json member does not parse: ${e.message}`);
            }
        }
        if (!Array.isArray(layers) || layers.length === 0) throw new Error(`${source} lists no vector_layers`);
        let bounds = raw.bounds;
        if (typeof bounds === 'string') bounds = bounds.split(',').map(Number);
        if (!Array.isArray(bounds) || bounds.length !== 4 || bounds.some((v) => !Number.isFinite(v))) {
            bounds = [-180, -85, 180, 85];
        }
        let tiles = [`${base}/{z}/{x}/{y}.pbf`];
        if (Array.isArray(raw.tiles) && raw.tiles.length) {
            tiles = raw.tiles.map((t) => (/^[a-z]+:/i.test(t) ? t : `${base}/${t.replace(/^\.?\//, '')}`));
        }
        return {
            source,
            name: raw.name || '',
            minzoom: Number.isFinite(Number(raw.minzoom)) ? Number(raw.minzoom) : 0,
            maxzoom: Number.isFinite(Number(raw.maxzoom)) ? Number(raw.maxzoom) : 14,
            bounds,
            layers: layers.map((l) => ({ id: l.id, fields: l.fields || {} })),
            tiles,
        };
    }

    // Radius by the number of features a point stands for (`count`, 1 for a single point).
    const pointRadius = ['interpolate', ['linear'], ['sqrt', ['to-number', ['coalesce', ['get', 'count'], 1]]],
        1, 4, 4, 8, 12, 16, 40, 28];

    function styleLayers(names) {
        const present = new Set(names);
        const out = [{ id: 'background', type: 'background', paint: { 'background-color': '#e8eef3' } }];
        const src = 'sitmap';
        if (present.has('countries')) {
            out.push({ id: 'countries-fill', type: 'fill', source: src, 'source-layer': 'countries',
                paint: { 'fill-color': '#d0d0d0', 'fill-outline-color': '#9a9a9a' } });
            out.push({ id: 'countries-line', type: 'line', source: src, 'source-layer': 'countries',
                paint: { 'line-color': '#8c8c8c', 'line-width': 0.8 } });
        }
        if (present.has('regions')) {
            const step = ['step', ['to-number', ['coalesce', ['get', 'returns'], 0]], NO_RETURNS];
            for (const [v, c] of RETURN_STEPS) step.push(v, c);
            out.push({ id: 'regions-fill', type: 'fill', source: src, 'source-layer': 'regions',
                paint: { 'fill-color': step, 'fill-opacity': 0.85 } });
            out.push({ id: 'regions-line', type: 'line', source: src, 'source-layer': 'regions',
                paint: { 'line-color': '#4d4d4d', 'line-width': ['interpolate', ['linear'], ['zoom'], 3, 0.6, 8, 1.6] } });
        }
        if (present.has('zones')) {
            out.push({ id: 'zones-fill', type: 'fill', source: src, 'source-layer': 'zones',
                paint: { 'fill-color': '#882255', 'fill-opacity': 0.08 } });
            out.push({ id: 'zones-line', type: 'line', source: src, 'source-layer': 'zones',
                paint: { 'line-color': '#882255', 'line-width': 2, 'line-dasharray': [3, 2] } });
        }
        if (present.has('flows')) {
            out.push({ id: 'flows-line', type: 'line', source: src, 'source-layer': 'flows',
                layout: { 'line-cap': 'round', 'line-join': 'round' },
                paint: { 'line-color': '#0072B2', 'line-opacity': 0.65,
                    'line-width': ['interpolate', ['linear'], ['sqrt', ['to-number', ['coalesce', ['get', 'value'], 0]]],
                        0, 1, 30, 2, 300, 5, 1500, 10] } });
        }
        // Any other layer: drawn by geometry type, in black.
        const known = new Set(['countries', 'regions', 'zones', 'flows', ...POINT_ORDER]);
        for (const n of names.filter((x) => !known.has(x)).sort()) {
            out.push({ id: `${n}-fill`, type: 'fill', source: src, 'source-layer': n,
                filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': OTHER_POINT, 'fill-opacity': 0.15 } });
            out.push({ id: `${n}-line`, type: 'line', source: src, 'source-layer': n,
                filter: ['!=', ['geometry-type'], 'Point'], paint: { 'line-color': OTHER_POINT, 'line-width': 1 } });
        }
        const points = [...POINT_ORDER.filter((n) => present.has(n)),
            ...names.filter((n) => !known.has(n)).sort()];
        for (const n of points) {
            const small = n === 'places';
            out.push({ id: `${n}-circle`, type: 'circle', source: src, 'source-layer': n,
                filter: ['==', ['geometry-type'], 'Point'],
                paint: {
                    'circle-color': POINT_COLOURS[n] || OTHER_POINT,
                    'circle-radius': small ? ['interpolate', ['linear'], ['zoom'], 3, 2, 8, 4] : pointRadius,
                    'circle-opacity': small ? 0.9 : 0.8,
                    'circle-stroke-color': ['case', ['==', ['to-number', ['coalesce', ['get', 'clustered'], 0]], 1], '#000000', '#ffffff'],
                    'circle-stroke-width': ['case', ['==', ['to-number', ['coalesce', ['get', 'clustered'], 0]], 1], 1.5, small ? 0.5 : 1],
                } });
        }
        return out;
    }

    function legendHtml(meta, names) {
        const present = new Set(names);
        const rows = [];
        const row = (sw, label) => rows.push(`<div class="row">${sw}<span>${escapeHtml(label)}</span></div>`);
        if (present.has('regions')) {
            rows.push('<h2>Regions: returns records</h2>');
            row(`<span class="sw" style="background:${NO_RETURNS};border:1px solid #999"></span>`, 'none');
            RETURN_STEPS.forEach(([v, c], i) => {
                const next = RETURN_STEPS[i + 1];
                const label = next ? `${v.toLocaleString('en')} – ${(next[0] - 1).toLocaleString('en')}` : `${v.toLocaleString('en')} or more`;
                row(`<span class="sw" style="background:${c};border:1px solid #999"></span>`, label);
            });
        }
        rows.push('<h2>Layers</h2>');
        if (present.has('countries')) row('<span class="sw" style="background:#d0d0d0;border:1px solid #8c8c8c"></span>', 'countries');
        if (present.has('zones')) row('<span class="sw dash"></span>', 'zones');
        if (present.has('flows')) row('<span class="sw line"></span>', 'flows (width by value)');
        for (const n of [...POINT_ORDER].reverse().filter((x) => present.has(x))) {
            row(`<span class="sw dot" style="background:${POINT_COLOURS[n]}"></span>`, n.replace(/_/g, ' '));
        }
        const other = names.filter((n) => !['countries', 'regions', 'zones', 'flows', ...POINT_ORDER].includes(n));
        for (const n of other) row(`<span class="sw dot" style="background:${OTHER_POINT}"></span>`, n);
        rows.push('<div style="margin-top:4px;color:#555">circle size: features in a cluster (count)<br>click a feature for its attributes</div>');
        return rows.join('');
    }

    function popupHtml(features) {
        const seen = new Set();
        const parts = [];
        for (const f of features) {
            const key = `${f.sourceLayer}/${f.id}/${JSON.stringify(f.properties)}`;
            if (seen.has(key)) continue;
            seen.add(key);
            const cells = Object.entries(f.properties)
                .map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`).join('');
            const p = f.properties;
            const note = Number(p.clustered) === 1
                ? ` <span style="font-weight:normal">(a cluster of ${escapeHtml(p.count)} features: numbers are their sums)</span>`
                : '';
            parts.push(`<h3>${escapeHtml(f.sourceLayer)}${note}</h3><table>${cells}</table>`);
            if (parts.length === 8) break;
        }
        return parts.join('');
    }

    // Room for the legend on the left where the window is wide enough.
    function viewPadding() {
        const w = document.getElementById('map').clientWidth;
        const h = document.getElementById('map').clientHeight;
        if (w < 700 || h < 300) return 10;
        return { top: 30, bottom: 50, right: 50, left: document.getElementById('legend').offsetWidth + 30 };
    }

    // [w, s, e, n] of GeoJSON features (from querySourceFeatures), or null.
    function featureBounds(features) {
        let bb = null;
        const visit = (c) => {
            if (typeof c[0] === 'number') {
                if (!bb) bb = [c[0], c[1], c[0], c[1]];
                bb = [Math.min(bb[0], c[0]), Math.min(bb[1], c[1]), Math.max(bb[2], c[0]), Math.max(bb[3], c[1])];
            } else {
                c.forEach(visit);
            }
        };
        for (const f of features) if (f.geometry && f.geometry.coordinates) visit(f.geometry.coordinates);
        return bb;
    }

    let resolveReady;
    let rejectReady;
    const ready = new Promise((res, rej) => { resolveReady = res; rejectReady = rej; });
    const viewer = { map: null, metadata: null, layers: [], errors: [], ready };
    window.sitmapViewer = viewer;

    async function start() {
        const meta = await loadMetadata();
        viewer.metadata = meta;
        const names = meta.layers.map((l) => l.id);
        viewer.layers = names;
        let bounds = meta.bounds;
        const b = (params.get('bounds') || '').split(',').map(Number);
        if (b.length === 4 && b.every(Number.isFinite)) bounds = b;
        // Web Mercator stops at +-85.05 degrees.
        bounds = [bounds[0], Math.max(bounds[1], -85), bounds[2], Math.min(bounds[3], 85)];
        legendEl.innerHTML = legendHtml(meta, names);

        const map = new maplibregl.Map({
            container: 'map',
            style: {
                version: 8,
                sources: {
                    sitmap: { type: 'vector', tiles: meta.tiles, minzoom: meta.minzoom, maxzoom: meta.maxzoom,
                        bounds: meta.bounds },
                },
                layers: styleLayers(names),
            },
            bounds,
            fitBoundsOptions: { padding: viewPadding() },
            maxZoom: Math.max(meta.maxzoom + 4, 12),
            attributionControl: false,
        });
        viewer.map = map;
        map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
        map.addControl(new maplibregl.ScaleControl(), 'bottom-right');
        map.on('error', (e) => {
            const msg = (e && e.error && e.error.message) || String(e);
            viewer.errors.push(msg);
            setStatus(`error: ${msg}`, true);
        });
        const showZoom = () => setStatus(`${meta.source}: ${names.length} layers, tiles z${meta.minzoom}–${meta.maxzoom}; `
            + `view zoom ${map.getZoom().toFixed(1)}`);
        map.on('moveend', showZoom);
        map.on('click', (e) => {
            const pad = 4;
            const box = [[e.point.x - pad, e.point.y - pad], [e.point.x + pad, e.point.y + pad]];
            const features = map.queryRenderedFeatures(box).filter((f) => f.sourceLayer);
            if (!features.length) return;
            new maplibregl.Popup({ maxWidth: '360px' }).setLngLat(e.lngLat).setHTML(popupHtml(features)).addTo(map);
        });
        map.on('mousemove', (e) => {
            const hit = map.queryRenderedFeatures(e.point).some((f) => f.sourceLayer && f.sourceLayer !== 'countries');
            map.getCanvas().style.cursor = hit ? 'pointer' : '';
        });
        const done = () => {
            showZoom();
            resolveReady(viewer);
        };
        map.once('idle', () => {
            // The metadata bounds hold every feature, also far from the regions; start on these.
            const fit = !params.get('bounds') && params.get('view') !== 'all' && names.includes('regions');
            const bb = fit ? featureBounds(map.querySourceFeatures('sitmap', { sourceLayer: 'regions' })) : null;
            if (!bb) return done();
            map.fitBounds(bb, { padding: viewPadding(), animate: false });
            map.once('idle', done);
            map.triggerRepaint();
        });
    }

    start().catch((e) => {
        setStatus(`error: ${e.message}`, true);
        legendEl.textContent = 'no tiles';
        viewer.errors.push(e.message);
        rejectReady(e);
    });
}());
