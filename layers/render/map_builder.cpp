#include "layers/render/map_builder.hpp"

#include "geo/error.hpp"
#include "geo/utf8.hpp"
#include "layers/query.hpp"
#include "layers/render/cartography.hpp"
#include "layers/render/figures.hpp"
#include "layers/render/furniture.hpp"
#include "layers/render/labels.hpp"
#include "layers/render/symbols.hpp"

#include <ogr_api.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <iterator>
#include <memory>
#include <optional>
#include <set>

namespace sitmap::render {
PageLayout page_layout(const RenderOptions &opt, double title_height, double attribution_height) {
    PageLayout p;
    p.width = opt.width * 72.0 / opt.dpi;
    p.height = opt.height * 72.0 / opt.dpi;
    const double m = 14, legend_w = std::clamp(0.26 * p.width, 150.0, 230.0);
    const double title_h = std::max(40.0, title_height);
    const double attribution_h = std::max(29.0, attribution_height);
    p.title = {m, m, p.width - m, m + title_h};
    p.frame = {m, p.title.y1 + 4, p.width - m - legend_w - 12, p.height - 4 - attribution_h - 5};
    p.legend = {p.frame.x1 + 12, p.frame.y0, p.width - m, p.frame.y1};
    p.attribution = {m, p.frame.y1 + 5, p.width - m, p.height - 4};
    return p;
}

namespace {

// The bounding box of paths.
Box bounds(const std::vector<PathItem> &paths) {
    Box b{1e300, 1e300, -1e300, -1e300};
    for (const auto &p : paths) {
        const Box pb = path_bounds(p);
        b = {std::min(b.x0, pb.x0), std::min(b.y0, pb.y0), std::max(b.x1, pb.x1),
             std::max(b.y1, pb.y1)};
    }
    return b;
}

LegendEntry with_short(LegendEntry e, std::string short_label) {
    e.short_label = std::move(short_label);
    return e;
}

void append(DisplayList &to, DisplayList &&from) {
    to.items.insert(to.items.end(), std::make_move_iterator(from.items.begin()),
                    std::make_move_iterator(from.items.end()));
}

} // namespace

DisplayList build_display_list(const std::vector<Layer> &atlas, const RenderOptions &opt,
                               const std::string &atlas_path, RenderReport &report) {
    const Layer *regions_layer = find_layer(atlas, "regions");
    if (!regions_layer)
        throw InputError(atlas_path, 0, "has no 'regions' layer: not an atlas from 'sitmap build'");
    const RegionLayer regions = regions_from_layer(*regions_layer, atlas_path);
    const MapFigures fig = compute_figures(atlas, regions, opt, atlas_path);
    const LonLatBox bbox = opt.bbox.value_or(kSyriaView);
    const TextMeasurer measurer;
    std::optional<GroupKey> group = fig.group; // its texts as the map shows them
    if (group)
        for (auto *s : {&group->subcategory, &group->unit, &group->status})
            *s = displayable_utf8(*s);

    // Title and attribution first: their heights set the frame's.
    const double margin = 14, text_width = opt.width * 72.0 / opt.dpi - 2 * margin;
    const std::string title = !opt.title.empty()
                                  ? opt.title
                                  : "Reported " + words(opt.category) + " per governorate" +
                                        (group ? " (" + words(group->subcategory) + ")" : "");
    std::string subtitle = capitalised(period_words(fig.period));
    if (!dates(fig).empty())
        subtitle += ", " + dates(fig);
    subtitle +=
        ". Figures as the bulletins state them; crossings, checkpoints and camps they name.";
    DisplayList head;
    const double title_h = add_title(head, measurer, {margin, margin}, title, subtitle, text_width);
    std::vector<std::string> sources(fig.sources.begin(), fig.sources.end());
    std::string attribution = "Boundaries: Natural Earth (public domain). Place coordinates: " +
                              join(gazetteer_refs(atlas), ", ") + ".";
    if (!sources.empty())
        attribution += " Figures: claims stated by " + join(sources, "; ") + ", not verified.";
    attribution += std::string(" ") + kSyriaLccWords + ".";
    TextItem attribution_style;
    attribution_style.size = 6;
    const double attribution_h = attribution_height(
        measurer, wrap_text(measurer, attribution_style, attribution, text_width).size());

    const PageLayout page = page_layout(opt, title_h, attribution_h);
    if (page.frame.height() < 100)
        throw UsageError("the page is too small for the title and attribution: use a larger "
                         "--height, a smaller --dpi or a shorter --title");
    const Projection proj;
    const std::optional<MapView> view_or = [&]() -> std::optional<MapView> {
        try {
            return std::optional<MapView>(std::in_place, proj, bbox, page.frame);
        } catch (const WorkError &e) {
            throw UsageError("--bbox " + format_number(bbox.min_lon) + "," +
                             format_number(bbox.min_lat) + "," + format_number(bbox.max_lon) + "," +
                             format_number(bbox.max_lat) +
                             ": the map's projection cannot take this box (" + e.what() + ")");
        }
    }();
    const MapView &view = *view_or;
    report.boxes.title = {margin, margin, page.width - margin, margin + title_h};
    report.boxes.frame = page.frame;

    DisplayList dl;
    dl.width = page.width;
    dl.height = page.height;
    dl.frame = page.frame;
    {
        PathItem paper;
        paper.ops = rect_path(page.frame);
        paper.fill = {247, 247, 244};
        dl.add(std::move(paper));
    }
    Box inner = page.frame;
    inner.x0 += 2, inner.y0 += 2, inner.x1 -= 2, inner.y1 -= 2;
    LabelPlacer labels(measurer, inner);

    // Neighbouring countries.
    if (const Layer *countries = find_layer(atlas, "countries"))
        for (const auto &f : countries->features) {
            if (!f.geometry)
                continue;
            PathItem p;
            append_rings(p.ops, view.to_page(*f.geometry), true);
            p.fill = kNeighbourFill;
            p.stroke = kNeighbourStroke;
            p.width = 0.5;
            dl.add(std::move(p));
            if (const auto at = label_point(*f.geometry, bbox)) {
                std::string name = display_text(*countries, f, "name");
                std::transform(name.begin(), name.end(), name.begin(),
                               [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
                TextItem t = label_style(name, 9, {125, 125, 125});
                t.letter_spacing = 2;
                t.halo = kNone;
                LabelRequest r{t, view.to_page(*at), 0, 4, true, view.to_page(*f.geometry)};
                labels.add(std::move(r));
            }
        }

    // Governorates: the choropleth.
    std::unique_ptr<OGRGeometry> nation;
    for (std::size_t i = 0; i < regions_layer->features.size(); ++i) {
        const auto &f = regions_layer->features[i];
        if (!f.geometry)
            continue;
        PathItem p;
        append_rings(p.ops, view.to_page(*f.geometry), true);
        const auto &v = fig.region_value[i];
        if (v) {
            p.fill = fig.colors.at(fig.breaks.classify(*v));
        } else {
            p.fill = kNoFigureFill;
            p.hatch = true;
        }
        p.stroke = {120, 120, 120};
        p.width = 0.5;
        dl.add(std::move(p));
        nation.reset(nation ? nation->Union(f.geometry.get()) : f.geometry->clone());
        if (const auto at = label_point(*f.geometry, bbox)) {
            TextItem t = label_style(display_text(*regions_layer, f, "name"), 7.5, {70, 70, 70});
            t.italic = true;
            LabelRequest r{t, view.to_page(*at), 0, 5, true, view.to_page(*f.geometry)};
            labels.add(std::move(r));
        }
    }
    if (nation) {
        PathItem p;
        append_rings(p.ops, view.to_page(*nation), true);
        p.stroke = {60, 60, 60};
        p.width = 1.1;
        dl.add(std::move(p));
    }

    // Zones.
    std::vector<std::string> zone_names, zones_shown;
    if (const Layer *zones = find_layer(atlas, "zones"))
        for (const auto &f : zones->features) {
            if (!f.geometry)
                continue;
            PathItem p = zone_style();
            const auto rings = view.to_page(*f.geometry);
            append_rings(p.ops, rings, true);
            dl.add(std::move(p));
            zone_names.push_back(display_text(*zones, f, "name"));
            const bool in_view = std::any_of(rings.begin(), rings.end(), [&](const auto &r) {
                return std::any_of(r.begin(), r.end(),
                                   [&](Pt q) { return page.frame.contains(q); });
            });
            if (!in_view)
                continue; // neither in the legend nor labelled
            zones_shown.push_back(zone_names.back());
            if (!rings.empty() && !rings[0].empty()) {
                const auto lowest = *std::max_element(rings[0].begin(), rings[0].end(),
                                                      [](Pt a, Pt b) { return a.y < b.y; });
                TextItem t = label_style(zone_names.back(), 7.5, kZoneColor);
                t.italic = true;
                labels.add({t, {lowest.x, lowest.y + 7}, 0, 1, true, {}});
            }
        }

    // Flows: largest drawn first, so smaller ones stay visible on top. A leg is drawn (and
    // counted) only when it reaches into the frame.
    const double max_flow = fig.flows.empty() ? 0 : fig.flows.front().value;
    for (const auto &fl : fig.flows) {
        Pt a = view.to_page(fl.from), b = view.to_page(fl.to);
        const double len = std::hypot(b.x - a.x, b.y - a.y);
        if (len < 12) { // shorter than its arrowhead: named in the legend instead
            const Box span{std::min(a.x, b.x), std::min(a.y, b.y), std::max(a.x, b.x),
                           std::max(a.y, b.y)};
            if (page.frame.contains(a) || page.frame.contains(b) || span.overlaps(page.frame))
                report.flows_too_short.push_back(fl.from_name + " → " + fl.to_name);
            else
                ++report.flows_outside;
            continue;
        }
        const double ux = (b.x - a.x) / len, uy = (b.y - a.y) / len;
        a = {a.x + ux * 3, a.y + uy * 3};
        b = {b.x - ux * 6, b.y - uy * 6};
        auto arrow = flow_arrow(a, b, flow_width(fl.value, max_flow), kFlowColor);
        if (!bounds(arrow).overlaps(page.frame)) {
            ++report.flows_outside;
            continue;
        }
        for (auto &p : arrow) {
            flow_boxes(p, labels);
            dl.add(std::move(p));
        }
        ++report.flows;
    }

    // Points: other places, then crossings, checkpoints, camps on top.
    struct Point {
        Mark mark;
        LonLat at;
        std::string name;
        int priority;
        Color color;
        bool italic = false, symbol = true;
    };
    std::vector<Point> points;
    std::set<Mark> shown;
    if (const Layer *places = find_layer(atlas, "places"))
        for (const auto &f : places->features) {
            if (!f.geometry)
                continue;
            const std::string kind = field_text(*places, f, "kind");
            const auto *pt = dynamic_cast<const OGRPoint *>(f.geometry.get());
            if (!pt || kind == "governorate" || kind == "country")
                continue;
            const std::string name = display_text(*places, f, "name");
            if (kind == "area") {
                if (std::find(zone_names.begin(), zone_names.end(), name) == zone_names.end())
                    points.push_back({Mark::place,
                                      {pt->getX(), pt->getY()},
                                      name,
                                      6,
                                      {90, 90, 90},
                                      true,
                                      false});
                continue;
            }
            const bool capital = name == "Damascus";
            points.push_back({Mark::place,
                              {pt->getX(), pt->getY()},
                              name,
                              capital          ? 1
                              : kind == "city" ? 2
                                               : 3,
                              {30, 30, 30}});
        }
    for (const char *layer : {"crossings", "camps"})
        if (const Layer *l = find_layer(atlas, layer))
            for (const auto &f : l->features) {
                const auto *pt = dynamic_cast<const OGRPoint *>(f.geometry.get());
                if (!pt)
                    continue;
                const std::string kind = field_text(*l, f, "kind");
                const Mark m = std::string(layer) == "camps" ? Mark::camp
                               : kind == "checkpoint"        ? Mark::checkpoint
                                                             : Mark::crossing;
                const Color c = m == Mark::camp         ? Color{160, 20, 20}
                                : m == Mark::checkpoint ? Color{90, 50, 140}
                                                        : Color{150, 70, 0};
                points.push_back({m, {pt->getX(), pt->getY()}, display_text(*l, f, "name"), 0, c});
            }
    for (const auto &p : points) {
        const Pt at = view.to_page(p.at);
        if (!page.frame.contains(at))
            continue;
        TextItem t = label_style(p.name, p.priority <= 1 ? 8 : 7.5, p.color);
        t.italic = p.italic;
        t.bold = p.priority == 1;
        if (!p.symbol) {
            labels.add({t, at, 0, p.priority, true, {}});
            continue;
        }
        const SymbolItem s = mark_symbol(p.mark, at);
        shown.insert(p.mark);
        dl.add(s);
        const double r = s.size / 2 + 0.5;
        labels.add_obstacle({at.x - r, at.y - r, at.x + r, at.y + r});
        labels.add({t, at, s.size / 2, p.priority, false, {}});
    }

    const LabelResult placed = labels.place();
    for (const auto &t : placed.placed)
        dl.add(t);
    report.labels_placed = placed.placed.size();
    report.labels_left_out = placed.left_out;
    {
        PathItem border;
        border.ops = rect_path(page.frame);
        border.stroke = {90, 90, 90};
        border.width = 0.8;
        dl.add(std::move(border), false);
    }

    // Legend: its texts in full when they fit above the scale bar and north arrow, else in
    // their short wording, else the page is too small.
    std::vector<LegendEntry> legend;
    const std::string cat = capitalised(words(opt.category));
    if (group) {
        report.group = group->column();
        legend.push_back(
            legend_entry(LegendEntry::heading,
                         cat + ": " + words(group->subcategory) +
                             (group->status.empty() ? "" : " (" + words(group->status) + ")")));
        legend.push_back(
            legend_entry(LegendEntry::text, "Sum per governorate, " + words(group->unit) + ", " +
                                                period_words(fig.period) +
                                                (dates(fig).empty() ? "" : ", " + dates(fig))));
        for (std::size_t i = 0; i < fig.breaks.upper.size(); ++i)
            legend.push_back(legend_entry(LegendEntry::swatch,
                                          class_label(fig.breaks, i, fig.values), fig.colors[i]));
    } else {
        legend.push_back(legend_entry(LegendEntry::heading, cat));
        legend.push_back(legend_entry(LegendEntry::text,
                                      "No record of this category is located in a governorate"));
    }
    legend.push_back(legend_entry(LegendEntry::hatch, "No figure reported", kNoFigureFill));
    report.regions_with_value = fig.values.size();
    report.unallocated = fig.unallocated;
    if (fig.unallocated > 0) {
        const std::string n =
            std::to_string(fig.unallocated) + " record" + (fig.unallocated == 1 ? "" : "s");
        const std::string verb = fig.unallocated == 1 ? " is" : " are";
        legend.push_back(with_short(
            legend_entry(LegendEntry::text,
                         n + " located only at country level (or outside the governorates)" + verb +
                             " not shown"),
            n + " outside the governorates" + verb + " not shown"));
    }
    if (report.flows > 0 || !report.flows_too_short.empty()) {
        legend.push_back(legend_entry(LegendEntry::heading, "Flows"));
        legend.push_back(
            with_short(legend_entry(LegendEntry::text,
                                    cat + ", " + period_words(fig.period) +
                                        "; the legs of one figure each carry its full value"),
                       cat + ", " + period_words(fig.period)));
        if (!report.flows_too_short.empty()) {
            std::string legs;
            for (const auto &l : report.flows_too_short)
                legs += (legs.empty() ? "" : "; ") + l;
            const auto n = report.flows_too_short.size();
            const std::string what =
                std::to_string(n) + (n == 1 ? " leg is" : " legs are") + " too short to draw";
            legend.push_back(with_short(
                legend_entry(LegendEntry::text, what + " at this scale: " + legs), what));
        }
        if (report.flows > 0)
            for (const double v : flow_references(max_flow)) {
                legend.push_back(legend_entry(LegendEntry::flow, format_count(v), {}, Mark::place,
                                              flow_width(v, max_flow)));
                legend.back().optional = v != flow_references(max_flow).front();
            }
    }
    legend.push_back(legend_entry(LegendEntry::heading, "Places"));
    const std::pair<Mark, const char *> marks[] = {{Mark::crossing, "Border crossing"},
                                                   {Mark::checkpoint, "Checkpoint"},
                                                   {Mark::camp, "Camp"},
                                                   {Mark::place, "Other place with records"}};
    for (const auto &[m, label] : marks)
        if (shown.count(m))
            legend.push_back(legend_entry(LegendEntry::symbol, label, {}, m));
    for (const auto &z : zones_shown)
        legend.push_back(legend_entry(LegendEntry::zone, z));
    legend.push_back(legend_entry(LegendEntry::neighbour, "Neighbouring country", kNeighbourFill));

    // The scale bar and north arrow at the bottom of the legend panel, the legend above them.
    DisplayList furniture;
    const ScaleNorthBoxes sn = add_scale_and_north(
        furniture, view, measurer, {page.legend.x0, page.legend.y1 - kScaleNorthHeight},
        std::min(110.0, page.legend.width() - 60));
    const double furniture_top = std::min(sn.scale_bar.y0, sn.north_arrow.y0);
    bool fits = false;
    for (const bool compact : {false, true}) {
        DisplayList drawn;
        std::vector<std::string> texts;
        const double bottom = add_legend(drawn, measurer, page.legend, legend, texts, compact);
        if (bottom + 4 > furniture_top)
            continue;
        append(dl, std::move(drawn));
        report.legend = std::move(texts);
        report.boxes.legend = {page.legend.x0, page.legend.y0, page.legend.x1, bottom};
        fits = true;
        break;
    }
    if (!fits)
        throw UsageError("the page is too small for the legend: use a larger --width/--height "
                         "or a smaller --dpi");
    append(dl, std::move(furniture));
    report.boxes.scale_bar = sn.scale_bar;
    report.boxes.north_arrow = sn.north_arrow;

    // Title and attribution.
    append(dl, std::move(head));
    dl.title = title;
    const auto lines = add_attribution(dl, measurer, {page.attribution.x0, page.attribution.y0},
                                       page.attribution.width(), attribution);
    report.boxes.attribution = {page.attribution.x0, page.attribution.y0, page.attribution.x1,
                                page.attribution.y0 + attribution_height(measurer, lines.size())};
    return dl;
}

} // namespace sitmap::render
